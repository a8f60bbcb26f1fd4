//! The identity index: finding a stored article again when a page prints it under an edited
//! headline.
//!
//! Two trees, both a pure function of the articles and revisions (so `restore` rebuilds them
//! and `verify` recomputes them):
//!
//! - `sigs`: for each titled article whose latest text has a [`Sketch`], one entry per band:
//!   `SITE ‖ 0x00 ‖ band (u8) ‖ bucket (u64 BE)` → the sorted ids whose latest text lands in
//!   that bucket. A lookup reads [`crate::sketch::BANDS`] keys of the page's site, whatever the site's size.
//! - `aliases`: `SITE ‖ 0x00 ‖ folded title` (a title identity) → the article that carried that
//!   title in some revision, when it is not the identity the article's id derives from and no
//!   article derives its id from it.

use std::collections::{BTreeMap, HashSet};

use sled::transaction::TransactionalTree;

use super::records::{decode_record, encode_record, ArticleV1, RevisionV1};
use super::write::{abort, TxResult};
use super::{keys, Problem, Store};
use crate::id::ArticleId;
use crate::sketch::Sketch;
use crate::Result;

/// Candidates checked against their text per new article, at most: those sharing the most
/// bands first (ties by id), so a crowded bucket cannot make a lookup expensive.
pub const MAX_CANDIDATES: usize = 8;

/// A `sigs` key.
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

/// Adds (`add`) or removes an article's entries for a sketch, inside a transaction.
pub fn update(tree: &TransactionalTree, site: &str, id: ArticleId, sketch: &Sketch, add: bool) -> TxResult<()> {
    for (band, bucket) in sketch.buckets.iter().enumerate() {
        let key = sig_key(site, band, *bucket);
        let value = tree.get(&key)?;
        let mut ids = ids_of(&what_sig(&key), value.as_deref()).map_err(abort)?;
        match (ids.binary_search(&id.0), add) {
            (Err(at), true) => ids.insert(at, id.0),
            (Ok(at), false) => {
                ids.remove(at);
            }
            _ => continue,
        }
        if ids.is_empty() {
            tree.remove(key)?;
        } else {
            tree.insert(key, encode_record(&ids))?;
        }
    }
    Ok(())
}

