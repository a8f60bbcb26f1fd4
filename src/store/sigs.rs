//! The identity index: finding a stored article again when a page prints it under an edited
//! headline.
//!
//! Two trees, both a pure function of the articles and revisions (so `restore` rebuilds them
//! and `verify` recomputes them):
//!
//! - `bands` (schema 4): for each titled article whose latest text has a [`Sketch`], one entry
//!   `SITE ‖ 0x00 ‖ id (6)` → its [`BANDS`] buckets. A lookup needs the inverse (bucket → ids),
//!   which is kept in memory ([`BandIndex`]), loaded a site at a time from this tree when a page
//!   of the site is first written. Schema 2 and 3 kept the inverse on disk (`sigs`: one record
//!   per site, band and bucket, listing its ids): one small record per band of every article,
//!   a third of all records, each costing sled far more than its bytes. Such a store is
//!   re-indexed once when a page is next written to it.
//! - `aliases`: `SITE ‖ 0x00 ‖ folded title` (a title identity) → the article that carried that
//!   title in some revision, when it is not the identity the article's id derives from and no
//!   article derives its id from it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use sled::transaction::TransactionalTree;

use super::read::text_value_via;
use super::records::{decode_article, decode_record, decode_revision, encode_record, ArticleV1};
use super::write::{abort, TxResult};
use super::{keys, Problem, Store};
use crate::id::ArticleId;
use crate::sketch::{Sketch, BANDS};
use crate::Result;

/// Candidates checked against their text per new article, at most: those sharing the most
/// bands first (ties by id), so a crowded bucket cannot make a lookup expensive.
pub const MAX_CANDIDATES: usize = 8;

/// The buckets of one article's latest text, one per band.
pub type Buckets = [u64; BANDS];

/// A `bands` key.
fn band_key(site: &str, id: ArticleId) -> Vec<u8> {
    [&keys::site_prefix(site)[..], &id.0].concat()
}

/// A (schema 2 and 3) `sigs` key.
fn sig_key(site: &str, band: usize, bucket: u64) -> Vec<u8> {
    let mut key = keys::site_prefix(site);
    key.push(band as u8);
    key.extend_from_slice(&bucket.to_be_bytes());
    key
}

fn ids_of(what: &dyn Fn() -> String, value: Option<&[u8]>) -> Result<Vec<[u8; 6]>> {
    value.map_or(Ok(Vec::new()), |v| decode_record(what, v))
}

fn what_sig(key: &[u8]) -> impl Fn() -> String + '_ {
    move || format!("sigs key {key:?}")
}

fn what_band(key: &[u8]) -> impl Fn() -> String + '_ {
    move || format!("bands key {key:?}")
}

/// The inverse of `bands` for the sites loaded so far: per site, every (band, bucket, id) of
/// its indexed articles, ordered, so a bucket's ids are one range (about 30 bytes an entry:
/// 19 MB for the 78,000 articles of the 1 GB benchmark corpus).
#[derive(Default)]
pub struct BandIndex {
    sites: HashMap<String, BTreeSet<(u8, u64, [u8; 6])>>,
}

impl BandIndex {
    fn apply(&mut self, change: &BandChange) {
        let Some(entries) = self.sites.get_mut(&change.site) else { return };
        for (band, bucket) in change.buckets.iter().enumerate() {
            let entry = (band as u8, *bucket, change.id.0);
            if change.add {
                entries.insert(entry);
            } else {
                entries.remove(&entry);
            }
        }
    }
}

/// A change a page's transaction made to `bands`, applied to the [`BandIndex`] once the
/// transaction has committed.
pub struct BandChange {
    site: String,
    id: ArticleId,
    buckets: Buckets,
    add: bool,
}

/// What a page's transaction reads and writes the identity index through: the `bands` tree and
/// the changes made so far, which later articles of the page see.
pub struct Bands<'t> {
    pub tree: &'t TransactionalTree,
    pub pending: &'t RefCell<Vec<BandChange>>,
}

