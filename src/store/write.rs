//! Writing one page and its articles, atomically across every tree.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;

use super::chain;
use super::codec::{blob_depth, encode_raw, RawRefs, MAX_BLOB_DEPTH};
use super::dicts::{add_pending, Dict};
use super::records::{
    decode_article, decode_record, decode_revision, encode_article, encode_record, encode_revision, nanos, ArticleV1,
    DecodedRevision, FetchV1, RevisionV1,
};
use super::sigs;
use super::{keys, Store};
use crate::id::{ArticleId, ContentHash, RevisionNo};
use crate::page::file_name;
use crate::segment::Article;
use crate::sketch::{jaccard, title_fits, Sketch, SAME_ARTICLE};
use crate::trivial::{is_trivial_change, trivial_form};
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
    /// The page was a stored fetch read again (see [`Store::stored_fetch`]): nothing was written.
    pub reread: bool,
    /// What the user should know about how the page was read (filled by the ingester).
    pub warnings: Vec<String>,
}

/// An article made ready outside the transaction.
struct Prepared<'a> {
    identity: String,
    article: &'a Article,
    hash: ContentHash,
    /// The body's sketch, for a titled article long enough to have one: made when first
    /// needed (a new article, a new revision), never for the unchanged majority.
    sketch: OnceCell<Option<Sketch>>,
}

impl Prepared<'_> {
    /// The body's sketch (see [`Prepared::sketch`]'s field).
    fn sketch(&self) -> Option<&Sketch> {
        let article = self.article;
        self.sketch.get_or_init(|| article.title.as_ref().and_then(|_| Sketch::of(&article.body))).as_ref()
    }
}

/// The stored article a page's article is (or `None`: a new article).
struct Target {
    id: ArticleId,
    existing: Option<ArticleV1>,
}

impl Store {
    /// Stores a page and the articles derived from it, in one transaction: the raw page
    /// (content-addressed), each article's text (content-addressed), a new revision for each
    /// article whose text changed, and the fetch that saw them. Each article comes with its
    /// identity key, from which its id derives. Not durable until [`Store::flush`].
    pub fn ingest_page(&self, page: &Page, articles: &[(String, &Article)], listing: bool) -> Result<PageOutcome> {
        let _writer = self.writing();
        crate::timings::time(crate::timings::Stage::Store, || self.ingest_page_untimed(page, articles, listing, None))
    }

    /// Stores articles derived again from stored fetch `seq`'s page (see [`Store::ingest_page`]),
    /// as that fetch: no fetch is added; the fetch's record lists the articles given, at the
    /// revisions they are now at, and keeps listing those it showed that are not given (their
    /// newest text came from a later fetch).
    pub fn rederive_page(
        &self,
        seq: u64,
        page: &Page,
        articles: &[(String, &Article)],
        listing: bool,
    ) -> Result<PageOutcome> {
        let _writer = self.writing();
        crate::timings::time(crate::timings::Stage::Store, || {
            self.ingest_page_untimed(page, articles, listing, Some(seq))
        })
    }

