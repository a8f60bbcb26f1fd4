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

/// Two articles carrying the alias "Restaurant": `x` (text "jonas") and `y` (text "origin"),
/// under the headlines given. "Restaurant" becomes an alias of `x` (its text under it); then a
/// page prints `x` under its own headline and `y`'s text under the alias, which `y` takes as a
/// new revision: read on a later day, or in a fetch derived again (as `reprocess` derives one).
/// Returns the store's folder, the store, `x` and `y`.
fn two_carriers(titles: [&str; 2], derived_again: bool) -> (tempfile::TempDir, Store, ArticleId, ArticleId) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let (jonas, origin) = (titled(titles[0], body("jonas", 200, "a")), titled(titles[1], body("origin", 200, "a")));
    let out = ingest(&store, 1, &[jonas.clone(), origin.clone()]);
    let (ArticleOutcome::New(x), ArticleOutcome::New(y)) = (out[0], out[1]) else { panic!("{out:?}") };
    ingest(&store, 2, &[jonas.clone(), origin]);
    let out = ingest(&store, 3, &[titled("Restaurant", body("jonas", 200, "b"))]);
    assert_eq!(out[0], ArticleOutcome::Revised(x, RevisionNo(2)));
    assert_eq!(store.alias(&restaurant()).expect("alias"), Some(x));
    let both = [jonas, titled("Restaurant", body("origin", 200, "c"))];
    let out = if derived_again {
        let with_ids: Vec<(String, &Article)> =
            both.iter().map(|a| (ArticleId::title_identity("example", a.title.as_deref().unwrap_or("")), a)).collect();
        crate::archive::store_page(&store, &page(2, 0), &with_ids, false, Some(1)).expect("derive again").articles
    } else {
        ingest(&store, 4, &both)
    };
    assert_eq!(out[1], ArticleOutcome::Revised(y, RevisionNo(2)), "derived again: {derived_again}");
    (dir, store, x, y)
}

/// The alias both carry.
fn restaurant() -> String {
    ArticleId::title_identity("example", "Restaurant")
}

/// Headlines for [`two_carriers`] under which `x` has the lower id, and `y` has.
const X_LOWER: [&str; 2] = ["Origin", "Jonas Jaegermeyer"];
const Y_LOWER: [&str; 2] = ["Jonas Jaegermeyer", "Origin"];

#[test]
fn an_alias_two_articles_carry_names_the_lower_id() {
    // In either id order: `y`, the later carrier, writes the alias last, and it names `y`
    // only when `y` has the lower id.
    for (titles, x_lower) in [(X_LOWER, true), (Y_LOWER, false)] {
        for derived_again in [false, true] {
            let case = format!("x lower: {x_lower}, derived again: {derived_again}");
            let (_dir, store, x, y) = two_carriers(titles, derived_again);
            assert_eq!(x < y, x_lower, "{case}");
            assert_eq!(store.alias(&restaurant()).expect("alias"), Some(x.min(y)), "{case}");
            let problems = crate::archive::index::verify(&store).expect("verify").problems;
            assert!(problems.is_empty(), "{case}: {problems:?}");
            let kept = snapshot(&store);
            store.rebuild_identity_index(crate::archive::index::RULE).expect("rebuild");
            assert_eq!(snapshot(&store), kept, "{case}");
        }
    }
}

#[test]
fn a_page_under_an_alias_two_articles_carry_goes_to_the_one_whose_text_it_is() {
    // The alias names the lower id, whichever that is; the page's text decides.
    for (titles, x_lower) in [(X_LOWER, true), (Y_LOWER, false)] {
        let (_dir, store, x, y) = two_carriers(titles, false);
        assert_eq!(x < y, x_lower);
        let out = ingest(&store, 5, &[titled("Restaurant", body("origin", 200, "d"))]);
        assert_eq!(out[0].id(), y, "y's text, x lower: {x_lower}: {out:?}");
        let out = ingest(&store, 6, &[titled("Restaurant", body("jonas", 200, "e"))]);
        assert_eq!(out[0].id(), x, "x's text, x lower: {x_lower}: {out:?}");
        assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
    }
}

