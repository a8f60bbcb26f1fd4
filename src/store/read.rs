//! Reading articles, revisions, texts and fetches back.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::chain;
use super::codec::{check_blob, parse_blob, BlobValue, MAX_BLOB_DEPTH};
use super::records::{decode_article, decode_revision, time_of, ArticleRecord, FetchRecord};
use super::{keys, ArticleInfo, RevisionInfo, Store};
use crate::id::{ArticleId, ContentHash, RevisionNo};
use crate::{Error, Result};

/// Raw pages decoded so far, bounded in bytes: by one pass over many blobs, or by a store's
/// reads (see [`Store::blob`]).
pub(super) struct BlobCache {
    /// Each page, and whether it was checked against its hash.
    pages: HashMap<ContentHash, (Arc<Vec<u8>>, bool)>,
    bytes: usize,
    /// The most bytes held; past this it starts afresh.
    limit: usize,
    /// Pages decoded on the way to the one asked for are kept unchecked, and checked when
    /// asked for themselves. The page asked for is always checked, and a wrong page before it
    /// in its chain makes it hash wrong; the walk is then made again checking every page, so
    /// that the error names the page at fault. A pass that checks every blob (verify, dump)
    /// checks each page as it is decoded.
    unchecked_chain: bool,
}

/// The most bytes of decoded raw pages a pass's [`BlobCache`] holds.
const BLOB_CACHE_BYTES: usize = 64 << 20;

impl Default for BlobCache {
    fn default() -> Self {
        BlobCache { pages: HashMap::new(), bytes: 0, limit: BLOB_CACHE_BYTES, unchecked_chain: false }
    }
}

impl BlobCache {
    /// An empty cache of a store's reads, holding at most `limit` bytes, whose chain pages
    /// are checked when asked for.
    pub(super) fn reads(limit: usize) -> Self {
        BlobCache { limit, unchecked_chain: true, ..BlobCache::default() }
    }

    /// The pages held, leaving an empty cache of the same kind.
    fn take(&mut self) -> BlobCache {
        let empty = BlobCache { limit: self.limit, unchecked_chain: self.unchecked_chain, ..BlobCache::default() };
        std::mem::replace(self, empty)
    }

    /// Keeps a decoded page (`checked`: against its hash), and hands it back shared.
    fn keep(&mut self, hash: ContentHash, bytes: Vec<u8>, checked: bool) -> Arc<Vec<u8>> {
        if self.bytes + bytes.len() > self.limit {
            self.pages.clear();
            self.bytes = 0;
        }
        self.bytes += bytes.len();
        let bytes = Arc::new(bytes);
        self.pages.insert(hash, (Arc::clone(&bytes), checked));
        bytes
    }

    /// Lets go of the pages not checked.
    fn drop_unchecked(&mut self) {
        self.pages.retain(|_, (_, checked)| *checked);
        self.bytes = self.pages.values().map(|(bytes, _)| bytes.len()).sum();
    }
}

/// One fetch: a page read by one ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchInfo {
    /// Its sequence number.
    pub seq: u64,
    /// BLAKE3 of the raw page.
    pub raw: ContentHash,
    /// The raw page's length.
    pub raw_len: u64,
    /// Where it was read from.
    pub source: String,
    /// Its URL.
    pub url: Option<String>,
    /// Its site.
    pub site: String,
    /// When it was fetched.
    pub fetched_at: time::OffsetDateTime,
    /// The articles (and revisions) seen on it.
    pub articles: Vec<(ArticleId, RevisionNo)>,
    /// The page is a listing of teasers.
    pub listing: bool,
    /// The charset the transport declared for the raw page.
    pub charset: Option<String>,
}

/// The most candidates an ambiguous id prefix names.
const AMBIGUOUS_SHOWN: usize = 10;

