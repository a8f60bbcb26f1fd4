//! Trained zstd dictionaries: small article texts compressed against what their site usually
//! says.
//!
//! A text of a few kilobytes compressed alone pays for every phrase the first time it appears;
//! a dictionary trained on the site's earlier texts already holds its names, datelines and turns
//! of phrase. A site gets its dictionaries once it has enough text: the ids of articles whose
//! newest text was stored whole without a dictionary, or with the site's first one, are
//! collected (in the page's transaction). When they hold [`FIRST_AFTER_TEXTS`] texts and
//! [`FIRST_AFTER_BYTES`] bytes, a first, small dictionary is made of them (raw content, no
//! training: [`raw_content`]), so that a site with few articles does not wait months for one;
//! collecting goes on, and when they hold [`TRAIN_AFTER_TEXTS`] texts and [`TRAIN_AFTER_BYTES`]
//! bytes the site's lasting dictionary is trained on them all and collecting stops. Each is made
//! right after the page that brings the collection to its size, from the collected articles'
//! newest texts, and written in one transaction together with the site's pointer to it. That
//! happens at a fixed point of the store's write order, so the same inputs give the same
//! dictionaries whatever `--jobs` is.
//!
//! Texts already stored stay as they are (sled reclaims rewritten space late); every text value
//! compressed with a dictionary names it by id, and dictionaries are never deleted.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree, UnabortableTransactionError};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use super::records::{decode_record, encode_record};
use super::Store;
use crate::id::ArticleId;
use crate::timings::{time, Stage};
use crate::{Error, Result};

/// The size a dictionary is trained to (less when the samples are few: an eighth of them).
pub const DICTIONARY_BYTES: usize = 32 * 1024;
/// The size of a site's first dictionary: raw content (see [`raw_content`]).
pub const FIRST_DICTIONARY_BYTES: usize = 4 * 1024;
/// How many texts a site collects before its first dictionary is made.
pub const FIRST_AFTER_TEXTS: usize = 8;
/// How many bytes of text a site collects before its first dictionary is made.
pub const FIRST_AFTER_BYTES: u64 = 32 * 1024;
/// How many texts a site collects (those of the first dictionary's samples included) before its
/// lasting dictionary is trained.
pub const TRAIN_AFTER_TEXTS: usize = 32;
/// How many bytes of text a site collects before its lasting dictionary is trained.
pub const TRAIN_AFTER_BYTES: u64 = 128 * 1024;
/// The most article ids a pending list keeps (the newest).
const MAX_PENDING: usize = 1024;
/// The zstd level whole texts are compressed at, with or without a dictionary: a text is
/// compressed once and kept for years, and on daily-dev level 6 stores the texts 4 % smaller
/// than level 3 (1.31 against 1.37 MB) for a few milliseconds a day.
pub(super) const TEXT_LEVEL: i32 = 6;

/// `dicts` key prefix of a dictionary: `d` ‖ u32 BE id.
const DICT: u8 = b'd';
/// `dicts` key prefix of a site's dictionary pointer: `s` ‖ site.
const SITE: u8 = b's';
/// `dicts` key prefix of a site's pending samples: `p` ‖ site.
const PENDING: u8 = b'p';
/// `dicts` key of the next dictionary id.
pub(super) const NEXT: u8 = b'n';

/// A stored dictionary, record version 1: its bytes as they are (when they do not compress).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DictRecord {
    /// The site it was trained for.
    pub site: String,
    /// The zstd dictionary.
    pub bytes: Vec<u8>,
}

/// A stored dictionary, record version 3: [`DictRecord`] with its bytes as one zstd frame
/// (level 3). A trained dictionary is mostly the site's phrases and compresses to about a third.
/// (Version 2 is skipped: a value in the value file starting with 2 would read as a pointer.)
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct PackedDict {
    /// The site it was trained for.
    site: String,
    /// The dictionary's size.
    len: u32,
    /// The dictionary, one zstd frame.
    frame: Vec<u8>,
}