    fn ingest_page_untimed(
        &self,
        page: &Page,
        articles: &[(String, &Article)],
        listing: bool,
        again: Option<u64>,
    ) -> Result<PageOutcome> {
        let raw = ContentHash::of(&page.raw);
        let raw_base = self.raw_base(&raw, page)?;
        // A page derived again is no newer than the pages after it: the heads stay.
        let head_keys: Vec<Vec<u8>> = if again.is_some() { Vec::new() } else { head_keys(page).to_vec() };
        let prepared = self.prepare(articles);
        let fetched_at = nanos(page.fetched_at);
        let dict = self.site_dict(&page.site)?;
        self.ensure_identity_index()?;
        self.load_band_index(&page.site)?;
        let band_changes = RefCell::new(Vec::new());
        let mark = self.pack.mark();
        let old_schema = self.schema_is_old();
        let h = self.h();
        let trees = (
            &h.meta,
            &h.blobs,
            &h.fetches,
            &h.articles,
            &h.revisions,
            &h.texts,
            &h.heads,
            &h.bands,
            &h.aliases,
            &h.dicts,
        );
        let result = trees.transaction(
            |(meta, blobs, fetches, article_tree, revisions, texts, heads, bands, aliases, dicts)| {
                let _inside = super::InTransaction::enter();
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
                if old_schema {
                    // This page's values go to the value file and its texts may be skip-deltas:
                    // builds of schema 1 and 2 cannot read them.
                    meta.insert(super::SCHEMA_KEY, encode_record(&super::SCHEMA_VERSION))?;
                }
                for key in &head_keys {
                    heads.insert(key.as_slice(), encode_record(&raw.0))?;
                }
                let mut outcomes = Vec::with_capacity(prepared.len());
                let bands = sigs::Bands { tree: bands, pending: &band_changes };
                let trees = ArticleTrees { articles: article_tree, revisions, texts, bands, aliases, dicts };
                let coding = TextCoding { store: self, dict: dict.as_deref() };
                let targets = resolve(&trees, &coding, &page.site, &prepared)?;
                let mut stored = Vec::new();
                for (p, target) in prepared.iter().zip(targets) {
                    let outcome = store_article(&trees, &coding, page, p, target, seq, fetched_at)?;
                    if !matches!(outcome, ArticleOutcome::Unchanged(..)) {
                        stored.push((id_of(&outcome), p.article.body.len() as u64));
                    }
                    outcomes.push(outcome);
                }
                add_pending(dicts, &page.site, &stored, dict.is_some())?;
                if let Some(RawBase(base)) = &raw_base {
                    // The texts this page brought are stored now, so its raw bytes refer to them.
                    let texts = prepared
                        .iter()
                        .zip(&outcomes)
                        .filter_map(|(p, o)| match *o {
                            ArticleOutcome::New(id) => Some((id, 1, p.article.body.as_bytes())),
                            ArticleOutcome::Revised(id, r) => Some((id, r.0, p.article.body.as_bytes())),
                            ArticleOutcome::Unchanged(..) => None,
                        })
                        .collect();
                    let base = base.as_ref().map(|(hash, bytes, depth)| (*hash, bytes.as_slice(), *depth));
                    let value = encode_raw(&page.raw, &RawRefs { texts, base }).map_err(abort)?;
                    blobs.insert(&raw.0, coding.put(&value)?)?;
                }
                // Also the page's sightings: schema 4 keeps no other record of them.
                let mut sightings: Vec<([u8; 6], u32)> = outcomes.iter().map(|o| (id_of(o).0, rev_of(o).0)).collect();
                if let Some(seq) = again {
                    // The articles the page showed that were not derived again keep their entries.
                    if let Some(value) = fetches.get(keys::fetch(seq))? {
                        let old: FetchV1 = decode_record(&|| format!("fetch {seq}"), &value).map_err(abort)?;
                        let derived: HashSet<[u8; 6]> = sightings.iter().map(|(id, _)| *id).collect();
                        sightings.extend(old.articles.into_iter().filter(|(id, _)| !derived.contains(id)));
                    }
                }
                let fetch = FetchV1 {
                    raw: raw.0,
                    raw_len: page.raw.len() as u64,
                    source: page.source.clone(),
                    url: page.url.clone(),
                    site: page.site.clone(),
                    fetched_at,
                    articles: sightings,
                    listing,
                    charset: page.charset.clone(),
                };
                fetches.insert(&keys::fetch(seq), encode_record(&fetch))?;
                Ok(PageOutcome { fetch: seq, raw, articles: outcomes, reread: false, warnings: Vec::new() })
            },
        );
        let outcome = self.settle(mark, result)?;
        self.apply_band_changes(&band_changes.into_inner());
        if old_schema {
            self.schema.store(super::SCHEMA_VERSION, std::sync::atomic::Ordering::SeqCst);
        }
        if again.is_none() {
            self.remember_raw(&head_keys, raw, &page.raw);
            self.raw_fetches.lock().unwrap_or_else(std::sync::PoisonError::into_inner).note(raw, outcome.fetch);
        }
        // A site without its lasting dictionary has a pending record (one lookup otherwise).
        self.train_if_ready(&page.site)?;
        Ok(outcome)
    }

