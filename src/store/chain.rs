//! Revision texts: keyframes and skip-deltas, written once.
//!
//! Each revision's text is a value in the value file its `revisions` record points at. Revision 1 is
//! stored whole (zstd, or zstd against the site's dictionary): a *keyframe*. Each later revision
//! is stored as a zstd frame compressed with an earlier revision's text as reference prefix
//! ("patch-from"), chosen as skip-deltas choose it (see [`base_of`]), when that frame is smaller
//! than the text's whole encoding; otherwise it is stored whole and becomes the next keyframe.
//! Reading a revision takes one decompression per step down to its keyframe, a handful at most;
//! a stored value is never rewritten: appending a revision writes one new value and leaves every
//! old one as it is, so no superseded copies accumulate in the value file and a crash can never
//! catch a text half re-encoded.
//!
//! A new article's text may instead be a delta against another article's whole text (kind 5,
//! see [`shared`] and [`super::wholes`]): the same story run by another site, edited. Such a
//! base is always a whole value, so the delta is one step deep, and it stands for the article's
//! keyframe: the article's later revisions are skip-deltas against its decoded text.

use std::collections::BTreeMap;

use zstd::zstd_safe;

use super::codec::corrupt;
use super::dicts::{Dict, DictLookup};
use crate::id::ContentHash;
use crate::timings::{time, Stage};
use crate::{Error, Result};

/// The longest walk through references a stored text can need: a skip-delta chain takes one
/// step per set bit of a u32.
const MAX_CHAIN: usize = 32;

/// The version byte of a text value: `[1][kind][payload]`.
pub const TEXT_VALUE: u8 = 1;
/// Kind: the payload is the text itself.
const WHOLE_PLAIN: u8 = 0;
/// Kind: the payload is one zstd frame of the text.
const WHOLE_ZSTD: u8 = 1;
/// Kind 2 is not written: it was the reverse delta of a pre-release layout.
/// Kind: the payload is a dictionary id (u32 BE), then one zstd frame compressed against it.
const WHOLE_DICT: u8 = 3;
/// Kind: the payload is an earlier revision's number (u32 BE), then one zstd frame compressed
/// with that revision's text as prefix.
const DELTA_EARLIER: u8 = 4;
/// Kind: the payload is a value pointer (13 bytes, see [`super::pack`]) to another text's whole
/// value (kind 0, 1 or 3), then one zstd frame compressed with that text as prefix.
const DELTA_SHARED: u8 = 5;
/// The length of a value pointer inside a kind-5 value.
const POINTER_LEN: usize = 13;

/// Gives the value a value pointer names (read from the value file); `Err` when it cannot be
/// read.
pub type ValueLookup<'a> = &'a dyn Fn(&[u8]) -> Result<Vec<u8>>;

/// The zstd level of deltas (a revision against an earlier one, a text against another's, a raw
/// page against the page before): the level barely moves a delta's size.
const LEVEL: i32 = 3;
/// The largest text a frame may claim to hold (a page's limit).
const MAX_TEXT: usize = crate::page::DEFAULT_PAGE_LIMIT as usize;

/// Renumbers the dictionary a text stored whole against one (kind 3) names, by `ids` (a
/// dictionary's id in the store the value comes from to its id in the store it goes to, in a
/// merge); any other text value is left as it is.
pub fn renumber_dict(value: &mut [u8], ids: &std::collections::HashMap<u32, u32>) -> Result<()> {
    if value.len() < 6 || value[0] != TEXT_VALUE || value[1] != WHOLE_DICT {
        return Ok(());
    }
    let mut id = [0u8; 4];
    id.copy_from_slice(&value[2..6]);
    let id = u32::from_be_bytes(id);
    let new = ids.get(&id).ok_or_else(|| corrupt(format!("dictionary {id}"), "named by a text, missing".into()))?;
    value[2..6].copy_from_slice(&new.to_be_bytes());
    Ok(())
}

