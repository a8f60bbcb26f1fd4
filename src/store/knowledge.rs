//! What the store knows beyond articles: each site's line shapes (its learned chrome) and the
//! user's cleaning rules.
//!
//! Site knowledge is advisory and derived, so it is written in batches (when an ingest flushes),
//! not inside each page's transaction: a crash can lose the last batch's counts, never an
//! article. A save writes the knowledge of the sites it is given into one generation file, and
//! each site's `sites` record points there (`sitefiles`).

use std::collections::BTreeMap;

use super::records::{encode_record, SiteRecord};
use super::Store;
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

/// What a site's pages taught, as stored: how many of its pages were counted, and each line
/// shape seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteKnowledge {
    /// Pages counted.
    pub pages: u32,
    /// Each line shape (a hash) with its counts.
    pub shapes: BTreeMap<u64, ShapeCount>,
}

/// One line shape of a site's knowledge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShapeCount {
    /// On how many counted pages it appeared (0: seen, not counted yet).
    pub pages: u32,
    /// The article it was first seen in (a hash of the article's identity; 0 when it was seen
    /// outside or across articles).
    pub owner: u64,
}

/// A site's knowledge as its `sites` value holds it: its counted pages, and each shape
/// (shape, pages, owner) in shape order.
pub(crate) type SiteShapes = (u32, Vec<(u64, u32, u64)>);

/// The user's line rules, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserRules {
    /// Patterns whose lines are always dropped.
    pub drop: Vec<String>,
    /// Patterns whose lines are always kept.
    pub keep: Vec<String>,
}

impl Store {
    /// A site's knowledge (empty for a site never saved), read where its `sites` record points.
    pub(crate) fn site_knowledge(&self, site: &str) -> Result<SiteKnowledge> {
        let (pages, shapes) = self.site_shapes(site)?;
        let mut knowledge = SiteKnowledge { pages, ..SiteKnowledge::default() };
        for (shape, pages, owner) in shapes {
            knowledge.shapes.insert(shape, ShapeCount { pages, owner });
        }
        Ok(knowledge)
    }

    /// A site's knowledge as stored (nothing for a site never saved).
    pub(crate) fn site_shapes(&self, site: &str) -> Result<SiteShapes> {
        Ok(self.read_site_file(site)?.map_or((0, Vec::new()), |record| (record.pages, record.shapes)))
    }

    /// Writes a site's learned chrome: the page count, and each shape with on how many counted
    /// pages it counted and the article it was first seen in.
    #[cfg(test)]
    pub(crate) fn save_site_knowledge(&self, site: &str, knowledge: &SiteKnowledge) -> Result<()> {
        let shapes = knowledge.shapes.iter().map(|(&shape, c)| (shape, c.pages, c.owner)).collect();
        self.save_site_shapes(site, knowledge.pages, shapes)
    }

    /// [`Store::save_site_knowledge`] from the shapes (shape, pages, owner) in shape order, each
    /// once.
    #[cfg(test)]
    pub(crate) fn save_site_shapes(&self, site: &str, pages: u32, shapes: Vec<(u64, u32, u64)>) -> Result<()> {
        self.save_sites_shapes(vec![(site, (pages, shapes))])
    }

    /// Writes the learned chrome of several sites at once, into one generation file (see
    /// `sitefiles`): each site's shapes (shape, pages, owner) in shape order, each once.
    pub(crate) fn save_sites_shapes(&self, sites: Vec<(&str, SiteShapes)>) -> Result<()> {
        let records: Vec<(&str, SiteRecord)> = sites
            .into_iter()
            .map(|(site, (pages, shapes))| {
                debug_assert!(shapes.windows(2).all(|w| w[0].0 < w[1].0), "shapes in shape order, each once");
                (site, SiteRecord { pages, shapes })
            })
            .collect();
        self.write_site_files(&records)
    }

    /// Every site with counted pages, in name order, with its page count.
    pub fn sites(&self) -> Result<Vec<(String, u32)>> {
        Ok(self.site_files()?.into_iter().map(|(site, record)| (site, record.pages)).collect())
    }

    /// The user's cleaning rules.
    pub fn rules(&self) -> Result<UserRules> {
        let mut rules = UserRules::default();
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

#[cfg(test)]
#[path = "knowledge_tests.rs"]
mod tests;
