//! The lead of an article: its title and date lines, which stand just above its first
//! paragraph but not between two paragraphs, so context alone does not keep them.

use time::OffsetDateTime;

use super::features::Class;
use super::{Fate, Line};

/// How many lines (menu items and placeholders aside) above a region's first paragraph are
/// looked at for its lead.
const MAX_LEAD: usize = 3;

/// How far above a region's first paragraph the lead may reach, menu items, placeholders,
/// captions and other dropped lines included: share buttons and images with their captions
/// often stand between a title and its text.
const MAX_LEAD_SPAN: usize = 8;

/// Keeps, above the first line of each content region, its date lines and bylines and, as its
/// title, the nearest other short line: a headline stands above its byline and date ("Title /
/// By A. Writer / 12 March 2024"), and whatever stands above the headline (a kicker, the last
/// entry of a menu, "Latest news") is not part of the article. The splitter needs the title,
/// the date and the byline to tell where an article starts.
/// `seq` lists the non-blank lines; `classes` and `in_region` run along it.
pub(super) fn keep_leads(
    lines: &mut [Line],
    seq: &[usize],
    classes: &[Class],
    in_region: &[bool],
    fetched_at: Option<OffsetDateTime>,
) {
    for start in (0..seq.len()).filter(|&k| in_region[k] && (k == 0 || !in_region[k - 1])) {
        let mut taken = 0;
        for k in (start.saturating_sub(MAX_LEAD_SPAN)..start).rev() {
            // Share buttons, placeholders and captions come between a headline and its text;
            // a menu above the headline is never reached, since the headline ends the lead.
            if matches!(classes[k], Class::Bracketed | Class::NoWords | Class::Dropped | Class::Menu) {
                continue;
            }
            let line = &mut lines[seq[k]];
            let lead_like = matches!(classes[k], Class::Short | Class::Near);
            if taken == 0 && (line.fate == Fate::Kept || (classes[k] == Class::Near && line.fate == Fate::OutsideMain))
            {
                // A short first paragraph (a sentence beside the prose, not a title): it is
                // text, and the lead is above it.
                line.fate = Fate::Kept;
                continue;
            }
            if !lead_like || !matches!(line.fate, Fate::StrayShort | Fate::OutsideMain) || taken == MAX_LEAD {
                break;
            }
            taken += 1;
            let dated = crate::date::parse_date_line(&line.text, fetched_at).is_some();
            line.fate = Fate::Kept;
            if !dated && !super::byline::is_byline(&line.text) {
                // The title: the lead ends here, but for a date line printed above it.
                keep_date_above(lines, seq, classes, k, fetched_at);
                break;
            }
        }
    }
}

/// Keeps a date line printed just above the title at `seq[title]` (dropped lines such as a
/// repeated menu may stand between): some sites date a piece above its headline.
fn keep_date_above(
    lines: &mut [Line],
    seq: &[usize],
    classes: &[Class],
    title: usize,
    fetched_at: Option<OffsetDateTime>,
) {
    for k in (title.saturating_sub(MAX_LEAD_SPAN)..title).rev() {
        if matches!(classes[k], Class::Bracketed | Class::NoWords | Class::Dropped) {
            continue;
        }
        let line = &mut lines[seq[k]];
        let stray = matches!(line.fate, Fate::StrayShort | Fate::OutsideMain);
        if stray && crate::date::parse_date_line(&line.text, fetched_at).is_some() {
            line.fate = Fate::Kept;
        }
        break;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_byline_and_date_above_the_text_are_kept() {
        let texts = ["Bridge To Close", "By A. Writer", "[photo]", "12 March 2024", "The council voted."];
        let mut lines: Vec<Line> = texts
            .iter()
            .enumerate()
            .map(|(n, t)| Line { number: n + 1, text: (*t).into(), fate: Fate::StrayShort })
            .collect();
        lines[4].fate = Fate::Kept;
        let classes = [Class::Short, Class::Short, Class::Bracketed, Class::Short, Class::Good];
        keep_leads(&mut lines, &[0, 1, 2, 3, 4], &classes, &[false, false, false, false, true], None);
        let fates: Vec<Fate> = lines.iter().map(|l| l.fate).collect();
        assert_eq!(fates, [Fate::Kept, Fate::Kept, Fate::StrayShort, Fate::Kept, Fate::Kept]);
    }
}
