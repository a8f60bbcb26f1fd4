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

/// Keeps, above the first line of each content region, the date lines and, as the title, the
/// topmost other short line of the lead: a headline usually stands above its byline and date
/// ("Title / By A. Writer / 12 March 2024"), so the bylines between them stay out.
/// `seq` lists the non-blank lines; `classes` and `in_region` run along it.
pub(super) fn keep_leads(
    lines: &mut [Line],
    seq: &[usize],
    classes: &[Class],
    in_region: &[bool],
    fetched_at: Option<OffsetDateTime>,
) {
    for start in (0..seq.len()).filter(|&k| in_region[k] && (k == 0 || !in_region[k - 1])) {
        let mut title = None;
        let mut taken = 0;
        for k in (start.saturating_sub(MAX_LEAD_SPAN)..start).rev() {
            // Share buttons come between a headline and its text, a menu comes above the
            // headline: menu items are passed over only until a title is found.
            let passed_over = match classes[k] {
                Class::Bracketed | Class::NoWords | Class::Dropped => true,
                Class::Menu => title.is_none(),
                _ => false,
            };
            if passed_over {
                continue;
            }
            if classes[k] == Class::Menu {
                break;
            }
            let line = &mut lines[seq[k]];
            let lead_like = matches!(classes[k], Class::Short | Class::Near);
            if !lead_like || !matches!(line.fate, Fate::StrayShort | Fate::OutsideMain) || taken == MAX_LEAD {
                break;
            }
            taken += 1;
            if crate::date::parse_date_line(&line.text, fetched_at).is_some() {
                line.fate = Fate::Kept;
            } else {
                title = Some(seq[k]);
            }
        }
        if let Some(i) = title {
            lines[i].fate = Fate::Kept;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_date_above_the_text_are_kept_but_not_the_byline() {
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
        assert_eq!(fates, [Fate::Kept, Fate::StrayShort, Fate::StrayShort, Fate::Kept, Fate::Kept]);
    }
}