impl Store {
    /// Every article, in id order.
    pub fn articles(&self) -> impl Iterator<Item = Result<ArticleInfo>> + '_ {
        self.h().articles.iter().map(move |item| {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let id = keys::fixed::<6>(&key).map(ArticleId).ok_or_else(|| bad_key("articles", &key))?;
            let record: ArticleRecord = decode_article(&|| format!("article {id}"), &value)?;
            Ok(ArticleInfo::from_record(id, record))
        })
    }

    /// The articles that have revisions stored but no article record (a damaged store: the
    /// record was lost), each with how many revisions it has, in id order. Readers that go
    /// through [`Store::articles`] report these rather than skip them without a word.
    pub fn articles_without_record(&self) -> Result<Vec<(ArticleId, u32)>> {
        let mut out: Vec<(ArticleId, u32)> = Vec::new();
        let mut last: Option<(ArticleId, bool)> = None;
        for item in self.h().revisions.iter().keys() {
            let key = item.map_err(|e| self.fail(e))?;
            let Some((id, _)) = keys::split_revision(&key) else { continue };
            let present = match last {
                Some((seen, present)) if seen == id => present,
                _ => self.h().articles.contains_key(id.0).map_err(|e| self.fail(e))?,
            };
            last = Some((id, present));
            if !present {
                match out.last_mut() {
                    Some((seen, count)) if *seen == id => *count += 1,
                    _ => out.push((id, 1)),
                }
            }
        }
        Ok(out)
    }

    /// One article.
    pub fn article(&self, id: ArticleId) -> Result<ArticleInfo> {
        let value = self.h().articles.get(id.0).map_err(|e| self.fail(e))?;
        let value = value.ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
        let record: ArticleRecord = decode_article(&|| format!("article {id}"), &value)?;
        Ok(ArticleInfo::from_record(id, record))
    }

    /// The article whose id is `text` or starts with it (at least 4 hex characters); a prefix
    /// that several ids share is an error naming the first few (id, site, title).
    pub fn resolve(&self, text: &str) -> Result<ArticleId> {
        let prefix = text.trim().to_ascii_lowercase();
        if let Some(id) = ArticleId::parse(&prefix) {
            return self.article(id).map(|a| a.id);
        }
        if prefix.len() < 4 || prefix.len() > 12 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::Invalid {
                what: "article id",
                detail: format!("{text:?} is not 4 to 12 hex characters"),
            });
        }
        // Scan only the keys that share the prefix's whole bytes.
        let whole: Vec<u8> =
            (0..prefix.len() / 2).filter_map(|i| u8::from_str_radix(&prefix[2 * i..2 * i + 2], 16).ok()).collect();
        let mut found = Vec::new();
        for item in self.h().articles.scan_prefix(&whole) {
            let (key, _) = item.map_err(|e| self.fail(e))?;
            if let Some(id) = keys::fixed::<6>(&key).map(ArticleId) {
                if id.to_string().starts_with(&prefix) {
                    found.push(id);
                }
            }
        }
        match found.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::NoSuchArticle(text.to_owned())),
            _ => {
                let mut candidates = String::new();
                for id in found.iter().take(AMBIGUOUS_SHOWN) {
                    let (site, title) = match self.article(*id) {
                        Ok(a) => (a.site, a.title.unwrap_or_else(|| "(untitled)".into())),
                        Err(_) => (String::from("?"), String::from("(unreadable)")),
                    };
                    candidates.push_str(&format!("\n  {id}  {site}  {title}"));
                }
                if found.len() > AMBIGUOUS_SHOWN {
                    candidates.push_str(&format!("\n  and {} more", found.len() - AMBIGUOUS_SHOWN));
                }
                Err(Error::AmbiguousId { prefix: text.to_owned(), count: found.len(), candidates })
            }
        }
    }

    /// An article's history: its revisions in time order, numbered from 1. Each revision is a
    /// run of fetches that saw one text under one headline, and runs do not overlap in time (see
    /// "History" in ARCHITECTURE.md), so ordering the stored revisions by when each was first
    /// seen gives the same history whatever order the fetches were ingested in.
    pub fn revisions(&self, id: ArticleId) -> Result<Vec<RevisionInfo>> {
        let mut out = self.stored_revisions(id)?;
        out.retain(|r| !r.withdrawn);
        in_time_order(&mut out);
        Ok(out)
    }

    /// Revision `number` of an article's history (see [`Store::revisions`]).
    pub fn revision(&self, id: ArticleId, number: RevisionNo) -> Result<RevisionInfo> {
        let mut revisions = self.revisions(id)?;
        let index = number.0.checked_sub(1).map(|i| i as usize).filter(|&i| i < revisions.len());
        let index = index.ok_or_else(|| Error::NoSuchRevision { id: id.to_string(), revision: number.0 })?;
        Ok(revisions.swap_remove(index))
    }

    /// The newest revision of an article's history.
    pub fn latest_revision(&self, id: ArticleId) -> Result<RevisionInfo> {
        let revisions = self.revisions(id)?;
        revisions.into_iter().last().ok_or_else(|| Error::NoSuchRevision { id: id.to_string(), revision: 1 })
    }

    /// How many stored texts of an article are no revision of its history any more: `reprocess`
    /// derived every page that showed them to other texts (see "Writing a page" in
    /// ARCHITECTURE.md).
    pub fn withdrawn_texts(&self, id: ArticleId) -> Result<usize> {
        Ok(self.stored_revisions(id)?.iter().filter(|r| r.withdrawn).count())
    }

    /// Every stored revision of an article, in the order they were stored (`number` is the
    /// stored number), withdrawn ones included.
    pub(crate) fn stored_revisions(&self, id: ArticleId) -> Result<Vec<RevisionInfo>> {
        let mut out = Vec::new();
        for item in self.h().revisions.scan_prefix(id.0) {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let (_, number) = keys::split_revision(&key).ok_or_else(|| bad_key("revisions", &key))?;
            let (record, _) = decode_revision(&|| format!("article {id} revision {number}"), &value)?;
            out.push(RevisionInfo::from_record(id, number, record));
        }
        if out.is_empty() {
            self.article(id)?;
        }
        Ok(out)
    }

    /// The revision stored under `number` (not renumbered into the article's history).
    pub(super) fn stored_revision(&self, id: ArticleId, number: RevisionNo) -> Result<RevisionInfo> {
        let value = self.h().revisions.get(keys::revision(id, number.0)).map_err(|e| self.fail(e))?;
        let value = value.ok_or_else(|| Error::NoSuchRevision { id: id.to_string(), revision: number.0 })?;
        let (record, _) = decode_revision(&|| format!("article {id} revision {number}"), &value)?;
        Ok(RevisionInfo::from_record(id, number.0, record))
    }

    /// The bytes stored under `hash`, checked against it.
    pub(crate) fn blob(&self, hash: &ContentHash) -> Result<Vec<u8>> {
        let bytes = self.blob_shared(hash)?;
        Ok(Arc::try_unwrap(bytes).unwrap_or_else(|shared| shared.as_ref().clone()))
    }

    /// [`Store::blob`], shared. A page decoded here is kept, with the pages of its delta chain
    /// decoded on the way, among the pages read lately: so the ingest that compares a site's
    /// new page with earlier ones and then stores the new page against the last one decodes
    /// each page of that chain once.
    pub(super) fn blob_shared(&self, hash: &ContentHash) -> Result<Arc<Vec<u8>>> {
        let kept = || self.read_pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Taken out while decoding, so that no reader waits on another's decoding: one reading
        // meanwhile decodes without it.
        let mut cache = kept().take();
        let read = self.blob_cached(hash, &mut cache);
        *kept() = cache;
        read
    }

    /// [`Store::blob`], reusing and filling `cache`: a raw page at depth `d` of a delta chain
    /// needs the `d` pages before it, so reading every blob of a store (verify, dump) without
    /// one decodes each chain's first pages again for every page after them.
    pub(super) fn blob_cached(&self, hash: &ContentHash, cache: &mut BlobCache) -> Result<Arc<Vec<u8>>> {
        if !cache.unchecked_chain {
            return self.blob_walk(hash, cache, true);
        }
        match self.blob_walk(hash, cache, false) {
            // Read again checking every page, for the error to name the page at fault.
            Err(crate::Error::Corrupt { .. }) => {
                cache.drop_unchecked();
                self.blob_walk(hash, cache, true)
            }
            other => other,
        }
    }

    /// Reads a blob through its chain, as [`Store::blob_cached`] does; with `check_all`, every
    /// page decoded is checked against its hash, else only the page asked for.
    fn blob_walk(&self, hash: &ContentHash, cache: &mut BlobCache, check_all: bool) -> Result<Arc<Vec<u8>>> {
        // Walk from this blob to a whole one, one with no base, or one already decoded; then
        // apply the deltas forward.
        let mut deltas: Vec<(ContentHash, Vec<u8>)> = Vec::new();
        let mut at = *hash;
        let check = |at: &ContentHash, bytes: &[u8]| match check_all || at == hash {
            true => check_blob(at, bytes).map(|()| true),
            false => Ok(false),
        };
        let mut bytes = loop {
            if let Some((bytes, checked)) = cache.pages.get_mut(&at) {
                if !*checked && at == *hash {
                    check_blob(&at, bytes)?;
                    *checked = true;
                }
                break Arc::clone(bytes);
            }
            let what = || format!("blob {at}");
            let value = self.h().blobs.get(at.0).map_err(|e| self.fail(e))?;
            let value = value.ok_or_else(|| Error::Corrupt { what: what(), detail: "missing".into() })?;
            let value = self.stored(&what, &value)?;
            match parse_blob(&at, &value)? {
                BlobValue::Whole(bytes) => {
                    let checked = check(&at, &bytes)?;
                    break cache.keep(at, bytes, checked);
                }
                BlobValue::Delta { base, .. } => {
                    if deltas.len() > usize::from(MAX_BLOB_DEPTH) {
                        return Err(Error::Corrupt {
                            what: format!("blob {hash}"),
                            detail: "delta chain too long".into(),
                        });
                    }
                    deltas.push((at, value));
                    match base {
                        Some(base) => at = base,
                        None => break Arc::new(Vec::new()),
                    }
                }
            }
        };
        // The texts read for the chain's pages, by article: the pages of a chain bring texts of
        // the same articles, whose deltas are read from the same earlier texts.
        let mut known: HashMap<ArticleId, BTreeMap<u32, Vec<u8>>> = HashMap::new();
        for (at, value) in deltas.iter().rev() {
            if let BlobValue::Delta { frame, texts, .. } = parse_blob(at, value)? {
                let what = || format!("blob {at}");
                let next = if texts.is_empty() {
                    chain::decompress_with_prefix(&what, frame, &bytes)?
                } else {
                    let mut prefix = Vec::new();
                    for (id, revision) in texts {
                        let text = self.read_text(id, revision, known.entry(id).or_default()).map_err(|e| match e {
                            Error::Corrupt { what: text, detail } => {
                                Error::Corrupt { what: what(), detail: format!("its reference {text}: {detail}") }
                            }
                            other => other,
                        })?;
                        prefix.extend_from_slice(text);
                    }
                    prefix.extend_from_slice(&bytes);
                    chain::decompress_with_prefix(&what, frame, &prefix)?
                };
                let checked = check(at, &next)?;
                bytes = cache.keep(*at, next, checked);
            }
        }
        Ok(bytes)
    }

    /// The text of a revision, read through its delta chain and checked against its hash.
    pub fn text(&self, revision: &RevisionInfo) -> Result<String> {
        let id = revision.article;
        let what = |n: u32| move || format!("article {id} revision {n} text");
        let mut known = BTreeMap::new();
        let number = revision.stored.0;
        let text = self.read_text(id, number, &mut known)?.to_vec();
        chain::check(&what(number), &text, &revision.hash)?;
        String::from_utf8(text).map_err(|_| Error::Corrupt { what: what(number)(), detail: "text is not UTF-8".into() })
    }

    /// Reads revision `number` of article `id` with the texts it refers to, leaving every text
    /// it decodes in `known` (see [`chain::read`]); not checked against the revision's hash.
    pub(super) fn read_text<'k>(
        &self,
        id: ArticleId,
        number: u32,
        known: &'k mut BTreeMap<u32, Vec<u8>>,
    ) -> Result<&'k [u8]> {
        self.read_text_with(id, number, known, &|key| self.text_value(key), &|d| self.dict(d), &|e| e)
    }

    /// The stored value of a revision's text, which its revision record holds; `None` when
    /// there is no such revision.
    pub(super) fn text_value(&self, key: [u8; 10]) -> Result<Option<sled::IVec>> {
        text_value_via(key, &|k| self.h().revisions.get(k).map_err(|e| self.fail(e)), &|e| e)
    }

    /// [`Store::read_text`] through `get`, which gives a revision's text's stored value by its
    /// key (see [`Store::text_value`]; directly, or inside a transaction), and `dicts`, which
    /// gives a dictionary by its id (inside a transaction it must read through the
    /// transaction: a plain read there waits forever on the transaction's own lock); `fail`
    /// makes a store error the caller's. The base another article's text is a delta against
    /// (kind 5) is read from the value file, which is not sled, and decoded with `dicts`.
    pub(super) fn read_text_with<'k, E>(
        &self,
        id: ArticleId,
        number: u32,
        known: &'k mut BTreeMap<u32, Vec<u8>>,
        get: &dyn Fn([u8; 10]) -> std::result::Result<Option<sled::IVec>, E>,
        dicts: super::dicts::DictLookup<'_>,
        fail: &dyn Fn(Error) -> E,
    ) -> std::result::Result<&'k [u8], E> {
        let what = |n: u32| format!("article {id} revision {n} text");
        let mut fetch = |n: u32| {
            let value = get(keys::revision(id, n))?;
            let value = value.ok_or_else(|| fail(Error::Corrupt { what: what(n), detail: "missing".into() }))?;
            self.stored(&|| what(n), &value).map_err(fail)
        };
        chain::read(&what, number, &mut fetch, known, dicts, &|pointer| self.base_value(pointer), fail)
    }

    /// The whole value a kind-5 text value names (its base), read from the value file: anywhere,
    /// inside a transaction too, as sled is not read.
    pub(super) fn base_value(&self, pointer: &[u8]) -> Result<Vec<u8>> {
        self.stored(&|| chain::describe_base(pointer), pointer)
    }

    /// The revision an article was at, as of `t`: its newest revision first seen at or before
    /// `t`, or `None` when the article was not yet seen.
    pub(crate) fn revision_as_of(&self, id: ArticleId, t: time::OffsetDateTime) -> Result<Option<RevisionInfo>> {
        Ok(self.revisions(id)?.into_iter().rfind(|r| r.first_seen <= t))
    }

    /// Every revision first seen in `[since, until)`, in time order (then id, then number),
    /// optionally only of one site. Revision 1 counts: a new article is a change too.
    pub fn changes(
        &self,
        since: time::OffsetDateTime,
        until: Option<time::OffsetDateTime>,
        site: Option<&str>,
    ) -> Result<Vec<(ArticleInfo, RevisionInfo)>> {
        let mut out = Vec::new();
        for article in self.articles() {
            let article = article?;
            if site.is_some_and(|s| s != article.site) || article.last_seen < since {
                continue;
            }
            for revision in self.revisions(article.id)? {
                if revision.first_seen >= since && until.is_none_or(|u| revision.first_seen < u) {
                    out.push((article.clone(), revision));
                }
            }
        }
        out.sort_by_key(|(article, revision)| (revision.first_seen, article.id, revision.number));
        Ok(out)
    }

    /// Every fetch, in sequence order.
    pub fn fetches(&self) -> impl Iterator<Item = Result<FetchInfo>> + '_ {
        self.fetch_records().map(|item| item.map(|(seq, record)| fetch_info(seq, record)))
    }

    /// Whether a revision's text came from a listing page (the flag of the fetch that first
    /// brought it).
    pub(crate) fn is_listing(&self, revision: &RevisionInfo) -> Result<bool> {
        Ok(self.fetch(revision.fetch)?.listing)
    }

    /// One fetch.
    pub fn fetch(&self, seq: u64) -> Result<FetchInfo> {
        let record = self.fetch_record(seq)?;
        let record = record.ok_or_else(|| Error::Corrupt { what: format!("fetch {seq}"), detail: "missing".into() })?;
        Ok(fetch_info(seq, record))
    }

    /// Whether each fetch of the pack holding fetch `seq` came from a listing page, by fetch
    /// (for a reader that looks many fetches up in no order: `export`).
    pub(crate) fn listings_near(&self, seq: u64) -> Result<Vec<(u64, bool)>> {
        let (first, records) = self
            .fetch_pack(seq)?
            .ok_or_else(|| Error::Corrupt { what: format!("fetch {seq}"), detail: "missing".into() })?;
        Ok(super::fetches::numbered(first, records.iter().map(|r| r.listing)).collect())
    }

    /// Fetch `seq`'s page as it was read: its raw bytes and what was known of it.
    pub(crate) fn stored_page(&self, seq: u64) -> Result<crate::Page> {
        let fetch = self.fetch(seq)?;
        Ok(crate::Page {
            raw: self.blob(&fetch.raw)?,
            source: fetch.source,
            url: fetch.url,
            fetched_at: fetch.fetched_at,
            site: fetch.site,
            charset: fetch.charset,
        })
    }
}

