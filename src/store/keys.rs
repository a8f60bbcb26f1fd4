//! Key layouts. Every integer in a key is fixed-width big-endian, so keys sort numerically.

use crate::id::ArticleId;

/// `revisions` key: the article id (6 bytes), then the revision number (u32 BE).
pub fn revision(id: ArticleId, number: u32) -> [u8; 10] {
    let mut key = [0u8; 10];
    key[..6].copy_from_slice(&id.0);
    key[6..].copy_from_slice(&number.to_be_bytes());
    key
}

/// Splits a `revisions` key.
pub fn split_revision(key: &[u8]) -> Option<(ArticleId, u32)> {
    let id: [u8; 6] = key.get(..6)?.try_into().ok()?;
    let number: [u8; 4] = key.get(6..10)?.try_into().ok()?;
    (key.len() == 10).then_some((ArticleId(id), u32::from_be_bytes(number)))
}

/// `fetches` key: the fetch's sequence number (u64 BE).
pub fn fetch(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

/// Reads a fixed-size key.
pub fn fixed<const N: usize>(key: &[u8]) -> Option<[u8; N]> {
    key.try_into().ok()
}

/// The key prefix of a site in `bands` and `aliases`: its name, then a NUL byte.
pub fn site_prefix(site: &str) -> Vec<u8> {
    [site.as_bytes(), &[0]].concat()
}
