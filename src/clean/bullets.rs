//! Bulleted lists inside the text: the features of a product, the steps of a guide, the
//! points of a section. Each item alone is shaped like a menu entry; where the list stands
//! says otherwise. A list with kept text on both sides is part of that text, and a list of
//! long items right under kept text ("• Sensor: 24 MP, with a low-pass filter") ends it, and so
//! does a list under the sentence that announces it ("To cut back on salt, try this:"),
//! whatever follows it: the last list of the page's last article is kept as it is when another
//! article follows. A list of longer items printed tight (no blank line between them) anywhere
//! between the page's first kept line and its last is the text's too, whatever stands right
//! around it: the points under a subheading ("Cons", "Technical details") that context left
//! stray, a list that parts two regions of prose. A menu stands apart from the text, and its
//! entries are a word or two long.

use super::{Fate, Line};

/// The fewest words an item of a list between kept lines must have on average: a row of
/// share buttons or section links ("• Facebook", "• Local news") has one or two.
const MIN_MEAN_WORDS_BETWEEN: f64 = 3.0;

/// The fewest words an item of a list that only follows kept text must have on average.
const MIN_MEAN_WORDS_AFTER: f64 = 6.0;

/// The fewest words of a line ending in a colon that announces a list: a sentence ("To cut back
/// on salt, try this:"), not a label ("Share this:", "Follow us:").
const MIN_ANNOUNCING_WORDS: usize = 4;

/// The fewest words an item of a list between the page's first kept line and its last, with
/// no kept line beside it, must have on average: a section's points ("• Two deep hand
/// pockets") have more than a menu's entries or the names of a site's sections.
const MIN_MEAN_WORDS_INSIDE: f64 = 4.0;

