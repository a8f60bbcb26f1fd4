//! Ingest: one page through the whole pipeline into the store.

use crate::clean::fold;
use crate::process::{derive, ProcessOptions};
use crate::segment::Article;
use crate::store::{ArticleOutcome, PageOutcome, Store};
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

/// The identity an article's id derives from: the page's site, a NUL byte, then the folded
/// title. An article with no title is known by its page's URL, else its source file's name.
pub fn identity(page: &Page, article: &Article) -> String {
    let name = match &article.title {
        Some(title) => fold(title),
        None => match &page.url {
            Some(url) => format!("url:{url}"),
            None => format!("source:{}", page.source.rsplit(['/', '\\']).next().unwrap_or(&page.source)),
        },
    };
    format!("{}\0{name}", page.site)
}

/// Cleans, splits and stores one page, atomically. The store is untouched when this fails.
pub fn ingest_page(store: &Store, page: &Page, options: &ProcessOptions) -> Result<PageOutcome> {
    let derived = derive(page, options)?;
    let articles: Vec<(String, &Article)> = derived.articles.iter().map(|a| (identity(page, a), a)).collect();
    store.ingest_page(page, &articles)
}
