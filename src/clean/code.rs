//! Code and configuration printed in a text: a dump prints a code block as lines of symbols
//! and short tokens, which read as stray short lines or, when a line recurs (`}`, `</div>`),
//! as a repeated block. Under kept text, a run of lines most of which carry the marks of code
//! is part of that text.

use super::{Fate, Line};

/// The share of a run's lines that must look like code.
const MIN_CODE_SHARE: f64 = 0.6;

/// Marks that prose, titles and menus seldom hold and code nearly always does (what
/// [`looks_like_code`] looks for, listed for its tests).
#[cfg(test)]
const CODE_MARKS: &[&str] = &["{", "}", ";", " = ", "==", "=>", "->", "::", "()", "</", "/>", "$ ", ">>>", "#!", "//"];

/// Whether a line carries a mark of code: `{`, `}`, `;`, ` = `, `==`, `=>`, `->`, `::`, `()`,
/// `</`, `/>`, `$ `, `>>>`, `#!`, `//`, or a leading `#` word. One pass over the bytes, as
/// every short line of a page is asked.
pub(super) fn looks_like_code(line: &str) -> bool {
    let b = line.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    if b.first() == Some(&b'#') && at(1) != b' ' {
        return true;
    }
    b.iter().enumerate().any(|(i, &c)| match c {
        b'{' | b'}' | b';' => true,
        b'=' => matches!(at(i + 1), b'=' | b'>') || i > 0 && b[i - 1] == b' ' && at(i + 1) == b' ',
        b'-' => at(i + 1) == b'>',
        b':' => at(i + 1) == b':',
        b'(' => at(i + 1) == b')',
        b'<' => at(i + 1) == b'/',
        b'/' => matches!(at(i + 1), b'>' | b'/'),
        b'$' => at(i + 1) == b' ',
        b'>' => at(i + 1) == b'>' && at(i + 2) == b'>',
        b'#' => at(i + 1) == b'!',
        _ => false,
    })
}

/// Keeps each run of stray short or repeated lines right under kept text when most of its
/// lines look like code.
pub(super) fn keep_code_in_text(lines: &mut [Line], seq: &[usize]) {
    let loose = |f: Fate| matches!(f, Fate::StrayShort | Fate::RepeatedBlock);
    let mut k = 0;
    while k < seq.len() {
        if !loose(lines[seq[k]].fate) {
            k += 1;
            continue;
        }
        let first = k;
        while k < seq.len() && loose(lines[seq[k]].fate) {
            k += 1;
        }
        let under_text = first > 0 && lines[seq[first - 1]].fate == Fate::Kept;
        let code = seq[first..k].iter().filter(|&&i| looks_like_code(&lines[i].text)).count();
        if under_text && code as f64 >= MIN_CODE_SHARE * (k - first) as f64 {
            for &i in &seq[first..k] {
                lines[i].fate = Fate::Kept;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_under_text_is_text() {
        let texts = [
            ("To start the server, write a small file with the route and run it:", Fate::Kept),
            ("app.get('/', (req, res) => {", Fate::StrayShort),
            ("res.send('hello');", Fate::StrayShort),
            ("});", Fate::RepeatedBlock),
            ("Related posts", Fate::StrayShort),
        ];
        let mut lines: Vec<Line> =
            texts.iter().enumerate().map(|(n, (t, f))| Line { number: n + 1, text: (*t).into(), fate: *f }).collect();
        keep_code_in_text(&mut lines, &[0, 1, 2, 3]);
        let kept: Vec<bool> = lines.iter().map(|l| l.fate == Fate::Kept).collect();
        assert_eq!(kept, [true, true, true, true, false]);
    }

    #[test]
    fn every_mark_is_found() {
        for mark in CODE_MARKS {
            assert!(looks_like_code(&format!("a{mark}b")), "{mark}");
        }
        for text in ["a = b", "x=y", "a > b", "- item", "Note: this", "(a)", "$5", "#hashtag", "# Title"] {
            assert_eq!(
                looks_like_code(text),
                CODE_MARKS.iter().any(|m| text.contains(m)) || text.starts_with('#') && !text.starts_with("# "),
                "{text}"
            );
        }
    }

    #[test]
    fn titles_and_menus_are_not_code() {
        assert!(!looks_like_code("Harbour Ferry Adds a Winter Timetable"));
        assert!(!looks_like_code("# 3 Most read"));
        assert!(looks_like_code("let total = items.len();"));
    }
}
