//! The identity index: edited headlines, claims, short bodies, rebuild and verify.

use super::super::tests::{open, page};
use super::super::{ArticleOutcome, Store};
use crate::id::{ArticleId, RevisionNo};
use crate::segment::Article;

/// A body of `words` words about `topic`, with `edit` changing its third sentence.
fn body(topic: &str, words: usize, edit: &str) -> String {
    let mut out: Vec<String> = (0..words).map(|i| format!("{topic}{i}")).collect();
    if words > 20 {
        out[12] = edit.to_owned();
    }
    out.join(" ")
}

fn titled(title: &str, body: String) -> Article {
    Article { title: Some(title.into()), date: None, body }
}

fn ingest(store: &Store, day: i64, articles: &[Article]) -> Vec<ArticleOutcome> {
    let with_ids: Vec<(String, &Article)> =
        articles.iter().map(|a| (ArticleId::title_identity("example", a.title.as_deref().unwrap_or("")), a)).collect();
    crate::archive::store_page(store, &page(day, 0), &with_ids, false, None).expect("ingest").articles
}

#[test]
fn an_edited_headline_is_a_revision_and_two_articles_never_claim_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let first = ingest(&store, 1, &[titled("Ferry Fares Rise", body("ferry", 200, "a"))]);
    let ArticleOutcome::New(id) = first[0] else { panic!("{first:?}") };
    // Two articles under new headlines, both close to the stored one: the closer one claims it.
    let second = ingest(
        &store,
        2,
        &[
            titled("Ferry Fares Rise Again", body("ferry", 150, "b")),
            titled("Ferry Fares Rise by a Tenth", body("ferry", 200, "c")),
        ],
    );
    assert!(matches!(second[0], ArticleOutcome::New(other) if other != id), "{second:?}");
    assert_eq!(second[1], ArticleOutcome::Revised(id, RevisionNo(2)));
    let titles: Vec<Option<String>> = store.revisions(id).expect("revisions").into_iter().map(|r| r.title).collect();
    assert_eq!(titles, [Some("Ferry Fares Rise".into()), Some("Ferry Fares Rise by a Tenth".into())]);
    // The edited headline is an alias now: the same text under it is unchanged.
    let third = ingest(&store, 3, &[titled("Ferry Fares Rise by a Tenth", body("ferry", 200, "c"))]);
    assert_eq!(third[0], ArticleOutcome::Unchanged(id, RevisionNo(2)));
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
}

#[test]
fn a_short_body_under_a_new_headline_is_a_new_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    ingest(&store, 1, &[titled("Note", body("ferry", 30, "a"))]);
    let out = ingest(&store, 2, &[titled("A Note", body("ferry", 30, "a"))]);
    assert!(matches!(out[0], ArticleOutcome::New(_)), "{out:?}");
}

/// Every entry of `bands` and `aliases`.
fn snapshot(store: &Store) -> Vec<(Vec<u8>, Vec<u8>)> {
    let h = store.h();
    h.bands.iter().chain(h.aliases.iter()).map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).expect("read")).collect()
}

#[test]
fn the_rebuilt_index_equals_the_one_kept_while_ingesting_and_verify_checks_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    ingest(&store, 1, &[titled("Ferry Fares Rise", body("ferry", 200, "a")), titled("Rain", body("rain", 80, "a"))]);
    ingest(
        &store,
        2,
        &[titled("Ferry Fares Rise Sharply", body("ferry", 210, "b")), titled("Rain", body("rain", 90, "x"))],
    );
    let kept = snapshot(&store);
    assert!(!kept.is_empty());
    store.rebuild_identity_index(crate::archive::index::RULE).expect("rebuild");
    assert_eq!(snapshot(&store), kept);
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
    let (key, _) = store.h().bands.iter().next().expect("an entry").expect("read");
    store.h().bands.remove(key).expect("remove");
    let problems = crate::archive::index::verify(&store).expect("verify").problems;
    assert!(problems.iter().any(|p| p.what.starts_with("bands")), "{problems:?}");
}

#[test]
fn an_alias_two_articles_carry_names_the_lower_id() {
    // A headline becomes an alias of one article; then a page prints that article under its
    // own headline and another article's text under the alias, which the other takes as a new
    // revision: read on a later day, or in a fetch derived again (as `reprocess` derives one).
    for derived_again in [false, true] {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = open(dir.path());
        let (jonas, origin) =
            (titled("Jonas Jaegermeyer", body("jonas", 200, "a")), titled("Origin", body("origin", 200, "a")));
        let out = ingest(&store, 1, &[jonas.clone(), origin.clone()]);
        let (ArticleOutcome::New(x), ArticleOutcome::New(y)) = (out[0], out[1]) else { panic!("{out:?}") };
        ingest(&store, 2, &[jonas.clone(), origin]);
        let out = ingest(&store, 3, &[titled("Restaurant", body("jonas", 200, "b"))]);
        assert_eq!(out[0], ArticleOutcome::Revised(x, RevisionNo(2)));
        let alias = ArticleId::title_identity("example", "Restaurant");
        assert_eq!(store.alias(&alias).expect("alias"), Some(x));
        let both = [jonas, titled("Restaurant", body("origin", 200, "c"))];
        let out = if derived_again {
            let with_ids: Vec<(String, &Article)> = both
                .iter()
                .map(|a| (ArticleId::title_identity("example", a.title.as_deref().unwrap_or("")), a))
                .collect();
            crate::archive::store_page(&store, &page(2, 0), &with_ids, false, Some(1)).expect("derive again").articles
        } else {
            ingest(&store, 4, &both)
        };
        assert_eq!(out[1], ArticleOutcome::Revised(y, RevisionNo(2)), "derived again: {derived_again}");
        // Both carried the alias; it names the lower id, as a rebuilt index has it.
        assert_eq!(store.alias(&alias).expect("alias"), Some(x.min(y)));
        let problems = crate::archive::index::verify(&store).expect("verify").problems;
        assert!(problems.is_empty(), "derived again: {derived_again}: {problems:?}");
        let kept = snapshot(&store);
        store.rebuild_identity_index(crate::archive::index::RULE).expect("rebuild");
        assert_eq!(snapshot(&store), kept, "derived again: {derived_again}");
    }
}

