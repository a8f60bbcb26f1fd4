//! Merge: stores ingested apart, by site (on several machines), combined into one.
//!
//! A site's history in a store depends only on that site's pages and the runs that brought
//! them (ids derive from the site, a raw page is a delta against its site's, dictionaries and
//! chrome are per site, and ingest cleans each page with its site's chrome at a mark counted
//! in that site's pages: `ingest::mark_of`). So stores holding different sites combine record
//! by record into the store that ingesting all their pages would have made: every tree is
//! copied, values byte for byte into the new value file (but a text stored as a delta against
//! another article's, whose base pointer names the shard's value file, is stored whole), with the fetches numbered on from the
//! stores before (in the order given) and the dictionaries likewise. Exports, logs and stats
//! are those of that one store, byte for byte (less sled's own file sizes), as
//! `tests/cli/merge.rs` checks.
//!
//! Refused, before anything is written: a site in more than one store (its two histories are
//! not one: ingest one store's pages of it into the other instead), stores with different
//! rules (they cleaned differently). An article id held in two stores (48 bits of BLAKE3 of site and
//! headline: odds of about 1 in 300 for two stores of a million articles each) is refused too,
//! naming both; one store would have given the later one another id.
//!
//! The result is built beside its path and moved there once it verifies, as `restore` does.

use std::collections::BTreeMap;
use std::path::Path;

use super::dump::build_beside;
use super::index::{INDEX_KEY, INDEX_LAYOUT, INDEX_RULE_KEY};
use super::records::{decode_article, decode_revision, encode_record, encode_revision, ArticleRecord};
use super::{chain, keys, OpenOptions, Store};
use crate::id::ArticleId;
use crate::{Error, Result};

/// What a merge combined.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Stores merged.
    pub stores: usize,
    /// Sites in the merged store.
    pub sites: usize,
    /// Fetches in the merged store.
    pub fetches: u64,
    /// Articles in the merged store.
    pub articles: u64,
    /// Revisions in the merged store.
    pub revisions: u64,
    /// Raw pages held by more than one store (the same bytes fetched for two sites), kept once
    /// as the first store holding them had them.
    pub shared_pages: u64,
}

/// The most sites or ids an error lists.
const LISTED: usize = 10;

impl Store {
    /// Builds a new store at `path` holding everything the `shards` hold: stores of different
    /// sites (see the module's documentation). `path` must not exist; the shards are only read.
    pub fn merge(path: &Path, shards: &[&Store]) -> Result<MergeSummary> {
        let sites = check(shards)?;
        build_beside(path, "merging", "merge", |staging| merge_into(staging, shards, sites))
    }

    /// Every site the store holds pages or knowledge of.
    fn site_names(&self) -> Result<Vec<String>> {
        let mut sites: Vec<String> = self.sites()?.into_iter().map(|(site, _)| site).collect();
        for item in self.fetch_records() {
            sites.push(item?.1.site);
        }
        sites.sort_unstable();
        sites.dedup();
        Ok(sites)
    }

    /// The store's rules as their keys.
    fn rule_keys(&self) -> Result<Vec<Vec<u8>>> {
        self.h().rules.iter().keys().map(|k| k.map(|k| k.to_vec()).map_err(|e| self.fail(e))).collect()
    }
}

/// Checks that `shards` can be merged; returns how many sites they hold.
fn check(shards: &[&Store]) -> Result<usize> {
    let mut owners: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, shard) in shards.iter().enumerate() {
        for site in shard.site_names()? {
            owners.entry(site).or_default().push(i);
        }
    }
    let shared: Vec<String> = owners
        .iter()
        .filter(|(_, held)| held.len() > 1)
        .map(|(site, held)| {
            let stores: Vec<String> = held.iter().map(|&i| shards[i].path.display().to_string()).collect();
            format!("{site} (in {})", stores.join(", "))
        })
        .collect();
    if !shared.is_empty() {
        return Err(Error::Unmergeable(format!(
            "{} site(s) are in more than one store: {}. A merge combines stores of different sites; \
             ingest one store's pages of a site into the other instead",
            shared.len(),
            listed(&shared)
        )));
    }
    if let Some((first, rest)) = shards.split_first() {
        let rules = first.rule_keys()?;
        for other in rest {
            if other.rule_keys()? != rules {
                return Err(Error::Unmergeable(format!(
                    "{} and {} have different rules (`vellum rules list`), so they cleaned pages \
                     differently; one store would have had one set",
                    first.path.display(),
                    other.path.display()
                )));
            }
        }
    }
    Ok(owners.len())
}

