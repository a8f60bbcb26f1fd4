//! [`Record`]s as JSON, written by hand: the bytes `serde_json` writes for the record's
//! `Serialize` impl, compact (JSON Lines) or pretty (a JSON array), without serde's per-field
//! calls and its byte-at-a-time string escaping, which were most of an export's encoding
//! work (`serialize_str` alone was an eighth of an export's instructions). The tests hold
//! both forms to `serde_json`'s bytes.

use super::{Record, Texts};

/// How an object is laid out: as `serde_json::to_writer` or `to_writer_pretty` lays it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// No white space.
    Compact,
    /// A field a line, indented by two spaces a level, `": "` after keys.
    Pretty,
}

/// Appends `record` as one JSON object, its fields in the order of its `Serialize` impl.
pub(super) fn write_record(out: &mut Vec<u8>, record: &Record, layout: Layout) {
    let t = record.texts();
    let mut object = Object::begin(out, layout, 0);
    object.string("id", &t.id);
    object.string("text", &record.text);
    object.string("source", &record.site);
    object.string("added", &t.added);
    object.string("created", &t.created);
    object.option("url", record.url.as_deref());
    object.option("date", t.date.as_deref());
    own_fields(&mut object, record, &t);
    let mut metadata = object.nested("metadata");
    own_fields(&mut metadata, record, &t);
    metadata.end();
    object.end();
}

/// vellum's own fields, which sit beside the corpus fields and again inside `metadata`.
fn own_fields(object: &mut Object<'_>, record: &Record, t: &Texts) {
    if let Some(revision) = record.revision {
        object.number("revision", revision);
    }
    object.string("hash", &t.hash);
    object.option("title", record.title.as_deref());
    object.string("site", &record.site);
    object.string("file_path", &record.file_path);
    if let Some(first_seen) = &t.first_seen {
        object.string("first_seen", first_seen);
    }
    if let Some(last_seen) = &t.last_seen {
        object.string("last_seen", last_seen);
    }
    if record.listing {
        object.key("listing");
        object.out.extend_from_slice(b"true");
    }
}

/// An object being written: its opening brace is out, its closing one is not.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    layout: Layout,
    /// How deep the object is nested (0 for the record itself).
    depth: usize,
    /// No field is written yet.
    empty: bool,
}

impl Object<'_> {
    fn begin(out: &mut Vec<u8>, layout: Layout, depth: usize) -> Object<'_> {
        out.push(b'{');
        Object { out, layout, depth, empty: true }
    }

    /// Writes a field's key and what separates it from the field before and from its value.
    fn key(&mut self, key: &str) {
        match self.layout {
            Layout::Compact => {
                if !self.empty {
                    self.out.push(b',');
                }
            }
            Layout::Pretty => {
                self.out.extend_from_slice(if self.empty { b"\n" } else { b",\n" });
                indent(self.out, self.depth + 1);
            }
        }
        self.empty = false;
        // Keys are this file's own names: nothing in them needs escaping.
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(if self.layout == Layout::Pretty { b"\": " } else { b"\":" });
    }

    /// A string field.
    fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        self.out.push(b'"');
        escape(self.out, value.as_bytes());
        self.out.push(b'"');
    }

    /// A string field, `null` when there is no value.
    fn option(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(value) => self.string(key, value),
            None => {
                self.key(key);
                self.out.extend_from_slice(b"null");
            }
        }
    }

    fn number(&mut self, key: &str, value: u32) {
        self.key(key);
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        let mut rest = value;
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[at..]);
    }

    /// Starts an object as the value of field `key`.
    fn nested(&mut self, key: &str) -> Object<'_> {
        self.key(key);
        Object::begin(self.out, self.layout, self.depth + 1)
    }

    fn end(self) {
        if self.layout == Layout::Pretty && !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(b'}');
    }
}

fn indent(out: &mut Vec<u8>, depth: usize) {
    out.resize(out.len() + 2 * depth, b' ');
}