/// The stored articles of `site` sharing a band with `sketch`, not in `exclude`: those sharing
/// the most bands first, at most [`MAX_CANDIDATES`].
pub fn candidates(
    tree: &TransactionalTree,
    site: &str,
    sketch: &Sketch,
    exclude: &HashSet<ArticleId>,
) -> TxResult<Vec<ArticleId>> {
    let mut hits: BTreeMap<ArticleId, usize> = BTreeMap::new();
    for (band, bucket) in sketch.buckets.iter().enumerate() {
        let key = sig_key(site, band, *bucket);
        let value = tree.get(&key)?;
        for id in ids_of(&what_sig(&key), value.as_deref()).map_err(abort)? {
            let id = ArticleId(id);
            if !exclude.contains(&id) {
                *hits.entry(id).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(usize, ArticleId)> = hits.into_iter().map(|(id, n)| (n, id)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(ranked.into_iter().take(MAX_CANDIDATES).map(|(_, id)| id).collect())
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

/// The shingles of revision `latest` of a stored article (empty when its text is too short for
/// a sketch), inside a transaction, through the store's [`ShingleCache`]; `None` when the text is
/// missing.
pub fn latest_shingles(
    store: &Store,
    texts: &TransactionalTree,
    id: ArticleId,
    latest: u32,
) -> TxResult<Option<std::sync::Arc<Vec<u64>>>> {
    let cache = &store.shingles;
    if let Some(found) = cache.lock().ok().and_then(|c| c.texts.get(&(id, latest)).cloned()) {
        return Ok(Some(found));
    }
    let Some(text) = latest_text(store, texts, id, latest)? else { return Ok(None) };
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

/// The latest text of a stored article, inside a transaction.
pub fn latest_text(store: &Store, texts: &TransactionalTree, id: ArticleId, latest: u32) -> TxResult<Option<String>> {
    if texts.get(keys::revision(id, latest))?.is_none() {
        return Ok(None);
    }
    let mut known = BTreeMap::new();
    let text = text_in(store, texts, id, latest, &mut known)?;
    Ok(Some(String::from_utf8_lossy(text).into_owned()))
}

/// Reads revision `number` of an article inside a transaction, with the texts it refers to,
/// leaving every text it decodes in `known` (see [`Store::read_text`]).
pub fn text_in<'k>(
    store: &Store,
    texts: &TransactionalTree,
    id: ArticleId,
    number: u32,
    known: &'k mut BTreeMap<u32, Vec<u8>>,
) -> TxResult<&'k [u8]> {
    store.read_text_with(id, number, known, &|key| Ok(texts.get(key)?), &abort)
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
            let record: ArticleV1 = decode_record(&|| format!("article {id}"), &value)?;
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
            let revision: RevisionV1 = decode_record(&|| format!("article {id} revision {number}"), &value)?;
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
    /// store written before the index existed).
    pub(super) fn rebuild_identity_index(&self) -> Result<()> {
        let h = self.h();
        h.sigs.clear().map_err(|e| self.fail(e))?;
        h.aliases.clear().map_err(|e| self.fail(e))?;
        let mut sigs: BTreeMap<Vec<u8>, Vec<[u8; 6]>> = BTreeMap::new();
        for item in h.articles.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some(id) = keys::fixed::<6>(&key).map(ArticleId) else { continue };
            let record: ArticleV1 = decode_record(&|| format!("article {id}"), &value)?;
            let expected = self.expected(id, &record)?;
            for alias in expected.aliases {
                if !h.aliases.contains_key(alias.as_bytes()).map_err(|e| self.fail(e))? {
                    h.aliases.insert(alias.as_bytes(), encode_record(&id.0)).map_err(|e| self.fail(e))?;
                }
            }
            for (band, bucket) in expected.sketch.iter().flat_map(|s| s.buckets.iter().enumerate()) {
                // Ids arrive in order, so each list stays sorted.
                sigs.entry(sig_key(&record.site, band, *bucket)).or_default().push(id.0);
            }
        }
        for (key, ids) in sigs {
            h.sigs.insert(key, encode_record(&ids)).map_err(|e| self.fail(e))?;
        }
        h.meta.insert(INDEX_KEY, encode_record(&1u32)).map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// Builds the identity index once for a store written before it existed.
    pub fn ensure_identity_index(&self) -> Result<()> {
        if self.h().meta.contains_key(INDEX_KEY).map_err(|e| self.fail(e))? {
            return Ok(());
        }
        self.rebuild_identity_index()?;
        self.flush()
    }

    /// Checks the identity index against what the articles and revisions say it should hold.
    pub(super) fn verify_identity_index(&self, problems: &mut Vec<Problem>) -> Result<()> {
        let h = self.h();
        let mut entries = 0usize;
        let mut alias_count = 0usize;
        for item in h.articles.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some(id) = keys::fixed::<6>(&key).map(ArticleId) else { continue };
            let Ok(record) = decode_record::<ArticleV1>(&|| format!("article {id}"), &value) else { continue };
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
            for (band, bucket) in expected.sketch.iter().flat_map(|s| s.buckets.iter().enumerate()) {
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
        for item in h.sigs.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let what = what_sig(&key);
            match ids_of(&what, Some(&value)) {
                Ok(ids) if ids.windows(2).all(|w| w[0] < w[1]) => stored += ids.len(),
                Ok(_) => problems.push(Problem::new("sigs".into(), format!("key {key:?}: ids not sorted"))),
                Err(e) => problems.push(Problem::new("sigs".into(), e.to_string())),
            }
        }
        if stored != entries {
            problems.push(Problem::new("sigs".into(), format!("holds {stored} entries, expected {entries}")));
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

/// `meta` key: present once the identity index has been built for every article.
pub const INDEX_KEY: &[u8] = b"identity_index";

#[cfg(test)]
#[path = "sigs_tests.rs"]
mod tests;
