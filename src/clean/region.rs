//! The main-content region: where the prose lines cluster. Each line scores its words when it
//! is prose and a penalty otherwise; the page's runs of positive running score are its content
//! regions (a resetting Kadane scan, as in Finn's Body Text Extraction, in linear time). The
//! strongest region is kept, and so is every region at least half as strong, so that a page of
//! several articles keeps them all while a thin block of teasers or a comment thread far from
//! the article goes.

use super::features::Class;

/// The cost of a short line (heading, date, byline, menu entry outside a list).
const SHORT_PENALTY: i64 = 8;
/// The cost of a bulleted menu item, a placeholder, or a line dropped by an earlier rule.
const BAD_PENALTY: i64 = 5;
/// The cost of a short line whose folded shape recurs on the page: comment datelines,
/// "Reply" links, "N votes": the template of a list of other things.
const TEMPLATE_PENALTY: i64 = 25;
/// A region is kept when its score reaches this share of the strongest region's.
const KEEP_SHARE: f64 = 0.5;
/// Lines of one folded shape this many times on a page are template lines.
pub(super) const TEMPLATE_REPEATS: usize = 3;

/// One line as the region scan sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scored {
    pub(super) class: Class,
    pub(super) words: usize,
    /// The line's folded shape occurs at least [`TEMPLATE_REPEATS`] times on the page.
    pub(super) template: bool,
}

fn score(line: &Scored) -> i64 {
    match line.class {
        Class::Good => i64::try_from(line.words).unwrap_or(i64::MAX / 4),
        _ if line.template => -TEMPLATE_PENALTY,
        Class::Menu | Class::Bracketed | Class::NoWords | Class::Dropped => -BAD_PENALTY,
        Class::Short | Class::Near => -SHORT_PENALTY,
    }
}

/// For each line, whether it lies in a kept content region.
pub(super) fn in_region(lines: &[Scored]) -> Vec<bool> {
    // (score, first, last) of each run.
    let mut runs: Vec<(i64, usize, usize)> = Vec::new();
    let (mut running, mut start, mut best, mut best_end) = (0i64, 0usize, 0i64, None);
    for (k, line) in lines.iter().enumerate() {
        let s = score(line);
        if running + s <= 0 {
            if let Some(end) = best_end {
                runs.push((best, start, end));
            }
            (running, start, best, best_end) = (0, k + 1, 0, None);
            continue;
        }
        running += s;
        if running > best {
            (best, best_end) = (running, Some(k));
        }
    }
    if let Some(end) = best_end {
        runs.push((best, start, end));
    }
    let top = runs.iter().map(|r| r.0).max().unwrap_or(0);
    let mut keep = vec![false; lines.len()];
    for &(s, first, last) in &runs {
        if s as f64 >= KEEP_SHARE * top as f64 {
            keep[first..=last].fill(true);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(class: Class, words: usize) -> Scored {
        Scored { class, words, template: false }
    }

    #[test]
    fn teasers_far_from_the_article_go() {
        let mut page = vec![line(Class::Good, 40), line(Class::Short, 2), line(Class::Good, 50)];
        for _ in 0..4 {
            page.extend([line(Class::Short, 3), line(Class::Short, 3), line(Class::Good, 12)]);
        }
        let keep = in_region(&page);
        assert!(keep[..3].iter().all(|&k| k));
        assert!(keep[3..].iter().all(|&k| !k));
    }

    #[test]
    fn two_articles_of_like_strength_both_stay() {
        let mut page = vec![line(Class::Good, 60), line(Class::Good, 60)];
        page.extend([line(Class::Menu, 1); 20]);
        page.extend([line(Class::Good, 50), line(Class::Good, 50)]);
        let keep = in_region(&page);
        assert!(keep[0] && keep[1] && keep[22] && keep[23]);
    }
}
