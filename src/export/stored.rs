//! The records of a store's export, in id order, made on every core.
//!
//! Reading a text (a zstd frame, perhaps a delta chain, and a BLAKE3 check) is most of an
//! export's work, and each article's record is independent of the others', so articles are
//! taken in batches: the articles are scanned in order, each one's lookups (revision, fetch)
//! and text are made in parallel, and the records come out in id order, the same bytes
//! whatever the number of threads.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::{stored_record, Record};
use crate::store::{ArticleInfo, RevisionInfo, SightingIndex, Store};
use crate::Result;

/// Which revisions an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The latest revision of every article.
    Latest,
    /// The archive as it stood at a time: each article's newest revision first seen by then,
    /// with the last sighting by then as `last_seen`.
    AsOf(time::OffsetDateTime),
    /// Every revision, each with the times of its own text.
    AllRevisions,
}

/// Articles whose records are made together: enough to keep every core busy, few enough that
/// memory stays small.
const BATCH_ARTICLES: usize = 256;

/// An iterator over the export records of a store (see `stored_records`).
pub struct StoredRecords<'s> {
    lookups: Lookups<'s>,
    articles: Box<dyn Iterator<Item = Result<ArticleInfo>> + 's>,
    ready: VecDeque<Result<Record>>,
    failed: bool,
    /// The scan of the articles is done (and the articles with no record reported).
    scanned: bool,
}

/// What making one article's records needs, shared by the threads that make them.
struct Lookups<'s> {
    store: &'s Store,
    selection: Selection,
    /// Whether each fetch seen so far was a listing page (many revisions share a fetch).
    listing: Mutex<HashMap<u64, bool>>,
    /// Every sighting, for an as-of export (built once: one pass over the fetches).
    sightings: Option<SightingIndex>,
}

/// The export records of every article of `store` in id order, as `selection` picks them.
/// A damaged value ([`crate::Error::is_damage`]) is an error in place of its article's records,
/// and the others follow; so is each article whose record is missing while its revisions are
/// stored, after the rest. After any other error the iterator ends, and so does an as-of
/// export whose sightings cannot be read (a damaged fetch record), after that error.
pub fn stored_records(store: &Store, selection: Selection) -> StoredRecords<'_> {
    let (sightings, ready) = match selection {
        Selection::AsOf(_) => match store.sighting_index() {
            Ok(index) => (Some(index), VecDeque::new()),
            Err(e) => (None, VecDeque::from([Err(e)])),
        },
        _ => (None, VecDeque::new()),
    };
    // Without its sightings an as-of export cannot say when each article was last seen: the
    // error is the only item.
    let articles: Box<dyn Iterator<Item = Result<ArticleInfo>>> =
        if ready.is_empty() { Box::new(store.articles()) } else { Box::new(std::iter::empty()) };
    let scanned = !ready.is_empty();
    StoredRecords {
        lookups: Lookups { store, selection, listing: Mutex::new(HashMap::new()), sightings },
        articles,
        ready,
        failed: false,
        scanned,
    }
}

/// Runs `consume` over the records of `stored_records` while the records after them are read
/// on another thread, so that the store's lookups and the texts' decoding overlap with whatever
/// `consume` does with each record (encoding it, writing it). The records come in the same order
/// as from `stored_records`; when `consume` returns early, the reading stops.
pub fn with_read_ahead<T>(
    store: &Store,
    selection: Selection,
    consume: impl FnOnce(&mut dyn Iterator<Item = Result<Record>>) -> T,
) -> T {
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(2 * BATCH_ARTICLES);
        scope.spawn(move || {
            for record in stored_records(store, selection) {
                if sender.send(record).is_err() {
                    break;
                }
            }
        });
        // The receiver is dropped when `consume` returns, which ends the reader's next send.
        consume(&mut receiver.into_iter())
    })
}

/// A record waiting for its text: everything looked up in the store but the text.
struct Pending<'a> {
    article: &'a ArticleInfo,
    revision: RevisionInfo,
    listing: bool,
    last_seen: Option<time::OffsetDateTime>,
}