    /// The next fetch's sequence number.
    pub(super) fn fetch_seq(&self) -> Result<u64> {
        match self.h().meta.get(FETCH_SEQ_KEY).map_err(|e| self.fail(e))? {
            Some(v) => decode_record(&|| "meta fetch_seq".into(), &v),
            None => Ok(0),
        }
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
            let base_value = self.stored(&|| format!("blob {base}"), base_value)?;
            let depth = blob_depth(&base, &base_value);
            if depth >= MAX_BLOB_DEPTH {
                break;
            }
            let base_bytes = match self.recent_raw(&key, &base) {
                Some(bytes) => bytes,
                None => Arc::new(self.blob(&base)?),
            };
            return Ok(Some(RawBase(Some((base, base_bytes, depth + 1)))));
        }
        Ok(Some(RawBase(None)))
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
            prepared.push(Prepared { identity, article, hash, sketch: OnceCell::new() });
        }
        prepared
    }
}

/// The previous page a new raw page is stored against, if any: its hash, its bytes, and the
/// depth the new page sits at.
struct RawBase(Option<(ContentHash, Arc<Vec<u8>>, u8)>);

pub(super) type TxResult<T> = std::result::Result<T, ConflictableTransactionError<Error>>;

/// The trees an article's write touches.
struct ArticleTrees<'t> {
    articles: &'t TransactionalTree,
    revisions: &'t TransactionalTree,
    texts: &'t TransactionalTree,
    bands: sigs::Bands<'t>,
    aliases: &'t TransactionalTree,
    dicts: &'t TransactionalTree,
}

impl<'t> ArticleTrees<'t> {
    /// The trees a revision's text is read from.
    fn text_trees(&self) -> sigs::TextTrees<'t> {
        sigs::TextTrees { revisions: self.revisions, texts: self.texts, dicts: self.dicts }
    }
}

/// The id `identity` derives (after any collisions with other identities), and the article
/// stored there, if any.
fn by_identity(articles: &TransactionalTree, identity: &str) -> TxResult<(ArticleId, Option<ArticleV1>)> {
    let mut attempt = 0u8;
    loop {
        let id = ArticleId::derive(identity, attempt);
        match articles.get(id.0)? {
            None => return Ok((id, None)),
            Some(value) => {
                let record: ArticleV1 = decode_article(&|| format!("article {id}"), &value).map_err(abort)?;
                if record.identity == identity {
                    return Ok((id, Some(record)));
                }
                attempt = attempt.checked_add(1).ok_or_else(|| abort(id_space_exhausted(identity)))?;
            }
        }
    }
}

