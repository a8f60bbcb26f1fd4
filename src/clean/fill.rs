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

/// For each line, whether it lies in a gap between two kept regions that holds no lone menu
/// entry and no notice: prose the scan left out there (a weaker run under its own heading,
/// dateline or label) is the text's next part, since a block of teasers or links parts its
/// summaries with single bulleted lines (an image's alt text, a link: [`lone_entries`]), and a
/// footer or a sign-up box carries its notices.
pub(super) fn clean_gaps_between_regions(in_region: &[bool], lone_menu_or_notice: &[bool]) -> Vec<bool> {
    let mut between = vec![false; in_region.len()];
    let Some(last) = in_region.iter().rposition(|&r| r) else { return between };
    let mut k = in_region.iter().position(|&r| r).unwrap_or(last);
    while k < last {
        if in_region[k] {
            k += 1;
            continue;
        }
        // A gap: lines k..end, with a kept region on both sides.
        let end = k + in_region[k..].iter().position(|&r| r).unwrap_or(0);
        if !lone_menu_or_notice[k..end].contains(&true) {
            between[k..end].fill(true);
        }
        k = end;
    }
    between
}

/// For each of the page's non-blank lines, whether it is a menu entry standing alone: no
/// bulleted line right above or below it. A teaser prints one bulleted line (its image's alt
/// text, a link to its section) between its summary and the next teaser's title; two or more
/// bulleted lines together are a list, and a list between two parts of the text (a product's
/// pros and cons, a section's points, the links a guide's paragraph announces) is the text's as
/// much as the prose around it.
pub(super) fn lone_entries(menu: &[bool], bulleted: &[bool]) -> Vec<bool> {
    let bulleted_at = |k: Option<usize>| k.and_then(|k| bulleted.get(k)).copied().unwrap_or(false);
    (0..menu.len()).map(|k| menu[k] && !bulleted_at(k.checked_sub(1)) && !bulleted_at(Some(k + 1))).collect()
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
    fn only_clean_gaps_between_two_regions_count() {
        let in_region = [false, true, false, false, true, false, false, true, false];
        let lone_menu_or_notice = [false, false, false, false, false, false, true, false, false];
        // Before the first region and after the last, nothing; a gap with a lone menu entry (or
        // a notice) in it stays out whole.
        assert_eq!(
            clean_gaps_between_regions(&in_region, &lone_menu_or_notice),
            [false, false, true, true, false, false, false, false, false]
        );
        assert_eq!(clean_gaps_between_regions(&[false, false], &[false, false]), [false, false]);
    }

    #[test]
    fn prose_between_two_parts_of_the_text_stays() {
        let page = PAGE_BETWEEN.replace("MIDDLE", "");
        let kept =
            |page: &str| crate::clean::clean(page, None).kept().any(|l| l.text.starts_with("The middle section"));
        assert!(kept(&page), "the middle section, parted by its heading and dateline, is the text's");
        // A teaser's image placeholder in the gap makes it a list of other things.
        assert!(!kept(&PAGE_BETWEEN.replace("MIDDLE", "• [photo of the valley]\n")));
        // A list of two or more bulleted lines is the text's.
        assert!(
            kept(&PAGE_BETWEEN.replace("MIDDLE", "• Bring a map\n• Bring a torch\n")),
            "a list in the gap leaves the middle section to the text"
        );
    }

    #[test]
    fn only_a_menu_entry_with_no_bulleted_line_beside_it_stands_alone() {
        let menu = [true, false, true, true, false, true, false, true];
        let bulleted = [true, false, true, true, false, true, true, true];
        // A lone entry; a list of two; an entry beside a long bulleted line (a list's item that
        // is no menu entry) is a list's too.
        assert_eq!(lone_entries(&menu, &bulleted), [true, false, false, false, false, false, false, false]);
        assert_eq!(lone_entries(&[true], &[true]), [true]);
    }

    const PAGE_BETWEEN: &str = "\
Our walking notes

The first section tells how we set out from the village at dawn, with two maps and far too much bread, and how the path climbed slowly through the old orchards above the river.
By noon we had reached the ridge, where the wind was strong enough to lean on, and we sat with our backs to a wall and ate most of the bread while the clouds came in from the sea.
From the ridge the path runs north for a long way, and it is easy to lose among the stones when the mist is down, so we kept close to the wall and counted the gates as we went.

Back to top
Posted on 3 May 2024
Print this page
Filed under walks

The middle section is about the shepherd's hut we found, and the night we spent in it.

Back to top
MIDDLE\
Posted on 4 May 2024
Print this page
Filed under walks

The last section tells how we came down the far side of the hill the next morning, wet through, and found that the bus we had counted on did not run on a Sunday at all.
We walked the last miles along the road instead, and a farmer who had seen us on the ridge the day before stopped his van and drove us the rest of the way to the station.
There we waited for the evening train with a pot of tea and our boots drying by the stove, and we agreed that the next walk would start with a timetable and not with bread.

Back to top
Posted on 5 May 2024
Print this page
Filed under walks
";

    #[test]
    fn short_lines_from_the_first_region_to_the_last_are_inside() {
        let in_region = [false, true, false, false, true, false, false, true, false];
        let plain = [true, false, true, true, false, true, false, false, true];
        // Before the first region and after the last, nothing; a menu entry (not plain) never.
        assert_eq!(inside_text(&in_region, &plain), [false, false, true, true, false, true, false, false, false]);
        assert_eq!(inside_text(&[false, false], &[true, true]), [false, false]);
    }
}
