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

/// A store holding [`story`] 1 on site `alpha`, and that article's id (as a one-item list).
fn with_story() -> (tempfile::TempDir, Store, Vec<crate::id::ArticleId>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let a = ingest(&store, "alpha", 0, &[("Port Strike", story(1))]);
    (dir, store, a)
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
    let (_dir, store, a) = with_story();
    let held = pointer(&store, a[0]);
    store.h().wholes.insert(crate::id::ContentHash::of(story(2).as_bytes()).0, held).expect("insert");
    let problems = store.verify().expect("verify").problems;
    assert!(problems.iter().any(|p| p.what.starts_with("wholes key")), "{problems:?}");
}

/// The stored value of revision `number` of article `id` (not the pointer to it).
fn value(store: &Store, id: crate::id::ArticleId, number: u32) -> Vec<u8> {
    let pointer = store.text_value(keys::revision(id, number)).expect("get").expect("text");
    store.stored(&|| "text".into(), &pointer).expect("value")
}

/// [`story`] as a second paper runs it: a sentence past the first kilobyte reworded, a line
/// added.
fn edited(n: usize) -> String {
    format!("{} Reported by the Beta Herald.", story(n).replace("Sentence 50 of", "The fiftieth sentence of"))
}

fn text_of(store: &Store, id: crate::id::ArticleId, number: u32) -> String {
    store.text(&store.revision(id, RevisionNo(number)).expect("revision")).expect("text")
}

#[test]
fn an_edited_copy_on_another_site_is_a_delta_of_the_stored_text_and_reads_back() {
    let (dir, store, a) = with_story();
    let before = store.stats().expect("stats");
    let b = ingest(&store, "beta", 0, &[("Dockers Walk Out", edited(1))]);
    let after = store.stats().expect("stats");
    let shared = value(&store, b[0], 1);
    assert_eq!(&shared[..2], &[1, 5], "a delta against another article's text");
    assert_eq!(&shared[2..15], pointer(&store, a[0]).as_slice(), "it names alpha's whole value");
    let whole = crate::store::chain::whole(edited(1).as_bytes(), None);
    assert!(shared.len() < whole.len() / 2, "{} bytes against {} whole", shared.len(), whole.len());
    assert_eq!(after.stored_text_bytes - before.stored_text_bytes, shared.len() as u64);
    assert_eq!(store.h().wholes.len(), 1, "the entry keeps naming the first text");
    assert_eq!(text_of(&store, b[0], 1), edited(1));
    assert_eq!(text_of(&store, a[0], 1), story(1));
    // A later revision of it is a skip-delta against its decoded text.
    let updated = format!("{} Updated at noon.", edited(1));
    ingest(&store, "beta", 1, &[("Dockers Walk Out", updated.clone())]);
    assert_eq!(&value(&store, b[0], 2)[..2], &[1, 4]);
    assert_eq!(text_of(&store, b[0], 2), updated);
    assert_eq!(text_of(&store, b[0], 1), edited(1));
    // A third copy, identical to the first, shares its value.
    let c = ingest(&store, "gamma", 0, &[("Strike at the Port", story(1))]);
    assert_eq!(pointer(&store, c[0]), pointer(&store, a[0]));
    assert!(store.verify().expect("verify").problems.is_empty());

    // A merge cannot keep a pointer into this store's value file: the text is stored whole.
    let merged_dir = dir.path().join("merged");
    Store::merge(&merged_dir, &[&store]).expect("merge");
    let merged = open(&merged_dir);
    assert_eq!(&value(&merged, b[0], 1)[..2], &whole[..2]);
    for (id, number) in [(a[0], 1), (b[0], 1), (b[0], 2), (c[0], 1)] {
        assert_eq!(text_of(&merged, id, number), text_of(&store, id, number));
    }
    assert!(merged.verify().expect("verify").problems.is_empty());
    // So does a dump: it holds texts.
    let restored_dir = dir.path().join("restored");
    Store::restore(&restored_dir, dump_bytes(&store).as_slice(), "mem", crate::archive::index::RULE).expect("restore");
    let restored = open(&restored_dir);
    assert_eq!(text_of(&restored, b[0], 2), updated);
    assert_eq!(dump_bytes(&restored), dump_bytes(&store));
}

