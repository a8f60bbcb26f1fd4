//! The lead of an article: its title and date lines, which stand just above its first
//! paragraph but not between two paragraphs, so context alone does not keep them.

use time::OffsetDateTime;

use super::features::Class;
use super::{Fate, Line};

/// How many lines (menu items and placeholders aside) above a region's first paragraph are
/// looked at for its lead.
const MAX_LEAD: usize = 3;

/// How far above a region's first paragraph the lead may reach, menu items and placeholders
/// included: share buttons and image placeholders often stand between a title and its text.
const MAX_LEAD_SPAN: usize = 8;

/// Keeps, above the first line of each content region, the date lines and the nearest other
/// short line (the title). What stands above the title (bylines, section names) stays out.
/// `seq` lists the non-blank lines; `classes` and `in_region` run along it.
pub(super) fn keep_leads(
    lines: &mut [Line],
    seq: &[usize],
    classes: &[Class],
    in_region: &[bool],
    fetched_at: Option<OffsetDateTime>,
) {
    for start in (0..seq.len()).filter(|&k| in_region[k] && (k == 0 || !in_region[k - 1])) {
        let mut titled = false;
        let mut taken = 0;
        for k in (start.saturating_sub(MAX_LEAD_SPAN)..start).rev() {
            if matches!(classes[k], Class::Menu | Class::Bracketed | Class::NoWords) {
                continue;
            }
            let line = &mut lines[seq[k]];
            let lead_like = matches!(classes[k], Class::Short | Class::Near);
            if !lead_like || !matches!(line.fate, Fate::StrayShort | Fate::OutsideMain) || taken == MAX_LEAD {
                break;
            }
            taken += 1;
            let dated = crate::date::parse_date_line(&line.text, fetched_at).is_some();
            if dated || !titled {
                line.fate = Fate::Kept;
            }
            titled |= !dated;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_date_above_the_text_are_kept_but_not_the_byline() {
        let texts = ["By A. Writer", "Bridge To Close", "[photo]", "12 March 2024", "The council voted."];
        let mut lines: Vec<Line> = texts
            .iter()
            .enumerate()
            .map(|(n, t)| Line { number: n + 1, text: (*t).into(), fate: Fate::StrayShort })
            .collect();
        lines[4].fate = Fate::Kept;
        let classes = [Class::Short, Class::Short, Class::Bracketed, Class::Short, Class::Good];
        keep_leads(&mut lines, &[0, 1, 2, 3, 4], &classes, &[false, false, false, false, true], None);
        let fates: Vec<Fate> = lines.iter().map(|l| l.fate).collect();
        assert_eq!(fates, [Fate::StrayShort, Fate::Kept, Fate::StrayShort, Fate::Kept, Fate::Kept]);
    }
}