/// The stored article each of a page's articles is: by identity (its headline), else by an
/// alias (a headline some stored article carried after an edit), else by a body that is
/// mostly the same as a stored article's of the same site (an edited headline). No stored
/// article is claimed twice by one page; among body matches the most similar pairs go first
/// (ties in page order, then by id), so the outcome depends only on the store and the page.
fn resolve(
    trees: &ArticleTrees<'_>,
    coding: &TextCoding<'_>,
    site: &str,
    prepared: &[Prepared<'_>],
) -> TxResult<Vec<Target>> {
    let mut targets = Vec::with_capacity(prepared.len());
    let mut claimed = HashSet::new();
    for p in prepared {
        let (id, existing) = by_identity(trees.articles, &p.identity)?;
        targets.push(Target { id, existing });
        if targets.last().is_some_and(|t| t.existing.is_some()) {
            claimed.insert(id);
        }
    }
    for (p, target) in prepared.iter().zip(targets.iter_mut()) {
        if target.existing.is_some() || p.article.title.is_none() {
            continue;
        }
        if let Some(id) = sigs::alias(trees.aliases, &p.identity)?.filter(|id| !claimed.contains(id)) {
            if let Some(value) = trees.articles.get(id.0)? {
                let record = decode_article(&|| format!("article {id}"), &value).map_err(abort)?;
                *target = Target { id, existing: Some(record) };
                claimed.insert(id);
            }
        }
    }
    let mut matches: Vec<(f64, usize, ArticleId, ArticleV1)> = Vec::new();
    let text_trees = trees.text_trees();
    for (i, p) in prepared.iter().enumerate() {
        if targets[i].existing.is_some() {
            continue;
        }
        let Some(sketch) = p.sketch() else { continue };
        for id in sigs::candidates(coding.store, &trees.bands, site, sketch, &claimed) {
            let Some(value) = trees.articles.get(id.0)? else { continue };
            let record: ArticleV1 = decode_article(&|| format!("article {id}"), &value).map_err(abort)?;
            let Some(shingles) = sigs::latest_shingles(coding.store, &text_trees, id, record.latest)? else { continue };
            // An empty list (a text too short for a sketch) is similarity 0.
            let similarity = jaccard(&sketch.shingles, &shingles);
            if similarity < SAME_ARTICLE {
                continue;
            }
            let Some(text) = sigs::latest_text(coding.store, &text_trees, id, record.latest)? else { continue };
            let title = p.article.title.as_deref().unwrap_or_default();
            if title_fits(title, &p.article.body, &text) {
                matches.push((similarity, i, id, record));
            }
        }
    }
    matches.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, id, record) in matches {
        if targets[i].existing.is_none() && claimed.insert(id) {
            targets[i] = Target { id, existing: Some(record) };
        }
    }
    Ok(targets)
}

/// Records a new revision's title as an alias of its article, when it is not the identity the
/// article's id derives from and no article derives its id from it.
fn note_alias(trees: &ArticleTrees<'_>, site: &str, title: Option<&str>, id: ArticleId, own: &str) -> TxResult<()> {
    let Some(title) = title else { return Ok(()) };
    let alias = ArticleId::title_identity(site, title);
    if alias != own && by_identity(trees.articles, &alias)?.1.is_none() {
        trees.aliases.insert(alias.as_bytes(), encode_record(&id.0))?;
    }
    Ok(())
}

/// Whether two titles differ in more than white space, punctuation or case.
fn title_changed(old: Option<&str>, new: Option<&str>) -> bool {
    old.map(trivial_form) != new.map(trivial_form)
}

/// How new texts are compressed: the site's dictionary if it has one.
struct TextCoding<'a> {
    /// The store whose value file takes the texts.
    store: &'a Store,
    dict: Option<&'a Dict>,
}

impl TextCoding<'_> {
    /// Appends a text value to the value file, for the pointer sled holds.
    fn put(&self, value: &[u8]) -> TxResult<Vec<u8>> {
        self.store.put(value).map_err(abort)
    }
}

