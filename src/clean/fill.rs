//! Short lines inside the text. A region of prose found by the scan (`region.rs`) holds more
//! than its paragraphs: labels and their values, table cells, a list's entries, a line of a
//! form's text, a short sentence. Context alone keeps a short line only in a gap of three
//! between two paragraphs; from the page's first kept region to its last, every short line is
//! the text's, whatever the length of the gap, except menu entries and lines an earlier rule
//! dropped, template lines and notices (which the region's scan already weighed), and lines
//! shaped like a headline, a date line or a byline.
//!
//! Headlines, date lines and bylines are left to the lead rule and the splitter: the splitter
//! reads a kept headline as a candidate title even when it is a list's entry (a book's title
//! in a list of books), and a date line or a byline as the evidence that a piece starts, and
//! would start an article there.

use time::OffsetDateTime;

use super::{is_byline, Fate, Line};

/// A headline: opens with a capital (or a number followed by words: "10 of the best …"),
/// ends with no clause mark (`.`, `:`, `,`, `;`) and has at most this many words.
const MAX_HEADLINE_WORDS: usize = 14;

/// Whether `text` is shaped like a headline or a subheading.
fn headline_like(text: &str) -> bool {
    let words = || text.split_whitespace().filter(|w| w.chars().all(char::is_alphabetic));
    let opens = text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric() && words().nth(2).is_some());
    opens && !text.ends_with(['.', ':', ',', ';']) && text.split_whitespace().count() <= MAX_HEADLINE_WORDS
}

/// For each line, whether a stray short line there stands inside the text: a `plain` line (a
/// short line or sentence, no template line, no notice) anywhere from the page's first kept
/// region to its last. Between two regions of prose lie the text's labels and values, table
/// cells, a list's short entries and its short sentences; a menu entry or a line an earlier
/// rule dropped there is not `plain` and stays out.
pub(super) fn inside_text(in_region: &[bool], plain: &[bool]) -> Vec<bool> {
    let first = in_region.iter().position(|&r| r);
    let last = in_region.iter().rposition(|&r| r);
    match (first, last) {
        (Some(first), Some(last)) => (0..plain.len()).map(|k| (first..=last).contains(&k) && plain[k]).collect(),
        _ => vec![false; plain.len()],
    }
}

/// Keeps each stray short line of `seq` (the page's non-blank lines) that `inside` marks as
/// lying in a kept region, unless it is shaped like a headline.
pub(super) fn keep_short_lines_in_regions(
    lines: &mut [Line],
    seq: &[usize],
    inside: &[bool],
    fetched_at: Option<OffsetDateTime>,
) {
    for (k, (&i, &inside)) in seq.iter().zip(inside).enumerate() {
        if !inside || lines[i].fate != Fate::StrayShort {
            continue;
        }
        // Right under a headline left stray, a kept line would make that headline the title
        // of a piece of its own.
        if k > 0 && lines[seq[k - 1]].fate == Fate::StrayShort && headline_like(&lines[seq[k - 1]].text) {
            continue;
        }
        let text = &lines[i].text;
        if !headline_like(text) && !is_byline(text) && crate::date::parse_date_line(text, fetched_at).is_none() {
            lines[i].fate = Fate::Kept;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_values_in_a_region_stay_but_headlines_do_not() {
        let texts = [
            "The ferry leaves the old harbour twice a day, and the crossing takes about an hour.",
            "Departures:",
            "8:15 and 17:40",
            "fares from 12 euros, children free",
            "The Ferry Timetable",
            "Tickets are sold at the harbour office, which opens an hour before each departure.",
        ];
        let mut lines: Vec<Line> = texts
            .iter()
            .enumerate()
            .map(|(n, t)| Line { number: n + 1, text: (*t).into(), fate: Fate::StrayShort })
            .collect();
        lines[0].fate = Fate::Kept;
        lines[5].fate = Fate::Kept;
        keep_short_lines_in_regions(&mut lines, &[0, 1, 2, 3, 4, 5], &[true; 6], None);
        let kept: Vec<bool> = lines.iter().map(|l| l.fate == Fate::Kept).collect();
        assert_eq!(kept, [true, true, true, true, false, true]);
    }

    #[test]
    fn outside_a_region_nothing_changes() {
        let mut lines = vec![Line { number: 1, text: "8:15 and 17:40".into(), fate: Fate::StrayShort }];
        keep_short_lines_in_regions(&mut lines, &[0], &[false], None);
        assert_eq!(lines[0].fate, Fate::StrayShort);
    }

    #[test]
    fn short_lines_from_the_first_region_to_the_last_are_inside() {
        let in_region = [false, true, false, false, true, false, false, true, false];
        let plain = [true, false, true, true, false, true, false, false, true];
        // Before the first region and after the last, nothing; a menu entry (not plain) never.
        assert_eq!(inside_text(&in_region, &plain), [false, false, true, true, false, true, false, false, false]);
        assert_eq!(inside_text(&[false, false], &[true, true]), [false, false]);
    }
}
