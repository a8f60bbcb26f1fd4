//! Golden bytes of every kind of stored value: the store's format is frozen, so a change to
//! any encoding (a field, its order, bincode's configuration, a version byte) fails here
//! rather than silently leaving stores that older or newer builds misread. A deliberate change
//! is a new version byte with its own golden bytes, the old ones kept and still decoded.

use super::*;
use crate::store::dicts::PendingRecord;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn fetch() -> FetchRecord {
    FetchRecord {
        raw: [7; 32],
        raw_len: 300,
        source: "a/b.txt".into(),
        url: Some("https://x.example/a".into()),
        site: "x.example".into(),
        fetched_at: 1_765_526_400_000_000_000,
        articles: vec![([1, 2, 3, 4, 5, 6], 2)],
        listing: false,
        charset: None,
    }
}

fn revision() -> RevisionRecord {
    RevisionRecord {
        hash: [9; 32],
        len: 42,
        title: Some("Headline".into()),
        date: Some(2_461_022),
        first_seen: 1_765_526_400_000_000_000,
        last_seen: 1_765_612_800_000_000_000,
        fetch: 3,
        trivial: false,
    }
}

fn article() -> ArticleRecord {
    ArticleRecord {
        identity: "x.example\0headline".into(),
        site: "x.example".into(),
        title: Some("Headline".into()),
        latest: 2,
        first_seen: 1_765_526_400_000_000_000,
        last_seen: 1_765_612_800_000_000_000,
        url: None,
        source: "a/b.txt".into(),
    }
}

/// Every value kind and its bytes, as hex.
fn values() -> Vec<(&'static str, Vec<u8>)> {
    let pointer = [2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 9];
    vec![
        ("fetch", encode_record(&fetch())),
        ("article", encode_article(&article())),
        ("revision", encode_revision(&revision(), &pointer)),
        ("site", encode_site(&SiteRecord { pages: 5, shapes: vec![(11, 3, 0), (12, 5, 77)] })),
        ("pending", encode_record(&PendingRecord { ids: vec![[1, 2, 3, 4, 5, 6]], bytes: 900 })),
        ("meta u32", encode_record(&5u32)),
        ("meta u64", encode_record(&1234u64)),
        ("band", encode_record(&[1u64, 2, 3, 4, 5, 6, 7, 8])),
        ("alias", encode_record(&[1u8, 2, 3, 4, 5, 6])),
        ("rule", encode_record(&())),
        ("blob, plain", super::super::codec::encode_blob(b"ab")),
        ("text, whole", super::super::chain::whole(b"ab", None)),
    ]
}

const GOLDEN: &[(&str, &str)] = &[
    ("fetch", "010707070707070707070707070707070707070707070707070707070707070707fb2c0107612f622e747874011368747470733a2f2f782e6578616d706c652f6109782e6578616d706c65fd00002633d0d10031010102030405060200005efd8ecf"),
    ("article", "020009782e6578616d706c650108486561646c696e6502fd00002633d0d10031fd0000c455f96e01310007612f622e747874758a5bd8"),
    ("revision", "0209090909090909090909090909090909090909090909090909090909090909092a0108486561646c696e6501fcbc1a4b00fd00002633d0d10031fd0000c455f96e013103000d020000000000000100000000096c004bbb"),
    ("site", "0205020b03000c054dc8861278"),
    ("pending", "0101010203040506fb8403e3f3697d"),
    ("meta u32", "0105741e0087"),
    ("meta u64", "01fbd2046a9cb704"),
    ("band", "01010203040506070809eb5165"),
    ("alias", "010102030405062ecb48b2"),
    ("rule", "0148fc721f"),
    ("blob, plain", "01006162"),
    ("text, whole", "01006162"),
];

#[test]
fn every_value_kind_keeps_its_bytes() {
    let got: Vec<(&str, String)> = values().into_iter().map(|(kind, bytes)| (kind, hex(&bytes))).collect();
    let want: Vec<(&str, String)> = GOLDEN.iter().map(|&(k, b)| (k, b.to_owned())).collect();
    assert_eq!(got, want);
}

#[test]
fn the_golden_values_decode_to_what_was_encoded() {
    let what = || "golden".to_owned();
    let (fetch_bytes, article_bytes, revision_bytes) = (&values()[0].1, &values()[1].1, &values()[2].1);
    assert_eq!(decode_record::<FetchRecord>(&what, fetch_bytes).expect("fetch"), fetch());
    assert_eq!(decode_article(&what, article_bytes).expect("article"), article());
    let (decoded, text) = decode_revision(&what, revision_bytes).expect("revision");
    assert_eq!((decoded, text.len()), (revision(), 13));
}
