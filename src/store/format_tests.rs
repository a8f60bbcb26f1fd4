//! Golden bytes of every kind of value format 1 stores (each tree of ARCHITECTURE.md's key
//! table, each blob codec and text kind): the format is frozen, so a change to any encoding (a
//! field, its order, bincode's configuration, a version byte) fails here rather than silently
//! leaving stores that older or newer builds misread. A deliberate change is a new format, with
//! a migration (`store::format`). zstd frames are held to their framing (the bytes before the
//! frame, golden) and to decoding back: a zstd release may compress differently, and any frame
//! it writes still reads.

use super::*;
use crate::store::chain;
use crate::store::codec::{encode_blob, encode_blob_delta, encode_raw, parse_blob, BlobValue, RawRefs};
use crate::store::dicts::{decode_dict, encode_dict, Dict, DictRecord, PendingRecord};

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
        (
            "article, identity kept",
            encode_article(&ArticleRecord { identity: "x.example\0b.txt".into(), title: None, ..article() }),
        ),
        ("revision", encode_revision(&revision(), &pointer)),
        ("site", encode_site(&SiteRecord { pages: 5, shapes: vec![(11, 3, 0), (12, 5, 77)] })),
        ("site pointer", encode_site_pointer(&SitePointer { generation: 3, offset: 40, len: 200 })),
        ("pending", encode_record(&PendingRecord { ids: vec![[1, 2, 3, 4, 5, 6]], bytes: 900 })),
        ("meta u32", encode_record(&5u32)),
        ("meta u64", encode_record(&1234u64)),
        ("band", encode_record(&[1u64, 2, 3, 4, 5, 6, 7, 8])),
        ("alias", encode_record(&[1u8, 2, 3, 4, 5, 6])),
        ("rule", encode_record(&())),
        ("head", encode_record(&[7u8; 32])),
        ("dict, plain", encode_record(&DictRecord { site: "x.example".into(), bytes: b"ab".to_vec() })),
        ("pointer (blobs, wholes, dicts d, revision text)", pointer.to_vec()),
        ("blob, plain", super::super::codec::encode_blob(b"ab")),
        ("text, whole", super::super::chain::whole(b"ab", None)),
    ]
}

const GOLDEN: &[(&str, &str)] = &[
    ("fetch", "010707070707070707070707070707070707070707070707070707070707070707fb2c0107612f622e747874011368747470733a2f2f782e6578616d706c652f6109782e6578616d706c65fd00002633d0d10031010102030405060200005efd8ecf"),
    ("article", "020009782e6578616d706c650108486561646c696e6502fd00002633d0d10031fd0000c455f96e01310007612f622e747874758a5bd8"),
    ("article, identity kept", "02010f782e6578616d706c6500622e74787409782e6578616d706c650002fd00002633d0d10031fd0000c455f96e01310007612f622e747874b82e3423"),
    ("revision", "0209090909090909090909090909090909090909090909090909090909090909092a0108486561646c696e6501fcbc1a4b00fd00002633d0d10031fd0000c455f96e013103000d020000000000000100000000096c004bbb"),
    ("site", "0305020000000000000000000000000000004d02000000000000000b0300000000000000000c0501ff024e5a"),
    ("site pointer", "050328c8dc5a9f4e"),
    ("pending", "0101010203040506fb8403e3f3697d"),
    ("meta u32", "0105741e0087"),
    ("meta u64", "01fbd2046a9cb704"),
    ("band", "01010203040506070809eb5165"),
    ("alias", "010102030405062ecb48b2"),
    ("rule", "0148fc721f"),
    ("head", "010707070707070707070707070707070707070707070707070707070707070707f7ce4271"),
    ("dict, plain", "0109782e6578616d706c65026162b13dccde"),
    ("pointer (blobs, wholes, dicts d, revision text)", "02000000000000010000000009"),
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
    let values = values();
    let value = |kind: &str| values.iter().find(|(k, _)| *k == kind).map(|(_, v)| v.clone()).expect("a kind");
    let (fetch_bytes, article_bytes, revision_bytes) = (&value("fetch"), &value("article"), &value("revision"));
    assert_eq!(decode_record::<FetchRecord>(&what, fetch_bytes).expect("fetch"), fetch());
    assert_eq!(decode_article(&what, article_bytes).expect("article"), article());
    let (decoded, text) = decode_revision(&what, revision_bytes).expect("revision");
    assert_eq!((decoded, text.len()), (revision(), 13));
    // A site's value, and format 1's, which a migration reads.
    let site = SiteRecord { pages: 5, shapes: vec![(11, 3, 0), (12, 5, 77)] };
    assert_eq!(decode_site(&what, &value("site")).expect("site"), site);
    let format_1 = (0..26).step_by(2).map(|i| u8::from_str_radix(&"0205020b03000c054dc8861278"[i..i + 2], 16));
    let format_1: Vec<u8> = format_1.collect::<Result<_, _>>().expect("hex");
    assert_eq!(decode_site_to_migrate(&what, &format_1).expect("format 1's site"), site);
    assert!(decode_site(&what, &format_1).is_err(), "read only to be migrated");
    let pointer = SitePointer { generation: 3, offset: 40, len: 200 };
    assert_eq!(decode_site_pointer(&what, &value("site pointer")).expect("pointer"), pointer);
}