/// Indexes an article's latest text under `sketch`, inside a transaction.
pub fn add(bands: &Bands<'_>, site: &str, id: ArticleId, sketch: &Sketch) -> TxResult<()> {
    bands.tree.insert(band_key(site, id), encode_record(&sketch.buckets))?;
    bands.pending.borrow_mut().push(BandChange { site: site.to_owned(), id, buckets: sketch.buckets, add: true });
    Ok(())
}

/// Removes an article from the index, if it is there, inside a transaction.
pub fn remove(bands: &Bands<'_>, site: &str, id: ArticleId) -> TxResult<()> {
    let key = band_key(site, id);
    if let Some(value) = bands.tree.remove(key.as_slice())? {
        let buckets: Buckets = decode_record(&what_band(&key), &value).map_err(abort)?;
        bands.pending.borrow_mut().push(BandChange { site: site.to_owned(), id, buckets, add: false });
    }
    Ok(())
}

/// The stored articles of `site` sharing a band with `sketch`, not in `exclude`: those sharing
/// the most bands first, at most [`MAX_CANDIDATES`]. The site's index must be loaded
/// ([`Store::load_band_index`]).
pub fn candidates(
    store: &Store,
    bands: &Bands<'_>,
    site: &str,
    sketch: &Sketch,
    exclude: &HashSet<ArticleId>,
) -> Vec<ArticleId> {
    let index = store.band_index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let pending = bands.pending.borrow();
    let empty = BTreeSet::new();
    let entries = index.sites.get(site).unwrap_or(&empty);
    let mut hits: BTreeMap<ArticleId, usize> = BTreeMap::new();
    for (band, bucket) in sketch.buckets.iter().enumerate() {
        let range = (band as u8, *bucket, [0u8; 6])..=(band as u8, *bucket, [u8::MAX; 6]);
        let mut ids: BTreeSet<[u8; 6]> = entries.range(range).map(|e| e.2).collect();
        for change in pending.iter().filter(|c| c.site == site && c.buckets[band] == *bucket) {
            if change.add {
                ids.insert(change.id.0);
            } else {
                ids.remove(&change.id.0);
            }
        }
        for id in ids.into_iter().map(ArticleId).filter(|id| !exclude.contains(id)) {
            *hits.entry(id).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, ArticleId)> = hits.into_iter().map(|(id, n)| (n, id)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(MAX_CANDIDATES).map(|(_, id)| id).collect()
}

/// The article an alias names, inside a transaction.
pub fn alias(tree: &TransactionalTree, identity: &str) -> TxResult<Option<ArticleId>> {
    match tree.get(identity.as_bytes())? {
        None => Ok(None),
        Some(v) => Ok(Some(ArticleId(decode_record(&|| format!("alias {identity:?}"), &v).map_err(abort)?))),
    }
}

/// The shingles of stored texts checked as candidates lately, by (article, revision): stored
/// texts never change, so a text checked again (a site's articles with common phrases share
/// band buckets with many others by chance, and are checked again and again) is neither decoded
/// nor shingled again. Bounded in bytes; emptied when full.
#[derive(Default)]
pub struct ShingleCache {
    texts: std::collections::HashMap<(ArticleId, u32), std::sync::Arc<Vec<u64>>>,
    bytes: usize,
}

/// The most bytes of shingles [`ShingleCache`] holds (a 4 KB article has about 600).
const SHINGLE_CACHE_BYTES: usize = 4 << 20;

/// The trees a revision's text is read from inside a transaction: `revisions`, whose format 2
/// records hold their text's stored value, and `texts`, which holds it for format 1 records.
pub struct TextTrees<'t> {
    pub revisions: &'t TransactionalTree,
    pub texts: &'t TransactionalTree,
    /// Where dictionaries not yet cached are read.
    pub dicts: &'t TransactionalTree,
}

/// The shingles of revision `latest` of a stored article (empty when its text is too short for
/// a sketch), inside a transaction, through the store's [`ShingleCache`]; `None` when the text is
/// missing.
pub fn latest_shingles(
    store: &Store,
    trees: &TextTrees<'_>,
    id: ArticleId,
    latest: u32,
) -> TxResult<Option<std::sync::Arc<Vec<u64>>>> {
    let cache = &store.shingles;
    if let Some(found) = cache.lock().ok().and_then(|c| c.texts.get(&(id, latest)).cloned()) {
        return Ok(Some(found));
    }
    let Some(text) = latest_text(store, trees, id, latest)? else { return Ok(None) };
    let shingles = std::sync::Arc::new(crate::sketch::shingles(&text).unwrap_or_default());
    if let Ok(mut cache) = cache.lock() {
        let size = shingles.len() * 8;
        if cache.bytes + size > SHINGLE_CACHE_BYTES {
            cache.texts.clear();
            cache.bytes = 0;
        }
        cache.bytes += size;
        cache.texts.insert((id, latest), std::sync::Arc::clone(&shingles));
    }
    Ok(Some(shingles))
}

/// The latest text of a stored article, inside a transaction; `None` when it is missing.
pub fn latest_text(store: &Store, trees: &TextTrees<'_>, id: ArticleId, latest: u32) -> TxResult<Option<String>> {
    if text_value(trees, keys::revision(id, latest))?.is_none() {
        return Ok(None);
    }
    let mut known = BTreeMap::new();
    let text = text_in(store, trees, id, latest, &mut known)?;
    Ok(Some(String::from_utf8_lossy(text).into_owned()))
}

/// The stored value of a revision's text (see [`TextTrees`]), inside a transaction.
fn text_value(trees: &TextTrees<'_>, key: [u8; 10]) -> TxResult<Option<sled::IVec>> {
    let get = |tree: &TransactionalTree, key: [u8; 10]| -> TxResult<Option<sled::IVec>> { Ok(tree.get(key)?) };
    text_value_via(key, &|k| get(trees.revisions, k), &|k| get(trees.texts, k), &abort)
}

/// Reads revision `number` of an article inside a transaction, with the texts it refers to,
/// leaving every text it decodes in `known` (see [`Store::read_text`]).
pub fn text_in<'k>(
    store: &Store,
    trees: &TextTrees<'_>,
    id: ArticleId,
    number: u32,
    known: &'k mut BTreeMap<u32, Vec<u8>>,
) -> TxResult<&'k [u8]> {
    store.read_text_with(id, number, known, &|key| text_value(trees, key), &|d| store.dict_in(trees.dicts, d), &abort)
}

