//! Sightings derived from the fetches: new stores, old stores with a `sightings` tree, verify,
//! dump and restore.

use super::super::records::{encode_record, FetchV1, SightingV1};
use super::super::tests::{dump_bytes, open, page};
use super::super::{keys, ArticleOutcome, OpenOptions, Store};
use super::{Sighting, SightingIndex};
use crate::id::{ArticleId, RevisionNo};
use crate::segment::Article;

fn titled(title: &str, version: u32) -> Article {
    Article { title: Some(title.into()), date: None, body: format!("The {title} story, as told the {version}th time.") }
}

/// Ingests one page of `articles` on `day`; returns its sightings, as the page's outcome gives them.
fn ingest(store: &Store, day: i64, articles: &[Article]) -> Vec<Sighting> {
    let with_ids: Vec<(String, &Article)> =
        articles.iter().map(|a| (ArticleId::title_identity("example", a.title.as_deref().unwrap_or("")), a)).collect();
    let outcome = crate::archive::store_page(store, &page(day, 0), &with_ids, false, None).expect("ingest");
    let fetch = outcome.fetch;
    let sighting = |article, revision| Sighting { article, fetch, revision };
    outcome
        .articles
        .iter()
        .map(|o| match *o {
            ArticleOutcome::New(id) => sighting(id, RevisionNo(1)),
            ArticleOutcome::Revised(id, r) | ArticleOutcome::Unchanged(id, r) => sighting(id, r),
        })
        .collect()
}

/// Pages that see articles new, unchanged, revised, and again in a backfilled older page.
fn feed(store: &Store, days: std::ops::Range<usize>) -> Vec<Sighting> {
    let pages = [
        (3, vec![titled("Harbour", 1), titled("Bridge", 1)]),
        (4, vec![titled("Harbour", 1), titled("Bridge", 2)]),
        (1, vec![titled("Harbour", 1), titled("Bridge", 1)]),
        (5, vec![titled("Bridge", 2), titled("Tunnel", 1)]),
        (6, vec![titled("Harbour", 2), titled("Tunnel", 1), titled("Bridge", 3)]),
    ];
    pages[days].iter().flat_map(|(day, articles)| ingest(store, *day, articles)).collect()
}

/// Every article's sightings as [`Store::sightings`] gives them, in (article, fetch) order.
fn read_back(store: &Store) -> Vec<Sighting> {
    let mut out = Vec::new();
    for article in store.articles() {
        let id = article.expect("article").id;
        for (fetch, revision) in store.sightings(id).expect("sightings") {
            out.push(Sighting { article: id, fetch: fetch.seq, revision });
        }
    }
    out
}

fn sorted(mut sightings: Vec<Sighting>) -> Vec<Sighting> {
    sightings.sort_by_key(|s| (s.article, s.fetch));
    sightings
}

/// Makes `store` what a build of schema 3 left: a `sightings` record for every article of every
/// fetch, as `ingest_page` wrote them in the page's transaction. Reopens it.
fn as_schema_3(store: Store, dir: &std::path::Path) -> Store {
    let tree = store.h().db.open_tree("sightings").expect("tree");
    for fetch in store.fetches() {
        let fetch = fetch.expect("fetch");
        for (id, revision) in fetch.articles {
            tree.insert(keys::sighting(id, fetch.seq), encode_record(&SightingV1 { revision: revision.0 }))
                .expect("insert");
        }
    }
    store.h().meta.insert(super::super::SCHEMA_KEY, encode_record(&3u32)).expect("schema 3");
    drop(tree);
    drop(store);
    open(dir)
}