/// What `serde_json` writes after a backslash for each byte, `0` for a byte written as it is:
/// `"` and `\` themselves, the short escapes of five control characters, `u` (`\u00XX`) for
/// the other control characters. Bytes from 0x7F on pass through.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Appends `bytes` escaped as in a JSON string. Most text holds no byte to escape for
/// hundreds of bytes, so blocks of [`BLOCK`] bytes are tested at once (compiled to a few vector
/// compares) and only a block that holds one is escaped byte by byte.
fn escape(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len());
    // `bytes[start..at]` is checked and not yet copied.
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + BLOCK).min(bytes.len());
        if !needs_escape(&bytes[at..end]) {
            at = end;
            continue;
        }
        for (i, &byte) in bytes.iter().enumerate().take(end).skip(at) {
            let escape = ESCAPE[usize::from(byte)];
            if escape == 0 {
                continue;
            }
            out.extend_from_slice(&bytes[start..i]);
            if escape == b'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xF)]];
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
            } else {
                out.extend_from_slice(&[b'\\', escape]);
            }
            start = i + 1;
        }
        at = end;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Bytes tested at once by [`escape`].
const BLOCK: usize = 32;

/// Whether any of the (at most [`BLOCK`]) bytes of `chunk` is below 0x20, a quote or a
/// backslash. A short chunk (the end of a string, or a whole short one such as a date) is
/// padded with spaces, so that every chunk is tested the same way: each byte, without a
/// branch, which the compiler turns into a few vector compares.
fn needs_escape(chunk: &[u8]) -> bool {
    let block = match <&[u8; BLOCK]>::try_from(chunk) {
        Ok(block) => *block,
        Err(_) => {
            let mut block = [b' '; BLOCK];
            block[..chunk.len()].copy_from_slice(chunk);
            block
        }
    };
    let hits =
        block.iter().fold(0u8, |hits, &b| hits | u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\'));
    hits != 0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn record(text: &str, title: Option<&str>, revision: Option<u32>, listing: bool) -> Record {
        Record {
            id: crate::id::ArticleId::parse("0123456789ab").expect("id"),
            revision,
            title: title.map(Into::into),
            date: revision.map(|_| time::macros::date!(2025 - 03 - 04)),
            text: text.into(),
            hash: crate::id::ContentHash([0xff; 32]),
            url: title.map(|t| format!("https://example.com/{t}")),
            file_path: "pages/a \"b\".txt".into(),
            site: "example.com".into(),
            added: time::macros::datetime!(2025-03-04 05:06:07 UTC),
            first_seen: revision.map(|_| time::macros::datetime!(2025-03-04 05:06:07 UTC)),
            last_seen: listing.then_some(time::macros::datetime!(2025-03-05 05:06:07 UTC)),
            listing,
        }
    }

    fn same_as_serde(record: &Record) {
        let mut compact = Vec::new();
        write_record(&mut compact, record, Layout::Compact);
        assert_eq!(String::from_utf8_lossy(&compact), serde_json::to_string(record).expect("serde"));
        let mut pretty = Vec::new();
        write_record(&mut pretty, record, Layout::Pretty);
        assert_eq!(String::from_utf8_lossy(&pretty), serde_json::to_string_pretty(record).expect("serde"));
    }

    #[test]
    fn records_are_the_bytes_serde_writes() {
        let every_byte: String = (0u8..=0x7F).map(char::from).chain("é€𝄞\u{2028}".chars()).collect();
        for text in ["", "plain", "a \"quoted\" \\ line\n\nnext\tpara\r\u{1}\u{1f}\u{7f}", &every_byte] {
            for (title, revision, listing) in
                [(None, None, false), (Some("T\"1"), Some(7), true), (Some(""), Some(0), false)]
            {
                same_as_serde(&record(text, title, revision, listing));
            }
        }
        same_as_serde(&record("x", None, Some(u32::MAX), false));
    }

    proptest! {
        #[test]
        fn any_text_escapes_as_serde_escapes(text in any::<String>(), title in proptest::option::of("[\\x00-\\x7f]{0,20}")) {
            same_as_serde(&record(&text, title.as_deref(), Some(3), false));
        }

        #[test]
        fn the_block_test_finds_every_byte_to_escape(
            block in prop::array::uniform32(prop_oneof![
                any::<u8>(),
                prop::sample::select(vec![0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]),
            ])
        ) {
            for len in [BLOCK, 31, 1, 0] {
                let any = block[..len].iter().any(|&b| ESCAPE[usize::from(b)] != 0);
                prop_assert_eq!(needs_escape(&block[..len]), any);
            }
        }
    }
}
