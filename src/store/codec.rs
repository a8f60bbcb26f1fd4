//! Value encoding: a format-version byte, then a frozen bincode 2 record and a checksum (or a
//! blob frame, which its content hash already guards).
//!
//! bincode's format carries no version and cannot evolve a struct, so each record version is
//! its own frozen struct behind its own version byte. A flipped bit in a record could still
//! decode as a different, valid record, so every record ends with the first 4 bytes of BLAKE3
//! over the version byte and body. Decoding is bounded (a corrupt length prefix cannot make it
//! allocate more than [`RECORD_LIMIT`]) and must consume every byte.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::id::{ArticleId, ContentHash};
use crate::timings::{time, Stage};
use crate::{Error, Result};

/// The most bytes one record may decode from or allocate.
pub const RECORD_LIMIT: usize = 16 << 20;

/// The zstd level for blobs: level 3 is zstd's default and the measured sweet spot on prose.
const ZSTD_LEVEL: i32 = 3;

/// The version byte of a blob value: `[1][codec][payload]`.
pub const BLOB_VALUE: u8 = 1;
/// Codec byte: the payload is the bytes themselves (used when zstd would not shrink them).
pub const CODEC_PLAIN: u8 = 0;
/// Codec byte: the payload is one zstd frame.
pub const CODEC_ZSTD: u8 = 1;
/// Codec byte: the payload is a base blob's hash (32 bytes), the chain depth (1 byte), then
/// one zstd frame compressed with the base blob's bytes as reference prefix.
pub const CODEC_DELTA: u8 = 2;

/// Codec byte: the payload is how many texts the page brought (u16 BE), each as article id (6
/// bytes) and revision (u32 BE); whether a base blob follows (1 byte, 0 or 1); if it does, its
/// hash (32 bytes) and the chain depth (1 byte); then one zstd frame compressed with those
/// texts, in that order, and then the base blob's bytes as reference prefix. A page's new
/// articles are stored as texts anyway, so its raw bytes need not pay for them again; a page
/// with no base names the stored texts of every article it shows, for the same reason.
pub const CODEC_DELTA_TEXTS: u8 = 3;

/// The longest chain of deltas a raw page may sit at the end of; the next page has no base.
pub const MAX_BLOB_DEPTH: u8 = 16;

/// A blob value, parsed.
pub enum BlobValue<'a> {
    /// The bytes themselves (decompressed, not yet hash-checked).
    Whole(Vec<u8>),
    /// A delta against another blob, the texts its page brought, or both.
    Delta {
        /// The blob whose bytes end the prefix, if any.
        base: Option<ContentHash>,
        /// How many deltas lead from here to a blob with no base (0 when there is no base).
        depth: u8,
        /// The texts (article, revision) that open the prefix, in order.
        texts: Vec<(ArticleId, u32)>,
        /// The zstd frame.
        frame: &'a [u8],
    },
}

