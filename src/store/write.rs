//! Writing pages and what the archive made of them, atomically across every tree.
//!
//! The store decides nothing here: the archive layer (`crate::archive`) reads what it needs,
//! decides which stored article each of a page's articles is and where its text goes in that
//! article's history, and hands the store a [`PageWrite`] of typed records per page. The store
//! writes a group of them in one transaction, encoding texts (delta chains, dictionaries) and
//! the raw pages.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, MutexGuard};

use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;

use super::chain;
use super::codec::{blob_depth, encode_raw, RawRefs, MAX_BLOB_DEPTH};
use super::dicts::{add_pending, Dict};
use super::index::{self, Buckets, IndexRule};
use super::records::{
    decode_article, decode_record, decode_revision, encode_article, encode_record, encode_revision, nanos, FetchRecord,
};
use super::{keys, Store};
use crate::id::{ArticleId, ContentHash, RevisionNo};
use crate::page::file_name;
use crate::{Error, Page, Result};

pub(super) const FETCH_SEQ_KEY: &[u8] = b"fetch_seq";

pub use super::records::{ArticleRecord, RevisionRecord};

/// What storing one article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleOutcome {
    /// A new article, at revision 1.
    New(ArticleId),
    /// A known article whose text changed: a new revision.
    Revised(ArticleId, RevisionNo),
    /// A known article with the same text as its latest revision: only its sighting changed.
    Unchanged(ArticleId, RevisionNo),
}

impl ArticleOutcome {
    /// The article.
    pub fn id(&self) -> ArticleId {
        match *self {
            ArticleOutcome::New(id) | ArticleOutcome::Revised(id, _) | ArticleOutcome::Unchanged(id, _) => id,
        }
    }

    /// The stored revision the page's sighting names.
    pub fn revision(&self) -> RevisionNo {
        match *self {
            ArticleOutcome::New(_) => RevisionNo(1),
            ArticleOutcome::Revised(_, r) | ArticleOutcome::Unchanged(_, r) => r,
        }
    }
}

/// What storing one page did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageOutcome {
    /// The fetch's sequence number.
    pub fetch: u64,
    /// BLAKE3 of the raw page.
    pub raw: ContentHash,
    /// One outcome per article, in page order.
    pub articles: Vec<ArticleOutcome>,
    /// The page was a stored fetch read again (see `Store::stored_fetch`): nothing was written.
    pub reread: bool,
    /// What the user should know about how the page was read (filled by the ingester).
    pub warnings: Vec<String>,
}

/// A page and everything to write with it, decided by the archive layer.
pub struct PageWrite<'a> {
    /// The page as fetched.
    pub page: &'a Page,
    /// The stored fetch this page is, derived again; `None` for a new fetch.
    pub again: Option<u64>,
    /// The fetch's number as planned: `again`'s, or for a new fetch the next one once the
    /// pages written before it in its transaction are (from [`Writer::next_fetch`]). The
    /// transaction fails if the store's count says otherwise.
    pub fetch: u64,
    /// Whether the page is a listing (see `FetchInfo::listing`).
    pub listing: bool,
    /// The page's articles, in page order, each a different stored article.
    pub articles: Vec<ArticleWrite>,
}

/// What to write for one of a page's articles.
pub struct ArticleWrite {
    /// What this write does, as the page's outcome reports it.
    pub outcome: ArticleOutcome,
    /// The article's record, whole.
    pub record: ArticleRecord,
    /// Revision records to write: new ones (with their text, numbered on from the stored
    /// ones, in order) and changed ones (text `None`: the stored text stays).
    pub revisions: Vec<RevisionWrite>,
    /// The identity index's entry for the article: `None` leaves it, `Some` replaces it
    /// (`Some(None)` removes it).
    pub index: Option<Option<Buckets>>,
    /// An alias to remove (a headline that is now an article's own identity).
    pub unalias: Option<String>,
    /// An alias to add, naming this article unless it names an article of lower id (an
    /// alias names the lowest id of the articles carrying it).
    pub alias: Option<String>,
}