#[test]
fn sightings_are_the_fetches_articles_and_no_record_is_written_for_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let want = sorted(feed(&store, 0..5));
    assert_eq!(want.len(), 11);
    assert_eq!(read_back(&store), want);
    let index = store.sighting_index().expect("index");
    assert_eq!(index.iter().copied().collect::<Vec<_>>(), want);
    // The backfilled page (fetch 2, a day before the first) is a sighting of revision 1.
    let harbour = want[0].article;
    let harbour_seen: Vec<(u64, u32)> = index.of(harbour).iter().map(|s| (s.fetch, s.revision.0)).collect();
    let bridge = index.iter().find(|s| s.fetch == 0 && s.article != harbour).expect("bridge").article;
    let bridge_seen: Vec<(u64, u32)> = index.of(bridge).iter().map(|s| (s.fetch, s.revision.0)).collect();
    assert!(matches!(harbour_seen.as_slice(), [(0, 1), (1, 1), (2, 1), (4, 2)]), "{harbour_seen:?}");
    assert!(matches!(bridge_seen.as_slice(), [(0, 1), (1, 2), (2, 1), (3, 2), (4, 3)]), "{bridge_seen:?}");
    assert_eq!(index.revision(bridge, 2), Some(RevisionNo(1)));
    assert_eq!(index.revision(bridge, 5), None);
    let days: Vec<i64> = index.seen_at(bridge).map(|t| (t - page(0, 0).fetched_at).whole_days()).collect();
    assert_eq!(days, [3, 4, 1, 5, 6]);
    assert!(store.sightings(ArticleId([9; 6])).expect("an unknown article").is_empty());
    // Nothing but the fetches holds them: a new store has no `sightings` tree at all.
    drop(store);
    let store = open(dir.path());
    assert!(store.h().legacy_sightings.is_none());
    assert!(!store.h().db.tree_names().iter().any(|n| n.as_ref() == b"sightings"));
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
}

#[test]
fn a_page_listing_an_article_twice_is_one_sighting_at_the_later_revision() {
    // No page of an ingest does, but the `sightings` tree kept the later of two such pairs.
    let fetch = |articles: Vec<([u8; 6], u32)>| FetchV1 {
        raw: [0; 32],
        raw_len: 0,
        source: String::new(),
        url: None,
        site: String::new(),
        fetched_at: 0,
        articles,
        listing: false,
        charset: None,
    };
    let mut index = SightingIndex::default();
    index.add(0, &fetch(vec![([2; 6], 1), ([1; 6], 1), ([2; 6], 3)]));
    index.add(1, &fetch(vec![([1; 6], 2)]));
    let index = index.finish();
    let rows: Vec<([u8; 6], u64, u32)> = index.iter().map(|s| (s.article.0, s.fetch, s.revision.0)).collect();
    assert_eq!(rows, [([1; 6], 0, 1), ([1; 6], 1, 2), ([2; 6], 0, 3)]);

    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let id = feed(&store, 0..1)[0].article;
    let mut record = fetch(vec![(id.0, 1), (id.0, 2)]);
    record.fetched_at = 7;
    store.h().fetches.insert(keys::fetch(0), encode_record(&record)).expect("plant");
    let seen: Vec<(u64, RevisionNo)> =
        store.sightings(id).expect("sightings").into_iter().map(|(f, r)| (f.seq, r)).collect();
    assert_eq!(seen, [(0, RevisionNo(2))]);
}

#[test]
fn a_schema_3_store_with_a_sightings_tree_counts_each_sighting_once_and_takes_new_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(&dir.path().join("old"));
    let mut want = feed(&store, 0..3);
    let store = as_schema_3(store, &dir.path().join("old"));
    let legacy = store.h().legacy_sightings.as_ref().expect("the old tree is found").len();
    assert_eq!(legacy, want.len());
    assert_eq!(read_back(&store), sorted(want.clone()));
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());

    // Pages written now add to the fetches only.
    want.extend(feed(&store, 3..5));
    let want = sorted(want);
    assert_eq!(store.h().legacy_sightings.as_ref().expect("tree").len(), legacy);
    assert_eq!(read_back(&store), want);
    assert_eq!(store.sighting_index().expect("index").iter().copied().collect::<Vec<_>>(), want);
    let report = crate::archive::index::verify(&store).expect("verify");
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    // The same pages into a new store: the same dump, which restores to a store without the tree
    // that dumps the same bytes.
    let fresh = open(&dir.path().join("fresh"));
    feed(&fresh, 0..5);
    let dump = dump_bytes(&store);
    assert_eq!(dump, dump_bytes(&fresh));
    let copy = dir.path().join("copy");
    Store::restore(&copy, &dump[..], "mem", crate::archive::index::RULE).expect("restore");
    let restored = Store::open(&copy, &OpenOptions::default()).expect("open copy");
    assert!(restored.h().legacy_sightings.is_none());
    assert_eq!(read_back(&restored), want);
    assert_eq!(dump_bytes(&restored), dump);
}

