//! Site knowledge: a record per site pointing into a generation file, written, read and checked.

use super::super::records::{SiteRecord, SITE_FILE, SITE_POINTER};
use super::super::tests::open;
use super::super::Store;

/// A site's knowledge as the ingester loads it: its chrome, and each shape's owner.
fn knowledge(store: &Store, site: &str) -> (crate::clean::SiteChrome, rustc_hash::FxHashMap<u64, u64>) {
    crate::archive::chrome_of(store.site_shapes(site).expect("knowledge"))
}

/// Saves a site's knowledge from (shape, pages, owner) triples.
fn save(store: &Store, site: &str, pages: u32, shapes: Vec<(u64, u32, u64)>) {
    let shapes = shapes.into_iter().map(|(shape, pages, owner)| (shape, super::super::ShapeCount { pages, owner }));
    let knowledge = super::super::SiteKnowledge { pages, shapes: shapes.collect() };
    store.save_site_knowledge(site, &knowledge).expect("save");
}

/// The site's file, decoded.
fn site_record(store: &Store, site: &str) -> SiteRecord {
    store.read_site_file(site).expect("read").expect("a site file")
}

/// The site generation files.
fn generation_files(store: &Store) -> Vec<std::path::PathBuf> {
    store.site_generation_paths().expect("generations")
}

#[test]
fn a_site_is_one_record_in_a_generation_holding_its_pages_and_every_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    save(&store, "example", 9, vec![(30, 0, 77), (10, 4, 0), (20, 2, 5)]);
    let site = site_record(&store, "example");
    assert_eq!(site.pages, 9);
    assert_eq!(site.shapes, vec![(10, 4, 0), (20, 2, 5), (30, 0, 77)], "in shape order");
    let files = generation_files(&store);
    assert_eq!(files.len(), 1);
    assert_eq!(std::fs::read(&files[0]).expect("file")[0], SITE_FILE);
    let value = store.h().sites.get("example").expect("get").expect("a record");
    assert_eq!(value[0], SITE_POINTER, "sled holds where it lies, not the shapes");
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
fn verify_reports_a_damaged_site_generation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    save(&store, "new", 2, vec![(1, 2, 0), (2, 0, 9)]);
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
    let path = generation_files(&store).remove(0);
    let value = std::fs::read(&path).expect("file");
    for bit in 0..value.len() * 8 {
        let mut bad = value.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        std::fs::write(&path, bad).expect("plant");
        let problems = crate::archive::index::verify(&store).expect("verify never fails on damaged files").problems;
        assert_eq!(problems.len(), 1, "bit {bit}: {problems:?}");
    }
    std::fs::write(&path, value).expect("repair");
    assert!(crate::archive::index::verify(&store).expect("verify").problems.is_empty());
}
