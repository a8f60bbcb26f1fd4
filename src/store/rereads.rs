//! Pages read again: a page whose raw bytes, fetch time, source, URL and site are all those of a
//! stored fetch is that fetch, not a new one.
//!
//! Re-running `vellum ingest` over a folder that keeps every day's scrapes (a cron job's usual
//! shape) reads each old file again, with its old modification time as the fetch time. Storing
//! such a page again would add nothing but a copy of a fetch record each run, and count its
//! lines toward the site's chrome again; worse, its sightings would widen revisions' seen-times
//! backwards across later revisions (an article whose text went A, B, A would take a spurious
//! revision when its pages were read again in order: see ARCHITECTURE.md, "Writing a page", for
//! the backfill rule that still allows it for the same pages scraped at other times). So the
//! ingest asks [`Store::stored_fetch`] first and reports the stored fetch instead.
//!
//! The lookup costs one `blobs` probe for a page whose raw bytes are new (nearly all). Only when
//! the bytes are stored already are the fetches that hold them looked at, through an index
//! from raw hash to fetch numbers built on first need in one pass over the fetches and kept up
//! to date by the writes that follow (about 100 bytes a fetch in memory).

use std::collections::HashMap;

use super::write::{ArticleOutcome, PageOutcome};
use super::Store;
use crate::id::ContentHash;
use crate::{Page, Result};

/// Raw hash to the fetches that hold it, in the order they were stored.
#[derive(Default)]
pub(super) struct RawFetches(Option<HashMap<[u8; 32], Vec<u64>>>);

impl RawFetches {
    /// Notes a fetch just stored, when the index is built (else the pass that builds it will).
    pub(super) fn note(&mut self, raw: ContentHash, seq: u64) {
        if let Some(index) = &mut self.0 {
            index.entry(raw.0).or_default().push(seq);
        }
    }
}

impl Store {
    /// The stored fetch this page is, read again: the same raw bytes, fetch time, source, URL
    /// and site; its articles are reported unchanged at the revisions it saw. `None` for a page
    /// not stored yet, or stored from elsewhere or at another time (a new sighting).
    pub(crate) fn stored_fetch(&self, page: &Page) -> Result<Option<PageOutcome>> {
        self.stored_fetch_of(page, ContentHash::of(&page.raw))
    }

    /// [`Store::stored_fetch`] of a page whose raw bytes hash to `raw`.
    pub(crate) fn stored_fetch_of(&self, page: &Page, raw: ContentHash) -> Result<Option<PageOutcome>> {
        if !self.h().blobs.contains_key(raw.0).map_err(|e| self.fail(e))? {
            return Ok(None);
        }
        let seqs = {
            let mut index = self.raw_fetches.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if index.0.is_none() {
                let mut built: HashMap<[u8; 32], Vec<u64>> = HashMap::new();
                for item in self.fetch_records() {
                    let (seq, record) = item?;
                    built.entry(record.raw).or_default().push(seq);
                }
                index.0 = Some(built);
            }
            index.0.as_ref().and_then(|index| index.get(&raw.0).cloned()).unwrap_or_default()
        };
        for seq in seqs {
            let fetch = self.fetch(seq)?;
            let same = fetch.fetched_at == page.fetched_at
                && fetch.source == page.source
                && fetch.url == page.url
                && fetch.site == page.site;
            if same {
                let articles = fetch.articles.iter().map(|&(id, rev)| ArticleOutcome::Unchanged(id, rev)).collect();
                return Ok(Some(PageOutcome { fetch: seq, raw, articles, reread: true, warnings: Vec::new() }));
            }
        }
        Ok(None)
    }
}