/// Puts stored revisions in time order and numbers them from 1: by their first sightings' order
/// keys ([`super::history::order_key`]), then by stored number (a store written before histories
/// were kept in time order may hold two runs of one text that began at one instant).
pub(super) fn in_time_order(revisions: &mut [RevisionInfo]) {
    revisions.sort_by_cached_key(|r| {
        (super::history::order_key(super::records::nanos(r.first_seen), &r.hash.0, r.title.as_deref()), r.stored)
    });
    for (i, r) in revisions.iter_mut().enumerate() {
        r.number = RevisionNo(i as u32 + 1);
    }
}

/// The stored value of a revision's text by its key, which its revision record holds, read
/// with `revision` (the `revisions` tree's `get`, directly or inside a transaction); `None`
/// when there is no such revision. `fail` makes a decoding error the caller's.
pub(super) fn text_value_via<E>(
    key: [u8; 10],
    revision: &dyn Fn([u8; 10]) -> std::result::Result<Option<sled::IVec>, E>,
    fail: &dyn Fn(Error) -> E,
) -> std::result::Result<Option<sled::IVec>, E> {
    let Some(value) = revision(key)? else { return Ok(None) };
    let (_, stored) = decode_revision(&|| format!("revision key {key:?}"), &value).map_err(fail)?;
    Ok(Some(stored.into()))
}

pub(super) fn fetch_info(seq: u64, r: FetchRecord) -> FetchInfo {
    FetchInfo {
        seq,
        raw: ContentHash(r.raw),
        raw_len: r.raw_len,
        source: r.source,
        url: r.url,
        site: r.site,
        fetched_at: time_of(r.fetched_at),
        articles: r.articles.into_iter().map(|(id, rev)| (ArticleId(id), RevisionNo(rev))).collect(),
        listing: r.listing,
        charset: r.charset,
    }
}

pub(super) fn bad_key(tree: &str, key: &[u8]) -> Error {
    Error::Corrupt { what: format!("{tree} key"), detail: format!("{} bytes, not a valid key", key.len()) }
}