/// Encodes a text whole: zstd (against `dict` when there is one) when that is smaller, plain
/// otherwise.
pub fn whole(text: &[u8], dict: Option<&Dict>) -> Vec<u8> {
    if let Some(dict) = dict {
        if let Ok(frame) = dict.compress(text) {
            if frame.len() + 4 < text.len() {
                return [&[TEXT_VALUE, WHOLE_DICT][..], &dict.id.to_be_bytes(), &frame].concat();
            }
        }
    }
    if let Ok(frame) = time(Stage::Compress, || super::zctx::compress(text, super::dicts::TEXT_LEVEL)) {
        if frame.len() < text.len() {
            return [&[TEXT_VALUE, WHOLE_ZSTD][..], &frame].concat();
        }
    }
    [&[TEXT_VALUE, WHOLE_PLAIN][..], text].concat()
}

/// Whether `value` is a text stored whole (kind 0, 1 or 3): one a kind-5 value may name.
pub fn is_whole(value: &[u8]) -> bool {
    matches!(value, [TEXT_VALUE, WHOLE_PLAIN | WHOLE_ZSTD | WHOLE_DICT, ..])
}

/// The pointer to the whole value a kind-5 value is a delta against; `None` for any other value
/// (and for a kind-5 value cut short, which [`decode`] reports).
pub fn shared_base(value: &[u8]) -> Option<&[u8]> {
    match value {
        [TEXT_VALUE, DELTA_SHARED, rest @ ..] if rest.len() >= POINTER_LEN => Some(&rest[..POINTER_LEN]),
        _ => None,
    }
}

/// Encodes `text` as a delta against another text stored whole (kind 5): `base` is the pointer
/// to that text's value, `base_text` the text.
pub fn shared(text: &[u8], base: &[u8], base_text: &[u8]) -> Result<Vec<u8>> {
    if base.len() != POINTER_LEN {
        return Err(corrupt("shared text base".into(), format!("a pointer of {} bytes", base.len())));
    }
    let frame = compress_with_prefix(text, base_text)?;
    Ok([&[TEXT_VALUE, DELTA_SHARED][..], base, &frame].concat())
}

/// One zstd frame of `data`, compressed with `prefix` as reference ("patch-from").
pub fn compress_with_prefix(data: &[u8], prefix: &[u8]) -> Result<Vec<u8>> {
    time(Stage::Compress, || compress_with_prefix_untimed(data, prefix))
}

fn compress_with_prefix_untimed(data: &[u8], prefix: &[u8]) -> Result<Vec<u8>> {
    // The window must reach back over the whole prefix.
    super::zctx::compress_with_prefix(data, prefix, LEVEL, window_log(data.len() + prefix.len()))
        .map_err(|e| Error::Corrupt { what: "delta".into(), detail: e.to_string() })
}

/// Decompresses a frame made by [`compress_with_prefix`] with the same prefix.
pub fn decompress_with_prefix(what: &dyn Fn() -> String, frame: &[u8], prefix: &[u8]) -> Result<Vec<u8>> {
    let size = frame_size(what, frame)?;
    super::zctx::decompress_with_prefix(frame, size, prefix).map_err(|e| corrupt(what(), format!("zstd delta: {e}")))
}

pub(super) fn window_log(span: usize) -> u32 {
    let bits = usize::BITS - span.max(1).leading_zeros();
    bits.clamp(10, 27)
}

/// The revision whose text a stored text value needs to be decoded: `None` for a whole text,
/// the earlier revision a skip-delta names. `number` is
/// the value's own revision.
pub fn reference(what: &dyn Fn() -> String, number: u32, value: &[u8]) -> Result<Option<u32>> {
    match value {
        [TEXT_VALUE, DELTA_EARLIER, a, b, c, d, ..] => {
            let base = u32::from_be_bytes([*a, *b, *c, *d]);
            if base == 0 || base >= number {
                return Err(corrupt(what(), format!("a delta against revision {base}, which is not an earlier one")));
            }
            Ok(Some(base))
        }
        [TEXT_VALUE, DELTA_EARLIER, ..] => Err(corrupt(what(), "a skip-delta cut short".into())),
        _ => Ok(None),
    }
}

