//! Texts stored once for the revisions of several articles (`wholes`).

use super::super::tests::{dump_bytes, open, page};
use crate::id::RevisionNo;
use crate::segment::Article;
use crate::store::write::ArticleOutcome;
use crate::store::{keys, Store};

/// About 3 KB of a wire story, the same on every site that runs it.
fn story(n: usize) -> String {
    (0..60).map(|i| format!("Sentence {i} of wire story {n} names the port of {}. ", i * 7919 % 1000)).collect()
}

/// Ingests one page of `site` holding `articles` (title, body); the ids, in page order.
fn ingest(store: &Store, site: &str, day: i64, articles: &[(&str, String)]) -> Vec<crate::id::ArticleId> {
    let mut p = page(day, 0);
    p.site = site.into();
    p.raw = articles.iter().map(|(t, b)| format!("{t}\n{b}\n")).collect::<String>().into_bytes();
    let articles: Vec<Article> =
        articles.iter().map(|(t, b)| Article { title: Some((*t).into()), date: None, body: b.clone() }).collect();
    let with_ids: Vec<(String, &Article)> =
        articles.iter().map(|a| (format!("{site}\0{}", a.title.as_deref().unwrap_or("")), a)).collect();
    let outcome = crate::archive::store_page(store, &p, &with_ids, false, None).expect("ingest");
    outcome
        .articles
        .iter()
        .map(|o| match *o {
            ArticleOutcome::New(id) | ArticleOutcome::Revised(id, _) | ArticleOutcome::Unchanged(id, _) => id,
        })
        .collect()
}

fn pointer(store: &Store, id: crate::id::ArticleId) -> Vec<u8> {
    store.text_value(keys::revision(id, 1)).expect("get").expect("text").to_vec()
}

#[test]
fn a_story_two_sites_run_is_stored_once_and_reads_back_on_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let short = "A short notice, under the size worth sharing.".to_owned();
    let a = ingest(&store, "alpha", 0, &[("Port Strike", story(1)), ("Notice", short.clone())]);
    let before = store.stats().expect("stats");
    let b = ingest(&store, "beta", 0, &[("Dockers Walk Out", story(1)), ("Notice", short)]);
    let after = store.stats().expect("stats");
    assert_ne!(a[0], b[0], "two articles");
    assert_eq!(pointer(&store, a[0]), pointer(&store, b[0]), "one stored text");
    assert_ne!(pointer(&store, a[1]), pointer(&store, b[1]), "a short text is stored again");
    assert_eq!(store.h().wholes.len(), 1);
    assert!(
        after.stored_text_bytes - before.stored_text_bytes < 100,
        "{} bytes more for a shared story",
        after.stored_text_bytes - before.stored_text_bytes
    );
    for id in [a[0], b[0]] {
        let revision = store.revision(id, RevisionNo(1)).expect("revision");
        assert_eq!(store.text(&revision).expect("text"), story(1));
    }
    // A new revision of one is a delta of its own; the other reads as before.
    ingest(&store, "beta", 1, &[("Dockers Walk Out", format!("{} Updated.", story(1)))]);
    assert_eq!(store.text(&store.revision(a[0], RevisionNo(1)).expect("revision")).expect("text"), story(1));
    assert!(store.verify().expect("verify").problems.is_empty());
    // A dump holds texts, not the index: the restored store reads the same.
    let restored_dir = dir.path().join("restored");
    Store::restore(&restored_dir, dump_bytes(&store).as_slice(), "mem", crate::archive::index::RULE).expect("restore");
    let restored = open(&restored_dir);
    assert_eq!(restored.text(&restored.revision(b[0], RevisionNo(1)).expect("revision")).expect("text"), story(1));
    assert!(restored.verify().expect("verify").problems.is_empty());
}

#[test]
fn verify_reports_an_entry_no_revision_holds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let a = ingest(&store, "alpha", 0, &[("Port Strike", story(1))]);
    let held = pointer(&store, a[0]);
    store.h().wholes.insert(crate::id::ContentHash::of(story(2).as_bytes()).0, held).expect("insert");
    let problems = store.verify().expect("verify").problems;
    assert!(problems.iter().any(|p| p.what.starts_with("wholes key")), "{problems:?}");
}