/// The first [`LISTED`] items, and how many more.
fn listed(items: &[String]) -> String {
    let mut text = items.iter().take(LISTED).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > LISTED {
        text.push_str(&format!(" and {} more", items.len() - LISTED));
    }
    text
}

fn merge_into(staging: &Path, shards: &[&Store], sites: usize) -> Result<MergeSummary> {
    let store = Store::open(staging, &OpenOptions { create: true, ..OpenOptions::default() })?;
    let mut summary = MergeSummary { stores: shards.len(), sites, ..MergeSummary::default() };
    let mut next_dict = 1u32;
    let mut fetch_offset = 0u64;
    let mut clashes = Vec::new();
    for (i, shard) in shards.iter().enumerate() {
        copy_shard(&store, shard, fetch_offset, &mut next_dict, &mut summary, &mut clashes)?;
        if i == 0 {
            for item in shard.h().rules.iter() {
                let (key, value) = item.map_err(|e| shard.fail(e))?;
                store.h().rules.insert(key, value).map_err(|e| store.fail(e))?;
            }
        }
        fetch_offset += shard.fetch_seq()?;
    }
    if !clashes.is_empty() {
        return Err(Error::Unmergeable(format!(
            "{} article id(s) are in more than one store: {}. One store would have given the later \
             article another id: ingest one of these sites' pages into the other store instead",
            clashes.len(),
            listed(&clashes)
        )));
    }
    let h = store.h();
    h.meta.insert(super::write::FETCH_SEQ_KEY, encode_record(&fetch_offset)).map_err(|e| store.fail(e))?;
    h.meta.insert(INDEX_KEY, encode_record(&INDEX_LAYOUT)).map_err(|e| store.fail(e))?;
    // The shards' index entries are copied: marked with their rule's version when they share
    // one; otherwise unmarked, and built again before the merged store's first write.
    let mut versions = shards.iter().map(|s| s.index_rule_version());
    if let Some(Ok(first)) = versions.next() {
        if versions.all(|v| v.is_ok_and(|v| v == first)) {
            h.meta.insert(INDEX_RULE_KEY, encode_record(&first)).map_err(|e| store.fail(e))?;
        }
    }
    if next_dict > 1 {
        store.set_next_dict(next_dict)?;
    }
    store.flush()?;
    drop(store);
    let store = Store::open(staging, &OpenOptions::default())?;
    let report = store.verify()?;
    if let Some(p) = report.problems.first() {
        return Err(Error::Internal(format!("the merged store does not verify: {}: {}", p.what, p.detail)));
    }
    Ok(summary)
}