/// What the identity index should hold for one article.
struct Expected {
    sketch: Option<Sketch>,
    aliases: Vec<String>,
}

impl Store {
    /// The id whose article derives from `identity`, if one is stored.
    fn primary(&self, identity: &str) -> Result<Option<ArticleId>> {
        for attempt in 0..=u8::MAX {
            let id = ArticleId::derive(identity, attempt);
            let Some(value) = self.h().articles.get(id.0).map_err(|e| self.fail(e))? else { return Ok(None) };
            let record: ArticleV1 = decode_article(&|| format!("article {id}"), &value)?;
            if record.identity == identity {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// What the index should hold for an article: its latest text's sketch (titled articles
    /// only) and its aliases.
    fn expected(&self, id: ArticleId, record: &ArticleV1) -> Result<Expected> {
        let mut aliases = Vec::new();
        let mut latest_text = None;
        for item in self.h().revisions.scan_prefix(id.0) {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some((_, number)) = keys::split_revision(&key) else { continue };
            let (revision, _) = decode_revision(&|| format!("article {id} revision {number}"), &value)?;
            if let Some(title) = &revision.title {
                let alias = ArticleId::title_identity(&record.site, title);
                if alias != record.identity && !aliases.contains(&alias) && self.primary(&alias)?.is_none() {
                    aliases.push(alias);
                }
            }
            if number == record.latest {
                let info = super::RevisionInfo::from_v1(id, number, revision);
                latest_text = Some(self.text(&info)?);
            }
        }
        let sketch = match (&record.title, latest_text) {
            (Some(_), Some(text)) => Sketch::of(&text),
            _ => None,
        };
        Ok(Expected { sketch, aliases })
    }

    /// Builds the identity index from the articles and revisions (after `restore`, and for a
    /// store written before the index existed or with its schema 2 and 3 layout), leaving the
    /// in-memory inverse to be loaded again.
    pub(super) fn rebuild_identity_index(&self) -> Result<()> {
        let h = self.h();
        h.bands.clear().map_err(|e| self.fail(e))?;
        h.aliases.clear().map_err(|e| self.fail(e))?;
        for item in h.articles.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some(id) = keys::fixed::<6>(&key).map(ArticleId) else { continue };
            let record: ArticleV1 = decode_article(&|| format!("article {id}"), &value)?;
            let expected = self.expected(id, &record)?;
            for alias in expected.aliases {
                if !h.aliases.contains_key(alias.as_bytes()).map_err(|e| self.fail(e))? {
                    h.aliases.insert(alias.as_bytes(), encode_record(&id.0)).map_err(|e| self.fail(e))?;
                }
            }
            if let Some(sketch) = expected.sketch {
                h.bands.insert(band_key(&record.site, id), encode_record(&sketch.buckets)).map_err(|e| self.fail(e))?;
            }
        }
        // The store is marked with this build's schema before the index's new layout is: a
        // build of schema 2 or 3 would take the emptied `sigs` for an index. sled recovers a
        // prefix of these writes after a crash, and an index not marked is rebuilt.
        let schema = encode_record(&super::SCHEMA_VERSION);
        h.meta.insert(super::SCHEMA_KEY, schema).map_err(|e| self.fail(e))?;
        self.schema.store(super::SCHEMA_VERSION, std::sync::atomic::Ordering::SeqCst);
        h.meta.insert(INDEX_KEY, encode_record(&INDEX_LAYOUT)).map_err(|e| self.fail(e))?;
        h.sigs.clear().map_err(|e| self.fail(e))?;
        self.band_index.lock().unwrap_or_else(std::sync::PoisonError::into_inner).sites.clear();
        Ok(())
    }

    /// The identity index's layout as marked in `meta`: `None` for a store written before the
    /// index existed, 1 for `sigs` (schema 2 and 3), [`INDEX_LAYOUT`] for `bands`.
    pub(super) fn index_layout(&self) -> Result<Option<u32>> {
        let value = self.h().meta.get(INDEX_KEY).map_err(|e| self.fail(e))?;
        value.map(|v| decode_record(&|| "meta identity_index".into(), &v)).transpose()
    }

    /// Builds the identity index once for a store written before it existed or holding it in the
    /// `sigs` layout of schema 2 and 3 (then every article's latest text is read once): before a
    /// page is first written (`ingest_page`).
    pub(super) fn ensure_identity_index(&self) -> Result<()> {
        if self.index_ready.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(());
        }
        // A damaged mark is mended by building the index again, which it describes.
        if !matches!(self.index_layout(), Ok(Some(INDEX_LAYOUT))) {
            self.rebuild_identity_index()?;
            self.flush()?;
        } else if !self.h().sigs.is_empty() {
            // The old layout's records, left by a crash right after the new one was marked.
            self.h().sigs.clear().map_err(|e| self.fail(e))?;
            self.flush()?;
        }
        self.index_ready.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Loads a site's part of the in-memory identity index from `bands`, unless it is loaded.
    pub(super) fn load_band_index(&self, site: &str) -> Result<()> {
        let mut index = self.band_index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if index.sites.contains_key(site) {
            return Ok(());
        }
        let mut entries = BTreeSet::new();
        for item in self.h().bands.scan_prefix(keys::site_prefix(site)) {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some(id) = key.get(site.len() + 1..).and_then(keys::fixed::<6>) else { continue };
            let buckets: Buckets = decode_record(&what_band(&key), &value)?;
            for (band, bucket) in buckets.iter().enumerate() {
                entries.insert((band as u8, *bucket, id));
            }
        }
        index.sites.insert(site.to_owned(), entries);
        Ok(())
    }

    /// Applies a committed page's changes to the in-memory identity index.
    pub(super) fn apply_band_changes(&self, changes: &[BandChange]) {
        let mut index = self.band_index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for change in changes {
            index.apply(change);
        }
    }

    /// Checks the identity index against what the articles and revisions say it should hold.
    pub(super) fn verify_identity_index(&self, problems: &mut Vec<Problem>) -> Result<()> {
        let h = self.h();
        let layout = self.index_layout().unwrap_or_else(|e| {
            problems.push(Problem::new("meta identity_index".into(), e.to_string()));
            Some(INDEX_LAYOUT)
        });
        let mut entries = 0usize;
        let mut alias_count = 0usize;
        for item in h.articles.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some(id) = keys::fixed::<6>(&key).map(ArticleId) else { continue };
            let Ok(record) = decode_article(&|| format!("article {id}"), &value) else { continue };
            // Damaged revisions and texts are reported by the main checks.
            let Ok(expected) = self.expected(id, &record) else { continue };
            for alias in &expected.aliases {
                alias_count += 1;
                let found = h.aliases.get(alias.as_bytes()).map_err(|e| self.fail(e))?;
                let names = found.and_then(|v| decode_record::<[u8; 6]>(&|| String::new(), &v).ok());
                if names != Some(id.0) {
                    let alias = alias.replace('\0', "/");
                    problems.push(Problem::new(format!("alias {alias}"), format!("should name article {id}")));
                }
            }
            let Some(sketch) = &expected.sketch else { continue };
            if layout == Some(INDEX_LAYOUT) {
                entries += 1;
                let key = band_key(&record.site, id);
                let value = h.bands.get(&key).map_err(|e| self.fail(e))?;
                let found = value.and_then(|v| decode_record::<Buckets>(&what_band(&key), &v).ok());
                if found != Some(sketch.buckets) {
                    problems.push(Problem::new(format!("bands of article {id}"), "missing or wrong".into()));
                }
                continue;
            }
            for (band, bucket) in sketch.buckets.iter().enumerate() {
                entries += 1;
                let key = sig_key(&record.site, band, *bucket);
                let value = h.sigs.get(&key).map_err(|e| self.fail(e))?;
                let listed =
                    ids_of(&what_sig(&key), value.as_deref()).is_ok_and(|ids| ids.binary_search(&id.0).is_ok());
                if !listed {
                    problems.push(Problem::new(format!("sigs of article {id}"), format!("band {band} is missing")));
                }
            }
        }
        let mut stored = 0usize;
        if layout == Some(INDEX_LAYOUT) {
            stored = h.bands.len();
            if !h.sigs.is_empty() {
                problems.push(Problem::new("sigs".into(), "holds entries of the old layout".into()));
            }
        } else {
            for item in h.sigs.iter() {
                let (key, value) = item.map_err(|e| self.fail(e))?;
                let what = what_sig(&key);
                match ids_of(&what, Some(&value)) {
                    Ok(ids) if ids.windows(2).all(|w| w[0] < w[1]) => stored += ids.len(),
                    Ok(_) => problems.push(Problem::new("sigs".into(), format!("key {key:?}: ids not sorted"))),
                    Err(e) => problems.push(Problem::new("sigs".into(), e.to_string())),
                }
            }
        }
        if stored != entries {
            let tree = if layout == Some(INDEX_LAYOUT) { "bands" } else { "sigs" };
            problems.push(Problem::new(tree.into(), format!("holds {stored} entries, expected {entries}")));
        }
        if h.aliases.len() != alias_count {
            problems.push(Problem::new(
                "aliases".into(),
                format!("holds {} aliases, expected {alias_count}", h.aliases.len()),
            ));
        }
        Ok(())
    }
}

/// `meta` key: present once the identity index has been built for every article; its value
/// is the index's layout.
pub const INDEX_KEY: &[u8] = b"identity_index";

/// The identity index's layout this build writes: `bands` with the inverse in memory (schema 4).
pub const INDEX_LAYOUT: u32 = 2;

#[cfg(test)]
#[path = "sigs_tests.rs"]
mod tests;
