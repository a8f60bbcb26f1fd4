//! Boilerplate removal for plain-text scrapes.
//!
//! The cleaner reads a page line by line and decides each line's [`Fate`]: kept, or dropped
//! by a named rule. Nothing is rewritten inside a kept line except the trimming of white space
//! at its ends, so an archivist can always find a kept line in the raw page.

mod fold;
mod repeat;

use time::{Date, OffsetDateTime};

pub use fold::{fold, shape};

/// What happened to one input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Kept as content.
    Kept,
    /// Empty, or only white space (no-break spaces included).
    Blank,
    /// Part of a block of lines that repeats within the page (tickers, menus).
    RepeatedBlock,
    /// The page's own date line, recorded as the page date.
    PageDate,
}

impl Fate {
    /// A short, stable name for the fate, as `clean --explain` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Fate::Kept => "kept",
            Fate::Blank => "blank",
            Fate::RepeatedBlock => "repeated-block",
            Fate::PageDate => "page-date",
        }
    }
}

/// One input line and its fate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's number in the page, from 1.
    pub number: usize,
    /// The line's text, trimmed of white space at both ends.
    pub text: String,
    /// What the cleaner decided.
    pub fate: Fate,
}

/// A cleaned page: every line with its fate, and the page date when one was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// Every line of the page, in order.
    pub lines: Vec<Line>,
    /// The page's own date line, parsed.
    pub page_date: Option<Date>,
    /// The fetch time, against which relative dates ("2 hours ago") resolve.
    pub fetched_at: Option<OffsetDateTime>,
}

impl Cleaned {
    /// The kept lines, in order.
    pub fn kept(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.fate == Fate::Kept)
    }
}

/// Cleans a plain-text page. `fetched_at` resolves relative dates.
pub fn clean(text: &str, fetched_at: Option<OffsetDateTime>) -> Cleaned {
    let mut lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, raw)| {
            let text = raw.trim_matches(|c: char| c.is_whitespace()).to_owned();
            let fate = if text.is_empty() { Fate::Blank } else { Fate::Kept };
            Line { number: i + 1, text, fate }
        })
        .collect();
    repeat::drop_repeated_blocks(&mut lines);
    let page_date = mark_page_date(&mut lines, fetched_at);
    Cleaned { lines, page_date, fetched_at }
}

/// The first kept line of a page, when it is a date line, is the page's own date.
fn mark_page_date(lines: &mut [Line], fetched_at: Option<OffsetDateTime>) -> Option<Date> {
    let first = lines.iter_mut().find(|l| l.fate == Fate::Kept)?;
    let date = crate::date::parse_date_line(&first.text, fetched_at)?;
    first.fate = Fate::PageDate;
    Some(date)
}