/// Copies one store into `store`, its fetches numbered from `fetch_offset` and its
/// dictionaries from `next_dict`; names in `clashes` each article id `store` holds already.
fn copy_shard(
    store: &Store,
    shard: &Store,
    fetch_offset: u64,
    next_dict: &mut u32,
    summary: &mut MergeSummary,
    clashes: &mut Vec<String>,
) -> Result<()> {
    let (from, to) = (shard.h(), store.h());
    let shard_fail = |e| shard.fail(e);
    let fail = |e| store.fail(e);
    let name = shard.path.display().to_string();
    // Dictionaries first: texts name theirs by id.
    let dict_ids = store.copy_dicts(shard, next_dict)?;
    for item in from.blobs.iter() {
        let (key, value) = item.map_err(shard_fail)?;
        if to.blobs.contains_key(&key).map_err(fail)? {
            summary.shared_pages += 1;
            continue;
        }
        let bytes = shard.stored(&|| format!("{name}: blob key {key:?}"), &value)?;
        to.blobs.insert(key, store.put(&bytes)?).map_err(fail)?;
    }
    for item in from.fetches.iter() {
        let (key, value) = item.map_err(shard_fail)?;
        // A pack names no fetch number inside it: it moves as it is, under its new first one.
        let (first, records) = super::fetches::decode_pack(&key, &value).map_err(|e| match e {
            Error::Corrupt { what, detail } => Error::Corrupt { what: format!("{name}: {what}"), detail },
            other => other,
        })?;
        let moved = first.checked_add(fetch_offset).filter(|m| m.checked_add(records.len() as u64).is_some());
        let moved = moved.ok_or_else(|| Error::Corrupt {
            what: format!("{name}: fetches from {first}"),
            detail: format!("numbers past 2^64 once after the {fetch_offset} fetches already stored"),
        })?;
        to.fetches.insert(keys::fetch(moved), value).map_err(fail)?;
        summary.fetches += records.len() as u64;
    }
    for item in from.articles.iter() {
        let (key, value) = item.map_err(shard_fail)?;
        if let Some(held) = to.articles.insert(&key, value.clone()).map_err(fail)? {
            let site = |v: &[u8]| decode_article(&|| format!("article {key:?}"), v).map(|a: ArticleRecord| a.site);
            let id = keys::fixed::<6>(&key).map_or_else(|| format!("{key:?}"), |k| ArticleId(k).to_string());
            clashes.push(format!("{id} ({} and {})", site(&held)?, site(&value)?));
            to.articles.insert(&key, held).map_err(fail)?;
            continue;
        }
        summary.articles += 1;
    }
    for item in from.revisions.iter() {
        let (key, value) = item.map_err(shard_fail)?;
        let what = || format!("{name}: revision key {key:?}");
        let (mut record, text) = decode_revision(&what, &value)?;
        let mut bytes = shard.stored(&what, &text)?;
        if chain::shared_base(&bytes).is_some() {
            bytes = whole_again(shard, &key, &bytes)?;
        }
        chain::renumber_dict(&mut bytes, &dict_ids)?;
        record.fetch += fetch_offset;
        to.revisions.insert(key, encode_revision(&record, &store.put(&bytes)?)).map_err(fail)?;
        summary.revisions += 1;
    }
    // Keyed by site (and article), the same in any store holding the site.
    let by_site = [(&from.heads, &to.heads), (&from.bands, &to.bands), (&from.aliases, &to.aliases)];
    for (from, to) in by_site {
        for item in from.iter() {
            let (key, value) = item.map_err(shard_fail)?;
            to.insert(key, value).map_err(fail)?;
        }
    }
    // The sites' learned chrome, read out of the shard's generations into one of the store's.
    let sites = shard.site_files()?;
    store.write_site_files(&sites)?;
    Ok(())
}

/// A text stored as a delta against another article's (kind 5, `value`, under revisions key
/// `key` in `shard`) encoded whole, with its site's dictionary in `shard` as ingest would have
/// stored it: its base's pointer names the shard's value file, not the merged store's.
fn whole_again(shard: &Store, key: &[u8], value: &[u8]) -> Result<Vec<u8>> {
    let name = shard.path.display().to_string();
    let (id, number) = keys::split_revision(key).ok_or_else(|| bad_key(&name, "revisions", key))?;
    let what = || format!("{name}: article {id} revision {number} text");
    let text = chain::decode(&what, value, None, &|d| shard.dict(d), &|p| shard.base_value(p))?;
    let dict = shard.site_dict(&shard.article(id)?.site)?;
    Ok(chain::whole(&text, dict.as_deref()))
}

fn bad_key(name: &str, tree: &str, key: &[u8]) -> Error {
    Error::Corrupt { what: format!("{name}: {tree} key {key:?}"), detail: "not a valid key".into() }
}