/// A page's raw bytes are stored against: the texts its page brought (article, revision, text),
/// and the previous page of its URL or site (hash, bytes, and the depth the new blob would sit
/// at), when the chain is not too long.
pub struct RawRefs<'a> {
    pub texts: Vec<(ArticleId, u32, &'a [u8])>,
    pub base: Option<(ContentHash, &'a [u8], u8)>,
}

/// Encodes a raw page: against its references when that is smaller than the page compressed
/// alone or than an eighth of the page (see [`CODEC_DELTA_TEXTS`]; a page that brought no text
/// is a plain delta against its base), else whole.
pub fn encode_raw(bytes: &[u8], refs: &RawRefs<'_>) -> Result<Vec<u8>> {
    // A page of more texts than the count can say (65,535) refers to none of them.
    let count = u16::try_from(refs.texts.len()).unwrap_or(0);
    let delta = match (&refs.base, count == 0) {
        (None, true) => return Ok(encode_blob(bytes)),
        (Some((base, base_bytes, depth)), true) => encode_blob_delta(bytes, base, base_bytes, *depth)?,
        (base, false) => {
            let mut out = vec![BLOB_VALUE, CODEC_DELTA_TEXTS];
            out.extend_from_slice(&count.to_be_bytes());
            let mut prefix = Vec::new();
            for (id, revision, text) in &refs.texts {
                out.extend_from_slice(&id.0);
                out.extend_from_slice(&revision.to_be_bytes());
                prefix.extend_from_slice(text);
            }
            match base {
                Some((hash, base_bytes, depth)) => {
                    out.push(1);
                    push_base(&mut out, hash, *depth);
                    prefix.extend_from_slice(base_bytes);
                }
                None => out.push(0),
            }
            out.extend_from_slice(&super::chain::compress_with_prefix(bytes, &prefix)?);
            out
        }
    };
    // Most pages' deltas are a few percent of the page: no whole encoding beats that, so it is
    // not computed (it was 3 % of an ingest's CPU time, on the thread that stores).
    if delta.len() * RAW_DELTA_SHARE <= bytes.len() {
        return Ok(delta);
    }
    let whole = encode_blob(bytes);
    Ok(if delta.len() < whole.len() { delta } else { whole })
}

/// A raw page's delta at most this fraction (1 / n) of the page is kept without trying the page
/// compressed alone (zstd level 3 shrinks prose 3-4 times, seldom 8).
const RAW_DELTA_SHARE: usize = 8;

/// Encodes `bytes` as a delta against `base` (whose bytes are `base_bytes`, at `depth - 1`).
pub fn encode_blob_delta(bytes: &[u8], base: &ContentHash, base_bytes: &[u8], depth: u8) -> Result<Vec<u8>> {
    let frame = super::chain::compress_with_prefix(bytes, base_bytes)?;
    let mut out = Vec::with_capacity(frame.len() + 35);
    out.extend_from_slice(&[BLOB_VALUE, CODEC_DELTA]);
    push_base(&mut out, base, depth);
    out.extend_from_slice(&frame);
    Ok(out)
}

/// Parses a blob value: whole values are decompressed here, deltas are returned for the caller
/// to resolve against their base.
pub fn parse_blob<'a>(hash: &ContentHash, value: &'a [u8]) -> Result<BlobValue<'a>> {
    match value {
        [BLOB_VALUE, CODEC_DELTA, rest @ ..] if rest.len() > 33 => {
            let (base, depth, frame) = base_of(rest);
            Ok(BlobValue::Delta { base: Some(base), depth, texts: Vec::new(), frame })
        }
        [BLOB_VALUE, CODEC_DELTA, ..] => Err(corrupt(format!("blob {hash}"), "delta value too short".into())),
        [BLOB_VALUE, CODEC_DELTA_TEXTS, a, b, rest @ ..] => {
            let short = || corrupt(format!("blob {hash}"), "delta value too short".into());
            let count = usize::from(u16::from_be_bytes([*a, *b]));
            let (list, rest) = rest.split_at_checked(count * 10).ok_or_else(short)?;
            let texts = list
                .chunks_exact(10)
                .map(|c| {
                    let mut id = [0u8; 6];
                    id.copy_from_slice(&c[..6]);
                    (ArticleId(id), u32::from_be_bytes([c[6], c[7], c[8], c[9]]))
                })
                .collect();
            match rest {
                [0, frame @ ..] => Ok(BlobValue::Delta { base: None, depth: 0, texts, frame }),
                [1, rest @ ..] if rest.len() > 33 => {
                    let (base, depth, frame) = base_of(rest);
                    Ok(BlobValue::Delta { base: Some(base), depth, texts, frame })
                }
                _ => Err(short()),
            }
        }
        _ => decode_blob_unchecked(hash, value).map(BlobValue::Whole),
    }
}

/// Appends a base blob's hash and the chain depth, as [`base_of`] reads them.
fn push_base(out: &mut Vec<u8>, base: &ContentHash, depth: u8) {
    out.extend_from_slice(&base.0);
    out.push(depth);
}