/// Decodes a stored text value. `reference` is the text of the revision [`reference`] names,
/// needed for skip-deltas; `dicts` finds dictionaries; `values` reads the whole value a kind-5
/// value names (an error decoding that base names it in the detail of this value's error).
pub fn decode(
    what: &dyn Fn() -> String,
    value: &[u8],
    reference: Option<&[u8]>,
    dicts: DictLookup<'_>,
    values: ValueLookup<'_>,
) -> Result<Vec<u8>> {
    match value {
        [TEXT_VALUE, DELTA_SHARED, rest @ ..] => {
            let Some(base) = shared_base(value) else {
                return Err(corrupt(what(), "a delta against another text, cut short".into()));
            };
            let base_text = decode_whole(base, dicts, values).map_err(|e| match e {
                Error::Corrupt { what: base_what, detail } => {
                    corrupt(what(), format!("its base, {base_what}: {detail}"))
                }
                other => other,
            })?;
            decompress_with_prefix(what, &rest[POINTER_LEN..], &base_text)
        }
        _ => decode_unshared(what, value, reference, dicts),
    }
}

/// Names the whole value `pointer` names, in errors.
pub fn describe_base(pointer: &[u8]) -> String {
    match super::pack::parse(pointer) {
        Some((offset, len)) => format!("the whole text of {len} bytes at {offset} in the value file"),
        None => "a malformed value pointer".into(),
    }
}

/// The text of the whole value (kind 0, 1 or 3) `base` names: a kind-5 value's base. Any other
/// value there is an error.
pub fn decode_whole(base: &[u8], dicts: DictLookup<'_>, values: ValueLookup<'_>) -> Result<Vec<u8>> {
    let what = || describe_base(base);
    let value = values(base)?;
    if !is_whole(&value) {
        return Err(corrupt(what(), "not a text stored whole".into()));
    }
    decode_unshared(&what, &value, None, dicts)
}

/// [`decode`] for any value but kind 5.
fn decode_unshared(
    what: &dyn Fn() -> String,
    value: &[u8],
    reference: Option<&[u8]>,
    dicts: DictLookup<'_>,
) -> Result<Vec<u8>> {
    let needed = || corrupt(what(), "a delta read without the text it refers to".into());
    match value {
        [TEXT_VALUE, WHOLE_DICT, a, b, c, d, payload @ ..] => {
            let dict = dicts(u32::from_be_bytes([*a, *b, *c, *d]))?;
            let size = frame_size(what, payload)?;
            dict.decompress(payload, size).map_err(|e| corrupt(what(), format!("zstd: {e}")))
        }
        [TEXT_VALUE, WHOLE_PLAIN, payload @ ..] => Ok(payload.to_vec()),
        [TEXT_VALUE, WHOLE_ZSTD, payload @ ..] => {
            let size = frame_size(what, payload)?;
            super::zctx::decompress(payload, size).map_err(|e| corrupt(what(), format!("zstd: {e}")))
        }
        [TEXT_VALUE, DELTA_EARLIER, _, _, _, _, payload @ ..] => {
            decompress_with_prefix(what, payload, reference.ok_or_else(needed)?)
        }
        [TEXT_VALUE, kind, ..] => Err(corrupt(what(), format!("unknown text kind {kind}"))),
        [version, ..] => Err(corrupt(what(), format!("unknown text format version {version}"))),
        [] => Err(corrupt(what(), "empty value".into())),
    }
}

