//! What each kept line is, by its own shape: the vocabulary the splitter reasons with.

use time::{Date, OffsetDateTime};

use crate::date::{month_of, parse_date_line};

/// The role a kept line can play, judged from the line alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Running text.
    Paragraph,
    /// Short, unpunctuated, capitalised: a title or a subheading.
    Heading,
    /// A date line.
    Date(Date),
    /// "By Jane Doe", "Words by ...", "Author: ...", with the date it may carry
    /// ("By Jane Doe | 30 December 2022"); or a reading time ("7 min read").
    Byline(Option<Date>),
    /// `* * *`, `---`, `~~~`: a rule drawn between pieces.
    Separator,
    /// A line that closes a piece: "Reporting by ...", "— J.D.", "Thanks for reading".
    SignOff,
    /// "Advertisement", "Read more": page furniture left inside the text; not content.
    Furniture,
    /// A numbered or bulleted item, or a listicle's number ("1", "2.", "#3").
    Item,
    /// A photo caption or credit.
    Caption,
}

impl Kind {
    /// Whether the line carries the article's text (goes into a body).
    pub fn is_content(self) -> bool {
        !matches!(self, Kind::Separator | Kind::Furniture)
    }
}

/// Lines that are page furniture whatever the page: compared lower-cased, without trailing
/// punctuation.
const FURNITURE: &[&str] = &[
    "advertisement",
    "advertisements",
    "ad",
    "sponsored",
    "sponsored content",
    "read more",
    "continue reading",
    "read the full story",
    "read full article",
    "skip advertisement",
    "story continues below advertisement",
    "article continues below",
    "share",
    "share this",
    "share this article",
    "share this story",
    "print",
    "email",
    "comments",
    "related",
    "related articles",
    "related stories",
    "more stories",
    "you may also like",
    "recommended",
    "subscribe",
    "newsletter",
    "back to top",
];

/// Prefixes of lines that close a piece.
const SIGN_OFF_PREFIXES: &[&str] = &[
    "reporting by",
    "(reporting by",
    "additional reporting by",
    "editing by",
    "writing by",
    "compiled by",
    "thanks for reading",
    "thank you for reading",
    "this article was originally published",
    "this article first appeared",
    "this story was originally published",
    "originally published",
    "copyright ©",
    "©",
    "(c) ",
    "all rights reserved",
    "tags:",
    "filed under",
    "follow us on",
    "follow me on",
    "contact the author",
    "contributing:",
    "the end",
];

/// Prefixes of caption and credit lines.
const CAPTION_PREFIXES: &[&str] = &[
    "photo:",
    "photo by",
    "photograph:",
    "image:",
    "image source",
    "image caption",
    "picture:",
    "credit:",
    "caption:",
    "source:",
    "(photo",
    "[photo",
    "illustration:",
    "video:",
    "watch:",
    "pictured:",
    "above:",
    "top:",
    "provided by",
    "courtesy of",
    "photo courtesy",
    "image courtesy",
];

/// Credits inside caption lines, after the caption's text: "... at dawn. Photo: AFP".
const CREDITS_INSIDE: &[&str] = &[". photo:", ". photograph:", ". credit:", ". image:", "| photo:"];

/// Credit endings of caption lines: "... (Getty Images)", "... Photo: AFP".
const CAPTION_SUFFIXES: &[&str] =
    &["getty images)", "(reuters)", "(afp)", "(ap)", "/ reuters", "/ afp", "/ ap", "(file photo)", "shutterstock)"];

