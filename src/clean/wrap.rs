//! Hard-wrapped paragraphs: a manual page, a mailing-list post, a preformatted block or a
//! copy-paste breaks one paragraph over several lines of 60 to 80 characters, none of which
//! reads as prose alone (it ends mid-sentence, "… In the synopsis's first"). The lines of such
//! a paragraph are judged together: the paragraph is prose when its joined text is.

use super::features::{self, Class, Features};

/// A wrapped paragraph's longest line has at least this many characters.
const MIN_WIDTH: usize = 40;

/// Every line of a wrapped paragraph but its last is at least this share (in percent) of its
/// longest line.
const MIN_WIDTH_SHARE: usize = 70;

/// Whether `next` continues the sentence that `line` leaves open: `line` ends with neither a
/// sentence end nor a colon, and `next` opens with a lower-case letter ("… the first" /
/// "form, which is used …"), or `line` ends with a comma, a hyphen or an opening word that
/// cannot end a sentence ("… and" / "Harbour").
fn continues(line: &str, next: &str) -> bool {
    let Some(last) = line.chars().last() else { return false };
    let Some(first) = next.chars().next() else { return false };
    if features::BULLETS.contains(&first) && next.chars().nth(1).is_none_or(char::is_whitespace) {
        return false;
    }
    if matches!(last, '.' | '!' | '?' | ':' | '。' | '！' | '？') {
        return false;
    }
    first.is_lowercase() || matches!(last, ',' | ';' | '-' | '(' | '—' | '–') && first.is_alphanumeric()
}

/// For each of the page's non-blank lines (`seq`: their indices in the page; `texts` and
/// `feats` run along it), whether it belongs to a wrapped paragraph of two lines or more whose
/// joined text is prose. Lines of a paragraph stand on consecutive lines of the page (no blank
/// line between) and each continues the one before.
pub(super) fn wrapped_prose(seq: &[usize], texts: &[&str], feats: &[Features]) -> Vec<bool> {
    let n = seq.len();
    let mut out = vec![false; n];
    let mut k = 0;
    while k < n {
        let first = k;
        while k + 1 < n && seq[k + 1] == seq[k] + 1 && continues(texts[k], texts[k + 1]) {
            k += 1;
        }
        let last = k;
        k += 1;
        if last == first {
            continue;
        }
        // Wrapped at one width: every line but the last nearly as long as the longest (a
        // column of image names or titles that happen to continue one another is ragged).
        let width = |j: usize| texts[j].chars().count();
        let longest = (first..=last).map(width).max().unwrap_or(0);
        if longest < MIN_WIDTH || (first..last).any(|j| width(j) * 100 < longest * MIN_WIDTH_SHARE) {
            continue;
        }
        let joined = texts[first..=last].join(" ");
        let f = features::features(&joined);
        if features::classify(&f) == Class::Good {
            for j in first..=last {
                out[j] = feats[j].words > 0;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(lines: &[&str]) -> Vec<bool> {
        let seq: Vec<usize> = (0..lines.len()).collect();
        let feats: Vec<Features> = lines.iter().map(|l| features::features(l)).collect();
        wrapped_prose(&seq, lines, &feats)
    }

    #[test]
    fn a_paragraph_broken_over_lines_is_prose() {
        let page = [
            "grep searches for patterns in each FILE.  In the synopsis's first",
            "form, which is used if no -e or -f options are present, the first",
            "operand PATTERNS is one or more patterns separated by newline",
            "characters, and grep prints each line that matches a pattern.",
            "-i, --ignore-case",
        ];
        assert_eq!(wrapped(&page), [true, true, true, true, false]);
    }

    #[test]
    fn a_menu_and_a_list_of_titles_are_not() {
        let page = ["Home", "about us", "Contact", "• harbour news", "• ferry times"];
        assert_eq!(wrapped(&page), [false; 5]);
        let titles = ["The harbour opens", "Ferry fares rise", "New bridge plans"];
        assert_eq!(wrapped(&titles), [false; 3]);
    }
}