/// Reads revision `number`'s text: fetches its value and the values it refers to (at most
/// [`MAX_CHAIN`] of them), decodes them in turn, and leaves every text it decoded in
/// `known`, where texts already there are taken instead of being read again (so a caller that
/// reads an article's revisions newest first decodes each value once). `values` reads the base
/// of a kind-5 value (see [`decode`]). The caller checks the
/// result against its revision's hash; a wrong reference text makes a wrong result, which that
/// check catches.
pub fn read<'k, E>(
    what: &dyn Fn(u32) -> String,
    number: u32,
    fetch: &mut dyn FnMut(u32) -> std::result::Result<Vec<u8>, E>,
    known: &'k mut BTreeMap<u32, Vec<u8>>,
    dicts: DictLookup<'_>,
    values: ValueLookup<'_>,
    fail: &dyn Fn(Error) -> E,
) -> std::result::Result<&'k [u8], E> {
    let mut pending: Vec<(u32, Vec<u8>, Option<u32>)> = Vec::new();
    let mut at = number;
    while !known.contains_key(&at) {
        if pending.len() > MAX_CHAIN {
            return Err(fail(corrupt(what(number), "its chain of deltas is longer than any store writes".into())));
        }
        let value = fetch(at)?;
        let next = reference(&|| what(at), at, &value).map_err(fail)?;
        pending.push((at, value, next));
        match next {
            Some(next) => at = next,
            None => break,
        }
    }
    while let Some((at, value, next)) = pending.pop() {
        let reference = next.and_then(|next| known.get(&next)).map(Vec::as_slice);
        let text = decode(&|| what(at), &value, reference, dicts, values).map_err(fail)?;
        known.insert(at, text);
    }
    known.get(&number).map(Vec::as_slice).ok_or_else(|| fail(corrupt(what(number), "not decoded".into())))
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

/// The value that stores revision `number`'s `text`: a delta against an earlier revision's text
/// (see [`base_of`]) when that is smaller than the text's whole encoding, else the text whole
/// (the article's next keyframe). Skip-deltas bound how many edits a delta spans, so "smaller"
/// needs no margin: on the 8.9 MB benchmark corpus it gave the fewest bytes of the rules tried
/// (a delta kept when at most 1/4 of the whole: 2.50 MB of values; 1/2: 2.38 MB; smaller:
/// 2.31 MB). `known` is what [`read`] left in a fresh map when it read the article's newest
/// revision (empty for a new article). `dict` is the dictionary whole texts are compressed with,
/// if any.
pub fn append(text: &[u8], number: u32, known: &BTreeMap<u32, Vec<u8>>, dict: Option<&Dict>) -> Result<Vec<u8>> {
    let whole = whole(text, dict);
    if let Some((base, reference)) = base_of(number, known) {
        let frame = compress_with_prefix(text, reference)?;
        let delta = [&[TEXT_VALUE, DELTA_EARLIER][..], &base.to_be_bytes(), &frame].concat();
        if delta.len() < whole.len() {
            return Ok(delta);
        }
    }
    Ok(whole)
}