/// One revision record to write.
pub struct RevisionWrite {
    /// Its stored number.
    pub number: u32,
    /// The record, whole.
    pub record: RevisionRecord,
    /// The text of a new stored revision.
    pub text: Option<Arc<str>>,
}

/// The store held for one writer: reads see every page written before, and nothing else
/// writes until it is dropped. The archive layer reads what it needs through it, then writes.
pub struct Writer<'s> {
    store: &'s Store,
    _lock: MutexGuard<'s, ()>,
}

impl std::ops::Deref for Writer<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        self.store
    }
}

impl Store {
    /// Takes the store for writing (see [`Writer`]). A store whose identity index was never
    /// built (or was built in an older layout) has it built first, by `rule`.
    pub(crate) fn writer(&self, rule: IndexRule) -> Result<Writer<'_>> {
        let lock = self.writing();
        self.ensure_identity_index(rule)?;
        Ok(Writer { store: self, _lock: lock })
    }
}

impl Store {
    /// The stored article `id`, if any.
    pub(crate) fn article_record(&self, id: ArticleId) -> Result<Option<ArticleRecord>> {
        let Some(value) = self.h().articles.get(id.0).map_err(|e| self.fail(e))? else { return Ok(None) };
        decode_article(&|| format!("article {id}"), &value).map(Some)
    }

    /// The article an alias names.
    pub(crate) fn alias(&self, identity: &str) -> Result<Option<ArticleId>> {
        match self.h().aliases.get(identity.as_bytes()).map_err(|e| self.fail(e))? {
            None => Ok(None),
            Some(v) => Ok(Some(ArticleId(decode_record(&|| format!("alias {identity:?}"), &v)?))),
        }
    }