/// A base blob's hash, the chain depth and the frame, from the bytes that follow a codec.
fn base_of(rest: &[u8]) -> (ContentHash, u8, &[u8]) {
    let mut base = [0u8; 32];
    base.copy_from_slice(&rest[..32]);
    (ContentHash(base), rest[32], &rest[33..])
}

/// The chain depth of a blob value (0 for a blob with no base).
pub fn blob_depth(hash: &ContentHash, value: &[u8]) -> u8 {
    match value {
        // Only deltas are parsed: parsing a whole blob decompresses it.
        [BLOB_VALUE, CODEC_DELTA | CODEC_DELTA_TEXTS, ..] => match parse_blob(hash, value) {
            Ok(BlobValue::Delta { depth, .. }) => depth,
            _ => 0,
        },
        _ => 0,
    }
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<RECORD_LIMIT>()
}

/// Bytes of checksum at the end of every record value.
const CHECKSUM_LEN: usize = 4;

fn checksum(bytes: &[u8]) -> [u8; CHECKSUM_LEN] {
    let mut sum = [0u8; CHECKSUM_LEN];
    sum.copy_from_slice(&blake3::hash(bytes).as_bytes()[..CHECKSUM_LEN]);
    sum
}

/// A record's bincode body, without version byte or checksum; `None` past [`RECORD_LIMIT`].
pub fn body<T: Serialize>(record: &T) -> Option<Vec<u8>> {
    bincode::serde::encode_to_vec(record, config()).ok()
}

/// Encodes `record` as `[version][bincode body][checksum]`.
pub fn encode<T: Serialize>(version: u8, record: &T) -> Vec<u8> {
    let mut out = vec![version];
    // Encoding into a Vec cannot fail for the plain structs stored here.
    if let Some(body) = body(record) {
        out.extend_from_slice(&body);
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum);
    out
}

/// Checks a record value's checksum and splits it into its version byte and body.
pub fn split_version<'a>(what: &dyn Fn() -> String, value: &'a [u8]) -> Result<(u8, &'a [u8])> {
    if value.len() < 1 + CHECKSUM_LEN {
        return Err(corrupt(what(), format!("{} bytes, too short for a record", value.len())));
    }
    let (signed, sum) = value.split_at(value.len() - CHECKSUM_LEN);
    if checksum(signed) != sum {
        return Err(corrupt(what(), "checksum mismatch".into()));
    }
    Ok((signed[0], &signed[1..]))
}

/// Decodes a record body, bounded, requiring that every byte is consumed.
pub fn decode<T: DeserializeOwned>(what: &dyn Fn() -> String, body: &[u8]) -> Result<T> {
    let (record, used) =
        bincode::serde::decode_from_slice(body, config()).map_err(|e| corrupt(what(), e.to_string()))?;
    if used != body.len() {
        return Err(corrupt(what(), format!("{} trailing bytes", body.len() - used)));
    }
    Ok(record)
}

/// The `len` bytes of a record's zstd frame (`label` names it in errors): refused past
/// [`RECORD_LIMIT`], or when the frame does not decode to exactly `len` bytes.
pub fn unframe(what: &dyn Fn() -> String, label: &str, frame: &[u8], len: u32) -> Result<Vec<u8>> {
    let len = len as usize;
    if len > RECORD_LIMIT {
        return Err(corrupt(what(), format!("{label} frame of {len} bytes, past the record limit")));
    }
    let bytes = super::zctx::decompress(frame, len).map_err(|e| corrupt(what(), format!("{label} frame: {e}")))?;
    if bytes.len() != len {
        return Err(corrupt(what(), format!("{label} frame of the wrong size")));
    }
    Ok(bytes)
}

/// Encodes a blob: zstd when it shrinks the bytes, plain otherwise.
pub fn encode_blob(bytes: &[u8]) -> Vec<u8> {
    if let Ok(compressed) = time(Stage::Compress, || super::zctx::compress(bytes, ZSTD_LEVEL)) {
        if compressed.len() < bytes.len() {
            let mut out = Vec::with_capacity(compressed.len() + 2);
            out.extend_from_slice(&[BLOB_VALUE, CODEC_ZSTD]);
            out.extend_from_slice(&compressed);
            return out;
        }
    }
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.extend_from_slice(&[BLOB_VALUE, CODEC_PLAIN]);
    out.extend_from_slice(bytes);
    out
}

