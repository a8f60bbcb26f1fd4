//! Sightings derived from the fetches: new stores, old stores with a `sightings` tree, verify,
//! dump and restore.

use super::super::records::FetchRecord;
use super::super::tests::{dump_bytes, open, page};
use super::super::{keys, ArticleOutcome, Store};
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
    assert!(!store.h().db.tree_names().iter().any(|n| n.as_ref() == b"sightings"));
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
}

#[test]
fn a_page_listing_an_article_twice_is_one_sighting_at_the_later_revision() {
    // No page of an ingest does; the later pair counts.
    let fetch = |articles: Vec<([u8; 6], u32)>| FetchRecord {
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
    let pack = crate::store::records::encode_fetch_pack(&[record]).expect("pack");
    store.h().fetches.insert(keys::fetch(0), pack).expect("plant");
    let seen: Vec<(u64, RevisionNo)> =
        store.sightings(id).expect("sightings").into_iter().map(|(f, r)| (f.seq, r)).collect();
    assert_eq!(seen, [(0, RevisionNo(2))]);
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
