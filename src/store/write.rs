//! Writing one page and its articles, atomically across every tree.

use std::collections::HashSet;

use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;

use super::chain;
use super::codec::{blob_depth, encode_blob, encode_blob_delta, MAX_BLOB_DEPTH};
use super::dicts::{add_pending, Dict, DictLookup};
use super::records::{decode_record, encode_record, nanos, ArticleV1, FetchV1, RevisionV1, SightingV1};
use super::{keys, Store};
use crate::id::{ArticleId, ContentHash, RevisionNo};
use crate::page::file_name;
use crate::segment::Article;
use crate::trivial::is_trivial_change;
use crate::{Error, Page, Result};

pub(super) const FETCH_SEQ_KEY: &[u8] = b"fetch_seq";

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

/// What storing one page did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageOutcome {
    /// The fetch's sequence number.
    pub fetch: u64,
    /// BLAKE3 of the raw page.
    pub raw: ContentHash,
    /// One outcome per article, in page order.
    pub articles: Vec<ArticleOutcome>,
}

/// An article made ready outside the transaction.
struct Prepared<'a> {
    identity: String,
    article: &'a Article,
    hash: ContentHash,
}

impl Store {
    /// Stores a page and the articles derived from it, in one transaction: the raw page
    /// (content-addressed), each article's text (content-addressed), a new revision for each
    /// article whose text changed, and the fetch that saw them. Each article comes with its
    /// identity key, from which its id derives. Not durable until [`Store::flush`].
    pub fn ingest_page(&self, page: &Page, articles: &[(String, &Article)], listing: bool) -> Result<PageOutcome> {
        crate::timings::time(crate::timings::Stage::Store, || self.ingest_page_untimed(page, articles, listing))
    }

    fn ingest_page_untimed(&self, page: &Page, articles: &[(String, &Article)], listing: bool) -> Result<PageOutcome> {
        let raw = ContentHash::of(&page.raw);
        let raw_blob = self.new_raw_blob(&raw, page)?;
        let head_keys = head_keys(page);
        let prepared = self.prepare(articles);
        let fetched_at = nanos(page.fetched_at);
        let dict = self.site_dict(&page.site)?;
        let lookup = |id: u32| self.dict(id);
        let h = self.h();
        let trees =
            (&h.meta, &h.blobs, &h.fetches, &h.articles, &h.revisions, &h.texts, &h.sightings, &h.heads, &h.dicts);
        let result =
            trees.transaction(|(meta, blobs, fetches, article_tree, revisions, texts, sightings, heads, dicts)| {
                let seq: u64 = match meta.get(FETCH_SEQ_KEY)? {
                    Some(v) => decode_record(&|| "meta fetch_seq".into(), &v).map_err(abort)?,
                    None => 0,
                };
                meta.insert(FETCH_SEQ_KEY, encode_record(&(seq + 1)))?;
                if let Some(blob) = &raw_blob {
                    blobs.insert(&raw.0, blob.as_slice())?;
                }
                for key in &head_keys {
                    heads.insert(key.as_slice(), encode_record(&raw.0))?;
                }
                let mut outcomes = Vec::with_capacity(prepared.len());
                let trees = ArticleTrees { articles: article_tree, revisions, texts, sightings };
                let texts = TextCoding { dict: dict.as_deref(), lookup: &lookup };
                let mut undictionaried = Vec::new();
                for p in &prepared {
                    let outcome = store_article(&trees, &texts, page, p, seq, fetched_at)?;
                    if dict.is_none() && !matches!(outcome, ArticleOutcome::Unchanged(..)) {
                        undictionaried.push((id_of(&outcome), p.article.body.len() as u64));
                    }
                    outcomes.push(outcome);
                }
                add_pending(dicts, &page.site, &undictionaried)?;
                let fetch = FetchV1 {
                    raw: raw.0,
                    raw_len: page.raw.len() as u64,
                    source: page.source.clone(),
                    url: page.url.clone(),
                    site: page.site.clone(),
                    fetched_at,
                    articles: outcomes.iter().map(|o| (id_of(o).0, rev_of(o).0)).collect(),
                    listing,
                    charset: page.charset.clone(),
                };
                fetches.insert(&keys::fetch(seq), encode_record(&fetch))?;
                Ok(PageOutcome { fetch: seq, raw, articles: outcomes })
            });
        let outcome = result.map_err(|e| match e {
            TransactionError::Abort(e) => e,
            TransactionError::Storage(e) => self.fail(e),
        })?;
        self.remember_raw(&head_keys, raw, &page.raw);
        if dict.is_none() {
            self.train_if_ready(&page.site)?;
        }
        Ok(outcome)
    }

