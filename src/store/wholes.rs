//! Texts stored once, or as a delta of another site's copy: a new article's text (its first
//! revision) whose start another article's text stored whole already has is stored against that
//! text. Scrapes of many sites hold the same story more than once (a wire story on every paper
//! that runs it, an article a site moves to another section), often with one copy edited (a
//! byline, a paragraph cut), and each copy would otherwise cost its full compressed size.
//!
//! The `wholes` tree maps the BLAKE3 of a text's first [`MIN_SHARED`] bytes (its *start key*,
//! see [`start_key`]) to the pointer of the whole value (text kind 0, 1 or 3) of the first text
//! stored with that start. A new article's text with that start is then:
//! - byte for byte the stored text: its revision record holds the same pointer;
//! - otherwise, when it is smaller so, a delta against the stored text (text kind 5: see
//!   [`chain::shared`]), one zstd frame with that text as prefix;
//! - otherwise stored whole (the entry keeps naming the first text).
//!
//! So a kind-5 value's base is always a whole value: a read decodes one value more, never a
//! chain. Values are never rewritten or deleted, so a pointer stays good for every record and
//! delta that names it, and a read checks the text against the reading revision's own hash as
//! before. Only texts of [`MIN_SHARED`] bytes or more get an entry: a sled record costs about 200
//! bytes on disk, more than a shorter text saves. The index is derived: entries are only ever
//! added, in the writing page's transaction; `dump` leaves it out and a restored or merged store starts
//! without one (`merge` stores a kind-5 text whole: its base is in another value file).

use std::collections::BTreeMap;

use sled::transaction::TransactionalTree;

use super::dicts::{Dict, DictLookup};
use super::records::decode_revision;
use super::write::{abort, TxResult};
use super::{chain, keys, pack, Store};
use crate::{Error, Result};

/// The shortest text given an entry in `wholes`, and the length of the start its key hashes.
pub const MIN_SHARED: usize = 1024;

/// The `wholes` key of a text of at least [`MIN_SHARED`] bytes: the BLAKE3 of its first
/// [`MIN_SHARED`] bytes.
pub(super) fn start_key(text: &[u8]) -> [u8; 32] {
    crate::id::ContentHash::of(&text[..MIN_SHARED.min(text.len())]).0
}

/// The stored value (a pointer) of a new article's `text`: the value of an identical text
/// stored whole, when the text whose start it shares (see the module's documentation) is one;
/// else a new value, a delta against that text when smaller, else the text whole encoded with
/// `dict` (and, when no text with its start was stored, recorded for the texts that follow).
/// `dicts` finds the dictionary of the stored text, which may be another site's.
pub(super) fn put(
    tree: &TransactionalTree,
    store: &Store,
    text: &[u8],
    dict: Option<&Dict>,
    dicts: DictLookup<'_>,
) -> TxResult<Vec<u8>> {
    if text.len() < MIN_SHARED {
        return store.put(&chain::whole(text, dict)).map_err(abort);
    }
    let key = start_key(text);
    let base = tree.get(key)?.filter(|pointer| pack::is_pointer(pointer));
    if let Some(base) = base {
        match chain::decode_whole(&base, dicts, &|pointer| store.base_value(pointer)) {
            Ok(base_text) if base_text == text => return Ok(base.to_vec()),
            Ok(base_text) => {
                let whole = chain::whole(text, dict);
                let delta = chain::shared(text, &base, &base_text).map_err(abort)?;
                let value = if delta.len() < whole.len() { delta } else { whole };
                return store.put(&value).map_err(abort);
            }
            // A damaged text is no base: the entry names this text instead.
            Err(Error::Corrupt { .. }) => {}
            Err(e) => return Err(abort(e)),
        }
    }
    let pointer = store.put(&chain::whole(text, dict)).map_err(abort)?;
    tree.insert(&key, pointer.as_slice())?;
    Ok(pointer)
}

/// Keys `wholes` by start (see [`start_key`]): clears every entry, then gives each start the
/// first-stored (lowest in the value file) first-revision text stored whole with it. A store of
/// format 2 keyed the tree by the text's whole BLAKE3; the format-3 migration step calls this.
/// Texts that do not decode are skipped (the index is derived: a missing entry only means a
/// later copy is stored whole). Ends by flushing.
pub(super) fn rekey(store: &Store) -> Result<()> {
    let h = store.h();
    let mut firsts: BTreeMap<[u8; 32], (u64, Vec<u8>)> = BTreeMap::new();
    for item in h.revisions.iter() {
        let (key, value) = item.map_err(|e| store.fail(e))?;
        let Some((id, 1)) = keys::split_revision(&key) else { continue };
        let Ok((_, pointer)) = decode_revision(&|| format!("article {id} revision 1"), &value) else { continue };
        let Some((offset, _)) = pack::parse(&pointer) else { continue };
        let text = match chain::decode_whole(&pointer, &|d| store.dict(d), &|p| store.base_value(p)) {
            Ok(text) => text,
            Err(Error::Corrupt { .. }) => continue,
            Err(e) => return Err(e),
        };
        if text.len() < MIN_SHARED {
            continue;
        }
        let entry = firsts.entry(start_key(&text)).or_insert((offset, pointer.clone()));
        if offset < entry.0 {
            *entry = (offset, pointer);
        }
    }
    h.wholes.clear().map_err(|e| store.fail(e))?;
    let mut batch = sled::Batch::default();
    for (key, (_, pointer)) in firsts {
        batch.insert(&key, pointer);
    }
    h.wholes.apply_batch(batch).map_err(|e| store.fail(e))?;
    store.flush()
}

#[cfg(test)]
#[path = "wholes_tests.rs"]
mod tests;