/// Version byte of a [`PackedDict`] record.
const PACKED_DICT: u8 = 3;

/// The zstd level dictionaries are stored at. Level 19 saves 7 % more of their bytes (58.6
/// against 65.4 KB for the ten of the 8.9 MB benchmark corpus) but took 0.4G instructions there,
/// 4 % of the whole ingest; level 3 takes a few milliseconds.
const DICT_LEVEL: i32 = 3;

/// Encodes a dictionary's record: version 3 when that is smaller, else version 1.
pub(super) fn encode_dict(site: &str, bytes: &[u8]) -> Vec<u8> {
    let plain = || encode_record(&DictRecord { site: site.to_owned(), bytes: bytes.to_vec() });
    let Ok(len) = u32::try_from(bytes.len()) else { return plain() };
    match super::zctx::compress(bytes, DICT_LEVEL) {
        Ok(frame) if frame.len() < bytes.len() => {
            super::codec::encode(PACKED_DICT, &PackedDict { site: site.to_owned(), len, frame })
        }
        _ => plain(),
    }
}

/// A site's first dictionary: the last [`FIRST_DICTIONARY_BYTES`] of its samples (the newest
/// last), as raw content. zstd takes a dictionary without its magic number (which no UTF-8 text
/// starts with) as plain history to find matches in. On a site's first texts that does as well as
/// a trained dictionary of the same size (the 8.8 MB benchmark corpus: texts 9 to 32 of each
/// site, with the dictionary's own stored bytes, 290 KB against 286 KB trained and 319 KB with
/// none) without training's fixed cost, about 10 ms however few the samples.
fn raw_content(samples: &[Vec<u8>]) -> Vec<u8> {
    let all = samples.concat();
    all[all.len().saturating_sub(FIRST_DICTIONARY_BYTES)..].to_vec()
}

/// Decodes a dictionary's record of either version.
pub(super) fn decode_dict(what: &dyn Fn() -> String, value: &[u8]) -> Result<DictRecord> {
    let (version, body) = super::codec::split_version(what, value)?;
    let record: PackedDict = match version {
        PACKED_DICT => super::codec::decode(what, body)?,
        super::records::RECORD => return super::codec::decode(what, body),
        _ => return Err(super::codec::corrupt(what(), format!("unknown record format version {version}"))),
    };
    let bytes = super::codec::unframe(what, "dictionary", &record.frame, record.len)?;
    Ok(DictRecord { site: record.site, bytes })
}

/// A site's texts stored without a dictionary or with its first one, waiting to be samples
/// (record version 1).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingRecord {
    /// Article ids, oldest first, each once.
    pub ids: Vec<[u8; 6]>,
    /// The bytes of text they were stored with.
    pub bytes: u64,
}

/// A dictionary, prepared for compressing and decompressing.
pub struct Dict {
    /// Its id in the store.
    pub id: u32,
    bytes: Vec<u8>,
    /// Prepared on first use: reads (export, show) never compress.
    encoder: OnceLock<EncoderDictionary<'static>>,
    decoder: DecoderDictionary<'static>,
}

impl std::fmt::Debug for Dict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dict").field("id", &self.id).finish_non_exhaustive()
    }
}

impl Dict {
    pub(super) fn new(id: u32, bytes: &[u8]) -> Dict {
        Dict { id, bytes: bytes.to_vec(), encoder: OnceLock::new(), decoder: DecoderDictionary::copy(bytes) }
    }

    /// One zstd frame of `data`, compressed against this dictionary.
    pub fn compress(&self, data: &[u8]) -> Result<Vec<u8>> {
        time(Stage::Compress, || {
            let encoder = self.encoder.get_or_init(|| EncoderDictionary::copy(&self.bytes, TEXT_LEVEL));
            super::zctx::compress_with_cdict(data, encoder.as_cdict()).map_err(|e| zstd_error(&e))
        })
    }