/// Classifies one kept line. `now` resolves relative date lines.
pub fn classify(line: &str, now: Option<OffsetDateTime>) -> Kind {
    if let Some(date) = parse_date_line(line, now) {
        return Kind::Date(date);
    }
    if !line.chars().any(char::is_alphanumeric) {
        return Kind::Separator;
    }
    let lower = line.to_lowercase();
    let bare =
        lower.trim_end_matches(|c: char| matches!(c, '.' | ':' | '»' | '›' | '>' | '→' | '…') || c.is_whitespace());
    if FURNITURE.contains(&bare) || lower.starts_with("read more:") || lower.starts_with("also read:") {
        return Kind::Furniture;
    }
    if crate::clean::is_byline(line) || is_reading_time(&lower) {
        let date = line.split(['|', '·', '•', '—', '–']).skip(1).find_map(|part| parse_date_line(part, now));
        return Kind::Byline(date);
    }
    if SIGN_OFF_PREFIXES.iter().any(|p| starts_with_words(&lower, p)) || is_dash_signature(line) {
        return Kind::SignOff;
    }
    // Each credit opens with a full stop or a bar: only the text at those is compared, in one
    // scan of the line rather than a search of it for each credit.
    let credit_inside = memchr::memchr2_iter(b'.', b'|', lower.as_bytes())
        .any(|at| CREDITS_INSIDE.iter().any(|c| lower.as_bytes()[at..].starts_with(c.as_bytes())));
    if CAPTION_PREFIXES.iter().any(|p| lower.starts_with(p))
        || CAPTION_SUFFIXES.iter().any(|s| lower.ends_with(s))
        || credit_inside
    {
        return Kind::Caption;
    }
    if is_item(line) || is_exchange(line) || is_dated_entry(line) || is_table_row(line) {
        return Kind::Item;
    }
    if looks_like_heading(line) {
        Kind::Heading
    } else {
        Kind::Paragraph
    }
}

/// A line shaped like a heading: short, not ending in sentence or clause punctuation, not
/// starting in lower case.
pub fn looks_like_heading(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '”', '’', '»', ')']);
    let last = trimmed.chars().next_back().unwrap_or('.');
    // Cheapest tests first (the last character ends most paragraphs' chances); the word count,
    // up to one past the longest heading, next; the sentence-break scan, the dearest, last.
    if matches!(last, '.' | ',' | ';' | ':' | '…' | '-' | '–' | '。' | '．') || line.starts_with(['(', '[']) {
        return false;
    }
    let first = line.chars().find(|c| c.is_alphanumeric()).unwrap_or('a');
    !first.is_lowercase()
        && (1..=24).contains(&line.split_whitespace().take(25).count())
        && line.chars().nth(200).is_none()
        && !line.contains("http")
        && !line.contains("www.")
        && !has_sentence_break(line)
}

/// Words up to which a line over a date line may end in a full stop and still be a headline.
const DATED_TITLE_FULL_STOP_WORDS: usize = 12;

/// A line that may be a headline when a date line stands under it: short, not ending in
/// clause punctuation, not starting in lower case, though it may hold a sentence break
/// ("Tutoring was supposed to help. The results? 'Sobering'").
pub fn looks_like_dated_title(line: &str) -> bool {
    let words = line.split_whitespace().take(25).count();
    let trimmed = line.trim_end_matches(['"', '\'', '”', '’', '»', ')']);
    let last = trimmed.chars().next_back().unwrap_or('.');
    let first = line.chars().find(|c| c.is_alphanumeric()).unwrap_or('a');
    // A full stop ends a short headline now and then ("Increasingly, Not a Human.").
    let full_stop = last == '.' && words <= DATED_TITLE_FULL_STOP_WORDS;
    (2..=24).contains(&words)
        && (full_stop || !matches!(last, '.' | ',' | ';' | ':' | '…' | '-' | '–' | '。' | '．'))
        && !first.is_lowercase()
        && line.chars().count() <= 200
        && !line.contains("http")
}

/// Whether `lower` starts with `prefix` as whole words: "the end" opens "the end." but not
/// "the endgame".
fn starts_with_words(lower: &str, prefix: &str) -> bool {
    lower.strip_prefix(prefix).is_some_and(|rest| {
        prefix.ends_with(|c: char| !c.is_alphanumeric()) || !rest.starts_with(char::is_alphanumeric)
    })
}

/// Two sentences in one line ("... in its baskets. “Who would do this?”"): a full stop,
/// question or exclamation mark after a lower-case word of four letters or more, then a space. Abbreviations ("Dr. Who", "U.S. vote",
/// "St. Louis") do not count.
fn has_sentence_break(line: &str) -> bool {
    let breaks = line.match_indices(". ").chain(line.match_indices("! ")).chain(line.match_indices("? "));
    breaks.into_iter().any(|(at, _)| {
        let (mut letters, mut lower) = (0, true);
        for c in line[..at].chars().rev().take_while(|c| c.is_alphabetic()) {
            letters += 1;
            lower &= c.is_lowercase();
        }
        letters >= 4 && lower
    })
}

