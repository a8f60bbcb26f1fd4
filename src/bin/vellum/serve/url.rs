//! Paths and query strings: percent-encoding what goes into a link, decoding what comes in.

use std::fmt::Write as _;

/// `text` as one path segment or query value: every byte but the unreserved ones
/// (`A-Z a-z 0-9 - . _ ~`) percent-encoded.
pub fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `?k=v&…` of `pairs`, each encoded (empty when there are none).
pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&segment(k));
        out.push('=');
        out.push_str(&segment(v));
    }
    out
}

/// A path segment percent-decoded; `None` when it is not valid UTF-8 once decoded, or holds a
/// `%` not followed by two hex digits.
pub fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip_and_bad_escapes_are_refused() {
        for text in ["example.com", "a b/c?d#e%f", "Новости", "<script>"] {
            assert_eq!(decode(&segment(text)).as_deref(), Some(text));
        }
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
        assert_eq!(query(&[("q", "x&y"), ("n", "1")]), "?q=x%26y&n=1");
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%ff"), None);
        assert_eq!(decode("%e2%82%ac"), Some("€".to_owned()));
    }
}
