//! The fetch records, packed (format 4): each `fetches` value holds the records of consecutive
//! fetches, under the first one's number. A transaction stores its new fetches as one pack (or
//! several of at most [`PACK_FETCHES`]); a daily run of many sites then adds one sled record
//! instead of one a page, which is what sled's files grow with (docs/maintaining.md, "What
//! sled holds"). A fetch derived again (`reprocess`) rewrites its pack.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::read::bad_key;
use super::records::{decode_fetches, encode_fetch_pack, unpack_fetches, FetchRecord};
use super::{keys, Store};
use crate::{Error, Result};

/// The most fetches in one pack. A pack is decoded whole to read one of its fetches; 64
/// records are about 10 KB.
pub(super) const PACK_FETCHES: usize = 64;

/// Packs read lately, by their first fetch number, and how many times a write made it forget
/// them (a pack read before a write is not kept after it).
#[derive(Default)]
pub(super) struct PackCache {
    packs: FxHashMap<u64, Arc<Vec<FetchRecord>>>,
    forgotten: u64,
}

/// The most packs [`PackCache`] holds (about 640 KB).
const CACHED_PACKS: usize = 64;

/// Cuts records of fetches, in fetch order, into packs: runs of consecutive numbers, each of at
/// most [`PACK_FETCHES`]; each pack with its first fetch's number.
pub(super) fn packs_of(records: Vec<(u64, FetchRecord)>) -> Vec<(u64, Vec<FetchRecord>)> {
    let mut packs: Vec<(u64, Vec<FetchRecord>)> = Vec::new();
    for (seq, record) in records {
        match packs.last_mut() {
            Some((first, pack)) if *first + pack.len() as u64 == seq && pack.len() < PACK_FETCHES => pack.push(record),
            _ => packs.push((seq, vec![record])),
        }
    }
    packs
}

/// Decodes a `fetches` entry: its first fetch number and its records.
pub(super) fn decode_pack(key: &[u8], value: &[u8]) -> Result<(u64, Vec<FetchRecord>)> {
    decode_pack_holding(key, value, &[]).map(|pack| pack.unwrap_or_default())
}

/// Decodes a `fetches` entry whose records' bytes hold `needle` (`None`: they do not, and
/// nothing was decoded past decompressing them).
fn decode_pack_holding(key: &[u8], value: &[u8], needle: &[u8]) -> Result<Option<(u64, Vec<FetchRecord>)>> {
    let first = keys::fixed::<8>(key).map(u64::from_be_bytes).ok_or_else(|| bad_key("fetches", key))?;
    let what = || format!("fetches from {first}");
    let (count, bytes) = unpack_fetches(&what, value)?;
    if first.checked_add(u64::from(count) - 1).is_none() {
        return Err(Error::Corrupt { what: what(), detail: "numbers past 2^64".into() });
    }
    if memchr::memmem::find(&bytes, needle).is_none() {
        return Ok(None);
    }
    Ok(Some((first, decode_fetches(&what, count, &bytes)?)))
}

/// A pack's records (or what is taken of each) with their fetch numbers (a pack's last number
/// is known to fit in a u64).
pub(super) fn numbered<T>(first: u64, records: impl IntoIterator<Item = T>) -> impl Iterator<Item = (u64, T)> {
    (0u64..).zip(records).map(move |(i, record)| (first + i, record))
}

/// Adds records of fetches, in fetch order, as packs to a batch for `fetches` (restoring a
/// dump, migrating).
pub(super) fn pack_into(batch: &mut sled::Batch, records: Vec<(u64, FetchRecord)>) -> Result<()> {
    for (first, pack) in packs_of(records) {
        batch.insert(&keys::fetch(first), encode_fetch_pack(&pack)?);
    }
    Ok(())
}