    /// The next fetch's sequence number.
    pub(super) fn fetch_seq(&self) -> Result<u64> {
        match self.h().meta.get(FETCH_SEQ_KEY).map_err(|e| self.fail(e))? {
            Some(v) => decode_record(&|| "meta fetch_seq".into(), &v),
            None => Ok(0),
        }
    }

    /// The encoded blob for a raw page, or `None` when the store already holds it: a delta
    /// against the previous page of the same URL or file name, else of the same site, when
    /// that is smaller than the page compressed alone and the chain is not too long.
    fn new_raw_blob(&self, hash: &ContentHash, page: &Page) -> Result<Option<Vec<u8>>> {
        if self.h().blobs.contains_key(hash.0).map_err(|e| self.fail(e))? {
            return Ok(None);
        }
        let whole = encode_blob(&page.raw);
        for key in head_keys(page) {
            let Some(value) = self.h().heads.get(&key).map_err(|e| self.fail(e))? else { continue };
            let base = ContentHash(decode_record(&|| "heads value".into(), &value)?);
            let Some(base_value) = self.h().blobs.get(base.0).map_err(|e| self.fail(e))? else { continue };
            let depth = blob_depth(&base_value);
            if depth >= MAX_BLOB_DEPTH {
                break;
            }
            let base_bytes = match self.recent_raw(&key, &base) {
                Some(bytes) => bytes,
                None => std::sync::Arc::new(self.blob(&base)?),
            };
            let delta = encode_blob_delta(&page.raw, &base, &base_bytes, depth + 1)?;
            return Ok(Some(if delta.len() < whole.len() { delta } else { whole }));
        }
        Ok(Some(whole))
    }

    fn prepare<'a>(&self, articles: &[(String, &'a Article)]) -> Vec<Prepared<'a>> {
        let mut seen = HashSet::new();
        let mut prepared = Vec::with_capacity(articles.len());
        for &(ref base, article) in articles {
            // Two articles of one page under one headline stay two articles.
            let mut identity = base.clone();
            let mut n = 1;
            while !seen.insert(identity.clone()) {
                n += 1;
                identity = format!("{base}\0{n}");
            }
            let hash = ContentHash::of(article.body.as_bytes());
            prepared.push(Prepared { identity, article, hash });
        }
        prepared
    }
}

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<Error>>;

/// The trees an article's write touches.
struct ArticleTrees<'t> {
    articles: &'t TransactionalTree,
    revisions: &'t TransactionalTree,
    texts: &'t TransactionalTree,
    sightings: &'t TransactionalTree,
}

/// How new texts are compressed: the site's dictionary if it has one, and where to find the
/// dictionaries stored texts name.
struct TextCoding<'a> {
    dict: Option<&'a Dict>,
    lookup: DictLookup<'a>,
}

