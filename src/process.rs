//! One page through the pipeline's pure stages: text, clean, segment.

use std::borrow::Cow;

use crate::clean::{clean_with, CleanOptions, Cleaned, Rules, SiteChrome};
use crate::extract;
use crate::input::{decode_page, Decoded};
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
    /// What the user should know about how the page was read (its HTML cut to bounds, a page
    /// past the line bound cleaned from the part that was kept); the raw page is stored whole
    /// all the same.
    pub warnings: Vec<String>,
}

/// The most lines of a page that are cleaned and split. The cleaner keeps a few hundred bytes
/// of features per line, so a page of millions of short lines would take gigabytes; the longest
/// real page of the development sets has under 7,000 lines. A longer page is cleaned from its
/// first lines, with a warning.
pub const MAX_LINES: usize = 100_000;

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
    let (text, html, mut warnings) = time(Stage::Text, || extracted_text(page))?;
    let text = match text.match_indices('\n').nth(MAX_LINES - 1).filter(|(cut, _)| !text[cut + 1..].trim().is_empty()) {
        Some((cut, _)) => {
            let lines = text.lines().count();
            warnings.push(format!("the page has {lines} lines: only its first {MAX_LINES} were cleaned and split"));
            Cow::Owned(text[..cut].to_owned())
        }
        None => text,
    };
    let clean_options = CleanOptions { chrome, rules: &options.rules, extracted: html };
    let cleaned = time(Stage::Clean, || clean_with(&text, Some(page.fetched_at), &clean_options));
    let segmented = time(Stage::Split, || segment_page(&cleaned, options.split));
    Ok(Derived { cleaned, articles: segmented.articles, listing: segmented.listing, warnings })
}

/// The text the cleaner reads: a plain-text page decoded, or an HTML page's main content
/// rendered as plain text (one line per heading, paragraph and list item; see
/// [`crate::extract::extract`]).
pub fn main_text(page: &Page) -> Result<Cow<'_, str>> {
    extracted_text(page).map(|(text, _, _)| text)
}

/// The text the cleaner reads, whether it was extracted from HTML, and any warnings.
fn extracted_text(page: &Page) -> Result<(Cow<'_, str>, bool, Vec<String>)> {
    let Decoded { html, text } = decode_page(page)?;
    Ok(if html {
        let extracted = extract::extract_page(&text);
        let warnings = if extracted.bounded {
            vec![format!(
                "HTML nested deeper than {} elements or with over {} attributes on a tag: \
                 text taken from the markup within those bounds",
                extract::MAX_DEPTH,
                extract::MAX_ATTRIBUTES
            )]
        } else {
            Vec::new()
        };
        (Cow::Owned(extracted.text), true, warnings)
    } else {
        (text, false, Vec::new())
    })
}
