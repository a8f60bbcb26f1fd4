//! Which heading-shaped lines start a new article, and which are subheadings.

use std::collections::HashSet;

use time::Date;

/// Words that name a closing section: a heading after such a section starts a new article.
const CLOSING: &[&str] = &[
    "conclusion",
    "conclusions",
    "in conclusion",
    "final thoughts",
    "summary",
    "the bottom line",
    "bottom line",
    "closing thoughts",
    "wrapping up",
];

/// A line shaped like a heading: short, no sentence-ending or clause punctuation at its end.
pub fn looks_like_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let last = line.chars().next_back().unwrap_or('.');
    let first = line.chars().next().unwrap_or('a');
    (1..=24).contains(&words)
        && line.chars().count() <= 160
        && !matches!(last, '.' | ',' | ';' | ':')
        && !first.is_lowercase()
}

/// Indices of the blocks where articles start. The first block always starts one.
pub fn article_starts(blocks: &[&str], dates: &[Option<Date>]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut paragraphs_since_start = 0usize;
    let mut subheadings = 0usize;
    let mut closing_seen = false;
    let mut i = 0;
    // A page that opens with a date line: the first article begins after it.
    while i < blocks.len() {
        let block = blocks[i];
        let is_heading = dates[i].is_none()
            && looks_like_heading(block)
            && blocks.get(i + 1).is_some_and(|next| !looks_like_heading(next) || dates[i + 1].is_some());
        if !is_heading {
            if dates[i].is_none() {
                paragraphs_since_start += 1;
            }
            i += 1;
            continue;
        }
        let dated = dates.get(i + 1).copied().flatten().is_some();
        let starts_article = paragraphs_since_start > 0
            && (dated || closing_seen || (subheadings == 0 && paragraphs_since_start >= 3 && departs(blocks, i)));
        if starts_article {
            starts.push(i);
            paragraphs_since_start = 0;
            subheadings = 0;
            closing_seen = false;
        } else if paragraphs_since_start > 0 {
            subheadings += 1;
            closing_seen = CLOSING.contains(&block.to_lowercase().trim_end_matches(':'));
        }
        i += 1;
    }
    starts
}

/// Lexical cohesion, in the manner of TextTiling: does the text after block `i` share little
/// vocabulary with the text before it?
fn departs(blocks: &[&str], i: usize) -> bool {
    let before = content_words(&blocks[i.saturating_sub(3)..i]);
    let after = content_words(&blocks[i..(i + 3).min(blocks.len())]);
    if before.is_empty() || after.is_empty() {
        return false;
    }
    let shared = before.intersection(&after).count();
    (shared as f64) / (before.len().min(after.len()) as f64) < 0.15
}

fn content_words(blocks: &[&str]) -> HashSet<String> {
    blocks
        .iter()
        .flat_map(|b| b.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 5)
        .map(str::to_lowercase)
        .collect()
}
