//! Writing one page and its articles, atomically across every tree.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;

use super::chain;
use super::codec::{blob_depth, encode_raw, RawRefs, MAX_BLOB_DEPTH};
use super::dicts::{add_pending, Dict};
use super::history::{self, Place, Run};
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
        let wanted = Cell::new(false);
        let old_schema = self.schema_is_old();
        let mut times = self.sighting_times.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let outcome = loop {
            let cuts = Cuts { times: times.as_ref(), wanted: &wanted };
            let mark = self.pack.mark();
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
                    // A fetch derived again: the stored revision it named of each article.
                    let named: HashMap<[u8; 6], u32> = match again {
                        Some(seq) => match fetches.get(keys::fetch(seq))? {
                            Some(value) => {
                                let old: FetchV1 = decode_record(&|| format!("fetch {seq}"), &value).map_err(abort)?;
                                old.articles.into_iter().collect()
                            }
                            None => HashMap::new(),
                        },
                        None => HashMap::new(),
                    };
                    let mut stored = Vec::new();
                    for (p, target) in prepared.iter().zip(targets) {
                        let previous = named.get(&target.id.0).copied();
                        let outcome =
                            store_article(&trees, &coding, &cuts, page, p, target, seq, fetched_at, previous)?;
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
                    let mut sightings: Vec<([u8; 6], u32)> =
                        outcomes.iter().map(|o| (id_of(o).0, rev_of(o).0)).collect();
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
            if result.is_err() && wanted.replace(false) && times.is_none() {
                // The page cuts a run or re-derives a fetch: read the sightings, and write again.
                self.pack.truncate(mark).map_err(|e| self.fail(sled::Error::Io(e)))?;
                *times = Some(self.sighting_times()?);
                continue;
            }
            break self.settle(mark, result);
        }?;
        if let Some(times) = times.as_mut() {
            for o in &outcome.articles {
                let seen = times.entry(id_of(o)).or_default();
                match seen.iter_mut().find(|s| s.1 == outcome.fetch) {
                    Some(s) => s.2 = rev_of(o).0,
                    None => seen.push((fetched_at, outcome.fetch, rev_of(o).0)),
                }
            }
        }
        drop(times);
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

/// The sightings a page's write needs to cut a run or take a re-derived fetch out of one (see
/// [`history`]). The transaction cannot scan the fetches: a write that needs them and finds
/// `times` empty sets `wanted` and aborts; they are read, and the page is written again.
struct Cuts<'a> {
    times: Option<&'a history::SightingTimes>,
    wanted: &'a Cell<bool>,
}