#[test]
fn a_page_under_an_alias_whose_text_matches_no_article_goes_to_the_article_it_names() {
    // An edited headline, then a text rewritten under it: nothing else claims it by body.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let ArticleOutcome::New(x) = ingest(&store, 1, &[titled("Ferry Fares Rise", body("ferry", 200, "a"))])[0] else {
        panic!("new")
    };
    ingest(&store, 2, &[titled("Ferry Fares Rise by a Tenth", body("ferry", 200, "b"))]);
    let out = ingest(&store, 3, &[titled("Ferry Fares Rise by a Tenth", body("tariff", 200, "c"))]);
    assert_eq!(out[0], ArticleOutcome::Revised(x, RevisionNo(3)));
}

#[test]
fn an_older_builds_alias_naming_the_higher_carrier_is_reported_with_its_repair() {
    let (dir, store, x, y) = two_carriers(X_LOWER, false);
    // What a write that let the last carrier win left.
    store.h().aliases.insert(restaurant().as_bytes(), crate::store::records::encode_record(&y.0)).expect("plant");
    let problems = crate::archive::index::verify(&store).expect("verify").problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].what, "alias example/restaurant");
    assert!(problems[0].detail.starts_with(&format!("names article {y}, should name article {x}")), "{problems:?}");
    assert!(problems[0].detail.contains("`vellum restore`"), "{problems:?}");
    // The repair it names: a dump restored into a new store.
    let mut dump = Vec::new();
    store.dump(&mut dump, "mem").expect("dump");
    let copy = dir.path().join("copy");
    crate::archive::index::restore(&copy, &dump[..], "mem").expect("restore");
    let copy = Store::open(&copy, &Default::default()).expect("open copy");
    assert_eq!(copy.alias(&restaurant()).expect("alias"), Some(x));
    assert!(crate::archive::index::verify(&copy).expect("verify").problems.is_empty());
}

#[test]
fn a_damaged_alias_entry_fails_the_page_that_would_write_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let alias = restaurant();
    // A new article whose headline the planner gives as an alias (the planner itself would
    // have read the damaged entry first, when looking the headline up).
    let identity = ArticleId::title_identity("example", "Jonas Jaegermeyer");
    let id = ArticleId::derive(&identity, 0);
    let text = body("jonas", 200, "a");
    let seen = crate::store::nanos(page(1, 0).fetched_at);
    let revision = crate::store::RevisionRecord {
        hash: crate::id::ContentHash::of(text.as_bytes()).0,
        len: text.len() as u64,
        title: Some("Jonas Jaegermeyer".into()),
        date: None,
        first_seen: seen,
        last_seen: seen,
        fetch: 0,
        trivial: false,
    };
    let record = crate::store::ArticleRecord {
        identity,
        site: "example".into(),
        title: Some("Jonas Jaegermeyer".into()),
        latest: 1,
        first_seen: seen,
        last_seen: seen,
        url: None,
        source: page(1, 0).source,
    };
    let article = crate::store::ArticleWrite {
        outcome: ArticleOutcome::New(id),
        record,
        revisions: vec![crate::store::RevisionWrite { number: 1, record: revision, text: Some(text.as_str().into()) }],
        index: None,
        unalias: None,
        alias: Some(alias.clone()),
    };
    let page = page(1, 0);
    let write = crate::store::PageWrite { page: &page, again: None, fetch: 0, listing: false, articles: vec![article] };
    // Planted once the writer has built the (empty) index.
    let writer = store.writer(crate::archive::index::RULE).expect("writer");
    writer.h().aliases.insert(alias.as_bytes(), vec![1, 2, 3]).expect("plant");
    let err = writer.write_page(write).expect_err("damaged");
    drop(writer);
    assert!(matches!(&err, crate::Error::Corrupt { what, .. } if *what == format!("alias {alias:?}")), "{err}");
    assert_eq!(store.article_record(id).expect("read"), None, "nothing written");
}

#[test]
fn verify_does_not_blame_an_alias_naming_an_article_it_cannot_read() {
    let (_dir, store, x, y) = two_carriers(X_LOWER, false);
    assert!(x < y);
    // The alias's lowest carrier is damaged: verify names the article, not the alias.
    store.h().articles.insert(x.0, vec![1, 2, 3]).expect("plant");
    let problems = crate::archive::index::verify(&store).expect("verify").problems;
    assert!(problems.iter().any(|p| p.what == format!("article {x}")), "{problems:?}");
    assert!(!problems.iter().any(|p| p.what.starts_with("alias") || p.what == "bands"), "{problems:?}");
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