/// About 2 KB of numbers that share nothing with [`story`].
fn unrelated() -> String {
    (0u64..300).map(|i| format!("{:x} ", i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40)).collect()
}

#[test]
fn a_copy_that_shares_only_a_start_that_costs_nothing_is_stored_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    // A first kilobyte that compresses to a few bytes: a delta saves less than it names.
    let rule = "=".repeat(1024);
    let a = ingest(&store, "alpha", 0, &[("Port Strike", format!("{rule}\n{}", story(1)))]);
    let b = ingest(&store, "beta", 0, &[("Harbour Fire", format!("{rule}\n{}", unrelated()))]);
    let value = value(&store, b[0], 1);
    assert_eq!(&value[..2], &[1, 1], "stored whole");
    assert_ne!(pointer(&store, a[0]), pointer(&store, b[0]));
    assert_eq!(text_of(&store, b[0], 1), format!("{rule}\n{}", unrelated()));
    assert_eq!(store.h().wholes.len(), 1);
    assert!(store.verify().expect("verify").problems.is_empty());
}

#[test]
fn verify_names_the_damaged_text_another_is_a_delta_of() {
    let (dir, store, a) = with_story();
    let b = ingest(&store, "beta", 0, &[("Dockers Walk Out", edited(1))]);
    assert_eq!(&value(&store, b[0], 1)[..2], &[1, 5]);
    // The base's frame overwritten.
    let (offset, len) = crate::store::pack::parse(&pointer(&store, a[0])).expect("pointer");
    let file = std::fs::OpenOptions::new().write(true).open(dir.path().join("values")).expect("value file");
    let zeros = vec![0u8; len as usize - 2];
    std::os::unix::fs::FileExt::write_all_at(&file, &zeros, offset + 2).expect("damage");
    let problems = store.verify().expect("verify").problems;
    let base = format!("article {} revision 1 text", a[0]);
    let dependent = problems.iter().find(|p| p.what == format!("article {} revision 1 text", b[0]));
    assert!(problems.iter().any(|p| p.what == base), "{problems:?}");
    let dependent = dependent.unwrap_or_else(|| panic!("the dependent text is reported: {problems:?}"));
    assert!(
        dependent.detail.contains(&format!("delta against the text of article {} revision 1", a[0])),
        "{dependent:?}"
    );
    assert!(dependent.detail.contains("its base"), "{dependent:?}");
    assert!(store.text(&store.revision(b[0], RevisionNo(1)).expect("revision")).is_err());
}

#[test]
fn rekeying_gives_each_start_its_first_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let a = ingest(&store, "alpha", 0, &[("Port Strike", story(1)), ("Notice", "Too short to share.".into())]);
    ingest(&store, "beta", 0, &[("Dockers Walk Out", edited(1)), ("Harbour Fire", story(2))]);
    // A store keyed by whole texts' hashes.
    store.h().wholes.clear().expect("clear");
    store.h().wholes.insert(crate::id::ContentHash::of(story(1).as_bytes()).0, pointer(&store, a[0])).expect("insert");
    assert!(!store.verify().expect("verify").problems.is_empty());
    super::rekey(&store).expect("rekey");
    assert_eq!(store.h().wholes.len(), 2, "story 1 (not its edited copy) and story 2");
    assert_eq!(
        store.h().wholes.get(super::start_key(story(1).as_bytes())).expect("get"),
        Some(pointer(&store, a[0]).into())
    );
    assert!(store.verify().expect("verify").problems.is_empty());
    let c = ingest(&store, "gamma", 0, &[("Strike Spreads", edited(1).replace("Beta", "Gamma"))]);
    assert_eq!(&value(&store, c[0], 1)[..2], &[1, 5]);
}