fn store_article(
    trees: &ArticleTrees<'_>,
    coding: &TextCoding<'_>,
    page: &Page,
    p: &Prepared<'_>,
    target: Target,
    seq: u64,
    seen: i128,
) -> TxResult<ArticleOutcome> {
    let ArticleTrees { articles, revisions, ref bands, aliases, .. } = *trees;
    let text_trees = trees.text_trees();
    let body = p.article.body.as_bytes();
    let (id, existing) = match target.existing {
        Some(record) => (target.id, Some(record)),
        // Derived again: an earlier article of this page may have taken the id.
        None => by_identity(articles, &p.identity)?,
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
            let text = coding.put(&chain::whole(body, coding.dict))?;
            revisions.insert(&keys::revision(id, 1), encode_revision(&new_revision(false), Some(&text)))?;
            if let Some(sketch) = p.sketch() {
                sigs::add(bands, &page.site, id, sketch)?;
            }
            // The headline is now an article's own identity, no longer another's alias.
            aliases.remove(p.identity.as_bytes())?;
            note_alias(trees, &page.site, p.article.title.as_deref(), id, &p.identity)?;
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
            let (mut latest, latest_text) =
                decode_revision(&|| format!("article {id} revision {}", record.latest), &value).map_err(abort)?;
            let retitled = title_changed(latest.title.as_deref(), p.article.title.as_deref());
            let same = latest.hash == p.hash.0 && !retitled;
            // A page older than the newest revision (a backfilled scrape) whose text and title
            // an earlier revision already has is a sighting of that revision, not a new one.
            let earlier = if !same && seen < latest.first_seen {
                earlier_revision(revisions, id, record.latest, &p.hash, p.article.title.as_deref())?
            } else {
                None
            };
            if same {
                latest.first_seen = latest.first_seen.min(seen);
                latest.last_seen = latest.last_seen.max(seen);
                revisions.insert(&key, encode_revision(&latest, latest_text.as_deref()))?;
                let outcome = ArticleOutcome::Unchanged(id, RevisionNo(record.latest));
                (record, outcome)
            } else if let Some((number, (mut old, old_text))) = earlier {
                old.first_seen = old.first_seen.min(seen);
                old.last_seen = old.last_seen.max(seen);
                revisions.insert(&keys::revision(id, number), encode_revision(&old, old_text.as_deref()))?;
                (record, ArticleOutcome::Unchanged(id, RevisionNo(number)))
            } else {
                let mut known = BTreeMap::new();
                let previous_text = sigs::text_in(coding.store, &text_trees, id, record.latest, &mut known)?;
                let previous_text = String::from_utf8_lossy(previous_text).into_owned();
                record.latest += 1;
                let trivial = !retitled && is_trivial_change(&previous_text, &p.article.body);
                if latest.hash != p.hash.0 && record.title.is_some() {
                    // The index holds the previous text's buckets, if it had a sketch.
                    sigs::remove(bands, &page.site, id)?;
                    if let Some(new) = p.sketch() {
                        sigs::add(bands, &page.site, id, new)?;
                    }
                }
                note_alias(trees, &page.site, p.article.title.as_deref(), id, &record.identity)?;
                let value = chain::append(body, record.latest, &known, coding.dict).map_err(abort)?;
                let text = coding.put(&value)?;
                let revision = encode_revision(&new_revision(trivial), Some(&text));
                revisions.insert(&keys::revision(id, record.latest), revision)?;
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
    articles.insert(&id.0, encode_article(&record))?;
    Ok(outcome)
}

/// The newest revision before `latest` whose text hashes to `hash` under the same title.
fn earlier_revision(
    revisions: &TransactionalTree,
    id: ArticleId,
    latest: u32,
    hash: &ContentHash,
    title: Option<&str>,
) -> TxResult<Option<(u32, DecodedRevision)>> {
    for number in (1..latest).rev() {
        let Some(value) = revisions.get(keys::revision(id, number))? else { continue };
        let (record, text) = decode_revision(&|| format!("article {id} revision {number}"), &value).map_err(abort)?;
        if record.hash == hash.0 && !title_changed(record.title.as_deref(), title) {
            return Ok(Some((number, (record, text))));
        }
    }
    Ok(None)
}

pub(super) fn id_of(o: &ArticleOutcome) -> ArticleId {
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

pub(super) fn abort(e: Error) -> ConflictableTransactionError<Error> {
    ConflictableTransactionError::Abort(e)
}

fn missing_revision(id: ArticleId, n: u32) -> Error {
    Error::Corrupt { what: format!("article {id}"), detail: format!("its latest revision {n} is missing") }
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
