//! Template lines: the lines a page prints once per item of a list of other things (comment
//! datelines, "Reply", "Rating: N votes", teasers ending "… Read more" or "| 3 comments"). The
//! region scan charges them most, and a comment thread is told by them.

use rustc_hash::FxHashMap as HashMap;

/// Lines of one folded shape, or with one folded ending, this many times on a page are
/// template lines.
pub(super) const TEMPLATE_REPEATS: usize = 3;

/// Characters that part a line's own text from what a list template appends to it: "Harbour
/// fees rise | 3 comments", "A new plan for the bridge… Read more", "Ferry fares rise - 2 hours
/// ago". [`last_separator`] finds them; this list is what its tests check it against.
#[cfg(test)]
const SEPARATORS: &[char] = &['|', '·', '•', '–', '—', '-', '…', '»', '/'];

/// Where the last separator in `line` starts (`|`, `·`, `•`, `–`, `—`, `-`, `…`, `»`, `/`), and its length in bytes: a scan of the
/// UTF-8 bytes from the end. (`str::rfind` with a list of characters decodes every character
/// and compares it with each one; on lines of prose, which are scanned to their start, it cost
/// as much as the rest of the template scan, or several times as much, as the compiler inlined
/// it or not.) The multi-byte separators end in a byte no other character of theirs shares
/// after their lead bytes: U+00B7 and U+00BB are `C2 B7`, `C2 BB`; U+2013, U+2014, U+2022 and
/// U+2026 are `E2 80 93`, `E2 80 94`, `E2 80 A2`, `E2 80 A6`; `C2` and `E2` only lead.
fn last_separator(line: &str) -> Option<(usize, usize)> {
    let b = line.as_bytes();
    (0..b.len()).rev().find_map(|i| match b[i] {
        b'|' | b'/' | b'-' => Some((i, 1)),
        0xB7 | 0xBB if i >= 1 && b[i - 1] == 0xC2 => Some((i - 1, 2)),
        0x93 | 0x94 | 0xA2 | 0xA6 if i >= 2 && b[i - 1] == 0x80 && b[i - 2] == 0xE2 => Some((i - 2, 3)),
        _ => None,
    })
}

/// An ending has at most this many words: a count and its noun, a link, a relative date.
const MAX_ENDING_WORDS: usize = 4;

/// The ending of `line`: what follows its last separator, folded, when text stands before the
/// separator and the ending is short and holds a letter ("0 comments", "read more", "0 hours
/// ago"; not a score "0").
fn ending(line: &str) -> Option<String> {
    let (cut, len) = last_separator(line)?;
    let (head, tail) = (&line[..cut], &line[cut + len..]);
    if !head.chars().any(char::is_alphanumeric) {
        return None;
    }
    // Folding keeps one word per white-space-parted piece holding a letter or digit, so a tail
    // with more such pieces is no ending; most lines hold a separator somewhere in their prose,
    // and folding the rest of the paragraph after it was most of the template scan's time.
    if tail.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).nth(MAX_ENDING_WORDS).is_some() {
        return None;
    }
    let end = super::fold(tail);
    let words = end.split(' ').count();
    (end.chars().any(char::is_alphabetic) && words <= MAX_ENDING_WORDS).then_some(end)
}

/// How a line repeats the page's template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Template {
    /// The line's folded shape, holding a letter, occurs at least [`TEMPLATE_REPEATS`] times on
    /// the page (a dateline, "Reply"). A bare number ("1", "2." over listicle entries) folds to
    /// "0" like every other number, but a count is not the template of a list of other things.
    pub(super) shape: bool,
    /// The line's ending after a separator occurs at least [`TEMPLATE_REPEATS`] times on the
    /// page ("… | 3 comments", "… Read more"): teasers of other pages.
    pub(super) ending: bool,
    /// The line's last word (a line of at least three words) ends at least
    /// [`TEMPLATE_REPEATS`] lines of the page: "Ann on 12 May 2018 at 4:47 pm said:".
    pub(super) last_word: bool,
}

impl Template {
    /// Either kind.
    pub(super) fn any(self) -> bool {
        self.shape || self.ending
    }
}