impl Lookups<'_> {
    /// The revisions of one article the selection picks, with what their records need.
    fn pending<'a>(&self, article: &'a ArticleInfo) -> Result<Vec<Pending<'a>>> {
        let store = self.store;
        let revisions = match self.selection {
            Selection::AllRevisions => store.revisions(article.id)?,
            Selection::AsOf(t) => store.revision_as_of(article.id, t)?.into_iter().collect(),
            Selection::Latest => vec![store.latest_revision(article.id)?],
        };
        let mut out = Vec::with_capacity(revisions.len());
        for revision in revisions {
            let listing = match self.cached_listing(revision.fetch) {
                Some(listing) => listing,
                None => {
                    // A fetch record is read with the others of its pack: note them all.
                    let near = store.listings_near(revision.fetch)?;
                    let listing = near.iter().find(|(seq, _)| *seq == revision.fetch).is_some_and(|(_, l)| *l);
                    self.listing.lock().unwrap_or_else(PoisonError::into_inner).extend(near);
                    listing
                }
            };
            let last_seen = match self.selection {
                // What an export made at `t` would have said: the last sighting by then.
                Selection::AsOf(t) => {
                    let seen = self.sightings.iter().flat_map(|index| index.seen_at(article.id));
                    Some(seen.filter(|&f| f <= t).max().unwrap_or(revision.first_seen))
                }
                _ => None,
            };
            out.push(Pending { article, revision, listing, last_seen });
        }
        Ok(out)
    }

    /// An error for each article that has revisions and no record (see
    /// [`Store::articles_without_record`]).
    fn missing_records(&self) -> Vec<crate::Error> {
        match self.store.articles_without_record() {
            Err(e) => vec![e],
            Ok(missing) => missing.into_iter().map(|(id, count)| crate::Error::record_missing(id, count)).collect(),
        }
    }

    /// Whether a fetch already looked up was a listing page.
    fn cached_listing(&self, fetch: u64) -> Option<bool> {
        // The map holds plain flags: a panic elsewhere cannot leave it half-written.
        self.listing.lock().unwrap_or_else(PoisonError::into_inner).get(&fetch).copied()
    }

    /// The records of one article: its lookups, then its texts; an error ends them.
    fn records_of(&self, article: &ArticleInfo) -> Vec<Result<Record>> {
        match self.pending(article) {
            Ok(pending) => pending.into_iter().map(|p| p.record(self.store, self.selection)).collect(),
            Err(e) => vec![Err(e)],
        }
    }
}

impl StoredRecords<'_> {
    /// Makes the next batch's records (none when the articles are all done). Only the scan of
    /// the articles runs in order: the lookups ran in order too until they were a quarter of an
    /// export's CPU time, during which the other cores waited.
    fn fill(&mut self) {
        let mut batch = Vec::with_capacity(BATCH_ARTICLES);
        let mut error = None;
        let mut missing = Vec::new();
        for _ in 0..BATCH_ARTICLES {
            match self.articles.next() {
                Some(Ok(article)) => batch.push(article),
                Some(Err(e)) => {
                    error = Some(e);
                    break;
                }
                None => {
                    if !self.scanned {
                        self.scanned = true;
                        missing = self.lookups.missing_records();
                    }
                    break;
                }
            }
        }
        // Made site by site: a site's texts share its zstd dictionary, and a context that
        // decoded with the same dictionary last finds it warm (zstd then skips its slower
        // prefetching decoder; the 100 MB corpus decodes in 18 % fewer instructions). The
        // records go back to id order after.
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by(|&a, &b| batch[a].site.cmp(&batch[b].site));
        let lookups = &self.lookups;
        let mut records: Vec<(usize, Vec<Result<Record>>)> =
            order.into_par_iter().map(|i| (i, lookups.records_of(&batch[i]))).collect();
        records.sort_unstable_by_key(|&(i, _)| i);
        self.ready.extend(records.into_iter().flat_map(|(_, records)| records));
        self.ready.extend(error.map(Err));
        self.ready.extend(missing.into_iter().map(Err));
    }
}

impl Iterator for StoredRecords<'_> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        if self.failed {
            return None;
        }
        if self.ready.is_empty() {
            self.fill();
        }
        let next = self.ready.pop_front();
        if matches!(&next, Some(Err(e)) if !e.is_damage()) {
            self.failed = true;
            self.ready.clear();
        }
        next
    }
}

impl Pending<'_> {
    /// The record, with its text read from the store.
    fn record(self, store: &Store, selection: Selection) -> Result<Record> {
        let text = store.text(&self.revision)?;
        let mut record = stored_record(self.article, &self.revision, text, self.listing);
        match selection {
            Selection::Latest => {}
            Selection::AsOf(_) => record.last_seen = self.last_seen,
            Selection::AllRevisions => {
                // The times of this revision's text, not of the article's whole life.
                record.first_seen = Some(self.revision.first_seen);
                record.last_seen = Some(self.revision.last_seen);
                record.added = self.revision.first_seen;
            }
        }
        Ok(record)
    }
}