fn store_article(
    trees: &ArticleTrees<'_>,
    coding: &TextCoding<'_>,
    page: &Page,
    p: &Prepared<'_>,
    seq: u64,
    seen: i128,
) -> TxResult<ArticleOutcome> {
    let ArticleTrees { articles, revisions, texts, sightings } = *trees;
    let body = p.article.body.as_bytes();
    let mut attempt = 0u8;
    let (id, existing) = loop {
        let id = ArticleId::derive(&p.identity, attempt);
        match articles.get(id.0)? {
            None => break (id, None),
            Some(value) => {
                let record: ArticleV1 = decode_record(&|| format!("article {id}"), &value).map_err(abort)?;
                if record.identity == p.identity {
                    break (id, Some(record));
                }
                attempt = attempt.checked_add(1).ok_or_else(|| abort(id_space_exhausted(&p.identity)))?;
            }
        }
    };
    let new_revision = |trivial: bool| RevisionV1 {
        hash: p.hash.0,
        len: p.article.body.len() as u64,
        title: p.article.title.clone(),
        date: p.article.date.map(|d| d.to_julian_day()),
        first_seen: seen,
        last_seen: seen,
        fetch: seq,
        trivial,
    };
    let (mut record, outcome) = match existing {
        None => {
            revisions.insert(&keys::revision(id, 1), encode_record(&new_revision(false)))?;
            texts.insert(&keys::revision(id, 1), chain::whole(body, coding.dict))?;
            let record = ArticleV1 {
                identity: p.identity.clone(),
                site: page.site.clone(),
                title: p.article.title.clone(),
                latest: 1,
                first_seen: seen,
                last_seen: seen,
                url: page.url.clone(),
                source: page.source.clone(),
            };
            (record, ArticleOutcome::New(id))
        }
        Some(mut record) => {
            let key = keys::revision(id, record.latest);
            let value = revisions.get(key)?.ok_or_else(|| abort(missing_revision(id, record.latest)))?;
            let mut latest: RevisionV1 =
                decode_record(&|| format!("article {id} revision {}", record.latest), &value).map_err(abort)?;
            // A page older than the newest revision (a backfilled scrape) whose text an earlier
            // revision already has is a sighting of that revision, not a new one.
            let earlier = if latest.hash != p.hash.0 && seen < latest.first_seen {
                earlier_revision(revisions, id, record.latest, &p.hash)?
            } else {
                None
            };
            if latest.hash == p.hash.0 {
                latest.first_seen = latest.first_seen.min(seen);
                latest.last_seen = latest.last_seen.max(seen);
                revisions.insert(&key, encode_record(&latest))?;
                let outcome = ArticleOutcome::Unchanged(id, RevisionNo(record.latest));
                (record, outcome)
            } else if let Some((number, mut old)) = earlier {
                old.first_seen = old.first_seen.min(seen);
                old.last_seen = old.last_seen.max(seen);
                revisions.insert(&keys::revision(id, number), encode_record(&old))?;
                (record, ArticleOutcome::Unchanged(id, RevisionNo(number)))
            } else {
                let previous = texts.get(key)?.ok_or_else(|| abort(missing_text(id, record.latest)))?;
                record.latest += 1;
                let what = || format!("article {id} revision {} text", record.latest - 1);
                let previous_text = chain::decode(&what, &previous, None, coding.lookup).map_err(abort)?;
                let trivial = is_trivial_change(&String::from_utf8_lossy(&previous_text), &p.article.body);
                let (value, replaced) =
                    chain::append(&what, record.latest, body, Some(&previous), coding.dict, coding.lookup)
                        .map_err(abort)?;
                if let Some(replaced) = replaced {
                    texts.insert(&key, replaced)?;
                }
                texts.insert(&keys::revision(id, record.latest), value)?;
                revisions.insert(&keys::revision(id, record.latest), encode_record(&new_revision(trivial)))?;
                record.title.clone_from(&p.article.title);
                let outcome = ArticleOutcome::Revised(id, RevisionNo(record.latest));
                (record, outcome)
            }
        }
    };
    record.first_seen = record.first_seen.min(seen);
    if seen >= record.last_seen {
        record.last_seen = seen;
        record.url.clone_from(&page.url);
        record.source.clone_from(&page.source);
    }
    articles.insert(&id.0, encode_record(&record))?;
    sightings.insert(&keys::sighting(id, seq), encode_record(&SightingV1 { revision: rev_of(&outcome).0 }))?;
    Ok(outcome)
}

/// The newest revision before `latest` whose text hashes to `hash`.
fn earlier_revision(
    revisions: &TransactionalTree,
    id: ArticleId,
    latest: u32,
    hash: &ContentHash,
) -> TxResult<Option<(u32, RevisionV1)>> {
    for number in (1..latest).rev() {
        let Some(value) = revisions.get(keys::revision(id, number))? else { continue };
        let record: RevisionV1 = decode_record(&|| format!("article {id} revision {number}"), &value).map_err(abort)?;
        if record.hash == hash.0 {
            return Ok(Some((number, record)));
        }
    }
    Ok(None)
}

fn id_of(o: &ArticleOutcome) -> ArticleId {
    match *o {
        ArticleOutcome::New(id) | ArticleOutcome::Revised(id, _) | ArticleOutcome::Unchanged(id, _) => id,
    }
}

fn rev_of(o: &ArticleOutcome) -> RevisionNo {
    match *o {
        ArticleOutcome::New(_) => RevisionNo(1),
        ArticleOutcome::Revised(_, r) | ArticleOutcome::Unchanged(_, r) => r,
    }
}

fn abort(e: Error) -> ConflictableTransactionError<Error> {
    ConflictableTransactionError::Abort(e)
}

fn missing_revision(id: ArticleId, n: u32) -> Error {
    Error::Corrupt { what: format!("article {id}"), detail: format!("its latest revision {n} is missing") }
}

fn missing_text(id: ArticleId, n: u32) -> Error {
    Error::Corrupt { what: format!("article {id} revision {n} text"), detail: "missing".into() }
}

fn id_space_exhausted(identity: &str) -> Error {
    Error::Corrupt { what: "articles".into(), detail: format!("256 id collisions for identity {identity:?}") }
}

/// The `heads` keys a raw page updates, most specific first: `page\0SITE\0URL-or-file-name`
/// and `site\0SITE`.
fn head_keys(page: &Page) -> [Vec<u8>; 2] {
    let name = page.url.clone().unwrap_or_else(|| file_name(&page.source).to_owned());
    [format!("page\0{}\0{name}", page.site).into_bytes(), format!("site\0{}", page.site).into_bytes()]
}