/// A reading time printed in a piece's header: "7 min read", "· 5 minute read", "Reading
/// time: 4 minutes". Header evidence like a byline; never a heading.
fn is_reading_time(lower: &str) -> bool {
    let rest = lower.trim_start_matches(['·', '|', '•', ' ']);
    let rest = rest.strip_prefix("reading time:").or_else(|| rest.strip_prefix("read time:")).unwrap_or(rest);
    // Four words at most are read: a paragraph is not split whole.
    let mut words = rest.split_whitespace();
    let words = [words.next(), words.next(), words.next(), words.next()];
    let unit = |w: &str| matches!(w, "min" | "mins" | "min." | "minute" | "minutes");
    match words {
        [Some(n), Some(u), None | Some("read" | "reading"), None] => n.parse::<u16>().is_ok() && unit(u),
        _ => false,
    }
}

/// "— Jane Doe" or "-- J.D.": a signature line.
fn is_dash_signature(line: &str) -> bool {
    let Some(rest) = line.strip_prefix(['—', '–']).or_else(|| line.strip_prefix("--")) else { return false };
    let words = rest.split_whitespace().count();
    (1..=5).contains(&words) && rest.trim_start().starts_with(char::is_uppercase)
}

/// A list item, or a listicle's number: "- milk", "• Step", "1", "2.", "#3", "No. 4", "5) Foo",
/// "Step 3: ...".
fn is_item(line: &str) -> bool {
    if line.starts_with(['•', '·', '▪', '◦', '‣', '●', '■', '–', '—']) {
        return true;
    }
    // An ASCII mark is a bullet when a space follows it: "*Emphasis*" and "-1.5%" are not.
    if let Some(rest) = line.strip_prefix(['*', '-', '+', '>']) {
        return rest.is_empty() || rest.starts_with(char::is_whitespace);
    }
    let rest = line.trim_start_matches('#');
    let rest = rest.strip_prefix("No. ").unwrap_or(rest);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return false;
    }
    let after = &rest[digits..];
    after.is_empty() || after.starts_with(['.', ')', ':']) && after[1..].chars().next().is_none_or(char::is_whitespace)
}

/// A row of a table printed as text: three cells or more, parted by tabs or `|` ("20 | Olin
/// Business School | 19 | 648", "Semi-skimmed milk\t2 pints\t4 pints"). A headline may name its
/// site after one bar ("Go ahead, self-host Postgres | Pierce Freeman"), never after two.
fn is_table_row(line: &str) -> bool {
    // Both marks are ASCII, so counting bytes counts them; the count stops at two.
    line.bytes().filter(|&b| b == b'|' || b == b'\t').nth(1).is_some()
}

/// A line of an interview printed as questions and answers: "Q: ...", "A: ...". Never a title,
/// however short and capitalised.
fn is_exchange(line: &str) -> bool {
    ["Q:", "A:", "Q.", "A.", "Q -", "A -"].iter().any(|p| line.strip_prefix(p).is_some_and(|r| r.starts_with(' ')))
}

/// An entry of a list of dated items: a day of a month, then a dash and what happens on it
/// ("June 9 – Tampa, FL @ The Arena", "9 June - Opening night"): tour dates, schedules,
/// timelines. A headline does not open on a bare day and a dash.
fn is_dated_entry(line: &str) -> bool {
    let word = |w: &str| w.trim_end_matches(['.', ',']).to_lowercase();
    let day = |w: &str| w.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d));
    let month = |w: &str| month_of(w).is_some();
    // The head's first word is the line's: unless it is a day or a month, no dash can make an
    // entry, and the three searches for one are skipped.
    let first = word(line.split_whitespace().next().unwrap_or(""));
    if !day(&first) && !month(&first) {
        return false;
    }
    let Some((head, rest)) = [" – ", " — ", " - "].iter().find_map(|d| line.split_once(d)) else { return false };
    let words: Vec<String> = head.split_whitespace().map(word).collect();
    !rest.trim().is_empty()
        && match words.as_slice() {
            [a, b] => month(a) && day(b) || day(a) && month(b),
            _ => false,
        }
}

