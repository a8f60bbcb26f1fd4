//! Identifiers: content hashes, article ids and revision numbers.

use std::fmt;

/// BLAKE3 of some bytes. For an article the bytes are the UTF-8 of its clean body text
/// exactly as exported in `text`; for a raw page they are the page's bytes as scraped (after
/// transparent gzip or zstd decompression). Never a hash of a serialized struct.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    /// Hashes `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        crate::timings::time(crate::timings::Stage::Hash, || ContentHash(*blake3::hash(bytes).as_bytes()))
    }

    /// The hash that names a revision in exports and `log`: BLAKE3 of its headline as
    /// written (nothing when untitled), a NUL byte, and its text. Two revisions of an article
    /// side by side differ in text or headline, so they never share it; a text restored later
    /// shares its earlier revision's. The store keeps the text's own hash
    /// ([`ContentHash::of`]) to check what it reads.
    pub fn of_revision(title: Option<&str>, text: &str) -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(title.unwrap_or_default().as_bytes());
        hasher.update(&[0]);
        hasher.update(text.as_bytes());
        ContentHash(*hasher.finalize().as_bytes())
    }

    /// Parses 64 hex characters.
    pub fn from_hex(text: &str) -> Option<Self> {
        Some(ContentHash(unhex(text)?.try_into().ok()?))
    }

    /// Lower-case hex, 64 characters.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({})", self.to_hex())
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// An article's stable id: the first 6 bytes of BLAKE3 over the article's identity key
/// (`site`, a NUL byte, then the folded title; see [`ArticleId::derive`]), shown as 12 hex
/// characters. Should two identity keys collide, the second is derived again with a
/// counter byte appended, so ids stay deterministic for the same ingest order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(pub [u8; 6]);

impl ArticleId {
    /// The id for `identity`, with `attempt` 0 first and higher attempts after collisions.
    pub fn derive(identity: &str, attempt: u8) -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(identity.as_bytes());
        if attempt > 0 {
            hasher.update(&[0, attempt]);
        }
        let mut id = [0u8; 6];
        id.copy_from_slice(&hasher.finalize().as_bytes()[..6]);
        ArticleId(id)
    }

    /// The identity key of a titled article: the site, a NUL byte, then the title's trivial
    /// form (lower case, punctuation and spacing folded, digits kept: "Part 1" and "Part 2" are
    /// two articles).
    pub fn title_identity(site: &str, title: &str) -> String {
        format!("{site}\0{}", trivial_form(title))
    }

    /// Parses 12 hex characters.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = unhex(text)?;
        Some(ArticleId(bytes.try_into().ok()?))
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

impl fmt::Debug for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ArticleId({self})")
    }
}

/// A revision number: 1 for an article's first text, counting up by one per change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RevisionNo(pub u32);

impl fmt::Display for RevisionNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The text with letter case, punctuation and white-space differences folded away; digits and
/// letters stay, so a changed number is never trivial. Identities fold headlines with it, and
/// readers order revisions seen at one instant by it (a part of the storage spec).
///
/// Words are the runs of alphanumeric characters, lower-cased and joined by single spaces. It
/// runs on every article of every page an ingest stores, so ASCII takes a short path.
pub(crate) fn trivial_form(text: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    // Whether a separator came since the last character of a word.
    let mut gap = false;
    let mut push = |out: &mut Vec<u8>, alnum: bool| {
        let space = alnum && gap && !out.is_empty();
        gap = !alnum;
        if space {
            out.push(b' ');
        }
        alnum
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            at += 1;
            if push(&mut out, b.is_ascii_alphanumeric()) {
                out.push(b.to_ascii_lowercase());
            }
            continue;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else { break };
        at += c.len_utf8();
        if push(&mut out, c.is_alphanumeric()) {
            let mut buf = [0u8; 4];
            for lower in c.to_lowercase() {
                out.extend_from_slice(lower.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    // Only whole characters were written, so the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    hex::decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_blake3_of_the_text() {
        assert_eq!(ContentHash::of(b"").to_hex(), "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
        assert_eq!(super::hex(&[0x00, 0x01, 0x7f, 0xab, 0xff]), "00017fabff");
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(super::unhex(&super::hex(&all)), Some(all));
    }

    #[test]
    fn ids_round_trip_and_are_stable() {
        let id = ArticleId::derive("example.com\0a headline", 0);
        assert_eq!(ArticleId::parse(&id.to_string()), Some(id));
        assert_ne!(ArticleId::derive("example.com\0a headline", 1), id);
        assert_eq!(ArticleId::parse("xyz"), None);
    }
}
