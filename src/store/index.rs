//! The identity index: finding a stored article again when a page prints it under an edited
//! headline.
//!
//! Two trees, both a pure function of the articles and revisions (so `restore` rebuilds them
//! and `verify` recomputes them):
//!
//! - `bands`: for each titled article whose latest text has a sketch (the archive's rule), one
//!   entry `SITE ‖ 0x00 ‖ id (6)` → its [`BANDS`] buckets. A lookup needs the inverse (bucket →
//!   ids), which is kept in memory ([`BandIndex`]), loaded a site at a time from this tree when a
//!   page of the site is first written: on disk it would be one small record per band of every
//!   article, each costing sled far more than its bytes.
//! - `aliases`: `SITE ‖ 0x00 ‖ folded title` (a title identity) → the article that carried that
//!   title in some revision, when it is not the identity the article's id derives from and no
//!   article derives its id from it. When several articles carried it (a page printed one under
//!   its own headline and another under the alias), the lowest id: an article's titles are
//!   never taken back, so the choice only ever moves to a new, lower carrier.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use sled::transaction::TransactionalTree;

use super::read::text_value_via;
use super::records::{decode_article, decode_record, encode_record, ArticleRecord};
use super::write::{abort, TxResult};
use super::{keys, Problem, Store};
use crate::id::ArticleId;
use crate::Result;

/// Buckets per article in the identity index (one per band of its sketch).
pub const BANDS: usize = 8;

/// The buckets of one article's latest text, one per band.
pub type Buckets = [u64; BANDS];