/// A site's knowledge in a generation file: version 4, the site's name, then format 2's packed
/// site (as in the "site" value above), and the checksum.
#[test]
fn a_site_in_a_generation_keeps_its_bytes() {
    let what = || "golden".to_owned();
    let site = SiteRecord { pages: 5, shapes: vec![(11, 3, 0), (12, 5, 77)] };
    let bytes = encode_site_file("x.example", &site);
    let packed = "05020000000000000000000000000000004d02000000000000000b0300000000000000000c0501";
    assert_eq!(hex(&bytes[..bytes.len() - 4]), format!("0409782e6578616d706c65{packed}"));
    assert_eq!(decode_site_file(&what, &bytes).expect("decode"), ("x.example".to_owned(), site));
}

/// A text that compresses, of `n` varied lines.
fn prose(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| format!("Line {i} of the harbour report names crane {}.\n", i * 7919 % 1000))
        .collect::<String>()
        .into()
}

/// The framing of every compressed value: the bytes before its zstd frame, and the frame read back.
#[test]
fn compressed_values_keep_their_framing_and_read_back() {
    let what = || "golden".to_owned();
    let (text, edited) = (prose(60), [prose(60), b"One line more.\n".to_vec()].concat());
    let hash = crate::id::ContentHash::of(&text);
    let frame_at = |value: &[u8], at: usize| {
        assert_eq!(&value[at..at + 4], &[0x28, 0xb5, 0x2f, 0xfd], "a zstd frame at byte {at}");
        at
    };
    // Blob codec 1: `[1][1]` and a frame.
    let blob = encode_blob(&text);
    frame_at(&blob, 2);
    assert_eq!((hex(&blob[..2]), parse_whole(&hash, &blob)), ("0101".to_owned(), text.clone()));
    // Blob codec 2: `[1][2]`, the base's hash, the depth, a frame against the base.
    let edited_hash = crate::id::ContentHash::of(&edited);
    let delta = encode_blob_delta(&edited, &hash, &text, 3).expect("delta");
    frame_at(&delta, 35);
    assert_eq!(hex(&delta[..35]), format!("0102{hash}03"));
    let BlobValue::Delta { base, depth, texts, frame } = parse_blob(&edited_hash, &delta).expect("parse") else {
        panic!("a delta")
    };
    assert_eq!((base, depth, texts.len()), (Some(hash), 3, 0));
    assert_eq!(chain::decompress_with_prefix(&what, frame, &text).expect("frame"), edited);
    // Blob codec 3: `[1][3]`, the count (u16 BE), each id and revision (u32 BE), `1`, the base's
    // hash and depth, a frame against the texts then the base.
    let id = crate::id::ArticleId([1, 2, 3, 4, 5, 6]);
    let page = [edited.clone(), edited.clone()].concat();
    let refs = RawRefs { texts: vec![(id, 2, &edited[..])], base: Some((hash, &text[..], 1)) };
    let raw = encode_raw(&page, &refs).expect("raw");
    frame_at(&raw, 2 + 2 + 10 + 1 + 32 + 1);
    assert_eq!(hex(&raw[..48]), format!("010300010102030405060000000201{hash}01"));
    // Text kind 1: `[1][1]` and a frame.
    let whole = chain::whole(&text, None);
    frame_at(&whole, 2);
    assert_eq!(hex(&whole[..2]), "0101");
    let no_dicts = |id: u32| -> crate::Result<std::sync::Arc<Dict>> {
        Err(crate::store::codec::corrupt(format!("dict {id}"), String::new()))
    };
    let no_values = |pointer: &[u8]| -> crate::Result<Vec<u8>> {
        Err(crate::store::codec::corrupt(chain::describe_base(pointer), String::new()))
    };
    assert_eq!(chain::decode(&what, &whole, None, &no_dicts, &no_values).expect("kind 1"), text);
    // Text kind 4: `[1][4]`, the base revision (u32 BE), a frame against its text.
    let known = std::collections::BTreeMap::from([(1, text.clone())]);
    let skip = chain::append(&edited, 2, &known, None).expect("append");
    frame_at(&skip, 6);
    assert_eq!(hex(&skip[..6]), "010400000001");
    assert_eq!(chain::decode(&what, &skip, Some(&text), &no_dicts, &no_values).expect("kind 4"), edited);
    // Text kind 3: `[1][3]`, the dictionary id (u32 BE), a frame against the dictionary.
    let dict = std::sync::Arc::new(Dict::new(7, &prose(200)));
    let with_dict = chain::whole(&edited, Some(&dict));
    frame_at(&with_dict, 6);
    assert_eq!(hex(&with_dict[..6]), "010300000007");
    let dicts = |id: u32| if id == 7 { Ok(std::sync::Arc::clone(&dict)) } else { no_dicts(id) };
    assert_eq!(chain::decode(&what, &with_dict, None, &dicts, &no_values).expect("kind 3"), edited);
    // Text kind 5: `[1][5]`, the pointer to another text's whole value, a frame against its text.
    let pointer = [2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 9];
    let shared = chain::shared(&edited, &pointer, &text).expect("shared");
    frame_at(&shared, 15);
    assert_eq!(hex(&shared[..15]), "010502000000000000010000000009");
    let values = |p: &[u8]| if p == pointer { Ok(whole.clone()) } else { no_values(p) };
    assert_eq!(chain::decode(&what, &shared, None, &no_dicts, &values).expect("kind 5"), edited);
    // Dictionary record version 3: `[3]`, the site, the length (varint), the frame, a checksum.
    let packed = encode_dict("x.example", &prose(200));
    assert_eq!(hex(&packed[..11]), "0309782e6578616d706c65");
    assert_eq!(decode_dict(&what, &packed).expect("packed").bytes, prose(200));
    // A pack of fetch records (format 4): `[6]`, the count, the bytes of the records' bincode
    // `Vec` (their count, then each record's body as in "fetch" above), the frame's length,
    // the frame, a checksum (varints: one byte each here).
    let pack = encode_fetch_pack(&[fetch(), fetch()]).expect("pack");
    let body = encode_record(&fetch()).len() - 5;
    assert!(2 * body + 1 < 251);
    assert_eq!(hex(&pack[..3]), format!("0602{:02x}", 2 * body + 1));
    frame_at(&pack, 4);
    assert_eq!(usize::from(pack[3]), pack.len() - 4 - 4, "the frame's length");
    let (count, bytes) = unpack_fetches(&what, &pack).expect("pack");
    assert_eq!(decode_fetches(&what, count, &bytes).expect("records"), vec![fetch(), fetch()]);
}

fn parse_whole(hash: &crate::id::ContentHash, value: &[u8]) -> Vec<u8> {
    crate::store::codec::decode_blob(hash, value).expect("whole blob")
}

#[test]
fn a_site_value_naming_an_owner_it_does_not_hold_is_corrupt() {
    let packed = PackedSite { pages: 1, owners: vec![[0; 8]], shapes: vec![([0, 0, 0, 0, 0, 0, 0, 4], 1, 1)] };
    let value = super::super::codec::encode(SITE, &packed);
    let err = decode_site(&|| "site x.example".to_owned(), &value).expect_err("corrupt");
    assert!(matches!(err, crate::Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("site x.example") && err.to_string().contains("owner 1 of 1"), "{err}");
}
