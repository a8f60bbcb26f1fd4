//! The main-content region: where the prose lines cluster. Each line scores its words when it
//! is prose and a penalty otherwise; the page's runs of positive running score are its content
//! regions (a resetting Kadane scan, as in Finn's Body Text Extraction, in linear time). The
//! strongest region is kept, and so is every region a fifth as strong (nearly half for a
//! teaser's summary under its template line), so that a page of several articles, or of
//! several sections of prose (a product's description below its specs, a service page's second
//! section), keeps them all while a thin block of teasers far from the text goes. A weaker run
//! right after kept text (the next section, past a code sample or a list) is kept at a tenth.
//! Past the strongest region the text ends at a copyright line: a site prints it at its foot.

use super::features::Class;

/// The cost of a short line (heading, date, byline, menu entry outside a list).
const SHORT_PENALTY: i64 = 8;
/// The cost of a bulleted menu item, a placeholder, or a line dropped by an earlier rule.
const BAD_PENALTY: i64 = 5;
/// The cost of a short line whose folded shape recurs on the page: comment datelines,
/// "Reply" links, "N votes": the template of a list of other things.
const TEMPLATE_PENALTY: i64 = 25;
/// The cost of a legal or consent notice (copyright, cookies, privacy, newsletter sign-up),
/// prose or not: a site's footer is often the longest prose block of a short page, and these
/// words are what tells it from an article. A notice inside an article costs it little.
const NOTICE_PENALTY: i64 = 30;
/// A region is kept when its score reaches this share of the strongest region's: a little
/// under half, so that the first part of an article cut in two by a photo gallery stays.
const KEEP_SHARE: f64 = 0.45;
/// Any other region is kept at this lower share, so that the second and third sections of a
/// page (prose parted by a specification list, a gallery, a block of links) stay; a teaser's
/// summary (one paragraph right under a template line: "Title | 4 min read") still needs
/// [`KEEP_SHARE`].
const KEEP_SHARE_SECTION: f64 = 0.2;
/// A run closely following kept text, across a gap of at most [`NEXT_SECTION_GAP`] lines with
/// no notice, no menu entry and at most one template line, is kept at this share: the next
/// section of the same text (after a code sample, a table, a heading), where teasers stand
/// across a list of other things ("Read more" and its links, datelines).
const KEEP_SHARE_NEXT: f64 = 0.1;
/// The longest gap (non-blank lines) between kept text and the next section.
const NEXT_SECTION_GAP: usize = 12;

/// One line as the region scan sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scored {
    pub(super) class: Class,
    pub(super) words: usize,
    /// A template line (`template.rs`): its folded shape or ending recurs on the page.
    pub(super) template: bool,
    /// A legal or consent notice (copyright, cookies, privacy, newsletter).
    pub(super) notice: bool,
    /// A copyright line ("© 2025 …", "All rights reserved"): the notice of a site's footer.
    pub(super) copyright: bool,
    /// The line ends a clause: a sentence end (not an ellipsis) or a colon.
    pub(super) clause: bool,
    /// The line carries a mark of code (`code.rs`).
    pub(super) code: bool,
}

/// Words from which a short line ending a clause costs nothing in the region scan.
const MIN_CLAUSE_WORDS: usize = 3;

fn score(line: &Scored) -> i64 {
    if line.notice {
        return -NOTICE_PENALTY;
    }
    match line.class {
        Class::Good => i64::try_from(line.words).unwrap_or(i64::MAX / 4),
        // A line of code (a guide's commands, an example repeated in every language's tab)
        // is neither prose nor chrome.
        Class::Short | Class::Dropped if line.code => 0,
        _ if line.template => -TEMPLATE_PENALTY,
        Class::Menu | Class::Bracketed | Class::NoWords | Class::Dropped => -BAD_PENALTY,
        // A short sentence is neither prose nor chrome: it costs nothing, so that a run of
        // them (an essay's one-line paragraphs, a guide's steps) does not part the text around
        // it into regions whose fate then hangs on the page's other articles.
        Class::Near => 0,
        // So does a short line of a few words that ends a clause ("You need a plan.", "Ask
        // yourself:"): a guide's short sentences and the lines announcing its lists.
        Class::Short if line.clause && line.words >= MIN_CLAUSE_WORDS => 0,
        Class::Short => -SHORT_PENALTY,
    }
}

