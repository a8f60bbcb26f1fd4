//! Property tests: arbitrary bytes never panic the HTML, WARC, JSON Lines and encoding readers.

use proptest::prelude::*;
use time::OffsetDateTime;
use vellum::input::{self, WarcContext, WarcPages};

fn context() -> WarcContext {
    WarcContext {
        name: "p.warc".to_owned(),
        site: "s".to_owned(),
        fetched_at: OffsetDateTime::UNIX_EPOCH,
        limit: 1 << 16,
    }
}

/// Bytes that look a little like the inputs: tags, WARC lines, gzip magic, legacy text.
fn shaped() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        &b"<html>"[..],
        b"<p>",
        b"</p>",
        b"<article>",
        b"<h1>",
        b"<time datetime=\"2024-01-02\">",
        b"<a href=x>",
        b"<div class=\"sidebar\">",
        b"</div>",
        b"<meta charset=koi8-r>",
        b"WARC/1.1\r\n",
        b"Content-Length: 12\r\n",
        b"WARC-Type: response\r\n",
        b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n",
        b"\x1f\x8b\x08",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\xcf\xf0\xe8\xe2\xe5\xf2",
        b" text, words. ",
        b"\0",
        b"{\"html\": \"",
        b"\n",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(<[u8]>::to_vec), prop::collection::vec(any::<u8>(), 0..16)],
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn html_extraction_never_panics(bytes in prop_oneof![shaped(), prop::collection::vec(any::<u8>(), 0..512)]) {
        let _ = input::looks_like_html(&bytes);
        if let Ok(text) = input::decode_html("p", &bytes, None) {
            let _ = vellum::extract::extract(&text);
        }
        let _ = vellum::extract::extract(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn encoding_readers_never_panic(bytes in prop_oneof![shaped(), prop::collection::vec(any::<u8>(), 0..512)]) {
        let _ = input::decode_text("p", &bytes);
        let _ = input::decode_html("p", &bytes, Some("windows-1251"));
    }

    #[test]
    fn warc_reader_never_panics_and_ends(bytes in prop_oneof![shaped(), prop::collection::vec(any::<u8>(), 0..512)]) {
        let _ = input::is_warc(&bytes);
        let n = WarcPages::new(&bytes[..], context()).take(10_000).count();
        prop_assert!(n < 10_000, "the reader stops");
    }

    #[test]
    fn json_lines_reader_never_panics(bytes in prop_oneof![shaped(), prop::collection::vec(any::<u8>(), 0..512)]) {
        let options = input::InputOptions::new(OffsetDateTime::UNIX_EPOCH);
        let _ = input::jsonl_pages(&bytes[..], "p.jsonl", &options).count();
    }
}
