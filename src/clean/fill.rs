//! Short lines inside the text. A region of prose found by the scan (`region.rs`) holds more
//! than its paragraphs: labels and their values, table cells, a list's entries, a line of a
//! form's text, a short sentence. Context alone keeps a short line only in a gap of three
//! between two paragraphs; inside a kept region every short line is the region's text,
//! whatever the length of the gap, except template lines and notices (which the region's
//! scan already weighed), and lines shaped like a headline, a date line or a byline.
//!
//! Headlines, date lines and bylines are left to the lead rule and the splitter: the splitter
//! reads a kept headline as a candidate title even when it is a list's entry (a book's title
//! in a list of books), and a date line or a byline as the evidence that a piece starts, and
//! would start an article there.

use time::OffsetDateTime;

use super::features::Class;
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
/// short line or sentence, no template line, no notice) in a kept region, or in a gap between
/// two kept regions made only of such lines, placeholders and lines without words (a section
/// of labels and values, or of short entries, between two paragraphs costs the scan more
/// than the paragraphs bring, and parts the regions). A gap holding a menu entry or a line an
/// earlier rule dropped is no part of the text.
pub(super) fn inside_text(in_region: &[bool], plain: &[bool], classes: &[Class]) -> Vec<bool> {
    let n = in_region.len();
    let mut inside: Vec<bool> = (0..n).map(|k| in_region[k] && plain[k]).collect();
    let mut k = 0;
    while k < n {
        if in_region[k] {
            k += 1;
            continue;
        }
        let first = k;
        while k < n && !in_region[k] {
            k += 1;
        }
        // A gap from `first` to `k`, with kept regions on both sides.
        let closed = first > 0 && k < n;
        let clean = (first..k).all(|j| plain[j] || matches!(classes[j], Class::Bracketed | Class::NoWords));
        if closed && clean {
            inside[first..k].copy_from_slice(&plain[first..k]);
        }
    }
    inside
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
    fn a_gap_between_regions_is_inside_unless_it_holds_a_menu() {
        use Class::*;
        let in_region = [true, false, false, true, false, false, true];
        let classes = [Good, Short, Short, Good, Short, Menu, Good];
        let plain = [false, true, true, false, true, false, false];
        assert_eq!(inside_text(&in_region, &plain, &classes), [false, true, true, false, false, false, false]);
        // A gap with no region below it is not.
        assert_eq!(inside_text(&[true, false], &[false, true], &[Good, Short]), [false, false]);
    }
}