/// A maximal run: lines `first..=last`, with the running total before and after it.
#[derive(Debug, Clone, Copy)]
struct Run {
    first: usize,
    last: usize,
    before: i64,
    after: i64,
    /// The rightmost earlier run that starts lower: following these links skips runs that
    /// cannot be the one sought, which keeps the scan linear (as in all-nearest-smaller-values).
    lower: Option<usize>,
}

/// All maximal scoring runs of the page, by Ruzzo and Tompa's algorithm ("A linear time
/// algorithm for finding all maximal scoring subsequences", 1999): a run is merged with an
/// earlier one only when the merge scores better than both, so two articles parted by a
/// menu stay two runs, and a thin run of teasers after the article stays apart from it.
fn maximal_runs(lines: &[Scored]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut total = 0i64;
    for (k, line) in lines.iter().enumerate() {
        let s = score(line);
        let before = total;
        total += s;
        if s <= 0 {
            continue;
        }
        let mut run = Run { first: k, last: k, before, after: total, lower: None };
        loop {
            // The rightmost earlier run that starts lower than this one.
            let mut j = runs.len().checked_sub(1);
            while let Some(c) = j {
                if runs[c].before < run.before {
                    break;
                }
                j = runs[c].lower;
            }
            match j {
                Some(j) if runs[j].after < run.after => {
                    run = Run { first: runs[j].first, before: runs[j].before, lower: runs[j].lower, ..run };
                    runs.truncate(j);
                }
                _ => {
                    runs.push(Run { lower: j, ..run });
                    break;
                }
            }
        }
    }
    runs
}

/// For each line, whether it lies in a kept content region.
pub(super) fn in_region(lines: &[Scored]) -> Vec<bool> {
    let runs = maximal_runs(lines);
    // The strongest run (the first, of equals) and its score.
    let strongest =
        runs.iter().enumerate().max_by_key(|&(k, r)| (r.after - r.before, std::cmp::Reverse(k))).map(|(k, _)| k);
    let top = strongest.map_or(0, |k| runs[k].after - runs[k].before);
    let mut keep = vec![false; lines.len()];
    let teaser = |r: &Run| {
        let paragraphs = lines[r.first..=r.last].iter().filter(|l| l.class == Class::Good).count();
        paragraphs == 1 && r.first > 0 && lines[r.first - 1].template
    };
    for r in &runs {
        let share = if teaser(r) { KEEP_SHARE } else { KEEP_SHARE_SECTION };
        if (r.after - r.before) as f64 >= share * top as f64 {
            keep[r.first..=r.last].fill(true);
        }
    }
    let mut kept_end: Option<usize> = None;
    for r in &runs {
        if !keep[r.first] {
            let Some(end) = kept_end else { continue };
            let gap = &lines[end + 1..r.first];
            if teaser(r)
                || gap.len() > NEXT_SECTION_GAP
                || gap.iter().any(|l| l.notice || l.class == Class::Menu)
                || gap.iter().filter(|l| l.template).count() > 1
                || ((r.after - r.before) as f64) < KEEP_SHARE_NEXT * top as f64
            {
                continue;
            }
            keep[r.first..=r.last].fill(true);
        }
        kept_end = Some(r.last);
    }
    if let Some(top) = strongest {
        drop_past_copyright(lines, &runs[top..], &mut keep);
    }
    keep
}