    /// Decompresses a frame made by [`Dict::compress`] into at most `size` bytes.
    pub(crate) fn decompress(&self, frame: &[u8], size: usize) -> std::io::Result<Vec<u8>> {
        super::zctx::decompress_with_ddict(frame, size, self.decoder.as_ddict())
    }
}

fn zstd_error(e: &std::io::Error) -> Error {
    Error::Corrupt { what: "zstd dictionary".into(), detail: e.to_string() }
}

/// Finds a dictionary by id (for decoding texts).
pub type DictLookup<'a> = &'a dyn Fn(u32) -> Result<Arc<Dict>>;

/// The most prepared dictionaries kept in memory; past it the cache starts again.
const DICT_CACHE_ENTRIES: usize = 64;

/// Dictionaries read so far (up to [`DICT_CACHE_ENTRIES`]), and each site's dictionary id (or
/// none).
#[derive(Default)]
pub(super) struct DictCache {
    by_id: HashMap<u32, Arc<Dict>>,
    by_site: HashMap<String, Option<u32>>,
}

pub(super) fn dict_key(id: u32) -> [u8; 5] {
    let mut key = [DICT; 5];
    key[1..].copy_from_slice(&id.to_be_bytes());
    key
}

pub(super) fn site_key(site: &str) -> Vec<u8> {
    [&[SITE][..], site.as_bytes()].concat()
}

pub(super) fn pending_key(site: &str) -> Vec<u8> {
    [&[PENDING][..], site.as_bytes()].concat()
}

impl Store {
    /// The dictionary with this id. Not inside a transaction: see [`Store::dict_in`].
    pub(super) fn dict(&self, id: u32) -> Result<Arc<Dict>> {
        self.dict_via(id, &|key| self.h().dicts.get(key).map_err(|e| self.fail(e)))
    }

    /// The dictionary with this id, inside a transaction over `dicts`. sled's transactions hold
    /// its global write lock while they run, so a plain read of any tree there never returns.
    pub(super) fn dict_in(&self, dicts: &TransactionalTree, id: u32) -> Result<Arc<Dict>> {
        self.dict_via(id, &|key| {
            dicts.get(key).map_err(|e| match e {
                UnabortableTransactionError::Storage(e) => self.fail(e),
                UnabortableTransactionError::Conflict => {
                    Error::Internal(format!("conflict while reading dictionary {id} in a transaction"))
                }
            })
        })
    }

    /// The dictionary with this id, its record read by `get` when it is not cached.
    fn dict_via(&self, id: u32, get: &dyn Fn([u8; 5]) -> Result<Option<sled::IVec>>) -> Result<Arc<Dict>> {
        if let Some(dict) = self.cache().by_id.get(&id) {
            return Ok(Arc::clone(dict));
        }
        let what = || format!("dictionary {id}");
        let value = get(dict_key(id))?;
        let value = value.ok_or_else(|| Error::Corrupt { what: what(), detail: "missing".into() })?;
        let record = decode_dict(&what, &self.stored(&what, &value)?)?;
        let dict = Arc::new(Dict::new(id, &record.bytes));
        let mut cache = self.cache();
        // A prepared dictionary takes up to several hundred KB (zstd's tables for compressing):
        // a run over many sites keeps only the last ones it read.
        if cache.by_id.len() >= DICT_CACHE_ENTRIES {
            cache.by_id.clear();
        }
        cache.by_id.insert(id, Arc::clone(&dict));
        Ok(dict)
    }

