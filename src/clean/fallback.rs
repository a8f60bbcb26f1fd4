//! Pages without an article: a shop's grid of products, a list of jobs or threads, a forum's
//! short posts. The rules above look for where prose clusters, and on such a page they find
//! little of it or the wrong block (a browser notice, a cookie box) while the page's content,
//! its items, is made of short lines. When the kept text is a small share of the page, the
//! cleaner has not found the page's content, and the simplest line rule does better than its
//! guess: every short line or menu entry of at least a few words (boilerpipe's NumWords) that
//! is no notice is kept.
//!
//! Only when the kept text is also short in words: a news article of 150 words on a page of a
//! newspaper's mega-menu (headlines of five words and more, by the hundred) is a small share
//! of its page too, and there the line rule would keep the menu.

use super::{Fate, Line};

/// The kept words must reach this share of the page's words (percent) for the page to be
/// taken as having an article.
const MIN_KEPT_SHARE: usize = 20;

/// Past this many kept words, the page is taken as having its text, whatever its share.
const MAX_KEPT_WORDS: usize = 100;

/// A line needs this many words to be kept by the line rule.
const MIN_WORDS: usize = 5;

/// The fates the line rule may undo: short lines and menu entries. Prose outside the main
/// region (teasers, comments), a repeated block, a duplicate, a caption or a line of site
/// chrome stays dropped.
fn undone(fate: Fate) -> bool {
    matches!(fate, Fate::StrayShort | Fate::MenuItem)
}

/// On a page whose kept lines hold less than [`MIN_KEPT_SHARE`] of its words, and fewer than
/// [`MAX_KEPT_WORDS`] words, keeps every
/// line of at least [`MIN_WORDS`] words that only the content guesses dropped and that is no
/// notice. `seq` lists the non-blank lines; `words` and `notice` run along it.
pub(super) fn keep_lines_of_words(lines: &mut [Line], seq: &[usize], words: &[usize], notice: &[bool]) {
    let total: usize = words.iter().sum();
    let kept: usize = seq.iter().zip(words).filter(|(&i, _)| lines[i].fate == Fate::Kept).map(|(_, &w)| w).sum();
    if kept * 100 >= total * MIN_KEPT_SHARE || kept >= MAX_KEPT_WORDS {
        return;
    }
    for (k, &i) in seq.iter().enumerate() {
        if words[k] >= MIN_WORDS && !notice[k] && undone(lines[i].fate) {
            lines[i].fate = Fate::Kept;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::test_page as page;

    #[test]
    fn a_grid_of_products_keeps_its_items() {
        let (mut lines, seq, words) = page(&[
            ("Please update your browser to see this page.", Fate::Kept),
            ("Harbour Ferry Model in Oak, Hand Painted", Fate::StrayShort),
            ("$49.00", Fate::StrayShort),
            ("• Two-tone hull with brass fittings and a stand", Fate::MenuItem),
            ("Lighthouse Lamp with Warm White Light and Timer", Fate::StrayShort),
            ("$35.00", Fate::StrayShort),
            ("Captain's Chair in Teak with a Folding Back", Fate::StrayShort),
            ("• Home", Fate::MenuItem),
        ]);
        let notice = vec![false; seq.len()];
        keep_lines_of_words(&mut lines, &seq, &words, &notice);
        let kept: Vec<bool> = lines.iter().map(|l| l.fate == Fate::Kept).collect();
        assert_eq!(kept, [true, true, false, true, true, false, true, false]);
    }

    #[test]
    fn a_page_with_its_article_found_is_left_alone() {
        let (mut lines, seq, words) = page(&[
            ("The council voted on Tuesday to close the old bridge to all traffic by the spring.", Fate::Kept),
            ("Ferry timetable for the winter season", Fate::StrayShort),
        ]);
        keep_lines_of_words(&mut lines, &seq, &words, &[false, false]);
        assert_eq!(lines[1].fate, Fate::StrayShort);
    }
}
