//! Character encodings: which one a page is in, and decoding it to UTF-8.
//!
//! HTML follows the HTML5 order: a byte-order mark, then a charset the transport declared
//! (HTTP `Content-Type`), then a `<meta charset>` or `http-equiv` in the first 1024 bytes,
//! then detection (chardetng). Plain text: a byte-order mark, then UTF-8 if the bytes are
//! valid UTF-8 or nearly so, then detection. Decoding is encoding_rs (the WHATWG Encoding Standard), so
//! labels mean what browsers take them to mean (`iso-8859-1` is windows-1252, say).

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::{Error, Result};

/// How far into a page the `<meta charset>` prescan looks, as HTML5 prescribes.
const META_SCAN: usize = 1024;

/// Decodes a plain-text page: byte-order mark, then UTF-8, then detection.
///
/// Errors name the page: [`Error::Binary`] for binary data, [`Error::Empty`] for a page
/// with no text.
pub fn decode_text<'a>(name: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    decode(name, bytes, None, false)
}

/// Decodes an HTML page: byte-order mark, then `declared` (the transport's charset, such as
/// the HTTP header's), then a `<meta>` charset in the first 1024 bytes, then detection.
///
/// Errors name the page, as [`decode_text`]'s do.
pub fn decode_html<'a>(name: &str, bytes: &'a [u8], declared: Option<&str>) -> Result<Cow<'a, str>> {
    decode(name, bytes, declared, true)
}

fn decode<'a>(name: &str, bytes: &'a [u8], declared: Option<&str>, html: bool) -> Result<Cow<'a, str>> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (Some(encoding), &bytes[bom_len..]),
        None => (None, bytes),
    };
    // UTF-16 text is full of NUL bytes: only bytes in an ASCII-compatible encoding can be
    // judged binary by their control bytes.
    let utf16 = encoding.is_some_and(|e| e == UTF_16LE || e == UTF_16BE);
    if !utf16 {
        if let Some(detail) = binary_evidence(body) {
            return Err(Error::Binary { name: name.to_owned(), detail });
        }
    }
    let encoding = encoding
        .or_else(|| if html { declared.and_then(label).or_else(|| meta_charset(body)) } else { None })
        .unwrap_or_else(|| guess(body));
    let text = match encoding.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => text,
        // Stray invalid bytes in an otherwise sound page become U+FFFD rather than an error:
        // a scrape keeps whatever text it can.
        None => encoding.decode_without_bom_handling(body).0,
    };
    if text.chars().all(char::is_whitespace) {
        return Err(Error::Empty { name: name.to_owned() });
    }
    Ok(text)
}

/// The encoding a label names, as HTML reads it: a page cannot declare itself UTF-16 in
/// ASCII, so such a declaration means UTF-8.
fn label(name: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(name.trim().trim_matches(['"', '\'']).as_bytes())?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE { UTF_8 } else { encoding })
}

/// The encoding of bytes that do not say: UTF-8 when they are valid UTF-8 or nearly so (see
/// [`mostly_utf8`]), else chardetng's guess.
fn guess(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() || mostly_utf8(bytes) {
        return UTF_8;
    }
    // ISO-2022-JP is left out, as browsers leave it out: its escapes can smuggle markup.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 with a few damaged bytes: at least
/// 99% of their non-ASCII bytes lie in valid UTF-8 sequences. One stray byte in a UTF-8 page
/// then costs one U+FFFD, not the whole page decoded as a legacy encoding. ASCII bytes are
/// left out of the count: they are valid in every encoding detection chooses from, and a
/// legacy page of mostly ASCII text (English with one `café` in Latin-1) must not pass.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let non_ascii = |b: &[u8]| b.iter().filter(|b| !b.is_ascii()).count();
    let (mut valid, mut invalid) = (0, 0);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(tail) => {
                valid += non_ascii(tail.as_bytes());
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid += non_ascii(good);
                // `None`: a sequence cut short by the end of the page.
                let skip = e.error_len().unwrap_or(bad.len());
                invalid += skip;
                rest = &bad[skip..];
            }
        }
    }
    valid > 0 && invalid * 99 <= valid
}

