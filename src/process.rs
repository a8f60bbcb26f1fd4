//! One page through the pipeline's pure stages: text, clean, segment.

use crate::clean::{clean, Cleaned};
use crate::export::Record;
use crate::id::ContentHash;
use crate::segment::{segment, Article, Split};
use crate::{Page, Result};

/// What vellum derives from one raw page.
#[derive(Debug, Clone)]
pub struct Derived {
    /// Every line of the page with its fate.
    pub cleaned: Cleaned,
    /// The articles found on it.
    pub articles: Vec<Article>,
}

/// Options for deriving articles from pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessOptions {
    /// How pages are split into articles.
    pub split: Split,
}

/// Cleans and splits one page. Fails only when the page is not text.
pub fn derive(page: &Page, options: &ProcessOptions) -> Result<Derived> {
    let text = page.text()?;
    let cleaned = clean(text, Some(page.fetched_at));
    let articles = segment(&cleaned, options.split);
    Ok(Derived { cleaned, articles })
}

/// The export record of an article that was cleaned but not stored.
pub fn record(page: &Page, article: &Article) -> Record {
    Record {
        id: None,
        revision: None,
        title: article.title.clone(),
        date: article.date.map(|d| d.to_string()),
        hash: ContentHash::of(article.body.as_bytes()).to_hex(),
        text: article.body.clone(),
        url: page.url.clone(),
        source: page.source.clone(),
        site: page.site.clone(),
        first_seen: None,
        last_seen: None,
    }
}
