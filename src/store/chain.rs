//! Revision texts as reverse-delta chains.
//!
//! Each article's texts live in the `texts` tree under (article id, revision). The newest
//! revision is stored whole (zstd), so it reads in one step. When a new revision arrives, the
//! previous newest is re-encoded as a zstd frame compressed with the new text as its reference
//! prefix ("patch-from"): a revision with a few edits costs tens of bytes instead of kilobytes.
//! Every [`KEYFRAME_INTERVAL`]th revision stays whole, so reading any revision walks at most
//! `KEYFRAME_INTERVAL - 1` deltas. Texts are never shared between articles, so re-encoding one
//! can never lengthen another article's chain.

use zstd::zstd_safe::{self, CParameter};

use super::codec::corrupt;
use super::dicts::{Dict, DictLookup};
use crate::id::ContentHash;
use crate::timings::{time, Stage};
use crate::{Error, Result};

/// Revisions whose number is a multiple of this stay whole (keyframes).
pub const KEYFRAME_INTERVAL: u32 = 32;

/// Text value format 1: `[1][kind][payload]`.
pub const TEXT_FORMAT_V1: u8 = 1;
/// Kind: the payload is the text itself.
const WHOLE_PLAIN: u8 = 0;
/// Kind: the payload is one zstd frame of the text.
const WHOLE_ZSTD: u8 = 1;
/// Kind: the payload is one zstd frame compressed with the next revision's text as prefix.
const DELTA_NEXT: u8 = 2;
/// Kind: the payload is a dictionary id (u32 BE), then one zstd frame compressed against it.
const WHOLE_DICT: u8 = 3;

const LEVEL: i32 = 3;
/// The largest text a frame may claim to hold (a page's limit).
const MAX_TEXT: usize = crate::input::DEFAULT_PAGE_LIMIT as usize;

/// Encodes a text whole: zstd (against `dict` when there is one) when that is smaller, plain
/// otherwise.
pub fn whole(text: &[u8], dict: Option<&Dict>) -> Vec<u8> {
    if let Some(dict) = dict {
        if let Ok(frame) = dict.compress(text) {
            if frame.len() + 4 < text.len() {
                return [&[TEXT_FORMAT_V1, WHOLE_DICT][..], &dict.id.to_be_bytes(), &frame].concat();
            }
        }
    }
    if let Ok(frame) = time(Stage::Compress, || super::zctx::compress(text, LEVEL)) {
        if frame.len() < text.len() {
            return [&[TEXT_FORMAT_V1, WHOLE_ZSTD][..], &frame].concat();
        }
    }
    [&[TEXT_FORMAT_V1, WHOLE_PLAIN][..], text].concat()
}

/// Encodes `text` as a delta against `next` (the following revision's text).
pub fn delta(text: &[u8], next: &[u8]) -> Result<Vec<u8>> {
    let frame = compress_with_prefix(text, next)?;
    Ok([&[TEXT_FORMAT_V1, DELTA_NEXT][..], &frame].concat())
}

/// One zstd frame of `data`, compressed with `prefix` as reference ("patch-from").
pub fn compress_with_prefix(data: &[u8], prefix: &[u8]) -> Result<Vec<u8>> {
    time(Stage::Compress, || compress_with_prefix_untimed(data, prefix))
}

fn compress_with_prefix_untimed(data: &[u8], prefix: &[u8]) -> Result<Vec<u8>> {
    let fail = |code: usize| Error::Corrupt { what: "delta".into(), detail: zstd_safe::get_error_name(code).into() };
    let mut cctx = zstd_safe::CCtx::create();
    cctx.set_parameter(CParameter::CompressionLevel(LEVEL)).map_err(fail)?;
    // The window must reach back over the whole prefix.
    cctx.set_parameter(CParameter::WindowLog(window_log(data.len() + prefix.len()))).map_err(fail)?;
    cctx.ref_prefix(prefix).map_err(fail)?;
    let mut frame = Vec::with_capacity(zstd_safe::compress_bound(data.len()));
    cctx.compress2(&mut frame, data).map_err(fail)?;
    Ok(frame)
}

/// Decompresses a frame made by [`compress_with_prefix`] with the same prefix.
pub fn decompress_with_prefix(what: &dyn Fn() -> String, frame: &[u8], prefix: &[u8]) -> Result<Vec<u8>> {
    let size = frame_size(what, frame)?;
    super::zctx::decompress_with_prefix(frame, size, prefix).map_err(|e| corrupt(what(), format!("zstd delta: {e}")))
}

fn window_log(span: usize) -> u32 {
    let bits = usize::BITS - span.max(1).leading_zeros();
    bits.clamp(10, 27)
}

