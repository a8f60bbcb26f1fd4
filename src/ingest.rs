//! Ingest: pages through the whole pipeline into the store, learning each site's chrome as
//! they go.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use crate::clean::{page_shapes, SiteChrome};
use crate::process::{derive_with, ProcessOptions};
use crate::segment::Article;
use crate::store::{ArticleOutcome, PageOutcome, Store};
use crate::trivial::trivial_form;
use crate::{Page, Result};

/// Running totals of an ingest, as the one-line summary prints them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Pages read and stored.
    pub pages: u64,
    /// Inputs that failed (nothing of them was stored).
    pub failures: u64,
    /// Articles seen for the first time.
    pub new: u64,
    /// Known articles whose text changed (each got a new revision).
    pub revised: u64,
    /// Known articles whose text had not changed.
    pub unchanged: u64,
}

impl Summary {
    /// Adds one page's outcome.
    pub fn add(&mut self, outcome: &PageOutcome) {
        self.pages += 1;
        for a in &outcome.articles {
            match a {
                ArticleOutcome::New(_) => self.new += 1,
                ArticleOutcome::Revised(..) => self.revised += 1,
                ArticleOutcome::Unchanged(..) => self.unchanged += 1,
            }
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} page{} read: {} new article{}, {} revised, {} unchanged; {} failure{}",
            self.pages,
            plural(self.pages),
            self.new,
            plural(self.new),
            self.revised,
            self.unchanged,
            self.failures,
            plural(self.failures)
        )
    }
}

/// The identity an article's id derives from: the page's site, a NUL byte, then the title in
/// its trivial form (lower case, punctuation and spacing folded, digits kept: "Part 1" and
/// "Part 2" are two articles). An article with no title is known by its page's URL, else its
/// source file's name.
pub fn identity(page: &Page, article: &Article) -> String {
    let name = match &article.title {
        Some(title) => trivial_form(title),
        None => match &page.url {
            Some(url) => format!("url:{url}"),
            None => format!("source:{}", page.source.rsplit(['/', '\\']).next().unwrap_or(&page.source)),
        },
    };
    format!("{}\0{name}", page.site)
}

/// Sites whose knowledge is held in memory at most; past this the cache starts afresh.
const CACHED_SITES: usize = 256;

/// A site's chrome as loaded, and the shapes whose counts changed since the last save.
struct SiteState {
    chrome: SiteChrome,
    changed: BTreeSet<u64>,
}

/// Ingests pages into a store, one transaction per page, using and updating what the store
/// knows of each site's chrome. Call [`Ingester::flush`] to make the work durable.
pub struct Ingester<'s> {
    store: &'s Store,
    options: ProcessOptions,
    sites: HashMap<String, SiteState>,
}

impl<'s> Ingester<'s> {
    /// An ingester with the store's user rules added to `options`.
    pub fn new(store: &'s Store, mut options: ProcessOptions) -> Result<Self> {
        let rules = store.rules()?;
        options.rules.drop.extend(rules.drop);
        options.rules.keep.extend(rules.keep);
        Ok(Ingester { store, options, sites: HashMap::new() })
    }

    /// Cleans, splits and stores one page, atomically; the store is untouched when this fails.
    /// The page's line shapes then count toward its site's chrome.
    pub fn ingest(&mut self, page: &Page) -> Result<PageOutcome> {
        if !self.sites.contains_key(&page.site) && self.sites.len() >= CACHED_SITES {
            self.save_sites()?;
            self.sites.clear();
        }
        let state = match self.sites.entry(page.site.clone()) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(v) => {
                v.insert(SiteState { chrome: self.store.site_chrome(&page.site)?, changed: BTreeSet::new() })
            }
        };
        let derived = derive_with(page, &self.options, Some(&state.chrome))?;
        let articles: Vec<(String, &Article)> = derived.articles.iter().map(|a| (identity(page, a), a)).collect();
        let outcome = self.store.ingest_page(page, &articles, derived.listing)?;
        let shapes = page_shapes(page.text()?);
        state.chrome.add_shapes(&shapes);
        state.changed.extend(shapes);
        Ok(outcome)
    }

    /// Saves the sites' learned chrome and makes everything durable.
    pub fn flush(&mut self) -> Result<()> {
        self.save_sites()?;
        self.store.flush()
    }

    fn save_sites(&mut self) -> Result<()> {
        let mut names: Vec<&String> = self.sites.keys().collect();
        names.sort();
        for name in names {
            let state = &self.sites[name];
            if state.changed.is_empty() && state.chrome.pages == 0 {
                continue;
            }
            let changed: Vec<(u64, u32)> =
                state.changed.iter().map(|s| (*s, state.chrome.shape_pages.get(s).copied().unwrap_or(0))).collect();
            self.store.save_site_chrome(name, state.chrome.pages, &changed)?;
        }
        for state in self.sites.values_mut() {
            state.changed.clear();
        }
        Ok(())
    }
}