#[test]
fn later_articles_of_a_page_see_the_index_changes_of_earlier_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    // The second article, under another headline, is close to the first of the same page: the
    // first is new, so the second finds it as a candidate, but a page never claims an article
    // of its own twice, so the second is new too.
    let out = ingest(
        &store,
        1,
        &[titled("Ferry Fares Rise", body("ferry", 200, "a")), titled("Ferry Fares Up", body("ferry", 200, "b"))],
    );
    assert!(matches!(out[0], ArticleOutcome::New(_)), "{out:?}");
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
    // A later page finds either through the in-memory index, kept in step with `bands`.
    let again = ingest(&store, 2, &[titled("Ferry Fares Rise Again", body("ferry", 200, "a"))]);
    assert!(matches!(again[0], ArticleOutcome::Revised(..) | ArticleOutcome::Unchanged(..)), "{again:?}");
}

#[test]
fn the_in_memory_inverse_stays_what_loading_it_from_bands_gives() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    // New articles, revisions that move an article to other buckets, one too short to index,
    // and an edited headline.
    ingest(&store, 1, &[titled("Ferry Fares Rise", body("ferry", 200, "a")), titled("Rain", body("rain", 80, "a"))]);
    ingest(&store, 2, &[titled("Rain", body("rain", 90, "x")), titled("Port", body("port", 120, "a"))]);
    ingest(
        &store,
        3,
        &[titled("Ferry Fares Rise Sharply", body("ferry", 210, "b")), titled("Rain", body("rain", 20, "y"))],
    );
    let kept = store.band_index.lock().expect("lock").sites.get("example").cloned().expect("loaded");
    store.band_index.lock().expect("lock").sites.clear();
    store.load_band_index("example").expect("load");
    let loaded = store.band_index.lock().expect("lock").sites.get("example").cloned().expect("loaded");
    assert_eq!(kept, loaded);
    assert_eq!(loaded.len(), 2 * crate::archive::sketch::BANDS, "ferry and port; rain is too short now");
}

/// An untitled article of a page saved under each day's date.
fn ingest_untitled(store: &Store, day: i64, body: String) -> ArticleOutcome {
    let mut page = page(day, 0);
    page.url = None;
    page.source = format!("scrapes/example/2025-11-{:02}.txt", day + 1);
    let article = Article { title: None, date: None, body };
    let identity = crate::archive::identity::identity(&page, &article);
    crate::archive::store_page(store, &page, &[(identity, &article)], false, None).expect("ingest").articles[0]
}

#[test]
fn an_untitled_article_of_a_page_renamed_daily_is_found_by_its_body() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let ArticleOutcome::New(id) = ingest_untitled(&store, 1, body("harbour", 120, "a")) else { panic!("new") };
    assert_eq!(ingest_untitled(&store, 2, body("harbour", 120, "a")), ArticleOutcome::Unchanged(id, RevisionNo(1)));
    assert_eq!(ingest_untitled(&store, 3, body("harbour", 120, "b")), ArticleOutcome::Revised(id, RevisionNo(2)));
    // Another text is another article, and a titled stored article is not claimed by an
    // untitled one.
    assert!(matches!(ingest_untitled(&store, 4, body("orchard", 120, "a")), ArticleOutcome::New(other) if other != id));
    ingest(&store, 5, &[titled("Meadow Report", body("meadow", 120, "a"))]);
    assert!(matches!(ingest_untitled(&store, 6, body("meadow", 120, "a")), ArticleOutcome::New(_)));
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
}

#[test]
fn an_index_built_by_an_older_rule_is_built_again_before_the_next_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    ingest_untitled(&store, 1, body("harbour", 120, "a"));
    drop(store);
    // As the first version of the rule left it: no mark, untitled articles not indexed.
    let store = open(dir.path());
    store.h().meta.remove(super::INDEX_RULE_KEY).expect("remove");
    store.h().bands.clear().expect("clear");
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty(), "left unchecked");
    drop(store);
    let store = open(dir.path());
    assert!(matches!(ingest_untitled(&store, 2, body("harbour", 120, "a")), ArticleOutcome::Unchanged(..)));
    assert_eq!(store.index_rule_version().expect("version"), crate::archive::index::RULE.version);
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
}