/// Decodes a whole blob value without checking its hash.
fn decode_blob_unchecked(hash: &ContentHash, value: &[u8]) -> Result<Vec<u8>> {
    let what = || format!("blob {hash}");
    let bytes = match value {
        [BLOB_VALUE, CODEC_PLAIN, payload @ ..] => payload.to_vec(),
        [BLOB_VALUE, CODEC_ZSTD, payload @ ..] => {
            let size = zstd::bulk::Decompressor::upper_bound(payload)
                .ok_or_else(|| corrupt(what(), "zstd frame has no content size".into()))?;
            if size > crate::page::DEFAULT_PAGE_LIMIT as usize {
                return Err(corrupt(what(), format!("claims {size} bytes, more than any page")));
            }
            super::zctx::decompress(payload, size).map_err(|e| corrupt(what(), format!("zstd: {e}")))?
        }
        [BLOB_VALUE, codec, ..] => return Err(corrupt(what(), format!("unknown codec {codec}"))),
        [version, ..] => return Err(corrupt(what(), format!("unknown format version {version}"))),
        [] => return Err(corrupt(what(), "empty value".into())),
    };
    Ok(bytes)
}

/// Checks that `bytes` hash to `hash`.
pub fn check_blob(hash: &ContentHash, bytes: &[u8]) -> Result<()> {
    let actual = ContentHash::of(bytes);
    if actual == *hash {
        Ok(())
    } else {
        Err(corrupt(format!("blob {hash}"), format!("content hashes to {actual}")))
    }
}

/// Decodes a whole blob and checks that its bytes hash to `hash` (deltas are an error here;
/// the store resolves them).
#[cfg(test)]
pub fn decode_blob(hash: &ContentHash, value: &[u8]) -> Result<Vec<u8>> {
    match parse_blob(hash, value)? {
        BlobValue::Whole(bytes) => check_blob(hash, &bytes).map(|()| bytes),
        BlobValue::Delta { .. } => Err(corrupt(format!("blob {hash}"), "a delta needs its base".into())),
    }
}

/// A corruption error.
pub fn corrupt(what: String, detail: String) -> Error {
    Error::Corrupt { what, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_round_trip_and_check_their_hash() {
        for text in [&b""[..], b"short", &b"a longer text that repeats, a longer text that repeats. ".repeat(20)] {
            let hash = ContentHash::of(text);
            let value = encode_blob(text);
            assert_eq!(decode_blob(&hash, &value).expect("round trip"), text);
        }
        let hash = ContentHash::of(b"x");
        assert!(decode_blob(&hash, &encode_blob(b"y")).is_err());
        assert!(decode_blob(&hash, &[9, 0]).is_err());
        assert!(decode_blob(&hash, &[]).is_err());
    }

    #[test]
    fn records_refuse_trailing_bytes() {
        let value = encode(1, &(7u32, "x".to_owned()));
        let (v, body) = split_version(&|| "t".into(), &value).expect("version");
        assert_eq!(v, 1);
        let back: (u32, String) = decode(&|| "t".into(), body).expect("decode");
        assert_eq!(back, (7, "x".to_owned()));
        let mut longer = body.to_vec();
        longer.push(0);
        assert!(decode::<(u32, String)>(&|| "t".into(), &longer).is_err());
    }

    #[test]
    fn a_page_of_more_texts_than_a_count_can_say_refers_to_none() {
        let page = b"a page of very many tiny articles, each one word".repeat(10);
        let texts: Vec<(ArticleId, u32, &[u8])> =
            (0..70_000u32).map(|n| (ArticleId([0; 6]), n, &b"word"[..])).collect();
        let value = encode_raw(&page, &RawRefs { texts, base: None }).expect("encode");
        let hash = ContentHash::of(&page);
        assert!(matches!(parse_blob(&hash, &value).expect("parse"), BlobValue::Whole(bytes) if bytes == page));
    }
}