    /// The dictionary new texts of `site` are compressed with, if it has one yet.
    pub(super) fn site_dict(&self, site: &str) -> Result<Option<Arc<Dict>>> {
        let cached = self.cache().by_site.get(site).copied();
        let id = match cached {
            Some(id) => id,
            None => {
                let value = self.h().dicts.get(site_key(site)).map_err(|e| self.fail(e))?;
                let id = match value {
                    Some(v) => Some(decode_record::<u32>(&|| format!("site {site} dictionary"), &v)?),
                    None => None,
                };
                self.cache().by_site.insert(site.to_owned(), id);
                id
            }
        };
        id.map(|id| self.dict(id)).transpose()
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, DictCache> {
        // A panic while holding this lock cannot leave the cache inconsistent: entries are
        // inserted whole.
        self.dicts.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Makes `site`'s first dictionary, or trains its lasting one, when its pending texts are
    /// enough. Called for each page's site, in order, after the transaction that wrote it (a
    /// group's), so that happens at the same point of the write order on every run (a
    /// dictionary made after a group lies after the group's values in the value file).
    pub(super) fn train_if_ready(&self, site: &str) -> Result<()> {
        let value = self.h().dicts.get(pending_key(site)).map_err(|e| self.fail(e))?;
        let Some(value) = value else { return Ok(()) };
        let pending: PendingRecord = decode_record(&|| format!("site {site} pending samples"), &value)?;
        // A site with a dictionary and a pending record has its first one.
        let first = self.site_dict(site)?.is_none();
        let (texts, bytes) =
            if first { (FIRST_AFTER_TEXTS, FIRST_AFTER_BYTES) } else { (TRAIN_AFTER_TEXTS, TRAIN_AFTER_BYTES) };
        if pending.ids.len() < texts || pending.bytes < bytes {
            return Ok(());
        }
        let mut samples = Vec::with_capacity(pending.ids.len());
        for id in &pending.ids {
            let id = ArticleId(*id);
            let article = self.article(id)?;
            samples.push(self.text(&self.stored_revision(id, article.latest_stored)?)?.into_bytes());
        }
        let made = if first {
            Some(raw_content(&samples))
        } else {
            let total: usize = samples.iter().map(Vec::len).sum();
            // A failed training (too little variety) tries again after as many texts again.
            time(Stage::Train, || zstd::dict::from_samples(&samples, DICTIONARY_BYTES.min(total / 8)).ok())
        };
        let mark = self.pack.mark();
        let pointer = match &made {
            Some(bytes) => Some(self.put(&encode_dict(site, bytes))?),
            None => None,
        };
        let h = self.h();
        let result = h.dicts.transaction(|tx| {
            let _inside = super::InTransaction::enter();
            // Collecting goes on after a first dictionary, toward the lasting one, and stops
            // after the lasting one; a failed training (too little variety) starts it again.
            match (&pointer, first) {
                (Some(_), true) => {}
                (Some(_), false) => {
                    tx.remove(pending_key(site))?;
                }
                (None, _) => {
                    tx.insert(pending_key(site), encode_record(&PendingRecord::default()))?;
                }
            }
            let Some(pointer) = &pointer else { return Ok(None) };
            let id = next_dict_id(tx)?;
            tx.insert(&dict_key(id)[..], pointer.as_slice())?;
            tx.insert(site_key(site), encode_record(&id))?;
            Ok(Some(id))
        });
        let id = self.settle(mark, result)?;
        if let (Some(id), Some(bytes)) = (id, &made) {
            let mut cache = self.cache();
            cache.by_id.insert(id, Arc::new(Dict::new(id, bytes)));
            cache.by_site.insert(site.to_owned(), Some(id));
        }
        Ok(())
    }

    /// Every dictionary, in id order (for dump and verify).
    pub(super) fn dicts_all(&self) -> impl Iterator<Item = Result<(u32, DictRecord)>> + '_ {
        self.h().dicts.scan_prefix([DICT]).map(move |item| {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let id = key.get(1..).and_then(|k| <[u8; 4]>::try_from(k).ok()).map(u32::from_be_bytes);
            let id = id.ok_or_else(|| Error::Corrupt { what: "dicts".into(), detail: format!("bad key {key:?}") })?;
            let what = || format!("dictionary {id}");
            Ok((id, decode_dict(&what, &self.stored(&what, &value)?)?))
        })
    }

    /// Every site's pending samples, in site order (for dump and verify).
    pub(super) fn pending_all(&self) -> impl Iterator<Item = Result<(String, PendingRecord)>> + '_ {
        self.per_site(PENDING, "pending samples")
    }

