//! Site knowledge: one `sites` value per site (schema 4), and stores of one `site_shapes`
//! record per shape (schema 1-3) read, written to and restored.

use time::macros::datetime;
use time::Duration;

use super::super::records::{decode_site, encode_record, SiteRecord, SITE_V2};
use super::super::tests::{dump_bytes, open};
use super::super::{keys, Store};
use crate::archive::Ingester;
use crate::process::ProcessOptions;
use crate::Page;

/// A site's knowledge as the ingester loads it: its chrome, and each shape's owner.
fn knowledge(store: &Store, site: &str) -> (crate::clean::SiteChrome, std::collections::HashMap<u64, u64>) {
    crate::archive::chrome_of(store.site_knowledge(site).expect("knowledge"))
}

/// Saves a site's knowledge from (shape, pages, owner) triples.
fn save(store: &Store, site: &str, pages: u32, shapes: Vec<(u64, u32, u64)>) {
    let shapes = shapes.into_iter().map(|(shape, pages, owner)| (shape, super::super::ShapeCount { pages, owner }));
    let knowledge = super::super::SiteKnowledge { pages, shapes: shapes.collect() };
    store.save_site_knowledge(site, &knowledge).expect("save");
}

/// The site's `sites` value, decoded.
fn site_record(store: &Store, site: &str) -> SiteRecord {
    let value = store.h().sites.get(site.as_bytes()).expect("get").expect("site value");
    decode_site(&|| site.into(), &value).expect("decode")
}

/// How many `site_shapes` records the store holds, of any site.
fn shape_records(store: &Store) -> usize {
    store.h().site_shapes.len()
}

/// Rewrites a site's knowledge as a store of schema 1-3 holds it: the page count alone in
/// `sites` (format 1), and one `site_shapes` record per shape.
fn to_old_layout(store: &Store, site: &str) {
    let (chrome, owners) = knowledge(store, site);
    for (shape, owner) in owners {
        let count = chrome.shape_pages.get(&shape).copied().unwrap_or(0);
        store.h().site_shapes.insert(keys::site_shape(site, shape), encode_record(&(count, owner))).expect("insert");
    }
    store.h().sites.insert(site.as_bytes(), encode_record(&chrome.pages)).expect("insert");
}

#[test]
fn a_site_is_one_value_holding_its_pages_and_every_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    save(&store, "example", 9, vec![(30, 0, 77), (10, 4, 0), (20, 2, 5)]);
    match site_record(&store, "example") {
        SiteRecord::V2(site) => {
            assert_eq!(site.pages, 9);
            assert_eq!(site.shapes, vec![(10, 4, 0), (20, 2, 5), (30, 0, 77)], "in shape order");
        }
        other => panic!("{other:?}"),
    }
    let value = store.h().sites.get("example").expect("get").expect("value");
    assert_eq!(value[0], SITE_V2);
    assert_eq!(shape_records(&store), 0);
    let (chrome, owners) = knowledge(&store, "example");
    assert_eq!(chrome.pages, 9);
    assert_eq!(
        chrome.shape_pages,
        [(10, 4), (20, 2)].into_iter().collect(),
        "a shape counted on no page is not chrome"
    );
    assert_eq!(owners, [(10, 0), (20, 5), (30, 77)].into_iter().collect());
    assert_eq!(store.sites().expect("sites"), vec![("example".to_owned(), 9)]);
    assert_eq!(knowledge(&store, "elsewhere").1.len(), 0);
}

#[test]
fn a_store_of_shape_records_reads_and_a_save_replaces_them_with_one_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    // Two sites, one name a prefix of the other's: only the saved site's records go.
    for site in ["example", "example.org"] {
        save(&store, site, 6, vec![(1, 6, 0), (2, 0, 42), (u64::MAX, 3, 0)]);
        to_old_layout(&store, site);
    }
    assert_eq!(shape_records(&store), 6);
    assert!(matches!(site_record(&store, "example"), SiteRecord::V1(6)));
    let before = dump_bytes(&store);
    let (chrome, owners) = knowledge(&store, "example");
    assert_eq!(chrome.pages, 6);
    assert_eq!(chrome.shape_pages, [(1, 6), (u64::MAX, 3)].into_iter().collect());
    assert_eq!(owners, [(1, 0), (2, 42), (u64::MAX, 0)].into_iter().collect());
    assert_eq!(store.sites().expect("sites"), vec![("example".to_owned(), 6), ("example.org".to_owned(), 6)]);
    // Saved (unchanged), the site is one value and its records are gone; the content is the same.
    save(&store, "example", chrome.pages, vec![(1, 6, 0), (2, 0, 42), (u64::MAX, 3, 0)]);
    assert!(matches!(site_record(&store, "example"), SiteRecord::V2(_)));
    assert_eq!(shape_records(&store), 3, "example.org's records are left as they are");
    assert_eq!(knowledge(&store, "example"), (chrome, owners));
    assert_eq!(dump_bytes(&store), before);
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
    // A restored copy holds each site as one value, and dumps to the same bytes.
    let copy = dir.path().join("copy");
    Store::restore(&copy, &before[..], "mem", crate::archive::index::RULE).expect("restore");
    let copy = Store::open(&copy, &super::super::OpenOptions::default()).expect("open copy");
    assert_eq!(shape_records(&copy), 0);
    assert!(matches!(site_record(&copy, "example.org"), SiteRecord::V2(_)));
    assert_eq!(dump_bytes(&copy), before);
}

