//! Texts stored once: a new article's text (its first revision, stored whole) that another
//! revision has already stored whole, byte for byte, names that stored value instead of writing
//! it again. Scrapes of many sites hold the same story more than once (a wire story on every
//! paper that runs it, an article a site moves to another section), and each copy would
//! otherwise cost its full compressed size.
//!
//! The `wholes` tree maps a text's BLAKE3 (its revision's `hash`) to the pointer of its whole
//! value in the value file; a revision record sharing it holds the same pointer. Values are
//! never rewritten or deleted, so a pointer stays good for every record that names it, and a
//! read checks the text against the reading revision's own hash as before. Only texts of
//! [`MIN_SHARED`] bytes or more get an entry: a sled record costs about 200 bytes on disk, more
//! than a shorter text saves. The index is derived: entries are only ever added, in the page's
//! transaction; `dump` leaves it out and a restored or merged store starts without one.

use sled::transaction::TransactionalTree;

use super::dicts::Dict;
use super::write::{abort, TxResult};
use super::{chain, pack, Store};
use crate::id::ContentHash;

/// The shortest text given an entry in `wholes`.
pub const MIN_SHARED: usize = 1024;

/// The stored value (a pointer) of `text` whole, `hash` its BLAKE3: an identical text's, when
/// one is stored, else a new value encoded with `dict` (recorded for the texts that follow).
pub(super) fn put(
    tree: &TransactionalTree,
    store: &Store,
    text: &[u8],
    hash: &ContentHash,
    dict: Option<&Dict>,
) -> TxResult<Vec<u8>> {
    if text.len() < MIN_SHARED {
        return store.put(&chain::whole(text, dict)).map_err(abort);
    }
    if let Some(pointer) = tree.get(hash.0)? {
        if pack::is_pointer(&pointer) {
            return Ok(pointer.to_vec());
        }
    }
    let pointer = store.put(&chain::whole(text, dict)).map_err(abort)?;
    tree.insert(&hash.0, pointer.as_slice())?;
    Ok(pointer)
}

#[cfg(test)]
#[path = "wholes_tests.rs"]
mod tests;