    /// Every site's dictionary id, in site order (for verify).
    pub(super) fn site_dicts_all(&self) -> impl Iterator<Item = Result<(String, u32)>> + '_ {
        self.per_site(SITE, "dictionary")
    }

    /// The records under one per-site key prefix, with their sites.
    fn per_site<T: serde::de::DeserializeOwned>(
        &self,
        prefix: u8,
        name: &'static str,
    ) -> impl Iterator<Item = Result<(String, T)>> + '_ {
        self.h().dicts.scan_prefix([prefix]).map(move |item| {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let site = String::from_utf8_lossy(&key[1..]).into_owned();
            let record = decode_record(&|| format!("site {site} {name}"), &value)?;
            Ok((site, record))
        })
    }

    /// Stores a dictionary read from a dump, with its site's pointer and the next-id counter.
    pub(super) fn restore_dict(&self, id: u32, site: &str, bytes: &[u8]) -> Result<bool> {
        let h = self.h();
        let record = self.put(&encode_dict(site, bytes))?;
        let fail = |e| self.fail(e);
        let old = h.dicts.insert(dict_key(id), record).map_err(fail)?;
        h.dicts.insert(site_key(site), encode_record(&id)).map_err(fail)?;
        h.dicts.insert([NEXT], encode_record(&(id + 1))).map_err(fail)?;
        Ok(old.is_none())
    }

    /// Stores a site's pending samples read from a dump; false when the site had some already.
    pub(super) fn restore_pending(&self, site: &str, pending: &PendingRecord) -> Result<bool> {
        let old = self.h().dicts.insert(pending_key(site), encode_record(pending)).map_err(|e| self.fail(e))?;
        Ok(old.is_none())
    }

    /// Copies `shard`'s dictionaries into this store (a merge), numbered on from `next`, and
    /// its sites' dictionary ids and pending samples; returns each dictionary's new id by its
    /// old one. The caller sets the next-id counter ([`Store::set_next_dict`]) once done.
    pub(super) fn copy_dicts(&self, shard: &Store, next: &mut u32) -> Result<HashMap<u32, u32>> {
        let to = &self.h().dicts;
        let mut ids = HashMap::new();
        for item in shard.h().dicts.scan_prefix([DICT]) {
            let (key, value) = item.map_err(|e| shard.fail(e))?;
            let id = key.get(1..).and_then(|k| <[u8; 4]>::try_from(k).ok()).map(u32::from_be_bytes);
            let id = id.ok_or_else(|| Error::Corrupt { what: "dicts".into(), detail: format!("bad key {key:?}") })?;
            let what = || format!("{}: dictionary {id}", shard.path.display());
            let bytes = shard.stored(&what, &value)?;
            to.insert(dict_key(*next), self.put(&bytes)?).map_err(|e| self.fail(e))?;
            ids.insert(id, *next);
            *next += 1;
        }
        for item in shard.h().dicts.scan_prefix([SITE]) {
            let (key, value) = item.map_err(|e| shard.fail(e))?;
            let what = || format!("{}: dicts key {key:?}", shard.path.display());
            let id: u32 = decode_record(&what, &value)?;
            let new =
                ids.get(&id).ok_or_else(|| Error::Corrupt { what: what(), detail: format!("no dictionary {id}") })?;
            to.insert(key, encode_record(new)).map_err(|e| self.fail(e))?;
        }
        for item in shard.h().dicts.scan_prefix([PENDING]) {
            let (key, value) = item.map_err(|e| shard.fail(e))?;
            to.insert(key, value).map_err(|e| self.fail(e))?;
        }
        Ok(ids)
    }

    /// Sets the id the next dictionary gets.
    pub(super) fn set_next_dict(&self, next: u32) -> Result<()> {
        self.h().dicts.insert([NEXT], encode_record(&next)).map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// How many dictionaries the store holds, and their bytes.
    pub(crate) fn dictionary_stats(&self) -> Result<(u64, u64)> {
        let mut count = 0;
        let mut bytes = 0;
        for item in self.dicts_all() {
            let (_, dict) = item?;
            count += 1;
            bytes += dict.bytes.len() as u64;
        }
        Ok((count, bytes))
    }

    /// The bytes the dictionaries' records take as stored (compressed when that is smaller).
    pub(super) fn dictionary_stored_bytes(&self) -> Result<u64> {
        let mut bytes = 0;
        for item in self.h().dicts.scan_prefix([DICT]) {
            let (_, value) = item.map_err(|e| self.fail(e))?;
            bytes += super::pack::stored_len(&value);
        }
        Ok(bytes)
    }
}