/// For each line (`texts`: the page's non-blank lines; `folded`: the same folded; `shapes`:
/// their hashes), how it repeats the page's template.
pub(super) fn template_lines(texts: &[&str], folded: &[&str], shapes: &[u64]) -> Vec<Template> {
    let mut shape_counts: HashMap<u64, usize> = HashMap::default();
    for &s in shapes {
        *shape_counts.entry(s).or_default() += 1;
    }
    let endings: Vec<Option<String>> = texts.iter().map(|t| ending(t)).collect();
    let mut ending_counts: HashMap<&str, usize> = HashMap::default();
    for e in endings.iter().flatten().map(String::as_str) {
        *ending_counts.entry(e).or_default() += 1;
    }
    let last_words: Vec<Option<&str>> = folded
        .iter()
        .map(|f| {
            let mut words = f.rsplit(' ');
            let last = words.next()?;
            (words.nth(1).is_some() && last.chars().all(char::is_alphabetic)).then_some(last)
        })
        .collect();
    let mut last_counts: HashMap<&str, usize> = HashMap::default();
    for w in last_words.iter().flatten() {
        *last_counts.entry(w).or_default() += 1;
    }
    let repeated = |n: Option<&usize>| n.is_some_and(|&n| n >= TEMPLATE_REPEATS);
    (0..folded.len())
        .map(|k| Template {
            shape: folded[k].chars().any(char::is_alphabetic) && repeated(shape_counts.get(&shapes[k])),
            ending: endings[k].as_deref().is_some_and(|e| repeated(ending_counts.get(e))),
            last_word: last_words[k].is_some_and(|w| repeated(last_counts.get(w))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{fold, shape};

    fn templates(lines: &[&str]) -> Vec<Template> {
        let folded: Vec<String> = lines.iter().map(|l| fold(l)).collect();
        let folded: Vec<&str> = folded.iter().map(String::as_str).collect();
        let shapes: Vec<u64> = lines.iter().map(|l| shape(l)).collect();
        template_lines(lines, &folded, &shapes)
    }

    #[test]
    fn repeated_shapes_and_endings_are_templates() {
        let page = [
            "Harbour fees rise again | 3 comments",
            "Reply",
            "Ferry timetable changes for winter | 12 comments",
            "Reply",
            "New mayor sworn in | 1 comment",
            "Market opens on Sunday | 7 comments",
            "Reply",
            "12",
            "12",
            "12",
        ];
        assert_eq!(
            templates(&page).into_iter().map(Template::any).collect::<Vec<_>>(),
            [true, true, true, true, false, true, true, false, false, false]
        );
    }

    #[test]
    fn an_ending_follows_a_separator_and_holds_a_letter() {
        assert_eq!(ending("Harbour fees rise | 3 comments").as_deref(), Some("0 comments"));
        assert_eq!(ending("A new plan for the bridge… Read more").as_deref(), Some("read more"));
        assert_eq!(ending("Read more"), None, "no separator");
        assert_eq!(ending("| Read more"), None, "nothing before the separator");
        assert_eq!(ending("Arsenal 2 - 1"), None, "a score holds no letter");
    }

    #[test]
    fn comment_headers_end_alike() {
        let lines =
            ["Ann on 12 May at 4:47 pm said:", "Bo Li on 13 May at 9:02 am said:", "Cy on 14 May said:", "Done."];
        let last: Vec<bool> = templates(&lines).iter().map(|t| t.last_word).collect();
        assert_eq!(last, [true, true, true, false]);
    }

    /// `ending` as first written: fold the whole tail, then count its words.
    fn ending_by_definition(line: &str) -> Option<String> {
        let cut = line.rfind(SEPARATORS)?;
        let sep = line[cut..].chars().next()?;
        let (head, tail) = (&line[..cut], &line[cut + sep.len_utf8()..]);
        if !head.chars().any(char::is_alphanumeric) {
            return None;
        }
        let end = fold(tail);
        (end.chars().any(char::is_alphabetic) && end.split(' ').count() <= MAX_ENDING_WORDS).then_some(end)
    }

    proptest::proptest! {
        #[test]
        fn ending_counts_words_before_folding_as_after(line in "[a-zA-Z0-9 ,.|·•–—…»/\\-\u{a0}\u{3000}é٣]{0,60}") {
            proptest::prop_assert_eq!(ending(&line), ending_by_definition(&line));
        }
    }

    #[test]
    fn every_separator_is_found() {
        for sep in SEPARATORS {
            let line = format!("Harbour fees rise {sep} 3 comments");
            assert_eq!(last_separator(&line), Some((18, sep.len_utf8())), "{sep}");
        }
        let line = "Harbour fees rise · 3 comments – ÷ – share ⁄ » ¸";
        assert_eq!(last_separator(line), line.rfind(SEPARATORS).map(|at| (at, 2)));
        assert_eq!(last_separator("No separator, only prose and “quotes”."), None);
    }
}
