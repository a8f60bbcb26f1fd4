//! Sightings: the fetches an article was seen in, and at which revision, derived from the
//! fetch records.
//!
//! Every `fetches` record lists the (article, revision) pairs its page carried, so a sighting
//! needs no record of its own: sled spends about 200 bytes on disk on each small record, and a
//! tree of sightings would be an inverted copy of `fetches`.
//!
//! A page lists each article once. Were one listed twice, every reader here takes the later
//! pair.

use time::OffsetDateTime;

use super::history::order_key;
use super::read::{fetch_info, FetchInfo};
use super::records::{nanos, time_of, FetchRecord};
use super::Store;
use crate::id::{ArticleId, RevisionNo};
use crate::Result;

/// An article seen in one fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sighting {
    /// The article.
    pub article: ArticleId,
    /// The fetch's sequence number.
    pub fetch: u64,
    /// The revision its text was.
    pub revision: RevisionNo,
}

/// Every sighting of a store, built in one pass over its fetches, for readers that want the
/// sightings of many articles (an as-of export, dump). It holds 24 bytes per sighting and 32 per
/// fetch: 8.0 MB for the 1 GB benchmark corpus (236,324 sightings in 73,470 fetches), and up to
/// twice that while it is built.
#[derive(Debug, Default)]
pub struct SightingIndex {
    /// In (article, fetch) order.
    rows: Vec<Sighting>,
    /// Each fetch's time (Unix ns), in sequence order.
    times: Vec<(u64, i128)>,
}

impl SightingIndex {
    /// Adds the sightings of one fetch. Fetches must come in sequence order.
    pub(super) fn add(&mut self, seq: u64, fetch: &FetchRecord) {
        self.times.push((seq, fetch.fetched_at));
        let rows = fetch.articles.iter().map(|&(id, rev)| Sighting {
            article: ArticleId(id),
            fetch: seq,
            revision: RevisionNo(rev),
        });
        self.rows.extend(rows);
    }

    /// Puts the sightings in (article, fetch) order. The sort is stable, so a page that listed
    /// an article twice keeps its pairs in page order, and the later one stays.
    pub(super) fn finish(mut self) -> Self {
        self.rows.sort_by_key(|s| s.article);
        self.rows.dedup_by(|later, kept| {
            let same = later.article == kept.article && later.fetch == kept.fetch;
            if same {
                kept.revision = later.revision;
            }
            same
        });
        self.rows.shrink_to_fit();
        self.times.shrink_to_fit();
        self
    }

    /// Every sighting, in (article, fetch) order.
    pub fn iter(&self) -> impl Iterator<Item = &Sighting> + '_ {
        self.rows.iter()
    }

    /// The sightings of one article, oldest fetch first.
    pub fn of(&self, id: ArticleId) -> &[Sighting] {
        let start = self.rows.partition_point(|s| s.article < id);
        let len = self.rows[start..].partition_point(|s| s.article == id);
        &self.rows[start..start + len]
    }

    /// The revision an article was at in a fetch, if the fetch saw it.
    #[cfg(test)]
    pub fn revision(&self, id: ArticleId, fetch: u64) -> Option<RevisionNo> {
        let of = self.of(id);
        of.binary_search_by_key(&fetch, |s| s.fetch).ok().map(|i| of[i].revision)
    }

    /// When a fetch was made, if the index holds it.
    pub fn fetched_at(&self, fetch: u64) -> Option<OffsetDateTime> {
        let i = self.times.binary_search_by_key(&fetch, |&(seq, _)| seq).ok()?;
        Some(time_of(self.times[i].1))
    }

    /// When an article was seen: the times of the fetches that saw it, oldest first.
    pub(crate) fn seen_at(&self, id: ArticleId) -> impl Iterator<Item = OffsetDateTime> + '_ {
        self.of(id).iter().filter_map(|s| self.fetched_at(s.fetch))
    }
}

impl Store {
    /// Every fetch an article was seen in, in fetch order, with the revision of its history
    /// (see [`Store::revisions`]) it was at: the one whose seen-times hold the fetch's time (a
    /// cut revision's later part is stored under a new number while the fetches keep naming
    /// the old one). One pass over the fetches.
    pub fn sightings(&self, id: ArticleId) -> Result<Vec<(FetchInfo, RevisionNo)>> {
        let stored = match self.stored_revisions(id) {
            Err(crate::Error::NoSuchArticle(_)) => Vec::new(),
            stored => stored?,
        };
        let mut history: Vec<super::RevisionInfo> = stored.iter().filter(|r| !r.withdrawn).cloned().collect();
        super::read::in_time_order(&mut history);
        let key = |t: OffsetDateTime, r: &super::RevisionInfo| order_key(nanos(t), &r.hash.0, r.title.as_deref());
        let mut out = self.stored_sightings(id)?;
        for (fetch, revision) in &mut out {
            let Some(named) = stored.iter().find(|r| r.stored == *revision) else { continue };
            // The run holding the sighting's key has its text: the named revision, or a later
            // part cut from it.
            let seen = key(fetch.fetched_at, named);
            let run = history.iter().find(|r| key(r.first_seen, r) <= seen && seen <= key(r.last_seen, r));
            let run = run.or_else(|| history.iter().find(|r| r.stored == named.stored));
            *revision = run.map_or(*revision, |r| r.number);
        }
        Ok(out)
    }

    /// Every fetch an article was seen in, in fetch order, with the stored revision the fetch
    /// names. One pass over the fetches; for many articles, use [`Store::sighting_index`].
    pub(super) fn stored_sightings(&self, id: ArticleId) -> Result<Vec<(FetchInfo, RevisionNo)>> {
        let mut out = Vec::new();
        for pack in self.fetch_packs_holding(&id.0) {
            let (first, records) = pack?;
            for (seq, record) in super::fetches::numbered(first, records) {
                // The last pair naming the article, as the `sightings` tree kept.
                let seen = record.articles.iter().rev().find(|(a, _)| *a == id.0).map(|&(_, rev)| RevisionNo(rev));
                if let Some(revision) = seen {
                    out.push((fetch_info(seq, record), revision));
                }
            }
        }
        Ok(out)
    }

    /// Every article's sightings as (time, fetch, stored revision), from one pass over the
    /// fetches.
    pub(super) fn sighting_times(&self) -> Result<super::history::SightingTimes> {
        let mut times = super::history::SightingTimes::new();
        for item in self.fetch_records() {
            let (seq, record) = item?;
            for (id, rev) in record.articles {
                times.entry(ArticleId(id)).or_default().push((record.fetched_at, seq, rev));
            }
        }
        Ok(times)
    }

    /// Every sighting of every article (see [`SightingIndex`]), from one pass over the fetches.
    pub(crate) fn sighting_index(&self) -> Result<SightingIndex> {
        let mut index = SightingIndex::default();
        for item in self.fetch_records() {
            let (seq, record) = item?;
            index.add(seq, &record);
        }
        Ok(index.finish())
    }
}

#[cfg(test)]
#[path = "sightings_tests.rs"]
mod tests;
