//! Listing pages: a front page or section index made of teasers (a headline and a blurb each)
//! pointing to articles that live on their own pages.
//!
//! A listing is kept as **one document flagged as a listing**, not as an article per teaser.
//! An archivist wants the listing as a snapshot of what the site showed, diffable from one
//! fetch to the next; a teaser is not the article it points to, and since an article's id
//! derives from its site and title, a teaser filed as an article would collide with the real
//! article when its own page is ingested and record a truncated blurb as a new revision.

use super::block::Kind;
use super::cohesion::{bag, cosine, idf};
use super::heading::{candidates, header_after, is_section_name};
use super::Block;

/// A blurb longer than this many words is an article's opening, not a teaser.
const TEASER_WORDS: usize = 60;
/// Fewest teasers that make a listing.
const MIN_TEASERS: usize = 4;
/// Share of a page's units that must be teaser-shaped.
const TEASER_SHARE: f64 = 0.75;
/// A unit with more paragraphs than this is an article, not a teaser.
const MAX_UNIT_PARAGRAPHS: usize = 3;
/// Median words of a teaser headline at least.
const MIN_HEADLINE_WORDS: usize = 5;
/// Mean similarity of neighbouring units under which they are about different things.
const UNRELATED: f64 = 0.12;

/// Whether the page is a listing of teasers.
///
/// A *unit* is a candidate heading with the text up to the next one. The page is a listing when
/// it has at least [`MIN_TEASERS`] units, at least [`TEASER_SHARE`] of them are teaser-shaped
/// (one short paragraph, at most [`TEASER_WORDS`] words), none runs to more than
/// [`MAX_UNIT_PARAGRAPHS`] paragraphs, the headlines have a median of at least
/// [`MIN_HEADLINE_WORDS`] words, and the units are either dated one by
/// one or unrelated to their neighbours. A listicle (entries on one theme, or numbered) is
/// thereby told apart from a listing.
pub fn is_listing(blocks: &[Block]) -> bool {
    let cands = candidates(blocks);
    // Numbered entries or named sections ("Conclusion") belong to an article, not a listing.
    let sectioned = cands.iter().any(|&i| is_section_name(blocks[i].text));
    if cands.len() < MIN_TEASERS || sectioned || blocks.iter().any(|b| b.kind == Kind::Item) {
        return false;
    }
    let units: Vec<(usize, usize)> =
        cands.iter().enumerate().map(|(k, &i)| (i, cands.get(k + 1).copied().unwrap_or(blocks.len()))).collect();
    let teasers = units
        .iter()
        .filter(|&&(i, end)| {
            let paras: Vec<&Block> = blocks[i + 1..end].iter().filter(|b| b.kind == Kind::Paragraph).collect();
            paras.len() == 1 && paras[0].words <= TEASER_WORDS
        })
        .count();
    if teasers < MIN_TEASERS || (teasers as f64) < TEASER_SHARE * units.len() as f64 {
        return false;
    }
    // A whole article among the units (a long run of paragraphs) makes it a page of articles.
    let longest = units
        .iter()
        .map(|&(i, end)| blocks[i + 1..end].iter().filter(|b| b.kind == Kind::Paragraph).count())
        .max()
        .unwrap_or(0);
    if longest > MAX_UNIT_PARAGRAPHS {
        return false;
    }
    // Headlines name a story; subheadings of a listicle or guide are terse.
    let mut words: Vec<usize> = units.iter().map(|&(i, _)| blocks[i].words).collect();
    words.sort_unstable();
    if words[words.len() / 2] < MIN_HEADLINE_WORDS {
        return false;
    }
    let dated =
        units.iter().filter(|&&(i, _)| header_after(blocks, i).any(|b| matches!(b.kind, Kind::Date(_)))).count();
    if dated * 2 >= units.len() {
        return true;
    }
    let idf = idf(blocks.iter().map(|b| &*b.stems));
    let bags: Vec<_> = units.iter().map(|&(i, end)| bag(blocks[i..end].iter().map(|b| &*b.stems), &idf)).collect();
    let sims: Vec<f64> = bags.windows(2).map(|w| cosine(&w[0], &w[1])).collect();
    let mean = sims.iter().sum::<f64>() / sims.len().max(1) as f64;
    mean < UNRELATED
}
