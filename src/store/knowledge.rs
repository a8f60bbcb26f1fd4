//! What the store knows beyond articles: each site's line shapes (its learned chrome) and the
//! user's cleaning rules.
//!
//! Site knowledge is advisory and derived, so it is written in batches (when an ingest flushes),
//! not inside each page's transaction: a crash can lose the last batch's counts, never an
//! article.

use std::collections::HashMap;

use sled::Batch;

use super::keys;
use super::records::{decode_record, encode_record};
use super::Store;
use crate::clean::{Rules, SiteChrome};
use crate::Result;

/// Rule kind byte: drop lines matching the pattern.
const RULE_DROP: u8 = b'd';
/// Rule kind byte: keep lines matching the pattern.
const RULE_KEEP: u8 = b'k';

/// Whether a user rule drops or keeps the lines it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Always drop matching lines.
    Drop,
    /// Always keep matching lines.
    Keep,
}

impl Store {
    /// The site's learned chrome: how many of its pages were counted, and on how many each
    /// line shape appeared (see [`Store::site_knowledge`]).
    pub fn site_chrome(&self, site: &str) -> Result<SiteChrome> {
        Ok(self.site_knowledge(site)?.0)
    }

    /// The site's learned chrome, and for each line shape the article it was first seen in
    /// (a hash of the article's identity; 0 when it was seen outside or across articles).
    pub fn site_knowledge(&self, site: &str) -> Result<(SiteChrome, HashMap<u64, u64>)> {
        let mut chrome = SiteChrome::default();
        let mut owners = HashMap::new();
        if let Some(value) = self.h().sites.get(site.as_bytes()).map_err(|e| self.fail(e))? {
            chrome.pages = decode_record(&|| format!("site {site}"), &value)?;
        }
        for item in self.h().site_shapes.scan_prefix(keys::site_prefix(site)) {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let Some(shape) = keys::split_site_shape(&key, site) else { continue };
            let (pages, owner): (u32, u64) = decode_record(&|| format!("site {site} shape {shape:016x}"), &value)?;
            if pages > 0 {
                chrome.shape_pages.insert(shape, pages);
            }
            owners.insert(shape, owner);
        }
        Ok((chrome, owners))
    }

    /// Writes a site's page count and the shapes whose count or owner changed, and removes the
    /// shapes `forgotten` (seen inside one article only, and no longer remembered).
    pub fn save_site_chrome(
        &self,
        site: &str,
        pages: u32,
        changed: &[(u64, u32, u64)],
        forgotten: &[u64],
    ) -> Result<()> {
        let mut batch = Batch::default();
        for &shape in forgotten {
            batch.remove(&keys::site_shape(site, shape)[..]);
        }
        for &(shape, count, owner) in changed {
            batch.insert(&keys::site_shape(site, shape)[..], encode_record(&(count, owner)));
        }
        self.h().site_shapes.apply_batch(batch).map_err(|e| self.fail(e))?;
        self.h().sites.insert(site.as_bytes(), encode_record(&pages)).map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// How many of the site's pages were counted.
    pub(super) fn site_chrome_pages(&self, site: &str) -> Result<u32> {
        match self.h().sites.get(site.as_bytes()).map_err(|e| self.fail(e))? {
            Some(value) => decode_record(&|| format!("site {site}"), &value),
            None => Ok(0),
        }
    }

    /// Every site with counted pages, in name order, with its page count.
    pub fn sites(&self) -> Result<Vec<(String, u32)>> {
        let mut out = Vec::new();
        for item in self.h().sites.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let site = String::from_utf8_lossy(&key).into_owned();
            let pages: u32 = decode_record(&|| format!("site {site}"), &value)?;
            out.push((site, pages));
        }
        Ok(out)
    }

    /// The user's cleaning rules.
    pub fn rules(&self) -> Result<Rules> {
        let mut rules = Rules::default();
        for item in self.h().rules.iter() {
            let (key, _) = item.map_err(|e| self.fail(e))?;
            let pattern = String::from_utf8_lossy(key.get(1..).unwrap_or_default()).into_owned();
            match key.first() {
                Some(&RULE_DROP) => rules.drop.push(pattern),
                Some(&RULE_KEEP) => rules.keep.push(pattern),
                _ => {}
            }
        }
        Ok(rules)
    }

    /// Adds a rule, durably; returns false when it was there already.
    pub fn add_rule(&self, kind: RuleKind, pattern: &str) -> Result<bool> {
        let added = self.insert_rule(kind, pattern)?;
        self.flush()?;
        Ok(added)
    }

    pub(super) fn insert_rule(&self, kind: RuleKind, pattern: &str) -> Result<bool> {
        let old = self.h().rules.insert(rule_key(kind, pattern), encode_record(&())).map_err(|e| self.fail(e))?;
        Ok(old.is_none())
    }

    /// Removes a rule; returns false when there was no such rule.
    pub fn remove_rule(&self, kind: RuleKind, pattern: &str) -> Result<bool> {
        let old = self.h().rules.remove(rule_key(kind, pattern)).map_err(|e| self.fail(e))?;
        self.flush()?;
        Ok(old.is_some())
    }
}

fn rule_key(kind: RuleKind, pattern: &str) -> Vec<u8> {
    let byte = match kind {
        RuleKind::Drop => RULE_DROP,
        RuleKind::Keep => RULE_KEEP,
    };
    [&[byte][..], pattern.as_bytes()].concat()
}