/// The first word of a heading, folded: items of one listicle share it ("2026 Hyundai ...",
/// "2026 Kia ..."; "Step 1", "Step 2").
pub fn lead_word(line: &str) -> String {
    let word = line.split_whitespace().next().unwrap_or("");
    word.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::{classify, Kind};

    fn kind(line: &str) -> Kind {
        classify(line, None)
    }

    #[test]
    fn kinds() {
        assert_eq!(kind("30 December 2022"), Kind::Date(time::macros::date!(2022 - 12 - 30)));
        assert_eq!(kind("* * *"), Kind::Separator);
        assert_eq!(kind("---"), Kind::Separator);
        assert_eq!(kind("Advertisement"), Kind::Furniture);
        assert_eq!(kind("Read more »"), Kind::Furniture);
        assert_eq!(kind("By Jane Doe"), Kind::Byline(None));
        assert_eq!(kind("By Jane Doe and John Roe | Reuters"), Kind::Byline(None));
        assert_eq!(kind("By Jane Doe | 30 December 2022"), Kind::Byline(Some(time::macros::date!(2022 - 12 - 30))));
        assert_eq!(kind("By the time the polls closed, the result was clear."), Kind::Paragraph);
        assert_eq!(kind("Reporting by Jane Doe; Editing by John Roe"), Kind::SignOff);
        assert_eq!(kind("— Jane"), Kind::SignOff);
        assert_eq!(kind("The End"), Kind::SignOff);
        assert_eq!(kind("The Endgame Every Club Player Should Know"), Kind::Heading);
        assert_eq!(kind("7 min read"), Kind::Byline(None));
        assert_eq!(kind("· 5 minute read"), Kind::Byline(None));
        assert_eq!(kind("Reading time: 4 minutes"), Kind::Byline(None));
        assert_eq!(kind("7 Minutes in Heaven"), Kind::Heading);
        assert_eq!(kind("Photo: Jane Doe / Reuters"), Kind::Caption);
        assert_eq!(kind("The harbour at dawn (Getty Images)"), Kind::Caption);
        assert_eq!(kind("1"), Kind::Item);
        assert_eq!(kind("2."), Kind::Item);
        assert_eq!(kind("#3"), Kind::Item);
        assert_eq!(kind("4. Pack light"), Kind::Item);
        assert_eq!(kind("- milk"), Kind::Item);
        assert_eq!(kind("2026 Hyundai Ioniq 5"), Kind::Heading);
        assert_eq!(kind("Conclusion"), Kind::Heading);
        assert_eq!(kind("What is a “listening state”?"), Kind::Heading);
        assert_eq!(kind("The recent elections were the fourth in two years."), Kind::Paragraph);
        assert_eq!(kind("and then it rained"), Kind::Paragraph);
        assert_eq!(kind("She laughs and points at the baskets. “Who would do this, then?”"), Kind::Paragraph);
        assert_eq!(kind("Dr. Who Returns to St. Louis"), Kind::Heading);
        assert_eq!(kind("Who Should Mediate? Kazakhstan Could Be the Best Option"), Kind::Heading);
        assert_eq!(kind("Leave your thoughts below! Thanks for sharing"), Kind::Paragraph);
        assert_eq!(kind("(I know, radical statement, right?)"), Kind::Paragraph);
        assert_eq!(kind("More info: www.example.com"), Kind::Paragraph);
        // Interview exchanges, dated list entries, credits and sentences in Japanese.
        assert_eq!(kind("Q: Your favourite harbour town"), Kind::Item);
        assert_eq!(kind("A: The Old Quay at Dawn"), Kind::Item);
        assert_eq!(kind("Q&A: The Harbour Master on Dredging"), Kind::Heading);
        // Rows of a table printed as text; a headline with its site's name after one bar.
        assert_eq!(kind("12 | Harbour Board (North Quay) | 7 | 48% | 112"), Kind::Item);
        assert_eq!(kind("Rye flour\t500g\t1kg\t2kg"), Kind::Item);
        assert_eq!(kind("Dredging the Old Basin | The Quay Gazette"), Kind::Heading);
        assert_eq!(kind("June 9 – Tampa, FL @ The Arena"), Kind::Item);
        assert_eq!(kind("9 Sept - Opening Night"), Kind::Item);
        assert_eq!(kind("May Day – A History of the Holiday"), Kind::Heading);
        assert_eq!(kind("Provided by the Harbour Museum"), Kind::Caption);
        assert_eq!(kind("Contributing: Jane Doe"), Kind::SignOff);
        assert_eq!(kind("港の浚渫が承認されました。"), Kind::Paragraph);
        assert_eq!(kind("港の浚渫が承認"), Kind::Heading);
    }
}
