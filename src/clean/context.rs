//! Context, in the manner of jusText: a line that is not prose on its own (a heading, a date,
//! a byline, a short sentence) is content when it sits in a short gap between two prose lines.

use super::features::Class;

/// The longest run of non-prose lines that still counts as sitting between two paragraphs:
/// a subheading, or a title with its date and byline.
pub(super) const MAX_GAP: usize = 3;

/// For each line of the sequence, whether it is content given its neighbours. Prose lines are
/// content; short lines are content when they sit in a gap of at most [`MAX_GAP`] lines between
/// two prose lines; a shorter sentence is also content right next to prose. A line without
/// words between two paragraphs is a drawn rule (`* * *`, `---`), which the splitter reads as
/// the end of a piece and leaves out of the text. Menu items and placeholders never are.
pub(super) fn bridged(classes: &[Class]) -> Vec<bool> {
    let (prev_good, next_good) = nearest_prose(classes);
    (0..classes.len())
        .map(|k| match classes[k] {
            Class::Good => true,
            Class::Short | Class::Near | Class::NoWords => {
                let between = match (prev_good[k], next_good[k]) {
                    (Some(p), Some(q)) => q - p - 1 <= MAX_GAP,
                    _ => false,
                };
                let beside = (k > 0 && prev_good[k] == Some(k - 1)) || next_good[k] == Some(k + 1);
                between || (classes[k] == Class::Near && beside)
            }
            Class::Menu | Class::Bracketed | Class::Dropped => false,
        })
        .collect()
}

/// Joins kept regions that a short gap parts: a line that context found content (`bridged`)
/// and whose prose neighbours on both sides lie in kept regions is in the region too. Three
/// short lines cost more than two short paragraphs bring, so a caption and an advertisement
/// between two paragraphs would otherwise cut one article in two and drop its middle.
pub(super) fn join_regions(classes: &[Class], bridged: &[bool], in_region: &mut [bool]) {
    let (prev_good, next_good) = nearest_prose(classes);
    for k in 0..classes.len() {
        if let (true, Some(p), Some(q)) = (bridged[k], prev_good[k], next_good[k]) {
            if in_region[p] && in_region[q] && q - p - 1 <= MAX_GAP {
                in_region[k] = true;
            }
        }
    }
}

/// Takes into a kept region the prose just above it, when only a short gap of lines that
/// context found content parts them: an article's intro over its first subheading (and an
/// "Advertisement" line) scores less than the gap costs, yet it is the article's first
/// paragraph. Only upwards: what follows an article across such a gap is as often a teaser.
pub(super) fn take_intros(classes: &[Class], bridged: &[bool], in_region: &mut [bool]) {
    let (prev_good, _) = nearest_prose(classes);
    for q in (0..classes.len()).rev() {
        if classes[q] != Class::Good || !in_region[q] {
            continue;
        }
        let Some(p) = prev_good[q] else { continue };
        if in_region[p] || q - p - 1 > MAX_GAP || !(p + 1..q).all(|k| bridged[k]) {
            continue;
        }
        in_region[p..q].fill(true);
    }
}

/// Gives a region its closing sentence: a short sentence right after the region's last
/// paragraph ("The operator thanked the crew.") weighs against the region in the scan, so a
/// page that ends there would lose it while the same article with more page below it kept it.
/// A notice ("© 2024 The Gazette. All rights reserved.") closes the page, not the text.
pub(super) fn take_closers(classes: &[Class], bridged: &[bool], notice: &[bool], in_region: &mut [bool]) {
    for k in 1..classes.len() {
        if classes[k] == Class::Near && bridged[k] && !notice[k] && classes[k - 1] == Class::Good && in_region[k - 1] {
            in_region[k] = true;
        }
    }
}

/// For each line, the nearest prose line before it and after it.
fn nearest_prose(classes: &[Class]) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
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
    (prev_good, next_good)
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
        assert_eq!(bridged(&[Good, NoWords, Short, Good]), [true; 4]);
    }
}
