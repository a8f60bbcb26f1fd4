//! One page through the pipeline's pure stages: text, clean, segment.

use std::borrow::Cow;

use crate::clean::{clean_with, CleanOptions, Cleaned, Rules, SiteChrome};
use crate::input::html;
use crate::segment::{segment_page, Article, Split};
use crate::timings::{time, Stage};
use crate::{Page, Result};

/// What vellum derives from one raw page.
#[derive(Debug, Clone)]
pub struct Derived {
    /// Every line of the page with its fate.
    pub cleaned: Cleaned,
    /// The articles found on it.
    pub articles: Vec<Article>,
    /// The page is a listing of teasers (a front page or section index); its one document
    /// holds every teaser.
    pub listing: bool,
    /// The page's own URL as its markup gives it (`<link rel="canonical">`, `og:url`).
    pub url: Option<String>,
    /// What went wrong without stopping the page (its HTML was cut to bounds, say).
    pub warnings: Vec<String>,
}

/// Options for deriving articles from pages.
#[derive(Debug, Clone, Default)]
pub struct ProcessOptions {
    /// How pages are split into articles.
    pub split: Split,
    /// The user's keep and drop patterns.
    pub rules: Rules,
}

/// Cleans and splits one page knowing nothing of its site: HTML is first rendered as text
/// ([`main_text`]). Fails only when the page is not text.
pub fn derive(page: &Page, options: &ProcessOptions) -> Result<Derived> {
    derive_with(page, options, None)
}

/// Cleans and splits one page, dropping the site's learned chrome when it is known.
pub fn derive_with(page: &Page, options: &ProcessOptions, chrome: Option<&SiteChrome>) -> Result<Derived> {
    let (text, url, warnings) = time(Stage::Text, || extracted_text(page))?;
    let clean_options = CleanOptions { chrome, rules: &options.rules, extracted: page.is_html() };
    let cleaned = time(Stage::Clean, || clean_with(&text, Some(page.fetched_at), &clean_options));
    let segmented = time(Stage::Split, || segment_page(&cleaned, options.split));
    Ok(Derived { cleaned, articles: segmented.articles, listing: segmented.listing, url, warnings })
}

/// The text the cleaner reads: a plain-text page decoded, or an HTML page's main content
/// rendered as plain text (one line per heading, paragraph and list item; see
/// [`crate::input::html::extract`]).
pub fn main_text(page: &Page) -> Result<Cow<'_, str>> {
    extracted_text(page).map(|(text, _, _)| text)
}

/// The text the cleaner reads, with the page's URL from its markup and any warnings.
fn extracted_text(page: &Page) -> Result<(Cow<'_, str>, Option<String>, Vec<String>)> {
    let text = page.text()?;
    Ok(if page.is_html() {
        let extracted = html::extract_page(&text);
        let warnings = if extracted.bounded {
            vec![format!(
                "HTML nested deeper than {} elements or with over {} attributes on a tag: \
                 text taken from the markup within those bounds",
                html::MAX_DEPTH,
                html::MAX_ATTRIBUTES
            )]
        } else {
            Vec::new()
        };
        (Cow::Owned(extracted.text), extracted.url, warnings)
    } else {
        (text, None, Vec::new())
    })
}