/// Takes the id the next dictionary gets (from 1, counted under the `n` key).
fn next_dict_id(tx: &TransactionalTree) -> std::result::Result<u32, ConflictableTransactionError<Error>> {
    let id = match tx.get([NEXT])? {
        Some(v) => decode_record(&|| "dicts next id".into(), &v).map_err(ConflictableTransactionError::Abort)?,
        None => 1u32,
    };
    tx.insert(&[NEXT][..], encode_record(&(id + 1)))?;
    Ok(id)
}

/// Adds articles whose newest text was just stored to the site's pending samples (inside the
/// page's transaction), when the site is collecting: it has no dictionary (`has_dict` false), or
/// only its first one (it has a pending record).
pub(super) fn add_pending(
    tx: &TransactionalTree,
    site: &str,
    added: &[(ArticleId, u64)],
    has_dict: bool,
) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    if added.is_empty() {
        return Ok(());
    }
    let key = pending_key(site);
    let mut pending: PendingRecord = match tx.get(&key)? {
        Some(v) => decode_record(&|| format!("site {site} pending samples"), &v)
            .map_err(ConflictableTransactionError::Abort)?,
        None if has_dict => return Ok(()),
        None => PendingRecord::default(),
    };
    for &(id, len) in added {
        if !pending.ids.contains(&id.0) {
            pending.ids.push(id.0);
            pending.bytes += len;
        }
    }
    if pending.ids.len() > MAX_PENDING {
        let extra = pending.ids.len() - MAX_PENDING;
        pending.ids.drain(..extra);
    }
    tx.insert(key, encode_record(&pending))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dictionary_is_stored_compressed_and_reads_back_and_version_1_still_reads() {
        let bytes: Vec<u8> = (0..4000).flat_map(|i| format!("harbour crane {} ", i % 97).into_bytes()).collect();
        let value = encode_dict("example", &bytes);
        assert_eq!(value[0], PACKED_DICT);
        assert!(value.len() < bytes.len() / 4, "{} of {}", value.len(), bytes.len());
        let what = || "dictionary 1".to_owned();
        let read = decode_dict(&what, &value).expect("decode");
        assert_eq!(read, DictRecord { site: "example".into(), bytes: bytes.clone() });
        let old = encode_record(&DictRecord { site: "example".into(), bytes: bytes.clone() });
        assert_eq!(decode_dict(&what, &old).expect("decode version 1").bytes, bytes);
        // Bytes that do not compress are stored as version 1.
        let noise = crate::store::tests::noise(4096);
        assert_eq!(encode_dict("example", &noise)[0], crate::store::records::RECORD);
    }

    #[test]
    fn a_dictionary_frame_of_the_wrong_size_is_damage() {
        let bytes = b"harbour crane harbour crane harbour crane harbour crane".repeat(40);
        let frame = super::super::zctx::compress(&bytes, DICT_LEVEL).expect("compress");
        let record = PackedDict { site: "example".into(), len: bytes.len() as u32 + 1, frame };
        let value = super::super::codec::encode(PACKED_DICT, &record);
        let err = decode_dict(&|| "dictionary 1".into(), &value).expect_err("refused");
        assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    }
}
