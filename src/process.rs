//! One page through the pipeline's pure stages: text, clean, segment.

use std::borrow::Cow;

use crate::clean::{clean_with, CleanOptions, Cleaned, Rules, SiteChrome};
use crate::extract;
use crate::input::{decode_page, Decoded};
use crate::segment::{segment_extracted, segment_page, Article, Split};
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
    let Text { text, html, items, mut warnings } = time(Stage::Text, || extracted_text(page))?;
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
    let segmented = time(Stage::Split, || match options.split {
        Split::Auto if html => segment_extracted(&cleaned, items),
        split => segment_page(&cleaned, split),
    });
    Ok(Derived { cleaned, articles: segmented.articles, listing: segmented.listing, warnings })
}

/// The text the cleaner reads: a plain-text page decoded, or an HTML page's main content
/// rendered as plain text (one line per heading, paragraph and list item; see
/// [`crate::extract::extract`]).
pub fn main_text(page: &Page) -> Result<Cow<'_, str>> {
    extracted_text(page).map(|t| t.text)
}

/// The text the cleaner reads and what reading it found.
struct Text<'a> {
    text: Cow<'a, str>,
    /// The text was extracted from HTML.
    html: bool,
    /// The extracted content is a list of items ([`extract::Extracted::items`]).
    items: bool,
    warnings: Vec<String>,
}

/// The text the cleaner reads, whether it was extracted from HTML, and any warnings.
fn extracted_text(page: &Page) -> Result<Text<'_>> {
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
        Text { text: Cow::Owned(extracted.text), html: true, items: extracted.items, warnings }
    } else {
        Text { text, html: false, items: false, warnings: Vec::new() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_page(html: String) -> Page {
        Page {
            source: "shop.html".into(),
            url: None,
            fetched_at: time::OffsetDateTime::UNIX_EPOCH,
            site: "shop".into(),
            raw: html.into_bytes(),
            charset: None,
        }
    }

    /// A shop's category: a grid of lamps, each named by a linked heading over a price and a
    /// line of details, then a notice about pricing printed as an article of its own.
    fn category_page(linked: bool) -> String {
        let lamps = [
            "Arched Brass Floor Lamp",
            "Walnut Desk Lamp With Dimmer",
            "Glass Globe Pendant Light",
            "Linen Shade Table Lamp",
            "Adjustable Architect Task Lamp",
            "Rattan Floor Lamp With Tripod Base",
            "Ceramic Bedside Lamp in Sage",
            "Industrial Clamp Reading Light",
            "Marble Base Mushroom Lamp",
            "Paper Lantern Floor Light",
            "Swing Arm Wall Sconce in Black",
            "Cordless Rechargeable Table Lamp",
        ];
        let items: String = lamps
            .iter()
            .enumerate()
            .map(|(n, name)| {
                let name = if linked { format!(r#"<a href="/lamps/{n}">{name}</a>"#) } else { (*name).to_owned() };
                format!(r#"<li class="product-card"><h3>{name}</h3><p>Item number: LMP-{n}40</p><p>Price: ${n}9.00</p></li>"#)
            })
            .collect();
        let notice = "Some makers set the lowest price a shop may print, so a few lamps show no price \
                      until you ask for one, by mail or by phone.";
        let more = "We answer every request within a working day, and the price we quote is the price \
                    you pay, with delivery to any address in the country included.";
        format!(
            r#"<html><head><title>Lamps</title></head><body><main><h1>Lamps</h1><ul class="grid">{items}</ul>
            <section><h2>Why do some lamps show no price?</h2><p>{notice}</p><p>{more}</p></section></main></body></html>"#
        )
    }

    #[test]
    fn content_that_splitting_would_cut_stays_whole() {
        // Named by links, the lamps are a listing; named by plain headings, one document.
        for linked in [true, false] {
            let derived = derive(&html_page(category_page(linked)), &ProcessOptions::default()).expect("an HTML page");
            assert_eq!(derived.listing, linked);
            assert_eq!(derived.articles.len(), 1);
            let body = &derived.articles[0].body;
            assert!(body.contains("Walnut Desk Lamp With Dimmer") && body.contains("Price: $79.00"), "{body}");
            assert!(body.contains("Why do some lamps show no price?"), "{body}");
        }
    }
}