#[test]
fn verify_reports_an_old_sighting_that_disagrees_with_its_fetch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let seen = feed(&store, 0..4);
    let store = as_schema_3(store, dir.path());
    let tree = store.h().legacy_sightings.clone().expect("tree");
    let (harbour, bridge) = (seen[0].article, seen[1].article);
    let plant = |id, fetch, revision: u32| {
        tree.insert(keys::sighting(id, fetch), encode_record(&SightingV1 { revision })).expect("plant");
    };
    // Fetch 1 saw Bridge at revision 2, not 1; fetch 3 did not see Harbour; fetch 9 does not
    // exist.
    plant(bridge, 1, 1);
    plant(harbour, 3, 1);
    plant(harbour, 9, 1);
    let mut found: Vec<(String, String)> = crate::archive::index::verify(&store)
        .expect("verify")
        .problems
        .into_iter()
        .map(|p| (p.what, p.detail))
        .collect();
    found.sort();
    let mut want = vec![
        (
            format!("sighting of article {bridge} in fetch 1"),
            "says revision 1, but the fetch lists the article at revision 2",
        ),
        (
            format!("sighting of article {harbour} in fetch 3"),
            "says revision 1, but the fetch does not list the article",
        ),
        (format!("sighting of article {harbour} in fetch 9"), "names revision 1 or a fetch that is missing"),
    ];
    want.sort();
    let want: Vec<(String, String)> = want.into_iter().map(|(w, d)| (w, d.to_owned())).collect();
    assert_eq!(found, want);
}

#[test]
fn verify_catches_every_flipped_bit_in_an_old_sightings_tree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    feed(&store, 0..5);
    let store = as_schema_3(store, dir.path());
    let tree = store.h().legacy_sightings.clone().expect("tree");
    let values: Vec<(sled::IVec, sled::IVec)> = tree.iter().map(|item| item.expect("read")).collect();
    for (key, value) in &values {
        for bit in 0..value.len() * 8 {
            let mut bad = value.to_vec();
            bad[bit / 8] ^= 1 << (bit % 8);
            tree.insert(key, bad).expect("plant");
            let problems = crate::archive::index::verify(&store).expect("verify").problems;
            assert!(!problems.is_empty(), "bit {bit} of the sighting under {key:?}");
            tree.insert(key, value.clone()).expect("repair");
        }
    }
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
}

#[test]
fn restore_refuses_sighting_lines_that_do_not_match_the_fetches() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    feed(&store, 0..5);
    let text = String::from_utf8(zstd::decode_all(&dump_bytes(&store)[..]).expect("unzstd")).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| l.contains(r#""type":"sighting""#)).expect("a sighting line");
    let changed = lines[first].replacen(r#""revision":1"#, r#""revision":2"#, 1);
    assert_ne!(changed, lines[first]);
    for edit in [Some(changed.as_str()), None] {
        let mut body: Vec<&str> = lines[..lines.len() - 1].to_vec();
        match edit {
            Some(line) => body[first] = line,
            None => {
                body.remove(first);
            }
        }
        let mut bytes: Vec<u8> = body.iter().flat_map(|l| [l.as_bytes(), b"\n"].concat()).collect();
        let end = format!(r#"{{"type":"end","lines":{},"blake3":"{}"}}"#, body.len(), blake3::hash(&bytes).to_hex());
        bytes.extend_from_slice(end.as_bytes());
        bytes.push(b'\n');
        let dump = zstd::encode_all(&bytes[..], 3).expect("zstd");
        let copy = dir.path().join("copy");
        let err = Store::restore(&copy, &dump[..], "mem", crate::archive::index::RULE).expect_err("refused");
        assert!(err.to_string().contains("sighting lines do not match"), "{err}");
        assert!(!copy.exists());
    }
}

#[test]
fn the_index_holds_24_bytes_a_sighting_and_32_a_fetch() {
    // The figures its documentation gives for memory at 1 GB.
    assert_eq!(std::mem::size_of::<Sighting>(), 24);
    assert_eq!(std::mem::size_of::<(u64, i128)>(), 32);
}
