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

/// `sightings` key: the article id (6 bytes), then the fetch's sequence number (u64 BE). Stores
/// of schema 4 write none; tests make old stores with it.
#[cfg(test)]
pub fn sighting(id: ArticleId, seq: u64) -> [u8; 14] {
    let mut key = [0u8; 14];
    key[..6].copy_from_slice(&id.0);
    key[6..].copy_from_slice(&seq.to_be_bytes());
    key
}

/// Splits a `sightings` key (of a store of schema 1 to 3).
pub fn split_sighting(key: &[u8]) -> Option<(ArticleId, u64)> {
    let id: [u8; 6] = key.get(..6)?.try_into().ok()?;
    let seq: [u8; 8] = key.get(6..14)?.try_into().ok()?;
    (key.len() == 14).then_some((ArticleId(id), u64::from_be_bytes(seq)))
}

/// The `site_shapes` key prefix of a site: its name, then a NUL byte.
pub fn site_prefix(site: &str) -> Vec<u8> {
    [site.as_bytes(), &[0]].concat()
}

/// `site_shapes` key: the site's name, a NUL byte, then the shape (u64 BE). Written before
/// schema 4 only (now a site's shapes are in its `sites` value); tests build such stores.
#[cfg(test)]
pub fn site_shape(site: &str, shape: u64) -> Vec<u8> {
    [&site_prefix(site)[..], &shape.to_be_bytes()].concat()
}

/// The shape of a `site_shapes` key of `site`.
pub fn split_site_shape(key: &[u8], site: &str) -> Option<u64> {
    let rest = key.strip_prefix(site_prefix(site).as_slice())?;
    Some(u64::from_be_bytes(rest.try_into().ok()?))
}