impl Cuts<'_> {
    /// The sightings (time, fetch, stored revision) of an article, or an abort that asks for them.
    fn of(&self, id: ArticleId) -> TxResult<&[(i128, u64, u32)]> {
        match self.times {
            Some(times) => Ok(times.get(&id).map(Vec::as_slice).unwrap_or_default()),
            None => {
                self.wanted.set(true);
                Err(abort(Error::Invalid { what: "history", detail: "the sightings are needed".into() }))
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn store_article(
    trees: &ArticleTrees<'_>,
    coding: &TextCoding<'_>,
    cuts: &Cuts,
    page: &Page,
    p: &Prepared<'_>,
    target: Target,
    seq: u64,
    seen: i128,
    previous: Option<u32>,
) -> TxResult<ArticleOutcome> {
    let ArticleTrees { articles, revisions, ref bands, aliases, .. } = *trees;
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
        Some(record) => revise(trees, coding, cuts, page, p, id, record, seq, seen, previous)?,
    };
    record.first_seen = record.first_seen.min(seen);
    // Where an article was last seen: the newest page's place, the greatest at one instant.
    let newest = (seen, &page.url, &page.source) >= (record.last_seen, &record.url, &record.source);
    if newest {
        record.last_seen = seen;
        record.url.clone_from(&page.url);
        record.source.clone_from(&page.source);
    }
    articles.insert(&id.0, encode_article(&record))?;
    Ok(outcome)
}

/// Stores a page's sighting of a stored article (see [`history`]): a sighting of a revision of
/// its history, a new revision between two (or after the last), or a run cut in two around
/// it. A fetch derived again (`previous`: the stored revision it named) first leaves the run
/// it was in, which is withdrawn if it had no other sighting. Then every revision whose
/// predecessor in the history changed has its `trivial` flag made again, and the article's
/// newest revision (and identity index) follows the history's last run.
#[allow(clippy::too_many_arguments)]
fn revise(
    trees: &ArticleTrees<'_>,
    coding: &TextCoding<'_>,
    cuts: &Cuts<'_>,
    page: &Page,
    p: &Prepared<'_>,
    id: ArticleId,
    mut record: ArticleV1,
    seq: u64,
    seen: i128,
    previous: Option<u32>,
) -> TxResult<(ArticleV1, ArticleOutcome)> {
    let ArticleTrees { revisions, ref bands, .. } = *trees;
    let text_trees = trees.text_trees();
    let title = p.article.title.as_deref();
    let decoded = stored_in(revisions, id, record.latest)?;
    let newest = decoded.len() as u32;
    let (mut recs, mut values): (Vec<RevisionV1>, Vec<Option<Vec<u8>>>) = decoded.into_iter().unzip();
    let at = |n: u32| n as usize - 1;
    let mut dirty: BTreeSet<u32> = BTreeSet::new();
    let same_text =
        |a: &RevisionV1, b: &RevisionV1| a.hash == b.hash && !title_changed(a.title.as_deref(), b.title.as_deref());
    let is_page = |r: &RevisionV1| r.hash == p.hash.0 && !title_changed(r.title.as_deref(), title);
    let key = |t: i128, r: &RevisionV1| history::order_key(t, &r.hash, r.title.as_deref());
    let runs_of = |recs: &[RevisionV1]| {
        let mut runs: Vec<Run> = (1..)
            .zip(recs)
            .filter(|(_, r)| history::has_sightings(r.first_seen, r.last_seen))
            .map(|(number, r)| Run { number, first: key(r.first_seen, r), last: key(r.last_seen, r), same: is_page(r) })
            .collect();
        history::sort(&mut runs);
        runs
    };
    let predecessors = |runs: &[Run]| -> HashMap<u32, Option<u32>> {
        runs.iter().enumerate().map(|(i, r)| (r.number, i.checked_sub(1).map(|j| runs[j].number))).collect()
    };
    let before = predecessors(&runs_of(&recs));
    let latest_before = record.latest;

    // Derived again to another text: the fetch's sighting leaves its run.
    if let Some(old) = previous.filter(|&n| (1..=newest).contains(&n) && !is_page(&recs[at(n)])) {
        let times = cuts.of(id)?;
        let runs = runs_of(&recs);
        let old_key = key(seen, &recs[at(old)]);
        if let Some(i) = runs.iter().position(|r| r.first <= old_key && old_key <= r.last) {
            let n = runs[i].number;
            let inside = |k: &history::Key| runs[i].first <= *k && *k <= runs[i].last;
            let others: Vec<(i128, u64)> = times
                .iter()
                .filter(|&&(t, f, r)| f != seq && (1..=newest).contains(&r) && inside(&key(t, &recs[at(r)])))
                .map(|&(t, f, _)| (t, f))
                .collect();
            dirty.insert(n);
            match (others.iter().min(), others.iter().max()) {
                (Some(&(first, fetch)), Some(&(last, _))) => {
                    let r = &mut recs[at(n)];
                    (r.first_seen, r.last_seen) = (first, last);
                    r.fetch = fetch;
                }
                _ => {
                    (recs[at(n)].first_seen, recs[at(n)].last_seen) = history::WITHDRAWN;
                    // Its neighbours, now side by side, are one run if they share a text.
                    let neighbours = (i.checked_sub(1).map(|j| runs[j].number), runs.get(i + 1).map(|r| r.number));
                    if let (Some(b), Some(a)) = neighbours {
                        if same_text(&recs[at(b)], &recs[at(a)]) {
                            recs[at(b)].last_seen = recs[at(a)].last_seen;
                            (recs[at(a)].first_seen, recs[at(a)].last_seen) = history::WITHDRAWN;
                            dirty.extend([a, b]);
                        }
                    }
                }
            }
        }
    }

    // Texts read or brought here, by stored number (for `trivial` flags and cut runs).
    let mut texts: HashMap<u32, String> = HashMap::new();
    let text_of = |n: u32, texts: &mut HashMap<u32, String>| -> TxResult<String> {
        if let Some(text) = texts.get(&n) {
            return Ok(text.clone());
        }
        let mut known = BTreeMap::new();
        let text = String::from_utf8_lossy(sigs::text_in(coding.store, &text_trees, id, n, &mut known)?).into_owned();
        texts.insert(n, text.clone());
        Ok(text)
    };
    // The newest stored revision's chain, which a new stored revision is a delta against (read
    // when the first is stored).
    let mut chain_texts: Option<BTreeMap<u32, Vec<u8>>> = None;
    let mut append = |number: u32, text: &[u8]| -> TxResult<Vec<u8>> {
        let known = match &mut chain_texts {
            Some(known) => known,
            None => {
                let mut known = BTreeMap::new();
                sigs::text_in(coding.store, &text_trees, id, newest, &mut known)?;
                chain_texts.insert(known)
            }
        };
        let value = chain::append(text, number, known, coding.dict).map_err(abort)?;
        match chain::reference(&|| format!("article {id} revision {number}"), number, &value).map_err(abort)? {
            Some(base) => known.retain(|&k, _| k <= base),
            None => known.clear(),
        }
        known.insert(number, text.to_vec());
        coding.put(&value)
    };

    let runs = runs_of(&recs);
    let here = history::order_key(seen, &p.hash.0, title);
    let date = p.article.date.map(|d| d.to_julian_day());
    let outcome = match history::place(&runs, &here) {
        Place::Sighting(n) => {
            let r = &mut recs[at(n)];
            if !history::has_sightings(r.first_seen, r.last_seen)
                || (seen, &p.article.title, date) < (r.first_seen, &r.title, r.date)
            {
                // A revision's fetch, headline (as written) and date are its earliest
                // sighting's; at one instant, the least.
                r.fetch = seq;
                r.date = date;
                r.title.clone_from(&p.article.title);
            }
            r.first_seen = r.first_seen.min(seen);
            r.last_seen = r.last_seen.max(seen);
            dirty.insert(n);
            ArticleOutcome::Unchanged(id, RevisionNo(n))
        }
        place => {
            let number = newest + 1;
            let value = append(number, p.article.body.as_bytes())?;
            recs.push(RevisionV1 {
                hash: p.hash.0,
                len: p.article.body.len() as u64,
                title: p.article.title.clone(),
                date,
                first_seen: seen,
                last_seen: seen,
                fetch: seq,
                trivial: false,
            });
            values.push(Some(value));
            texts.insert(number, p.article.body.clone());
            dirty.insert(number);
            if let Place::Inside(n) = place {
                // The run is cut around the page: its later part is a new stored revision.
                let times = cuts.of(id)?;
                let run = runs.iter().find(|r| r.number == n).cloned().expect("placed in a run");
                let sightings: Vec<(history::Key, u64)> = times
                    .iter()
                    .filter(|&&(_, fetch, r)| fetch != seq && (1..=newest).contains(&r))
                    .map(|&(t, fetch, r)| (key(t, &recs[at(r)]), fetch))
                    .collect();
                let (until, (from, fetch)) = history::cut(&run, &here, &sightings);
                let mut late = recs[at(n)].clone();
                recs[at(n)].last_seen = until.0;
                dirty.insert(n);
                late.first_seen = from.0;
                late.fetch = fetch.unwrap_or(late.fetch);
                let text = text_of(n, &mut texts)?;
                values.push(Some(append(number + 1, text.as_bytes())?));
                recs.push(late);
                texts.insert(number + 1, text);
                dirty.insert(number + 1);
            }
            note_alias(trees, &page.site, title, id, &record.identity)?;
            ArticleOutcome::Revised(id, RevisionNo(number))
        }
    };

    // Every revision whose predecessor changed is (or is not) a trivial change again.
    let runs = runs_of(&recs);
    for (n, pred) in predecessors(&runs) {
        if before.get(&n) == Some(&pred) {
            continue;
        }
        let trivial = match pred {
            Some(q) if !title_changed(recs[at(q)].title.as_deref(), recs[at(n)].title.as_deref()) => {
                is_trivial_change(&text_of(q, &mut texts)?, &text_of(n, &mut texts)?)
            }
            _ => false,
        };
        if recs[at(n)].trivial != trivial {
            recs[at(n)].trivial = trivial;
            dirty.insert(n);
        }
    }
    for n in dirty {
        revisions.insert(&keys::revision(id, n), encode_revision(&recs[at(n)], values[at(n)].as_deref()))?;
    }
    // The article's newest revision is the history's last run.
    if let Some(last) = runs.last().map(|r| r.number) {
        record.latest = last;
        record.title.clone_from(&recs[at(last)].title);
    }
    if record.latest != latest_before
        && recs[at(record.latest)].hash != recs[at(latest_before)].hash
        && record.title.is_some()
    {
        // The index holds the previous text's buckets, if it had a sketch.
        sigs::remove(bands, &page.site, id)?;
        let sketch = if record.latest == newest + 1 {
            p.sketch().cloned()
        } else {
            Sketch::of(&text_of(record.latest, &mut texts)?)
        };
        if let Some(sketch) = sketch {
            sigs::add(bands, &page.site, id, &sketch)?;
        }
    }
    Ok((record, outcome))
}

/// Every stored revision of an article, by stored number from 1: the revisions up to its
/// newest (`latest`, a revision of its history's last run) and any stored after it (runs that
/// backfills placed earlier in time).
fn stored_in(revisions: &TransactionalTree, id: ArticleId, latest: u32) -> TxResult<Vec<DecodedRevision>> {
    let mut out = Vec::new();
    for number in 1.. {
        let Some(value) = revisions.get(keys::revision(id, number))? else {
            if number <= latest {
                return Err(abort(missing_revision(id, number)));
            }
            break;
        };
        out.push(decode_revision(&|| format!("article {id} revision {number}"), &value).map_err(abort)?);
    }
    Ok(out)
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
    Error::Corrupt { what: format!("article {id}"), detail: format!("its revision {n} is missing") }
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
