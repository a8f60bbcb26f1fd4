//! Lists announced by prose: "The tour dates:" followed by a block of short lines (dates,
//! places, scores) with no blank line between them. Each short line alone looks like a menu
//! entry; the colon says it is content.

use super::{Fate, Line};

/// Keeps the block of short lines under a colon-ended line that is content or that follows
/// content directly. `seq` lists the non-blank lines in order; a block ends at the first
/// blank line. Bulleted items stay dropped: share buttons under "Share this:" are bullets.
pub(super) fn keep_announced_lists(lines: &mut [Line], seq: &[usize]) {
    for k in 0..seq.len() {
        let i = seq[k];
        if !lines[i].text.ends_with(':') {
            continue;
        }
        let after_content = k > 0 && lines[seq[k - 1]].fate == Fate::Kept;
        let announces = match lines[i].fate {
            Fate::Kept => true,
            Fate::StrayShort => after_content,
            _ => false,
        };
        let block_follows = seq.get(k + 1).is_some_and(|&j| j == i + 1 && lines[j].fate == Fate::StrayShort);
        if !announces || !block_follows {
            continue;
        }
        lines[i].fate = Fate::Kept;
        let mut j = i + 1;
        while j < lines.len() && lines[j].fate == Fate::StrayShort {
            lines[j].fate = Fate::Kept;
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(fates: &[(&str, Fate)]) -> Vec<Line> {
        fates.iter().enumerate().map(|(n, (t, f))| Line { number: n + 1, text: (*t).into(), fate: *f }).collect()
    }

    #[test]
    fn a_list_under_a_colon_is_kept() {
        let mut lines = page(&[
            ("The band plays these cities next summer, with tickets on sale from Friday.", Fate::Kept),
            ("Tour dates:", Fate::StrayShort),
            ("June 9 – Tampa, FL", Fate::StrayShort),
            ("June 10 – Atlanta, GA", Fate::StrayShort),
            ("", Fate::Blank),
            ("Sign in", Fate::StrayShort),
        ]);
        keep_announced_lists(&mut lines, &[0, 1, 2, 3, 5]);
        let kept: Vec<bool> = lines.iter().map(|l| l.fate == Fate::Kept).collect();
        assert_eq!(kept, [true, true, true, true, false, false]);
    }

    #[test]
    fn share_buttons_under_a_colon_are_not() {
        let mut lines = page(&[
            ("The council will vote on the plan next week, the mayor said.", Fate::Kept),
            ("Share this:", Fate::StrayShort),
            ("• Facebook", Fate::MenuItem),
        ]);
        keep_announced_lists(&mut lines, &[0, 1, 2]);
        assert_eq!(lines[1].fate, Fate::StrayShort);
        assert_eq!(lines[2].fate, Fate::MenuItem);
    }
}
