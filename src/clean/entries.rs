//! Pages made of short entries: a shop's category of products, a list of services or events,
//! a directory. The rules above keep the short lines of a text when they look like part of
//! it (labels, values, a list's entries) and leave headline-shaped lines, bylines and date
//! lines to the splitter, which takes them as the titles and dates of articles. On a page
//! whose text between its first kept line and its last is mostly such stray short lines, they
//! are not the titles of articles between paragraphs: they are the page's entries (an item's
//! name over its one-line description, an event's date over its place), and the page's text
//! is read wrong without them.
//!
//! A news page of several articles is not such a page: its titles, dates and bylines are a
//! small share of its paragraphs' words, so they stay stray and the splitter still reads them.

use super::{Fate, Line};

/// Stray short lines must hold more words than the kept lines between the first kept line and
/// the last for the page to be taken as made of entries (percent of the kept words).
const MIN_STRAY_SHARE: usize = 100;

/// On a page whose stray short lines between its first kept line and its last hold more words
/// than its kept lines there, keeps those stray short lines. `seq` lists the non-blank lines;
/// `words` runs along it.
pub(super) fn keep_entries(lines: &mut [Line], seq: &[usize], words: &[usize]) {
    let Some(span) = super::kept_span(lines, seq) else { return };
    let words_of = |fate: Fate| span.clone().filter(|&k| lines[seq[k]].fate == fate).map(|k| words[k]).sum::<usize>();
    let (kept_words, stray_words) = (words_of(Fate::Kept), words_of(Fate::StrayShort));
    if stray_words * 100 <= kept_words * MIN_STRAY_SHARE {
        return;
    }
    for k in span {
        if lines[seq[k]].fate == Fate::StrayShort {
            lines[seq[k]].fate = Fate::Kept;
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
    fn a_page_of_entries_keeps_them() {
        let (mut lines, seq, words) = page(&[
            ("Walking Tours", Fate::StrayShort),
            ("Old Harbour at Dawn", Fate::StrayShort),
            ("Two hours along the quays with a local guide.", Fate::Kept),
            ("Lighthouse and Dunes", Fate::StrayShort),
            ("Saturdays 10:00, from the ferry pier", Fate::StrayShort),
            ("Fish Market Morning", Fate::StrayShort),
            ("Tasting included.", Fate::Kept),
            ("• Contact", Fate::MenuItem),
        ]);
        keep_entries(&mut lines, &seq, &words);
        // Lines above the first kept line are the lead rule's and the splitter's.
        assert_eq!(kept(&lines), [false, false, true, true, true, true, true, false]);
    }

    #[test]
    fn an_article_with_its_subheadings_is_left_alone() {
        let (mut lines, seq, words) = page(&[
            ("The council voted on Tuesday to close the old bridge to all traffic by the spring.", Fate::Kept),
            ("What Comes Next", Fate::StrayShort),
            ("Engineers will survey the piers over the winter and report to the council in March.", Fate::Kept),
        ]);
        keep_entries(&mut lines, &seq, &words);
        assert_eq!(kept(&lines), [true, false, true]);
    }
}