/// A `bands` key.
fn band_key(site: &str, id: ArticleId) -> Vec<u8> {
    [&keys::site_prefix(site)[..], &id.0].concat()
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

/// Indexes an article's latest text under its `buckets`, inside a transaction.
pub fn add(bands: &Bands<'_>, site: &str, id: ArticleId, buckets: &Buckets) -> TxResult<()> {
    bands.tree.insert(band_key(site, id), encode_record(buckets))?;
    bands.pending.borrow_mut().push(BandChange { site: site.to_owned(), id, buckets: *buckets, add: true });
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

/// The trees a revision's text is read from inside a transaction: `revisions`, whose records
/// hold their text's stored value, and `dicts`.
pub struct TextTrees<'t> {
    pub revisions: &'t TransactionalTree,
    /// Where dictionaries not yet cached are read.
    pub dicts: &'t TransactionalTree,
}

/// The stored value of a revision's text (see [`TextTrees`]), inside a transaction.
fn text_value(trees: &TextTrees<'_>, key: [u8; 10]) -> TxResult<Option<sled::IVec>> {
    text_value_via(key, &|k| Ok(trees.revisions.get(k)?), &abort)
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

/// What the identity index holds for one article: the buckets of its latest text (if it has
/// them) and its aliases. What they are is the archive's rule ([`IndexRule`]): the store keeps
/// the index, builds it again and checks it with the rule it is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexEntry {
    /// The buckets of the article's latest text, one per band.
    pub buckets: Option<Buckets>,
    /// Title identities the article carries as aliases (each names the lowest id of the
    /// articles carrying it).
    pub aliases: Vec<String>,
}

/// The rule that says what the identity index holds for a stored article, with its version:
/// a store whose index another version of the rule built has it built again before its next
/// write. `verify` does not check such an index's entries: it reports the other version's
/// mark, and passes an index unmarked (built by version 1).
#[derive(Clone, Copy)]
pub struct IndexRule {
    /// The rule's version (stored in `meta` as `identity_rule`; a store without it was built
    /// by version 1).
    pub version: u32,
    /// What the index holds for an article.
    pub entry: fn(&Store, ArticleId, &ArticleRecord) -> Result<IndexEntry>,
}

/// `meta` key: the version of the rule the identity index was built by.
pub const INDEX_RULE_KEY: &[u8] = b"identity_rule";

impl Store {
    /// Builds the identity index from the articles and revisions (after `restore`, and for a
    /// store whose index another rule built), leaving the in-memory inverse to be loaded again.
    pub(super) fn rebuild_identity_index(&self, rule: IndexRule) -> Result<()> {
        let h = self.h();
        h.bands.clear().map_err(|e| self.fail(e))?;
        h.aliases.clear().map_err(|e| self.fail(e))?;
        for item in h.articles.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some(id) = keys::fixed::<6>(&key).map(ArticleId) else { continue };
            let record: ArticleRecord = decode_article(&|| format!("article {id}"), &value)?;
            let expected = (rule.entry)(self, id, &record)?;
            // Articles in id order: an alias names the lowest id of those carrying it.
            for alias in expected.aliases {
                if !h.aliases.contains_key(alias.as_bytes()).map_err(|e| self.fail(e))? {
                    h.aliases.insert(alias.as_bytes(), encode_record(&id.0)).map_err(|e| self.fail(e))?;
                }
            }
            if let Some(buckets) = expected.buckets {
                h.bands.insert(band_key(&record.site, id), encode_record(&buckets)).map_err(|e| self.fail(e))?;
            }
        }
        h.meta.insert(INDEX_KEY, encode_record(&INDEX_LAYOUT)).map_err(|e| self.fail(e))?;
        h.meta.insert(INDEX_RULE_KEY, encode_record(&rule.version)).map_err(|e| self.fail(e))?;
        self.band_index.lock().unwrap_or_else(std::sync::PoisonError::into_inner).sites.clear();
        Ok(())
    }

    /// The identity index's layout as marked in `meta`: [`INDEX_LAYOUT`], or `None` for a store
    /// no page was written to yet.
    pub(super) fn index_layout(&self) -> Result<Option<u32>> {
        let value = self.h().meta.get(INDEX_KEY).map_err(|e| self.fail(e))?;
        value.map(|v| decode_record(&|| "meta identity_index".into(), &v)).transpose()
    }

    /// The version of the rule the identity index was built by (1 when unmarked).
    pub(super) fn index_rule_version(&self) -> Result<u32> {
        let value = self.h().meta.get(INDEX_RULE_KEY).map_err(|e| self.fail(e))?;
        Ok(value.map(|v| decode_record(&|| "meta identity_rule".into(), &v)).transpose()?.unwrap_or(1))
    }

    /// Builds the identity index once for a store whose index is not marked as built by `rule`
    /// (then every article's latest text is read once): before a page is first written.
    pub(super) fn ensure_identity_index(&self, rule: IndexRule) -> Result<()> {
        if self.index_ready.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(());
        }
        // A damaged mark is mended by building the index again, which it describes.
        let current = matches!(self.index_layout(), Ok(Some(INDEX_LAYOUT)))
            && matches!(self.index_rule_version(), Ok(v) if v == rule.version);
        if !current {
            self.rebuild_identity_index(rule)?;
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

    /// The articles of `site` whose index entry shares each band's bucket of `buckets`. The
    /// site's index must be loaded ([`Store::load_band_index`]).
    pub(super) fn band_members(&self, site: &str, buckets: &Buckets) -> Vec<Vec<ArticleId>> {
        let index = self.band_index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(entries) = index.sites.get(site) else { return vec![Vec::new(); buckets.len()] };
        let members = |band: usize, bucket: u64| {
            let range = (band as u8, bucket, [0u8; 6])..=(band as u8, bucket, [u8::MAX; 6]);
            entries.range(range).map(|e| ArticleId(e.2)).collect()
        };
        buckets.iter().enumerate().map(|(band, bucket)| members(band, *bucket)).collect()
    }

    /// Applies a committed page's changes to the in-memory identity index.
    pub(super) fn apply_band_changes(&self, changes: &[BandChange]) {
        let mut index = self.band_index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for change in changes {
            index.apply(change);
        }
    }

    /// Checks the identity index against what the articles and revisions say it should hold,
    /// by `rule`.
    pub(crate) fn verify_identity_index(&self, rule: IndexRule, problems: &mut Vec<Problem>) -> Result<()> {
        let h = self.h();
        let layout = self.index_layout().unwrap_or_else(|e| {
            problems.push(Problem::new("meta identity_index".into(), e.to_string()));
            Some(INDEX_LAYOUT)
        });
        match layout {
            Some(INDEX_LAYOUT) => {}
            // No page written yet: the index is built before the first.
            None => return Ok(()),
            Some(other) => {
                let detail = format!("names layout {other}; the store format's is {INDEX_LAYOUT}");
                problems.push(Problem::new("meta identity_index".into(), detail));
                return Ok(());
            }
        }
        {
            let mark = self.h().meta.get(INDEX_RULE_KEY).map_err(|e| self.fail(e))?;
            let Some(mark) = mark else {
                // Built by the first version of the rule: built again before the next write.
                return Ok(());
            };
            match decode_record::<u32>(&|| "meta identity_rule".into(), &mark) {
                Ok(version) if version == rule.version => {}
                Ok(version) => {
                    let detail = format!("names rule version {version}; this build's is {}", rule.version);
                    problems.push(Problem::new("meta identity_rule".into(), detail));
                    return Ok(());
                }
                Err(e) => {
                    problems.push(Problem::new("meta identity_rule".into(), e.to_string()));
                    return Ok(());
                }
            }
        }
        let mut entries = 0usize;
        // Each alias and the lowest id of the articles carrying it, which it names.
        let mut named: BTreeMap<String, ArticleId> = BTreeMap::new();
        // Articles whose entry cannot be known: a damaged record, revision or text, which the
        // main checks report. An alias naming one of them may be right.
        let mut unknown: BTreeSet<[u8; 6]> = BTreeSet::new();
        for item in h.articles.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some(id) = keys::fixed::<6>(&key).map(ArticleId) else { continue };
            let Ok(record) = decode_article(&|| format!("article {id}"), &value) else {
                unknown.insert(id.0);
                continue;
            };
            let Ok(expected) = (rule.entry)(self, id, &record) else {
                unknown.insert(id.0);
                continue;
            };
            for alias in expected.aliases {
                let lowest = named.entry(alias).or_insert(id);
                *lowest = (*lowest).min(id);
            }
            let Some(buckets) = &expected.buckets else { continue };
            entries += 1;
            let key = band_key(&record.site, id);
            let value = h.bands.get(&key).map_err(|e| self.fail(e))?;
            let found = value.and_then(|v| decode_record::<Buckets>(&what_band(&key), &v).ok());
            if found.as_ref() != Some(buckets) {
                problems.push(Problem::new(format!("bands of article {id}"), format!("missing or wrong{REBUILD}")));
            }
        }
        // Entries of articles whose entry cannot be known are left out of the count.
        let stored =
            self.count_but(&h.bands, &unknown, |key, _| key.len() >= 6 && unknown.contains(&key[key.len() - 6..]))?;
        if stored != entries {
            problems.push(Problem::new("bands".into(), format!("holds {stored} entries, expected {entries}{REBUILD}")));
        }
        for (alias, id) in &named {
            let found = h.aliases.get(alias.as_bytes()).map_err(|e| self.fail(e))?;
            let what = || format!("alias {alias:?}");
            let detail = match found.map(|v| decode_record::<[u8; 6]>(&what, &v)) {
                Some(Ok(names)) if names == id.0 || unknown.contains(&names) => continue,
                Some(Ok(names)) => format!("names article {}, should name article {id}", ArticleId(names)),
                Some(Err(_)) => format!("cannot be read, should name article {id}"),
                None => format!("missing, should name article {id}"),
            };
            let alias = alias.replace('\0', "/");
            problems.push(Problem::new(format!("alias {alias}"), format!("{detail}{REBUILD}")));
        }
        // So are aliases naming such an article that no other article carries.
        let stored = self.count_but(&h.aliases, &unknown, |key, value| {
            let names = decode_record::<[u8; 6]>(&String::new, value);
            names.is_ok_and(|names| unknown.contains(&names))
                && !named.contains_key(String::from_utf8_lossy(key).as_ref())
        })?;
        if stored != named.len() {
            problems.push(Problem::new(
                "aliases".into(),
                format!("holds {stored} aliases, expected {}{REBUILD}", named.len()),
            ));
        }
        Ok(())
    }

    /// How many entries `tree` holds, leaving out those `left_out` picks when some articles'
    /// entries cannot be known (`unknown` is not empty).
    fn count_but(
        &self,
        tree: &sled::Tree,
        unknown: &BTreeSet<[u8; 6]>,
        left_out: impl Fn(&[u8], &[u8]) -> bool,
    ) -> Result<usize> {
        if unknown.is_empty() {
            return Ok(tree.len());
        }
        let mut count = 0;
        for item in tree.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            count += usize::from(!left_out(&key, &value));
        }
        Ok(count)
    }
}

/// What verify says of a wrong entry of the identity index, which follows from the articles
/// and revisions: how to build it again.
const REBUILD: &str = " (to build the index again: `vellum dump`, then `vellum restore` into a new store)";

/// `meta` key: present once the identity index has been built for every article; its value
/// is the index's layout.
pub const INDEX_KEY: &[u8] = b"identity_index";

/// The identity index's layout: `bands`, with the inverse in memory.
pub const INDEX_LAYOUT: u32 = 2;

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