impl Store {
    /// Every pack of fetch records, in fetch order.
    pub(super) fn fetch_packs(&self) -> impl Iterator<Item = Result<(u64, Vec<FetchRecord>)>> + '_ {
        self.h().fetches.iter().map(move |item| {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            decode_pack(&key, &value)
        })
    }

    /// Every pack whose records' bytes hold `needle`, in fetch order; the others are only
    /// decompressed. An article's id is such a needle: bincode writes its 6 bytes as they are,
    /// so only the packs of the fetches that name it are decoded.
    pub(super) fn fetch_packs_holding<'a>(
        &'a self,
        needle: &'a [u8],
    ) -> impl Iterator<Item = Result<(u64, Vec<FetchRecord>)>> + 'a {
        self.h().fetches.iter().filter_map(move |item| {
            let found =
                item.map_err(|e| self.fail(e)).and_then(|(key, value)| decode_pack_holding(&key, &value, needle));
            found.transpose()
        })
    }

    /// Every fetch record with its sequence number, in sequence order.
    pub(super) fn fetch_records(&self) -> impl Iterator<Item = Result<(u64, FetchRecord)>> + '_ {
        self.fetch_packs().flat_map(|pack| {
            let items: Vec<Result<(u64, FetchRecord)>> = match pack {
                Ok((first, records)) => numbered(first, records).map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            items
        })
    }

    /// The first fetch number of the pack that would hold fetch `seq` (`None`: no pack starts
    /// at or before it).
    pub(super) fn pack_key(&self, seq: u64) -> Result<Option<u64>> {
        let found = self.h().fetches.range(..=keys::fetch(seq)).next_back();
        let Some(item) = found else { return Ok(None) };
        let (key, _) = item.map_err(|e| self.fail(e))?;
        keys::fixed::<8>(&key).map(u64::from_be_bytes).map(Some).ok_or_else(|| bad_key("fetches", &key))
    }

    /// The pack holding fetch `seq`, with its first fetch number (`None`: no fetch `seq`).
    pub(super) fn fetch_pack(&self, seq: u64) -> Result<Option<(u64, Arc<Vec<FetchRecord>>)>> {
        let Some(first) = self.pack_key(seq)? else { return Ok(None) };
        let (cached, forgotten) = {
            let cache = self.fetch_cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            (cache.packs.get(&first).cloned(), cache.forgotten)
        };
        let records = match cached {
            Some(records) => records,
            None => {
                let value = self.h().fetches.get(keys::fetch(first)).map_err(|e| self.fail(e))?;
                let value = value.ok_or_else(|| Error::Internal(format!("fetches from {first} went away")))?;
                let records = Arc::new(decode_pack(&keys::fetch(first), &value)?.1);
                let mut cache = self.fetch_cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if cache.forgotten == forgotten {
                    if cache.packs.len() >= CACHED_PACKS {
                        cache.packs.clear();
                    }
                    cache.packs.insert(first, Arc::clone(&records));
                }
                records
            }
        };
        Ok((seq - first < records.len() as u64).then_some((first, records)))
    }

    /// Fetch `seq`'s record (`None`: there is none).
    pub(super) fn fetch_record(&self, seq: u64) -> Result<Option<FetchRecord>> {
        Ok(self.fetch_pack(seq)?.map(|(first, records)| records[(seq - first) as usize].clone()))
    }

    /// Forgets packs a write rewrote (by their first fetch numbers; none: nothing to do).
    pub(super) fn forget_packs(&self, firsts: impl IntoIterator<Item = u64>) {
        let mut firsts = firsts.into_iter().peekable();
        if firsts.peek().is_none() {
            return;
        }
        let mut cache = self.fetch_cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for first in firsts {
            cache.packs.remove(&first);
        }
        cache.forgotten += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u8) -> FetchRecord {
        FetchRecord {
            raw: [n; 32],
            raw_len: u64::from(n) * 100,
            source: format!("page-{n}.txt"),
            url: None,
            site: "example".into(),
            fetched_at: i128::from(n) * 1_000_000_000,
            articles: vec![([n; 6], 1)],
            listing: n % 2 == 0,
            charset: None,
        }
    }

    #[test]
    fn packs_are_runs_of_consecutive_fetches_of_bounded_size() {
        let numbers: Vec<u64> = (0..70).chain(80..83).chain([90]).collect();
        let records = numbers.iter().map(|&n| (n, record(n as u8))).collect();
        let packs = packs_of(records);
        let shape: Vec<(u64, usize)> = packs.iter().map(|(first, p)| (*first, p.len())).collect();
        assert_eq!(shape, vec![(0, 64), (64, 6), (80, 3), (90, 1)]);
        assert_eq!(packs[1].1[0], record(64));
    }

    #[test]
    fn a_pack_reads_back_and_a_damaged_one_is_refused() {
        let records: Vec<FetchRecord> = (0..5).map(record).collect();
        let value = encode_fetch_pack(&records).expect("encodes");
        assert_eq!(decode_pack(&keys::fetch(7), &value).expect("decodes"), (7, records));
        let mut damaged = value.clone();
        damaged[3] ^= 1;
        let err = decode_pack(&keys::fetch(7), &damaged).expect_err("refused");
        assert!(err.to_string().contains("fetches from 7"), "{err}");
        let err = decode_pack(&keys::fetch(u64::MAX), &value).expect_err("refused");
        assert!(matches!(err, Error::Corrupt { .. }), "{err}");
        let err = decode_pack(b"short", &value).expect_err("refused");
        assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    }
}