/// The revision a new revision `number` is stored against, and its text ("skip-deltas"):
/// counting `m` revisions from the article's keyframe `k` (its newest whole text), the base is
/// `k + (m & (m - 1))`, `m` with its lowest set bit cleared. So reading any revision takes one
/// decode per set bit of its `m` (at most 6 for a hundred revisions since a keyframe), and a delta
/// spans as many edits as `m`'s lowest set bit (half the deltas span one edit, a quarter two...),
/// where deltas all against the keyframe would grow with every edit. `known` holds the newest
/// revision's chain down to the keyframe (see [`append`]), which always holds that base: the
/// base clears the lowest run of set bits of the newest revision's `m`, a step of its chain.
fn base_of(number: u32, known: &BTreeMap<u32, Vec<u8>>) -> Option<(u32, &[u8])> {
    let (&keyframe, _) = known.first_key_value()?;
    let m = number.checked_sub(keyframe).filter(|&m| m > 0)?;
    let base = keyframe + (m & (m - 1));
    known.get(&base).map(|text| (base, text.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_dicts(id: u32) -> Result<std::sync::Arc<Dict>> {
        Err(corrupt(format!("dictionary {id}"), "none in this test".into()))
    }

    fn no_values(pointer: &[u8]) -> Result<Vec<u8>> {
        Err(corrupt(describe_base(pointer), "none in this test".into()))
    }

    #[test]
    fn whole_texts_round_trip() {
        for text in ["", "short", &"long text, long text. ".repeat(100)] {
            let value = whole(text.as_bytes(), None);
            assert_eq!(reference(&|| "t".into(), 1, &value).expect("reference"), None);
            assert_eq!(decode(&|| "t".into(), &value, None, &no_dicts, &no_values).expect("decode"), text.as_bytes());
        }
    }

    fn report(lines: usize, edit: &str) -> String {
        let steady: String = (0..lines).map(|i| format!("Line {i} names crane {}. ", i * 7919 % 1000)).collect();
        format!("{steady}{edit}")
    }

    #[test]
    fn an_edit_is_a_delta_against_the_keyframe_and_a_rewrite_is_whole() {
        let keyframe = report(80, "");
        let edited = report(80, "One more line.");
        let known = BTreeMap::from([(3, keyframe.into_bytes())]);
        let value = append(edited.as_bytes(), 4, &known, None).expect("append");
        assert_eq!(reference(&|| "t".into(), 4, &value).expect("reference"), Some(3));
        assert!(value.len() < 80, "{} bytes", value.len());
        let back = decode(&|| "t".into(), &value, Some(&known[&3]), &no_dicts, &no_values).expect("decode");
        assert_eq!(back, edited.as_bytes());
        let rewritten = "Nothing of the old text is left in this one, which is new from start to end. ".repeat(9);
        let value = append(rewritten.as_bytes(), 4, &known, None).expect("append");
        assert_eq!(reference(&|| "t".into(), 4, &value).expect("reference"), None);
        assert!(reference(&|| "t".into(), 3, &[TEXT_VALUE, DELTA_EARLIER, 0, 0, 0, 3, 0]).is_err());
    }

    fn story(edit: &str) -> String {
        let body: String = (0..60).map(|i| format!("Sentence {i} names the port of {}. ", i * 7919 % 1000)).collect();
        format!("{body}{edit}")
    }

    #[test]
    fn a_delta_against_another_text_reads_through_its_base() {
        let base_text = story("");
        let base_value = whole(base_text.as_bytes(), None);
        let pointer = [2, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 40];
        let edited = story("Reported by a second paper.");
        let value = shared(edited.as_bytes(), &pointer, base_text.as_bytes()).expect("shared");
        assert_eq!(&value[..2], &[TEXT_VALUE, DELTA_SHARED]);
        assert_eq!(shared_base(&value), Some(&pointer[..]));
        assert!(value.len() < base_value.len() / 2, "{} bytes against {}", value.len(), base_value.len());
        assert_eq!(reference(&|| "t".into(), 1, &value).expect("reference"), None, "it is the article's keyframe");
        let values =
            |p: &[u8]| if p == pointer { Ok(base_value.clone()) } else { Err(corrupt("v".into(), "no".into())) };
        assert_eq!(decode(&|| "t".into(), &value, None, &no_dicts, &values).expect("decode"), edited.as_bytes());
        // A base that is no whole text, or cannot be read, is named in the error.
        let not_whole = |_: &[u8]| Ok(value.clone());
        let err = decode(&|| "t".into(), &value, None, &no_dicts, &not_whole).expect_err("a delta base");
        assert!(err.to_string().contains("its base, the whole text of 40 bytes at 9"), "{err}");
        let missing = |p: &[u8]| Err(corrupt(describe_base(p), "past the end".into()));
        let err = decode(&|| "t".into(), &value, None, &no_dicts, &missing).expect_err("no base");
        assert!(err.to_string().contains("past the end"), "{err}");
        assert!(decode(&|| "t".into(), &value[..10], None, &no_dicts, &values).is_err(), "cut short");
        assert!(shared(b"x", &pointer[..5], b"y").is_err());
    }
}