/// Keeps the runs of menu items (consecutive non-blank lines) that stand inside kept text.
pub(super) fn keep_lists_in_text(lines: &mut [Line], seq: &[usize], words: &[usize]) {
    let kept = super::kept_span(lines, seq);
    let mut k = 0;
    while k < seq.len() {
        if lines[seq[k]].fate != Fate::MenuItem {
            k += 1;
            continue;
        }
        let first = k;
        while k < seq.len() && lines[seq[k]].fate == Fate::MenuItem {
            k += 1;
        }
        let run = first..k;
        let before = first.checked_sub(1).map(|p| lines[seq[p]].fate);
        let after = seq.get(k).map(|&i| lines[i].fate);
        let mean = run.clone().map(|j| words[j]).sum::<usize>() as f64 / run.len() as f64;
        // The sentence right above the list that announces it, kept or right under kept text.
        let announced = first.checked_sub(1).is_some_and(|p| {
            let line = &lines[seq[p]];
            let under_text = p > 0 && lines[seq[p - 1]].fate == Fate::Kept;
            line.text.ends_with(':')
                && words[p] >= MIN_ANNOUNCING_WORDS
                && (line.fate == Fate::Kept || line.fate == Fate::StrayShort && under_text)
        });
        // Between the page's first kept line and its last, its items printed tight: a list of
        // the text's, where teasers and a sidebar's links stand a blank line apart.
        let inside = kept.as_ref().is_some_and(|kept| *kept.start() < first && *kept.end() >= k)
            && seq[run.clone()].windows(2).all(|w| w[1] == w[0] + 1);
        let keep = match (before, after) {
            _ if announced => mean >= MIN_MEAN_WORDS_BETWEEN,
            (Some(Fate::Kept), Some(Fate::Kept)) => mean >= MIN_MEAN_WORDS_BETWEEN,
            // Right under kept text, with none right after it, a list of short items is as
            // often the links that close an article ("Trending now" and its headlines).
            (Some(Fate::Kept), _) => mean >= MIN_MEAN_WORDS_AFTER,
            _ => inside && mean >= MIN_MEAN_WORDS_INSIDE,
        };
        if keep {
            if announced {
                lines[seq[first - 1]].fate = Fate::Kept;
            }
            for j in run {
                lines[seq[j]].fate = Fate::Kept;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::test_page as page;

    fn kept(lines: &[Line]) -> Vec<bool> {
        lines.iter().map(|l| l.fate == Fate::Kept).collect()
    }

    #[test]
    fn a_list_between_paragraphs_is_text() {
        let (mut lines, seq, words) = page(&[
            ("The jacket is made for long walks in wet weather, and it packs into its own pocket.", Fate::Kept),
            ("• Two deep hand pockets", Fate::MenuItem),
            ("• A hood that rolls away", Fate::MenuItem),
            ("It comes in three colours and every size from small to extra large.", Fate::Kept),
        ]);
        keep_lists_in_text(&mut lines, &seq, &words);
        assert_eq!(kept(&lines), [true; 4]);
    }

    #[test]
    fn share_buttons_and_menus_are_not() {
        let (mut lines, seq, words) = page(&[
            ("• Home", Fate::MenuItem),
            ("• Shop", Fate::MenuItem),
            ("The jacket is made for long walks in wet weather, and it packs into its own pocket.", Fate::Kept),
            ("• Facebook", Fate::MenuItem),
            ("• Email", Fate::MenuItem),
            ("It comes in three colours and every size from small to extra large.", Fate::Kept),
            ("• About us", Fate::MenuItem),
            ("• Contact", Fate::MenuItem),
        ]);
        keep_lists_in_text(&mut lines, &seq, &words);
        assert_eq!(kept(&lines), [false, false, true, false, false, true, false, false]);
    }

    #[test]
    fn a_tight_list_under_a_subheading_inside_the_text_is_text() {
        let (mut lines, seq, words) = page(&[
            ("The tent sleeps two and pitches in five minutes, even in a strong wind on open ground.", Fate::Kept),
            ("Drawbacks", Fate::StrayShort),
            ("• Heavier than most tents of its size", Fate::MenuItem),
            ("• The fly lets in rain at the door", Fate::MenuItem),
            ("Overall", Fate::StrayShort),
            ("It is a sound choice for a first tent, and the price is fair for what it gives.", Fate::Kept),
        ]);
        keep_lists_in_text(&mut lines, &seq, &words);
        assert_eq!(kept(&lines), [true, false, true, true, false, true]);
    }

    #[test]
    fn short_entries_and_spaced_links_inside_the_text_are_not() {
        // A menu's entries are too short; links to other stories a dump prints a blank line
        // apart, as it prints a sidebar's teasers.
        let (mut lines, seq, words) = page(&[
            ("The tent sleeps two and pitches in five minutes, even in a strong wind on open ground.", Fate::Kept),
            ("Sections", Fate::StrayShort),
            ("• Tents", Fate::MenuItem),
            ("• Sleeping bags", Fate::MenuItem),
            ("More stories", Fate::StrayShort),
            ("• Ten walks to take before the winter comes", Fate::MenuItem),
            ("", Fate::Blank),
            ("• How to dry a wet tent on the road", Fate::MenuItem),
            ("It is a sound choice for a first tent, and the price is fair for what it gives.", Fate::Kept),
        ]);
        keep_lists_in_text(&mut lines, &seq, &words);
        assert_eq!(kept(&lines), [true, false, false, false, false, false, false, false, true]);
    }

    #[test]
    fn a_list_under_the_sentence_announcing_it_ends_the_text() {
        let (mut lines, seq, words) = page(&[
            ("Salted food keeps well through a storm, but most adults here eat too much of it.", Fate::Kept),
            ("To cut back on salt, try this:", Fate::StrayShort),
            ("• Soak salted fish overnight.", Fate::MenuItem),
            ("• Season with lemon and herbs.", Fate::MenuItem),
            ("Share this:", Fate::StrayShort),
            ("• Facebook", Fate::MenuItem),
            ("• Email", Fate::MenuItem),
        ]);
        keep_lists_in_text(&mut lines, &seq, &words);
        assert_eq!(kept(&lines), [true, true, true, true, false, false, false]);
    }
}