/// Of `runs`, the strongest run and those after it: a kept run across a gap holding a
/// copyright line is no part of the text, nor is any kept run after it. A site prints its
/// copyright once, at the foot of every page, so the page's own text has ended above it; what a
/// dump prints past it (a store's refund policy in a hidden dialog, a sign-up box's thanks, an
/// "about us" block, a cookie dialog) is chrome, and prose, which the scan cannot weigh apart.
/// Other notices are no such mark: an article may hold a newsletter box or write about
/// privacy, and go on below it. Runs before the strongest stay: a copyright line above the text
/// is an image's credit or a header's.
fn drop_past_copyright(lines: &[Scored], runs: &[Run], keep: &mut [bool]) {
    let Some((strongest, after)) = runs.split_first() else { return };
    let mut kept_end = strongest.last;
    let mut past = false;
    for r in after {
        if !keep[r.first] {
            continue;
        }
        past |= lines[kept_end + 1..r.first].iter().any(|l| l.copyright);
        if past {
            keep[r.first..=r.last].fill(false);
        }
        kept_end = r.last;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(class: Class, words: usize) -> Scored {
        Scored { class, words, template: false, notice: false, copyright: false, clause: false, code: false }
    }

    #[test]
    fn teasers_far_from_the_article_go() {
        let mut page = vec![line(Class::Good, 40), line(Class::Short, 2), line(Class::Good, 50)];
        for _ in 0..4 {
            // A teaser's title and its dateline ("… | 3 min read"), then its summary.
            let dateline = Scored { template: true, ..line(Class::Short, 5) };
            page.extend([line(Class::Short, 3), dateline, line(Class::Good, 12)]);
        }
        let keep = in_region(&page);
        assert!(keep[..3].iter().all(|&k| k));
        assert!(keep[3..].iter().all(|&k| !k));
    }

    /// A guide's short sentences between its paragraphs do not part it into weak regions.
    #[test]
    fn short_sentences_cost_nothing() {
        let clause = Scored { clause: true, ..line(Class::Short, 5) };
        let mut page = vec![line(Class::Good, 120), line(Class::Menu, 1), line(Class::Menu, 1)];
        page.extend([line(Class::Good, 12), clause, clause, clause, line(Class::Good, 10)]);
        page.extend([line(Class::Menu, 1); 3]);
        assert!(in_region(&page)[3..8].iter().all(|&k| k));
        page[4..7].fill(line(Class::Short, 5));
        assert!(!in_region(&page)[7]);
    }

    #[test]
    fn a_short_section_after_a_code_sample_stays() {
        let mut page = vec![line(Class::Good, 200)];
        page.extend([line(Class::Short, 3); 4]);
        page.push(line(Class::Good, 30));
        let keep = in_region(&page);
        assert!(keep[5]);
        // Not across a list of other things (template lines), nor far from the text.
        page[2].template = true;
        page[3].template = true;
        assert!(!in_region(&page)[5]);
        let mut far = vec![line(Class::Good, 200)];
        far.extend([line(Class::Short, 3); NEXT_SECTION_GAP + 1]);
        far.push(line(Class::Good, 30));
        assert!(!in_region(&far)[NEXT_SECTION_GAP + 2]);
    }

    #[test]
    fn two_articles_of_like_strength_both_stay() {
        let mut page = vec![line(Class::Good, 60), line(Class::Good, 60)];
        page.extend([line(Class::Menu, 1); 20]);
        page.extend([line(Class::Good, 50), line(Class::Good, 50)]);
        let keep = in_region(&page);
        assert!(keep[0] && keep[1] && keep[22] && keep[23]);
    }

    /// Prose past the page's copyright line (a store's refund policy in a hidden dialog, an
    /// "about us" block) goes, and so does all that follows it; a credit above the text does not
    /// cut it.
    #[test]
    fn text_ends_at_the_copyright_line() {
        let copyright = Scored { notice: true, copyright: true, ..line(Class::Short, 6) };
        // The article, the footer's links and its copyright, then what the dump prints past it.
        let mut page = vec![line(Class::Good, 100)];
        page.extend([line(Class::Menu, 1); 10]);
        page.push(copyright);
        page.extend([line(Class::Good, 40), line(Class::Menu, 1), line(Class::Menu, 1), line(Class::Good, 40)]);
        let keep = in_region(&page);
        assert!(keep[0] && !keep[12] && !keep[15]);
        // The same prose under a plain notice (a newsletter box) is the text's next part.
        page[11].copyright = false;
        let keep = in_region(&page);
        assert!(keep[12] && keep[15]);
        // A credit above the strongest run cuts nothing.
        let mut credited = vec![line(Class::Good, 40)];
        credited.extend([line(Class::Menu, 1); 10]);
        credited.extend([copyright, line(Class::Good, 100)]);
        let keep = in_region(&credited);
        assert!(keep[0] && keep[12]);
    }
}