#[test]
fn a_value_overrides_shape_records_a_cut_short_save_left_and_the_next_save_removes_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    save(&store, "example", 3, vec![(1, 3, 0)]);
    // A record the value replaced, still there: the value is the whole knowledge.
    store.h().site_shapes.insert(keys::site_shape("example", 2), encode_record(&(9u32, 0u64))).expect("insert");
    let (chrome, owners) = knowledge(&store, "example");
    assert_eq!((chrome.pages, chrome.shape_pages.len(), owners.len()), (3, 1, 1));
    save(&store, "example", 4, vec![(1, 4, 0)]);
    assert_eq!(shape_records(&store), 0);
}

/// Page `n` of a site: its own article, a promotion under it, and a line for every third page.
fn page(n: i64) -> Page {
    let article = ["cranes", "ferries", "pilots", "tugboats", "welders"][n as usize % 5];
    let text = format!(
        "The Quay Gets Busier With {article} {n}\n\n\
         Along the quay the {article} worked through the night, number {n} of them, as the season turned.\n\n\
         Residents said the noise of the {article} was a small price for the work, the {n}th such remark.\n\n\
         Listen to the harbour hour on our radio station every Friday morning.\n\n\
         {}\n",
        if n % 3 == 0 { "Subscribe to the evening letter" } else { "Read the morning letter" }
    );
    Page {
        source: format!("harbour/day{n}.txt"),
        url: None,
        fetched_at: datetime!(2025-11-01 08:00 UTC) + Duration::days(n),
        site: "harbour".into(),
        raw: text.into_bytes(),
        charset: None,
    }
}

fn ingest_days(store: &Store, days: std::ops::Range<i64>) {
    let mut ingester = Ingester::new(store, ProcessOptions::default()).expect("ingester");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    let pages = days.map(|n| Ok(page(n)));
    let summary = ingester.ingest_all(pages, &pool, u64::MAX, &mut |_| {}).expect("ingest");
    assert_eq!(summary.failures, 0);
}

#[test]
fn an_ingest_into_a_store_of_shape_records_learns_the_same_and_leaves_one_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (new, old) = (open(&dir.path().join("new")), open(&dir.path().join("old")));
    for store in [&new, &old] {
        ingest_days(store, 0..6);
    }
    to_old_layout(&old, "harbour");
    assert!(shape_records(&old) > 0);
    assert_eq!(dump_bytes(&old), dump_bytes(&new));
    for store in [&new, &old] {
        ingest_days(store, 6..12);
    }
    assert_eq!(shape_records(&old), 0, "the site's records went in the save that wrote its value");
    assert!(matches!(site_record(&old, "harbour"), SiteRecord::V2(_)));
    assert_eq!(dump_bytes(&old), dump_bytes(&new), "the same chrome was learned, the same articles stored");
    let (chrome, _) = knowledge(&new, "harbour");
    assert_eq!(chrome.pages, 12);
    let promo = crate::clean::shape("Listen to the harbour hour on our radio station every Friday morning.");
    // Inside the articles, it counts from the second article on.
    assert_eq!(chrome.shape_pages.get(&promo), Some(&11));
    assert!(crate::archive::index::verify(&old).expect("verify").problems.is_empty());
}

#[test]
fn verify_reports_a_damaged_site_value_or_shape_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    save(&store, "new", 2, vec![(1, 2, 0), (2, 0, 9)]);
    save(&store, "old", 2, vec![(1, 2, 0)]);
    to_old_layout(&store, "old");
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
    let trees = [&store.h().sites, &store.h().site_shapes];
    for (tree, key) in [(0, b"new".to_vec()), (1, keys::site_shape("old", 1))] {
        let value = trees[tree].get(&key).expect("get").expect("value");
        for bit in 0..value.len() * 8 {
            let mut bad = value.to_vec();
            bad[bit / 8] ^= 1 << (bit % 8);
            trees[tree].insert(&key, bad).expect("plant");
            let problems =
                crate::archive::index::verify(&store).expect("verify never fails on damaged values").problems;
            assert_eq!(problems.len(), 1, "tree {tree} bit {bit}: {problems:?}");
        }
        trees[tree].insert(&key, value).expect("repair");
    }
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
}
