//! Context, in the manner of jusText: a line that is not prose on its own (a heading, a date,
//! a byline, a short sentence) is content when it sits in a short gap between two prose lines.

use super::features::Class;

/// The longest run of non-prose lines that still counts as sitting between two paragraphs:
/// a subheading, or a title with its date and byline.
pub(super) const MAX_GAP: usize = 3;

/// For each line of the sequence, whether it is content given its neighbours. Prose lines are
/// content; short lines are content when they sit in a gap of at most [`MAX_GAP`] lines between
/// two prose lines; a shorter sentence is also content right next to prose. Menu items,
/// placeholders and lines without words never are.
pub(super) fn bridged(classes: &[Class]) -> Vec<bool> {
    let n = classes.len();
    let mut prev_good = vec![None; n];
    let mut last = None;
    for (k, class) in classes.iter().enumerate() {
        prev_good[k] = last;
        if *class == Class::Good {
            last = Some(k);
        }
    }
    let mut next_good = vec![None; n];
    last = None;
    for (k, class) in classes.iter().enumerate().rev() {
        next_good[k] = last;
        if *class == Class::Good {
            last = Some(k);
        }
    }
    (0..n)
        .map(|k| match classes[k] {
            Class::Good => true,
            Class::Short | Class::Near => {
                let between = match (prev_good[k], next_good[k]) {
                    (Some(p), Some(q)) => q - p - 1 <= MAX_GAP,
                    _ => false,
                };
                let beside = (k > 0 && prev_good[k] == Some(k - 1)) || next_good[k] == Some(k + 1);
                between || (classes[k] == Class::Near && beside)
            }
            Class::Menu | Class::Bracketed | Class::NoWords | Class::Dropped => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Class::*;

    #[test]
    fn a_heading_between_paragraphs_is_content() {
        assert_eq!(bridged(&[Good, Short, Good]), [true, true, true]);
        assert_eq!(bridged(&[Good, Short, Short, Short, Good]), [true; 5]);
    }

    #[test]
    fn a_long_run_of_short_lines_is_not() {
        assert_eq!(bridged(&[Good, Short, Short, Short, Short, Good]), [true, false, false, false, false, true]);
    }

    #[test]
    fn a_short_sentence_beside_prose_is_content() {
        assert_eq!(bridged(&[Short, Near, Good, Near]), [false, true, true, true]);
        assert_eq!(bridged(&[Near, Short, Good]), [false, false, true]);
    }

    #[test]
    fn menus_are_never_bridged() {
        assert_eq!(bridged(&[Good, Menu, Good]), [true, false, true]);
    }
}
