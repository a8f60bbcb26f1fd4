//! `heads`: the page a new raw page is stored against.

use super::tests::open;
use crate::segment::Article;
use crate::Page;

fn dated_page(name: &str, day: u8) -> Page {
    let mut page = super::tests::page(i64::from(day), 0);
    page.source = format!("scrapes/harbour/{name}");
    page.site = "harbour".into();
    let ticker: String = (0..40).map(|i| format!("Port {i}: {} ships\n", (i * 7 + u32::from(day)) % 50)).collect();
    page.raw = format!("{ticker}Harbour news for day {day}\n").into_bytes();
    page
}

#[test]
fn files_named_by_their_date_are_one_page_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path());
    let none: Vec<(String, &Article)> = Vec::new();
    for (name, day) in [("2025-11-01.txt", 1), ("2025-11-02.txt", 2), ("front-20251103.txt", 3)] {
        crate::archive::store_page(&store, &dated_page(name, day), &none, false, None).expect("ingest");
    }
    let keys: Vec<String> =
        store.h().heads.iter().keys().map(|k| String::from_utf8_lossy(&k.expect("key")).replace('\0', "/")).collect();
    assert_eq!(
        keys,
        ["page/harbour/0000-00-00.txt", "page/harbour/front-00000000.txt", "site/harbour"],
        "one head per name shape, and the site's"
    );
    assert!(store.verify().expect("verify").problems.is_empty());
}