/// Whether a stored text value is a delta (it needs the next revision's text to decode).
pub fn is_delta(value: &[u8]) -> bool {
    matches!(value, [TEXT_FORMAT_V1, DELTA_NEXT, ..])
}

/// Decodes a stored text value; `next` is the following revision's text, needed for deltas;
/// `dicts` finds dictionaries.
pub fn decode(what: &dyn Fn() -> String, value: &[u8], next: Option<&[u8]>, dicts: DictLookup<'_>) -> Result<Vec<u8>> {
    match value {
        [TEXT_FORMAT_V1, WHOLE_DICT, a, b, c, d, payload @ ..] => {
            let dict = dicts(u32::from_be_bytes([*a, *b, *c, *d]))?;
            let size = frame_size(what, payload)?;
            dict.decompress(payload, size).map_err(|e| corrupt(what(), format!("zstd: {e}")))
        }
        [TEXT_FORMAT_V1, WHOLE_PLAIN, payload @ ..] => Ok(payload.to_vec()),
        [TEXT_FORMAT_V1, WHOLE_ZSTD, payload @ ..] => {
            let size = frame_size(what, payload)?;
            super::zctx::decompress(payload, size).map_err(|e| corrupt(what(), format!("zstd: {e}")))
        }
        [TEXT_FORMAT_V1, DELTA_NEXT, payload @ ..] => {
            let next = next.ok_or_else(|| corrupt(what(), "a delta with no following revision".into()))?;
            decompress_with_prefix(what, payload, next)
        }
        [TEXT_FORMAT_V1, kind, ..] => Err(corrupt(what(), format!("unknown text kind {kind}"))),
        [version, ..] => Err(corrupt(what(), format!("unknown text format version {version}"))),
        [] => Err(corrupt(what(), "empty value".into())),
    }
}

fn frame_size(what: &dyn Fn() -> String, frame: &[u8]) -> Result<usize> {
    match zstd_safe::get_frame_content_size(frame) {
        Ok(Some(size)) if size as usize <= MAX_TEXT => Ok(size as usize),
        Ok(Some(size)) => Err(corrupt(what(), format!("claims {size} bytes, more than any page"))),
        _ => Err(corrupt(what(), "zstd frame has no content size".into())),
    }
}

/// Checks a decoded text against the hash its revision records.
pub fn check(what: &dyn Fn() -> String, text: &[u8], hash: &ContentHash) -> Result<()> {
    let actual = ContentHash::of(text);
    if actual == *hash {
        Ok(())
    } else {
        Err(corrupt(what(), format!("text hashes to {actual}, the revision says {hash}")))
    }
}

/// What appending revision `number` with `text` writes: the new revision's value (whole), and,
/// unless the previous revision is a keyframe, the previous revision's value re-encoded as a
/// delta against the new text. `previous` is the previous revision's stored value (whole,
/// since it was the newest).
/// `dict` is the dictionary the new text is compressed with, if any; `dicts` finds the one
/// the previous text used.
pub fn append(
    what: &dyn Fn() -> String,
    number: u32,
    text: &[u8],
    previous: Option<&[u8]>,
    dict: Option<&Dict>,
    dicts: DictLookup<'_>,
) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    let value = whole(text, dict);
    let replaced = match previous {
        Some(prev) if number > 1 && (number - 1) % KEYFRAME_INTERVAL != 0 => {
            let prev_text = decode(what, prev, None, dicts)?;
            Some(delta(&prev_text, text)?)
        }
        _ => None,
    };
    Ok((value, replaced))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_dicts(id: u32) -> Result<std::sync::Arc<Dict>> {
        Err(corrupt(format!("dictionary {id}"), "none in this test".into()))
    }

    #[test]
    fn deltas_round_trip_and_are_small() {
        let next = "A paragraph about harbours and cranes, repeated with care. ".repeat(150);
        let text = next.replacen("cranes", "derricks", 1);
        let value = delta(text.as_bytes(), next.as_bytes()).expect("delta");
        assert!(value.len() < 100, "{} bytes", value.len());
        assert!(is_delta(&value));
        let back = decode(&|| "t".into(), &value, Some(next.as_bytes()), &no_dicts).expect("decode");
        assert_eq!(back, text.as_bytes());
        assert!(decode(&|| "t".into(), &value, None, &no_dicts).is_err());
    }

    #[test]
    fn whole_texts_round_trip() {
        for text in ["", "short", &"long text, long text. ".repeat(100)] {
            let value = whole(text.as_bytes(), None);
            assert!(!is_delta(&value));
            assert_eq!(decode(&|| "t".into(), &value, None, &no_dicts).expect("decode"), text.as_bytes());
        }
    }
}