    /// Every stored revision record of an article, by stored number from 1 (those up to
    /// `latest` must be there).
    pub(crate) fn revision_records(&self, id: ArticleId, latest: u32) -> Result<Vec<RevisionRecord>> {
        let mut out = Vec::new();
        for number in 1.. {
            let value = self.h().revisions.get(keys::revision(id, number)).map_err(|e| self.fail(e))?;
            let Some(value) = value else {
                if number <= latest {
                    return Err(missing_revision(id, number));
                }
                break;
            };
            let (record, _) = decode_revision(&|| format!("article {id} revision {number}"), &value)?;
            out.push(record);
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// The sequence number the next new fetch takes.
    pub(crate) fn next_fetch(&self) -> Result<u64> {
        self.store.fetch_seq()
    }

    /// The hash of the text of stored revision `number` of an article.
    pub(crate) fn revision_hash(&self, id: ArticleId, number: u32) -> Result<ContentHash> {
        let value = self.h().revisions.get(keys::revision(id, number)).map_err(|e| self.fail(e))?;
        let value = value.ok_or_else(|| missing_revision(id, number))?;
        let (record, _) = decode_revision(&|| format!("article {id} revision {number}"), &value)?;
        Ok(ContentHash(record.hash))
    }

    /// The text of stored revision `number` of an article.
    pub(crate) fn revision_text(&self, id: ArticleId, number: u32) -> Result<String> {
        let mut known = BTreeMap::new();
        let text = self.store.read_text(id, number, &mut known)?;
        Ok(String::from_utf8_lossy(text).into_owned())
    }

    /// The articles of `site` in the identity index sharing each band's bucket of `buckets`.
    pub(crate) fn band_members(&self, site: &str, buckets: &Buckets) -> Result<Vec<Vec<ArticleId>>> {
        self.store.load_band_index(site)?;
        Ok(self.store.band_members(site, buckets))
    }

    /// The sightings (time in Unix ns, fetch, stored revision) of an article, from every
    /// fetch (read once, then kept current).
    pub(crate) fn sighting_times_of(&self, id: ArticleId) -> Result<Vec<(i128, u64, u32)>> {
        let mut times = self.store.sighting_times.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if times.is_none() {
            *times = Some(self.store.sighting_times()?);
        }
        Ok(times.as_ref().and_then(|t| t.get(&id)).cloned().unwrap_or_default())
    }

    /// The articles fetch `seq` names, with the stored revision of each.
    pub(crate) fn fetch_articles(&self, seq: u64) -> Result<Vec<(ArticleId, u32)>> {
        match self.store.fetch_record(seq)? {
            Some(record) => Ok(record.articles.into_iter().map(|(id, n)| (ArticleId(id), n)).collect()),
            None => Ok(Vec::new()),
        }
    }

    /// Writes a page and its articles in one transaction. Not durable until [`Store::flush`].
    pub(crate) fn write_page(&self, write: PageWrite<'_>) -> Result<PageOutcome> {
        match self.write_pages(vec![write])? {
            Written::Committed(mut outcomes) if outcomes.len() == 1 => outcomes.remove(0),
            _ => Err(Error::Internal("a page written alone gave no outcome".into())),
        }
    }

    /// Writes pages, in order, in one transaction: all of them or none. Each must have been
    /// planned against the store as it stands, which holds only when no page's writes bear on
    /// another's: the pages are of different sites, different raw pages, and no article is
    /// written by two of them (two identities of different sites taking one id is the one
    /// way left; such a group is [`Written::Refused`], for the caller to write its pages one
    /// by one). An error: nothing was written. Not durable until [`Store::flush`].
    pub(crate) fn write_pages(&self, writes: Vec<PageWrite<'_>>) -> Result<Written> {
        let raws: Vec<ContentHash> = writes.iter().map(|w| ContentHash::of(&w.page.raw)).collect();
        if !independent(&writes, &raws) {
            return Ok(Written::Refused);
        }
        crate::timings::time(crate::timings::Stage::Store, || self.store.write_pages_untimed(writes, raws))
    }
}

#[cfg(test)]
thread_local! {
    /// The page transactions this thread began (tests tell a group's one from a page's).
    pub(super) static TRANSACTIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// What [`Writer::write_pages`] did.
#[derive(Debug)]
pub(crate) enum Written {
    /// Nothing: the pages cannot be written together.
    Refused,
    /// Every page, committed; per page its outcome, or an error met after the commit (its
    /// site's dictionary could not be made: the page is stored all the same).
    Committed(Vec<Result<PageOutcome>>),
}

impl Store {
    /// Writes pages in one transaction, in order (see [`Writer::write_pages`]); `raws` are
    /// their raw pages' hashes.
    fn write_pages_untimed(&self, writes: Vec<PageWrite<'_>>, raws: Vec<ContentHash>) -> Result<Written> {
        // Each page's part that reads the store outside the transaction: its sites' last page
        // (the raw page's base), the texts it shows, its dictionary.
        let mut prepared = Vec::with_capacity(writes.len());
        for (write, raw) in writes.into_iter().zip(raws) {
            let raw_base = self.raw_base(&raw, write.page)?;
            let shown = self.texts_shown(&raw_base, &write.articles);
            // A page derived again is no newer than the pages after it: the heads stay.
            let head_keys: Vec<Vec<u8>> =
                if write.again.is_some() { Vec::new() } else { head_keys(write.page).to_vec() };
            let dict = self.site_dict(&write.page.site)?;
            let pack = match write.again {
                Some(seq) => self.pack_key(seq)?,
                None => None,
            };
            prepared.push(PreparedWrite {
                write,
                raw,
                raw_base,
                shown,
                head_keys,
                dict,
                band_changes: RefCell::new(Vec::new()),
                pack,
            });
        }
        #[cfg(test)]
        TRANSACTIONS.with(|n| n.set(n.get() + 1));
        let mark = self.pack.mark();
        let h = self.h();
        let trees = (
            &h.meta,
            &h.blobs,
            &h.fetches,
            &h.articles,
            &h.revisions,
            &h.heads,
            &h.bands,
            &h.aliases,
            &h.dicts,
            &h.wholes,
        );
        let result = trees.transaction(|trees| {
            let _inside = super::InTransaction::enter();
            let mut outcomes = Vec::with_capacity(prepared.len());
            let mut new_fetches = Vec::new();
            for p in &prepared {
                let (outcome, fetch) = self.write_in(trees, p)?;
                match p.pack {
                    Some(first) => put_again(&trees.2, first, outcome.fetch, fetch)?,
                    None => new_fetches.push((outcome.fetch, fetch)),
                }
                outcomes.push(outcome);
            }
            // The new fetches are consecutive: one pack (or a few) for the group.
            for (first, pack) in super::fetches::packs_of(new_fetches) {
                trees.2.insert(&keys::fetch(first), super::records::encode_fetch_pack(&pack).map_err(abort)?)?;
            }
            Ok(outcomes)
        });
        self.forget_packs(prepared.iter().filter_map(|p| p.pack));
        let outcomes = self.settle(mark, result)?;
        for (p, outcome) in prepared.iter().zip(&outcomes) {
            let page = p.write.page;
            if let Some(times) = self.sighting_times.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_mut()
            {
                for o in &outcome.articles {
                    let seen = times.entry(o.id()).or_default();
                    match seen.iter_mut().find(|s| s.1 == outcome.fetch) {
                        Some(s) => s.2 = o.revision().0,
                        None => seen.push((nanos(page.fetched_at), outcome.fetch, o.revision().0)),
                    }
                }
            }
            self.apply_band_changes(&p.band_changes.borrow());
            if p.write.again.is_none() {
                self.remember_raw(&p.head_keys, p.raw, &page.raw);
                self.raw_fetches.lock().unwrap_or_else(std::sync::PoisonError::into_inner).note(p.raw, outcome.fetch);
            }
        }
        // A site without its lasting dictionary has a pending record (one lookup otherwise).
        // Every site's is made, whatever another's meets; an error is its page's own.
        let results = prepared
            .iter()
            .zip(outcomes)
            .map(|(p, outcome)| self.train_if_ready(&p.write.page.site).map(|()| outcome))
            .collect();
        Ok(Written::Committed(results))
    }

    /// Writes one page's records inside a group's transaction, but for its fetch record, which
    /// it returns (for a fetch derived again, naming only the articles derived again).
    fn write_in(&self, trees: &PageTrees, p: &PreparedWrite<'_>) -> TxResult<(PageOutcome, FetchRecord)> {
        let (meta, blobs, _, article_tree, revisions, heads, bands, aliases, dicts, wholes) = trees;
        let PreparedWrite {
            write: PageWrite { page, again, fetch: planned, listing, articles },
            raw,
            raw_base,
            shown,
            head_keys,
            dict,
            band_changes,
            ..
        } = p;
        let (again, raw) = (*again, *raw);
        band_changes.borrow_mut().clear();
        let seq: u64 = match again {
            Some(seq) => seq,
            None => {
                let seq = match meta.get(FETCH_SEQ_KEY)? {
                    Some(v) => decode_record(&|| "meta fetch_seq".into(), &v).map_err(abort)?,
                    None => 0,
                };
                meta.insert(FETCH_SEQ_KEY, encode_record(&(seq + 1)))?;
                seq
            }
        };
        if seq != *planned {
            let e = format!("page {} planned as fetch {planned}, stored as fetch {seq}", page.source);
            return Err(abort(Error::Internal(e)));
        }
        for key in head_keys {
            heads.insert(key.as_slice(), encode_record(&raw.0))?;
        }
        let bands = index::Bands { tree: bands, pending: band_changes };
        let text_trees = index::TextTrees { revisions, dicts };
        let mut stored = Vec::new();
        let mut brought = Vec::new();
        for a in articles {
            let id = a.outcome.id();
            if let Some(identity) = &a.unalias {
                aliases.remove(identity.as_bytes())?;
            }
            let coding = TextCoding { store: self, text_trees: &text_trees, dict: dict.as_deref(), wholes };
            write_revisions(&coding, revisions, id, &a.revisions)?;
            if let Some(alias) = &a.alias {
                // An alias names the lowest id of the articles carrying it; one already named
                // by a lower id (an earlier article of this page included) stays. A damaged
                // entry fails the page, as a damaged record does.
                let what = || format!("alias {alias:?}");
                let named = aliases.get(alias.as_bytes())?;
                let named = named.map(|v| decode_record::<[u8; 6]>(&what, &v)).transpose().map_err(abort)?;
                if named.is_none_or(|other| other > id.0) {
                    aliases.insert(alias.as_bytes(), encode_record(&id.0))?;
                }
            }
            if let Some(index) = &a.index {
                index::remove(&bands, &a.record.site, id)?;
                if let Some(buckets) = index {
                    index::add(&bands, &a.record.site, id, buckets)?;
                }
            }
            article_tree.insert(&id.0, encode_article(&a.record))?;
            // The page's own text, when this page brought it.
            let own = match a.outcome {
                ArticleOutcome::New(_) => Some(1),
                ArticleOutcome::Revised(_, r) => Some(r.0),
                ArticleOutcome::Unchanged(..) => None,
            };
            let text = own.and_then(|n| a.revisions.iter().find(|r| r.number == n)).and_then(|r| r.text.clone());
            if let (Some(n), Some(text)) = (own, text) {
                stored.push((id, text.len() as u64));
                brought.push((id, n, text));
            } else if let Some((n, text)) = shown.get(&id) {
                brought.push((id, *n, Arc::clone(text)));
            }
        }
        add_pending(dicts, &page.site, &stored, dict.is_some())?;
        if let Some(RawBase(base)) = raw_base {
            // The texts this page brought are stored now (and those it shows, for a page with
            // no base), so its raw bytes refer to them.
            let texts = brought.iter().map(|(id, n, text)| (*id, *n, text.as_bytes())).collect();
            let base = base.as_ref().map(|(hash, bytes, depth)| (*hash, bytes.as_slice(), *depth));
            let value = encode_raw(&page.raw, &RawRefs { texts, base }).map_err(abort)?;
            blobs.insert(&raw.0, self.put(&value).map_err(abort)?)?;
        }
        // Also the page's sightings: the fetch records are the only record of them.
        let sightings: Vec<([u8; 6], u32)> =
            articles.iter().map(|a| (a.outcome.id().0, a.outcome.revision().0)).collect();
        let fetch = FetchRecord {
            raw: raw.0,
            raw_len: page.raw.len() as u64,
            source: page.source.clone(),
            url: page.url.clone(),
            site: page.site.clone(),
            fetched_at: nanos(page.fetched_at),
            articles: sightings,
            listing: *listing,
            charset: page.charset.clone(),
        };
        let outcomes = articles.iter().map(|a| a.outcome).collect();
        Ok((PageOutcome { fetch: seq, raw, articles: outcomes, reread: false, warnings: Vec::new() }, fetch))
    }

    /// The next fetch's sequence number.
    pub(super) fn fetch_seq(&self) -> Result<u64> {
        match self.h().meta.get(FETCH_SEQ_KEY).map_err(|e| self.fail(e))? {
            Some(v) => decode_record(&|| "meta fetch_seq".into(), &v),
            None => Ok(0),
        }
    }

    /// The stored texts of the articles a page shows but did not bring, by article, when the
    /// page is stored with no base page (a site's first page, or the first after a chain of
    /// [`MAX_BLOB_DEPTH`] deltas ends). Such a page would otherwise pay for those texts again,
    /// a whole page where a delta costs a few percent of one; with them in its prefix, it pays
    /// for what lies around them. A text that cannot be read is left out (the page is only
    /// larger; `verify` names the damage).
    fn texts_shown(
        &self,
        raw_base: &Option<RawBase>,
        articles: &[ArticleWrite],
    ) -> HashMap<ArticleId, (u32, Arc<str>)> {
        let mut shown = HashMap::new();
        if !matches!(raw_base, Some(RawBase(None))) {
            return shown;
        }
        for a in articles {
            if let ArticleOutcome::Unchanged(id, n) = a.outcome {
                if let Ok(text) = self.stored_revision(id, n).and_then(|r| self.text(&r)) {
                    shown.insert(id, (n.0, Arc::from(text)));
                }
            }
        }
        shown
    }

    /// What a new raw page is stored against, or `None` when the store already holds it: the
    /// previous page of the same URL or file name, else of the same site (its hash, bytes and
    /// the depth the new page would sit at), unless that chain is too long. The texts the page
    /// brings are added in the page's transaction (see [`encode_raw`]).
    fn raw_base(&self, hash: &ContentHash, page: &Page) -> Result<Option<RawBase>> {
        if self.h().blobs.contains_key(hash.0).map_err(|e| self.fail(e))? {
            return Ok(None);
        }
        for key in head_keys(page) {
            let Some(value) = self.h().heads.get(&key).map_err(|e| self.fail(e))? else { continue };
            let base = ContentHash(decode_record(&|| "heads value".into(), &value)?);
            let Some(base_value) = self.h().blobs.get(base.0).map_err(|e| self.fail(e))? else { continue };
            let base_value = self.stored(&|| format!("blob {base}"), &base_value)?;
            let depth = blob_depth(&base, &base_value);
            if depth >= MAX_BLOB_DEPTH {
                break;
            }
            let base_bytes = match self.recent_raw(&key, &base) {
                Some(bytes) => bytes,
                None => self.blob_shared(&base)?,
            };
            return Ok(Some(RawBase(Some((base, base_bytes, depth + 1)))));
        }
        Ok(Some(RawBase(None)))
    }
}

/// How a page's transaction stores texts.
struct TextCoding<'a> {
    /// The store whose value file takes the texts.
    store: &'a Store,
    /// Where stored texts are read from (the chain a new revision is a delta against).
    text_trees: &'a index::TextTrees<'a>,
    /// The site's dictionary, if it has one.
    dict: Option<&'a Dict>,
    /// The texts stored whole, by their start (see [`super::wholes`]).
    wholes: &'a TransactionalTree,
}

/// Writes an article's revision records inside the page's transaction: a changed record keeps
/// its stored text; a new article's text is stored whole (or names an identical text stored
/// whole before, or is a delta against a text with its start: [`super::wholes`]); a new revision's is appended to the article's delta chain
/// (against the newest stored revision's chain).
fn write_revisions(
    coding: &TextCoding<'_>,
    revisions: &TransactionalTree,
    id: ArticleId,
    writes: &[RevisionWrite],
) -> TxResult<()> {
    let TextCoding { store, text_trees, dict, wholes } = *coding;
    let mut chain_texts: Option<BTreeMap<u32, Vec<u8>>> = None;
    for w in writes {
        let key = keys::revision(id, w.number);
        let value = match &w.text {
            None => {
                let Some(stored) = revisions.get(key)? else { return Err(abort(missing_revision(id, w.number))) };
                decode_revision(&|| format!("article {id} revision {}", w.number), &stored).map_err(abort)?.1
            }
            Some(text) if w.number == 1 => {
                let dicts = |d| store.dict_in(text_trees.dicts, d);
                super::wholes::put(wholes, store, text.as_bytes(), dict, &dicts)?
            }
            Some(text) => {
                let known = match &mut chain_texts {
                    Some(known) => known,
                    None => {
                        let mut known = BTreeMap::new();
                        index::text_in(store, text_trees, id, w.number - 1, &mut known)?;
                        chain_texts.insert(known)
                    }
                };
                let value = chain::append(text.as_bytes(), w.number, known, dict).map_err(abort)?;
                let what = || format!("article {id} revision {}", w.number);
                match chain::reference(&what, w.number, &value).map_err(abort)? {
                    Some(base) => known.retain(|&k, _| k <= base),
                    None => known.clear(),
                }
                known.insert(w.number, text.as_bytes().to_vec());
                store.put(&value).map_err(abort)?
            }
        };
        revisions.insert(&key, encode_revision(&w.record, &value))?;
    }
    Ok(())
}

/// Whether pages can be written in one transaction as planned apart (see
/// [`Writer::write_pages`]): no site, raw page (`raws`, in order) or article twice.
fn independent(writes: &[PageWrite<'_>], raws: &[ContentHash]) -> bool {
    let mut sites = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    writes.iter().zip(raws).all(|(w, raw)| {
        sites.insert(w.page.site.as_str()) && seen.insert(*raw) && w.articles.iter().all(|a| ids.insert(a.outcome.id()))
    })
}

/// The trees a page's transaction writes, as the transaction sees them.
type PageTrees = (
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
    TransactionalTree,
);

/// A page to write, with what was read for it before its transaction.
struct PreparedWrite<'a> {
    write: PageWrite<'a>,
    /// BLAKE3 of the raw page.
    raw: ContentHash,
    /// What the raw page is stored against (`None`: the store already holds it).
    raw_base: Option<RawBase>,
    /// The texts the page shows but did not bring (see [`Store::texts_shown`]).
    shown: HashMap<ArticleId, (u32, Arc<str>)>,
    /// The `heads` keys the page moves on.
    head_keys: Vec<Vec<u8>>,
    /// The site's dictionary.
    dict: Option<Arc<Dict>>,
    /// The changes to the identity index, applied to its in-memory copy once committed.
    band_changes: RefCell<Vec<index::BandChange>>,
    /// For a fetch derived again, the first fetch of the pack holding it.
    pack: Option<u64>,
}

/// The previous page a new raw page is stored against, if any: its hash, its bytes, and the
/// depth the new page sits at.
struct RawBase(Option<(ContentHash, Arc<Vec<u8>>, u8)>);

/// Puts a fetch derived again in its place in the pack starting at `first`; the articles the
/// page showed that were not derived again keep their entries.
fn put_again(fetches: &TransactionalTree, first: u64, seq: u64, mut fetch: FetchRecord) -> TxResult<()> {
    let missing = || abort(Error::Internal(format!("fetch {seq} derived again is not in its pack")));
    let value = fetches.get(keys::fetch(first))?.ok_or_else(missing)?;
    let (_, mut records) = super::fetches::decode_pack(&keys::fetch(first), &value).map_err(abort)?;
    let slot = records.get_mut((seq - first) as usize).ok_or_else(missing)?;
    let derived: std::collections::HashSet<[u8; 6]> = fetch.articles.iter().map(|(id, _)| *id).collect();
    fetch.articles.extend(slot.articles.drain(..).filter(|(id, _)| !derived.contains(id)));
    *slot = fetch;
    fetches.insert(&keys::fetch(first), super::records::encode_fetch_pack(&records).map_err(abort)?)?;
    Ok(())
}

pub(super) type TxResult<T> = std::result::Result<T, ConflictableTransactionError<Error>>;

pub(super) fn abort(e: Error) -> ConflictableTransactionError<Error> {
    ConflictableTransactionError::Abort(e)
}

fn missing_revision(id: ArticleId, n: u32) -> Error {
    Error::Corrupt { what: format!("article {id}"), detail: format!("its revision {n} is missing") }
}

/// The `heads` keys a raw page updates, most specific first: `page\0SITE\0URL-or-file-name`
/// and `site\0SITE`. A file name's digits are read as `0`: a scraper that names each day's
/// file by its date (`2025-11-02.txt`, `world-20251102.html`) writes one page again, not a new
/// one, and a key per name would be a record never read again.
fn head_keys(page: &Page) -> [Vec<u8>; 2] {
    let name = page
        .url
        .clone()
        .unwrap_or_else(|| file_name(&page.source).chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).collect());
    [format!("page\0{}\0{name}", page.site).into_bytes(), format!("site\0{}", page.site).into_bytes()]
}
