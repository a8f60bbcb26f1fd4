//! Bulleted lists inside the text: the features of a product, the steps of a guide, the
//! points of a section. Each item alone is shaped like a menu entry; where the list stands
//! says otherwise. A list with kept text on both sides is part of that text, and a list of
//! long items right under kept text ("• Sensor: 24 MP, with a low-pass filter") ends it, and so
//! does a list under the sentence that announces it ("To cut back on salt, try this:"),
//! whatever follows it: the last list of the page's last article is kept as it is when another
//! article follows. A menu stands apart from the text, and its entries are a word or two long.

use super::{Fate, Line};

/// The fewest words an item of a list between kept lines must have on average: a row of
/// share buttons or section links ("• Facebook", "• Local news") has one or two.
const MIN_MEAN_WORDS_BETWEEN: f64 = 3.0;

/// The fewest words an item of a list that only follows kept text must have on average.
const MIN_MEAN_WORDS_AFTER: f64 = 6.0;

/// The fewest words of a line ending in a colon that announces a list: a sentence ("To cut back
/// on salt, try this:"), not a label ("Share this:", "Follow us:").
const MIN_ANNOUNCING_WORDS: usize = 4;

/// Keeps the runs of menu items (consecutive non-blank lines) that stand inside kept text.
pub(super) fn keep_lists_in_text(lines: &mut [Line], seq: &[usize], words: &[usize]) {
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
        let keep = match (before, after) {
            _ if announced => mean >= MIN_MEAN_WORDS_BETWEEN,
            (Some(Fate::Kept), Some(Fate::Kept)) => mean >= MIN_MEAN_WORDS_BETWEEN,
            (Some(Fate::Kept), _) => mean >= MIN_MEAN_WORDS_AFTER,
            _ => false,
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

    fn page(fates: &[(&str, Fate)]) -> (Vec<Line>, Vec<usize>, Vec<usize>) {
        let lines: Vec<Line> =
            fates.iter().enumerate().map(|(n, (t, f))| Line { number: n + 1, text: (*t).into(), fate: *f }).collect();
        let seq: Vec<usize> = (0..lines.len()).collect();
        let words = lines.iter().map(|l| l.text.split_whitespace().filter(|w| *w != "•").count()).collect();
        (lines, seq, words)
    }

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