/// The charset a `<meta charset=...>` or `<meta http-equiv content="...; charset=...">` in
/// the first 1024 bytes names, when it names one encoding_rs knows.
pub(crate) fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(META_SCAN)].to_ascii_lowercase();
    let mut rest = &head[..];
    while let Some(at) = find(rest, b"<meta") {
        let tag = &rest[at..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        if let Some(found) = charset_param(&tag[..end]) {
            return Some(found);
        }
        rest = &tag[end..];
    }
    None
}

/// The value after `charset` (and `=`, spaces and quotes) in a tag or a Content-Type value.
pub(crate) fn charset_param(text: &[u8]) -> Option<&'static Encoding> {
    let lower = text.to_ascii_lowercase();
    let at = find(&lower, b"charset")?;
    let rest = lower[at + 7..].trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let end = rest.iter().position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace());
    let value = std::str::from_utf8(&rest[..end.unwrap_or(rest.len())]).ok()?;
    label(value)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Why `bytes` look like binary data rather than text, if they do: a NUL byte, or many
/// control characters, in the first 8 KiB (the test `file(1)` and git use).
fn binary_evidence(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(at) = head.iter().position(|&b| b == 0) {
        return Some(format!("NUL byte at offset {at}"));
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)).count();
    (controls * 20 > head.len().max(1)).then(|| format!("{controls} control bytes in the first {} bytes", head.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode_text("a", b"\xEF\xBB\xBFhi").expect("bom"), "hi");
        assert_eq!(decode_text("a", "h\u{e9}".as_bytes()).expect("utf-8"), "h\u{e9}");
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert!(matches!(decode_text("a", b" \n\xC2\xA0\n"), Err(Error::Empty { .. })));
        assert!(matches!(decode_text("a", b""), Err(Error::Empty { .. })));
        assert!(matches!(decode_text("a", b"ab\0cd"), Err(Error::Binary { .. })));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Привет, мир".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_text("a", &le).expect("utf-16le"), "Привет, мир");
        let mut be = vec![0xFE, 0xFF];
        be.extend("Grüße".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode_text("a", &be).expect("utf-16be"), "Grüße");
    }

    #[test]
    fn legacy_encodings_are_detected() {
        let text = "Съешь же ещё этих мягких французских булок, да выпей чаю. Это проверка кодировки.";
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        assert_eq!(decode_text("a", &cp1251).expect("cp1251"), text);
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(text);
        assert_eq!(decode_text("a", &koi8).expect("koi8-r"), text);
        let latin = "Le cœur a ses raisons que la raison ne connaît point. Très bien, à bientôt.";
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(latin);
        assert_eq!(decode_text("a", &cp1252).expect("latin-1"), latin);
    }

    #[test]
    fn a_stray_invalid_byte_in_utf8_costs_one_replacement_character() {
        let text = "Съешь же ещё этих мягких французских булок, да выпей чаю. Это проверка кодировки.";
        let mut bytes = text.as_bytes().to_vec();
        bytes.insert(20, 0xFF);
        let decoded = decode_text("a", &bytes).expect("utf-8");
        assert_eq!(decoded.replacen('\u{fffd}', "", 1), text);
        // A page of mostly ASCII with one Latin-1 letter is still Latin-1.
        let latin = "The café on the corner opened again on Monday, the owners said.";
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(latin);
        assert_eq!(decode_text("a", &cp1252).expect("latin-1"), latin);
    }

    #[test]
    fn html_meta_and_declared_charsets_win_over_detection() {
        let page = b"<html><head><meta charset=\"koi8-r\"></head><body>\xf0\xd2\xc9\xd7\xc5\xd4</body></html>";
        assert!(decode_html("a", page, None).expect("meta").contains("Привет"));
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><p>\xcf\xf0\xe8";
        assert!(decode_html("a", page, None).expect("http-equiv").contains("При"));
        // The transport's charset comes before the meta's.
        let page = b"<meta charset=\"koi8-r\"><p>\xcf\xf0\xe8";
        assert!(decode_html("a", page, Some("windows-1251")).expect("declared").contains("При"));
        // A page cannot declare UTF-16 in ASCII bytes.
        assert_eq!(label("utf-16"), Some(UTF_8));
    }
}
