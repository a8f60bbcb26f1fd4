//! Which headings start a new article, and which are subheadings of the article they sit in.
//!
//! Every heading followed by text is a *candidate*. A candidate starts a new article when the
//! evidence a reader would use adds up to [`START_THRESHOLD`]: a date line or byline under it,
//! the end of the previous article just before it (a closing section, a sign-off, a drawn
//! rule), and vocabulary that departs from the article so far. Evidence of a subheading counts
//! against: a heading that names a section ("Conclusion"), a numbered or parallel listicle
//! entry, an article so far too short to be whole.

use super::block::{lead_word, Kind};

use super::cohesion::{self, bag, cosine, idf, Stem};
use super::Block;

/// One piece of evidence about a candidate: its name and its weight.
pub type Term = (&'static str, f64);

/// Score from which a candidate heading starts an article.
pub const START_THRESHOLD: f64 = 2.5;

/// Headings that name a section of an article; they never start one, and the closing ones
/// announce that the article is about to end.
const SECTION_NAMES: &[&str] = &[
    "introduction",
    "background",
    "overview",
    "summary",
    "methodology",
    "methods",
    "results",
    "discussion",
    "references",
    "sources",
    "notes",
    "faq",
    "faqs",
    "key takeaways",
    "takeaways",
    "what happens next",
    "what's next",
    "the details",
    "analysis",
    "context",
    "update",
    "updates",
    "editor's note",
    "related",
    "claim",
    "rating",
    "the facts",
    "pros",
    "cons",
    "pros and cons",
    "pricing",
    "glossary",
    "article sources",
    "reader comments",
    "frequently asked questions",
];

/// Headings that open the last section of an article.
const CLOSING: &[&str] = &[
    "conclusion",
    "conclusions",
    "in conclusion",
    "concluding remarks",
    "final thoughts",
    "final word",
    "final verdict",
    "the verdict",
    "verdict",
    "summary",
    "in summary",
    "the bottom line",
    "bottom line",
    "closing thoughts",
    "wrapping up",
    "wrap-up",
    "to sum up",
    "looking ahead",
    "outlook",
    "the takeaway",
];

/// Lead words of parallel entries: "Step 1", "Day 2", "Part 3".
const ENTRY_WORDS: &[&str] = &["step", "day", "part", "chapter", "tip", "question", "round", "stage", "phase", "no"];

/// How many paragraphs after a candidate stand for the text it opens.
const LOOKAHEAD: usize = 4;
/// How many blocks before a candidate (at most) stand for the article so far.
const WINDOW: usize = 12;
/// Fewer words of running text than this since the article began (or a single paragraph, an
/// intro) make a suspiciously short article: the heading more likely opens its first section.
const SHORTEST_ARTICLE_WORDS: usize = 30;
/// Words of running text from which a piece is whole, whatever the page's other pieces.
const WHOLE_PIECE_WORDS: usize = 80;
/// Words of running text from which a piece after the page's last whole piece is whole
/// rather than part of the site's footer.
const FOOTER_PIECE_WORDS: usize = 160;
/// A piece shorter than the page's longest by this factor (and than [`WHOLE_PIECE_WORDS`]) is
/// a fragment unless a date line or byline heads it.
const FRAGMENT_SHARE: usize = 5;
/// Words of prose before the page's first title from which that prose is an untitled article
/// of its own rather than page chrome.
const WHOLE_UNTITLED_WORDS: usize = 100;
/// Words of running text from which a candidate opens a whole article rather than a section:
/// 62 % of real headlines open at least this many before the next heading, 11 % of real
/// subheadings do.
const WHOLE_ARTICLE_WORDS: usize = 150;
/// Headings of this many words or more are shaped like headlines rather than section heads.
const LONG_HEADING_WORDS: usize = 8;
/// How many candidates after a heading are looked at for siblings.
const LOOK_AHEAD_SIBLINGS: usize = 3;
/// Blank lines from which a gap wider than the page's usual one sets a heading apart.
const WIDE_GAP: usize = 2;
/// The weight of a date line right under a heading (or a byline with a date).
const DATED_RIGHT_BELOW: f64 = 5.5;
/// The weight of a heading set apart by a wide gap.
const WIDE_GAP_WEIGHT: f64 = 2.0;
/// Candidates after a wide gap from which a page may be one that sets its pieces apart
/// with wide gaps.
const GAP_SEPARATED_CANDIDATES: usize = 2;
/// The weight of a wide gap on a page that sets its pieces apart with wide gaps.
const SEPARATING_GAP_WEIGHT: f64 = 3.5;
/// How many blocks back (at most) the scans of the article so far look.
const LOOKBACK_BLOCKS: usize = 400;
/// How many of the article's latest subheadings (at most) a candidate is compared with.
const LOOKBACK_SUBHEADS: usize = 16;
/// The lowest page baseline of cohesion.
const MIN_BASELINE: f64 = 0.02;

fn folded(text: &str) -> String {
    text.to_lowercase().trim_end_matches([':', '.', '?', '!']).trim().replace('’', "'")
}

/// Whether `text` names a closing section ("Conclusion", "Final thoughts:").
pub fn is_closing(text: &str) -> bool {
    CLOSING.contains(&folded(text).as_str())
}

/// Whether `text` names a section of an article ("Background", "Conclusion").
pub fn is_section_name(text: &str) -> bool {
    let f = folded(text);
    CLOSING.contains(&f.as_str()) || SECTION_NAMES.contains(&f.as_str())
}

/// The most headings in a run between a title and its text.
const HEADING_RUN: usize = 3;

/// Words from which a heading right over another heading is a headline, not a kicker.
const HEADLINE_OVER_HEADING_WORDS: usize = 4;

/// Indices of the headings that are candidates: a heading with text after it, once any date,
/// byline or caption lines right under it are passed.
pub fn candidates(blocks: &[Block]) -> Vec<usize> {
    let opens = opens_text(blocks);
    (0..blocks.len()).filter(|&i| opens[i]).collect()
}

/// For each block, whether it is a heading that opens text, computed from the page's end in
/// one pass (a page of nothing but headlines costs no more than any other).
fn opens_text(blocks: &[Block]) -> Vec<bool> {
    let typical = typical_gap(blocks);
    let mut opens = vec![false; blocks.len()];
    // For each heading, whether text follows once a run of at most [`HEADING_RUN`] headings is
    // passed: a title over a kicker over a subheading still opens that text.
    let mut reaches = vec![0usize; blocks.len()];
    // The nearest block after `i` that is not part of a heading's header.
    let mut next: Option<usize> = None;
    for i in (0..blocks.len()).rev() {
        if blocks[i].kind == Kind::Heading && !blocks[i].inside {
            opens[i] = next.is_some_and(|j| match blocks[j].kind {
                Kind::Paragraph | Kind::Item => true,
                // A headline right over its first section's name ("Claim", "Background"), or
                // over a standfirst or first subheading printed as a heading: a headline has
                // words enough (a kicker such as "Politics" or "Latest news" has not), or was
                // reclaimed, or is set apart by a wide gap.
                // A date line or byline between them marks the upper one as the headline.
                // A heading with a date line of its own is the headline itself: a line right
                // over it is the end of the piece before, unless it names the same subject
                // (the page's title for the piece over the piece's own heading).
                Kind::Heading => {
                    // The date line printed as a block of its own, as the text is: a date run
                    // into the lines of the page's header is the page's.
                    let headed = j > i + 1 && blocks[i + 1].gap >= typical.max(1);
                    !is_section_name(blocks[i].text)
                        && (is_section_name(blocks[j].text)
                            || headed
                            || blocks[i].words >= HEADLINE_OVER_HEADING_WORDS
                            || blocks[i].reclaimed
                            || blocks[i].gap >= WIDE_GAP && blocks[i].gap > typical)
                        && (!dated_right_below(blocks, j) || super::same_subject(blocks[i].text, blocks[j].text))
                        && (opens[j] || reaches[j] > 0 && reaches[j] < HEADING_RUN)
                }
                _ => false,
            });
            reaches[i] = next.map_or(0, |j| match blocks[j].kind {
                Kind::Paragraph | Kind::Item => 1,
                Kind::Heading if reaches[j] > 0 => reaches[j] + 1,
                _ => 0,
            });
        }
        if !matches!(blocks[i].kind, Kind::Date(_) | Kind::Byline(_) | Kind::Caption | Kind::Furniture) {
            next = Some(i);
        }
    }
    opens
}

/// Whether a date line (or a byline with a date) stands right under the block at `i`.
fn dated_right_below(blocks: &[Block], i: usize) -> bool {
    matches!(blocks.get(i + 1).map(|b| b.kind), Some(Kind::Date(_) | Kind::Byline(Some(_))))
}

/// The header under a heading: the date, byline and caption lines right after it.
pub fn header_after<'a>(blocks: &'a [Block<'a>], i: usize) -> impl Iterator<Item = &'a Block<'a>> {
    blocks[i + 1..].iter().take_while(|b| matches!(b.kind, Kind::Date(_) | Kind::Byline(_) | Kind::Caption))
}

/// Where each article starts: the index of its first block (its title, or a date line printed
/// above the title), and where the last one ends (the page's footer left out). The first
/// article starts at 0 unless the page opens with chrome.
pub fn article_starts(blocks: &[Block]) -> (Vec<usize>, usize) {
    let page = PageMeasures::of(blocks);
    let starts = starts_weighed(blocks, &page, &mut |_, _, _| {});
    let (starts, end) = whole_pieces(blocks, starts);
    let end = footer_after_gap(blocks, &page, &starts, end);
    (starts, end)
}

/// What the splitter measures of a page once: its heading candidates, the words' idf, the
/// typical gap between blocks, the similarity of neighbouring text windows, and how many
/// pieces wide gaps set apart.
struct PageMeasures {
    cands: Vec<usize>,
    idf: cohesion::Idf,
    occurrences: cohesion::Occurrences,
    typical_gap: usize,
    baseline: f64,
    gap_separated: usize,
}

impl PageMeasures {
    fn of(blocks: &[Block]) -> Self {
        let cands = candidates(blocks);
        let idf = idf(blocks.iter().map(|b| &*b.stems));
        let occurrences = cohesion::Occurrences::of(blocks.iter().map(|b| &*b.stems));
        let typical_gap = typical_gap(blocks);
        let baseline = baseline(blocks, &idf);
        let gap_separated = gap_separated(blocks, &cands, typical_gap);
        PageMeasures { cands, idf, occurrences, typical_gap, baseline, gap_separated }
    }
}

/// On a page that sets its pieces apart with wide gaps, the last piece ends at the first wide
/// gap after its title when what follows is no whole piece (fewer than [`WHOLE_PIECE_WORDS`]
/// words of running text): the page's footer ("Explore our platform", an author's box, a
/// line about other reviews) printed apart from the last piece as the pieces are from one
/// another. Left in, it would end whichever piece the page happens to print last.
fn footer_after_gap(blocks: &[Block], page: &PageMeasures, starts: &[usize], end: usize) -> usize {
    // A page of one piece has no run of pieces to tell its footer by.
    let (Some(&last), true) = (starts.last(), starts.len() >= 2) else { return end };
    let typical = page.typical_gap;
    if page.gap_separated == 0 {
        return end;
    }
    let wide = |b: &Block| b.gap >= WIDE_GAP && b.gap > typical;
    // The first wide gap after the piece's text has begun.
    let Some(text) = blocks[last..end].iter().position(|b| matches!(b.kind, Kind::Paragraph | Kind::Item)) else {
        return end;
    };
    let from = last + text + 1;
    let Some(gap) = blocks[from..end].iter().position(wide).map(|k| from + k) else { return end };
    if running_words(&blocks[gap..end]) < WHOLE_PIECE_WORDS {
        return gap;
    }
    // A longer tail is the footer when its words depart from the piece's.
    let before = bag(blocks[gap.saturating_sub(WINDOW).max(last)..gap].iter().map(|b| &*b.stems), &page.idf);
    let after = bag(blocks[gap..end].iter().map(|b| &*b.stems), &page.idf);
    let sim = cosine(&before, &after);
    let ratio = sim / page.baseline;
    if evidence(sim, ABSOLUTE_CUTS).max(evidence(ratio, RELATIVE_CUTS)) >= FOOTER_DEPARTS {
        gap
    } else {
        end
    }
}

/// Cohesion evidence from which a tail after the last piece's wide gap is the page's footer.
const FOOTER_DEPARTS: f64 = 1.5;
/// The fixed cuts of cohesion evidence ([`evidence`]).
const ABSOLUTE_CUTS: [f64; 5] = [0.025, 0.05, 0.09, 0.13, 0.25];
/// The cuts of cohesion evidence relative to the page's baseline.
const RELATIVE_CUTS: [f64; 5] = [0.15, 0.3, 0.5, 0.7, 1.2];

/// The pieces that are whole articles, from the starts the evidence gave: a piece of fewer
/// than [`WHOLE_PIECE_WORDS`] words of running text, under a fifth of the page's longest,
/// with no date line or byline under its heading, is a fragment, not an article. Fragments
/// after the page's last whole piece are its footer (an author's box, teasers of other
/// pieces, "More from ..."), fragments before its first whole piece its header, and both are
/// left out; a fragment between two whole pieces is part of the one before it (the end of an
/// article a subheading cut off). A page with no whole piece keeps all of them.
pub fn whole_pieces(blocks: &[Block], mut starts: Vec<usize>) -> (Vec<usize>, usize) {
    let mut end = blocks.len();
    if starts.len() < 2 {
        return (starts, end);
    }
    let bounds = |starts: &[usize], k: usize, end: usize| (starts[k], starts.get(k + 1).copied().unwrap_or(end));
    let words: Vec<usize> = (0..starts.len())
        .map(|k| {
            let (from, to) = bounds(&starts, k, end);
            running_words(&blocks[from..to])
        })
        .collect();
    let longest = words.iter().copied().max().unwrap_or(0);
    let short = |k: usize, whole: usize| {
        words[k] < whole && words[k] * FRAGMENT_SHARE < longest && !has_header(blocks, starts[k])
    };
    let mut fragment: Vec<bool> = (0..starts.len()).map(|k| short(k, WHOLE_PIECE_WORDS)).collect();
    // After the last piece, a site's footer (an author's box, a list of sources, a comment
    // or two) runs longer than a fragment inside the page; up to [`FOOTER_PIECE_WORDS`] words
    // of it, headed by no date line or byline, are still no article.
    for k in (1..starts.len()).rev() {
        if !short(k, FOOTER_PIECE_WORDS) {
            break;
        }
        fragment[k] = true;
    }
    let (Some(first), Some(last)) = (fragment.iter().position(|f| !f), fragment.iter().rposition(|f| !f)) else {
        return (starts, end);
    };
    // On a page of one whole piece the fragments around it stay with it: there is no run of
    // pieces to tell a header or footer by.
    if fragment.iter().filter(|f| !**f).count() < 2 {
        let kept = (0..starts.len()).filter(|&k| k == 0 || !fragment[k]).map(|k| starts[k]).collect();
        return (kept, end);
    }
    if last + 1 < starts.len() {
        end = starts[last + 1];
    }
    let kept = (first..=last).filter(|&k| k == first || !fragment[k]).map(|k| starts[k]).collect();
    starts = kept;
    (starts, end)
}

/// Words of running text (paragraphs and list items) in `blocks`.
fn running_words(blocks: &[Block]) -> usize {
    blocks.iter().filter(|b| matches!(b.kind, Kind::Paragraph | Kind::Item)).map(|b| b.words).sum()
}

/// Whether the piece starting at `start` carries a header of its own: a date line above its
/// title, or a date line or byline under it.
fn has_header(blocks: &[Block], start: usize) -> bool {
    let title = if matches!(blocks[start].kind, Kind::Date(_)) { start + 1 } else { start };
    title != start
        || blocks[title].kind == Kind::Heading
            && header_after(blocks, title).any(|b| matches!(b.kind, Kind::Date(_) | Kind::Byline(_)))
}

/// [`article_starts`], telling `weighed` each later candidate's index, its named evidence, and
/// whether it started an article.
pub fn article_starts_weighed(blocks: &[Block], weighed: &mut dyn FnMut(usize, &[Term], bool)) -> Vec<usize> {
    starts_weighed(blocks, &PageMeasures::of(blocks), weighed)
}

/// [`article_starts_weighed`] with the page's measures taken.
fn starts_weighed(blocks: &[Block], page: &PageMeasures, weighed: &mut dyn FnMut(usize, &[Term], bool)) -> Vec<usize> {
    let PageMeasures { cands, idf, occurrences, typical_gap, baseline, gap_separated } = page;
    let (typical_gap, baseline, gap_separated) = (*typical_gap, *baseline, *gap_separated);
    let printed_twice = printed_twice(blocks, cands);
    let shapes = shapes(blocks, cands);
    let mut starts: Vec<usize> = Vec::new();
    let mut subheads: Vec<usize> = Vec::new();
    let windows = std::cell::RefCell::new(Windows::new(blocks));
    for (k, &i) in cands.iter().enumerate() {
        let Some(&start) = starts.last() else {
            starts.extend(first_starts(blocks, i));
            continue;
        };
        // A heading right under a headline (or under the headline's date line and byline) is
        // that piece's standfirst or first subheading, never a piece of its own. Under a
        // heading that stayed a subheading (or the previous piece's last short line) it is
        // weighed like any other.
        if k > 0 && in_header_of(blocks, cands[k - 1], i) && subheads.last() != Some(&cands[k - 1]) {
            subheads.push(i);
            continue;
        }
        let first_title = blocks[cands[0]].text;
        let ctx = Context {
            blocks,
            cands,
            k,
            start,
            subheads: &subheads,
            idf,
            occurrences,
            typical_gap,
            first_title,
            baseline,
            gap_separated,
            printed_twice: &printed_twice,
            shapes: &shapes,
            windows: &windows,
        };
        let terms = ctx.terms();
        let score: f64 = terms.iter().map(|&(_, w)| w).sum();
        weighed(i, &terms, score >= START_THRESHOLD);
        if score >= START_THRESHOLD {
            starts.push(date_above(blocks, i, start));
            subheads.clear();
        } else {
            subheads.push(i);
        }
    }
    if starts.is_empty() {
        starts.push(0);
    }
    starts
}

/// Where the first articles start: at the first title `i` (or a date line just above it).
/// Prose before the first title is an untitled article of its own when it is whole
/// ([`WHOLE_UNTITLED_WORDS`] words or more, in two paragraphs or more: an article whose
/// headline was lost); with less prose the page starts at 0 and the heading is no title.
/// Short lines before the first title with no prose among them are page chrome (menus,
/// section names) and are left out.
fn first_starts(blocks: &[Block], i: usize) -> Vec<usize> {
    let prose: Vec<&Block> = blocks[..i].iter().filter(|b| b.kind == Kind::Paragraph).collect();
    let words: usize = prose.iter().map(|b| b.words).sum();
    let title = date_above(blocks, i, 0);
    if prose.len() >= 2 && words >= WHOLE_UNTITLED_WORDS {
        let first = blocks.iter().position(|b| b.kind == Kind::Paragraph).unwrap_or(0);
        vec![first.min(title), title]
    } else if prose.is_empty()
        || title != i
        || header_after(blocks, i).any(|b| matches!(b.kind, Kind::Date(_) | Kind::Byline(Some(_))))
    {
        // A title with a date line over or under it is the first piece's, whatever short prose
        // the page's header printed above it (a site's description, a teaser).
        vec![title]
    } else {
        // A little prose and a short line under it: the line is no headline of its own.
        vec![0]
    }
}

/// Whether block `i` stands in the header of the heading at `title`: only date lines,
/// bylines and captions between them.
fn in_header_of(blocks: &[Block], title: usize, i: usize) -> bool {
    title < i && blocks[title + 1..i].iter().all(|b| matches!(b.kind, Kind::Date(_) | Kind::Byline(_) | Kind::Caption))
}

/// A date line printed just above a title belongs to it.
fn date_above(blocks: &[Block], i: usize, floor: usize) -> usize {
    if i > floor + 1 && matches!(blocks[i - 1].kind, Kind::Date(_)) {
        i - 1
    } else {
        i
    }
}

/// Evidence from a similarity and its cuts: below the first, strong evidence of a new
/// article (vocabulary all but disjoint); above the last, evidence of the same article.
fn evidence(sim: f64, cuts: [f64; 5]) -> f64 {
    if sim < cuts[0] {
        3.0
    } else if sim < cuts[1] {
        2.5
    } else if sim < cuts[2] {
        1.5
    } else if sim < cuts[3] {
        0.5
    } else if sim > cuts[4] {
        -1.5
    } else {
        -0.5
    }
}

/// Similarity of blocks `from..i` to the first [`LOOKAHEAD`] blocks of running text from `i` on.
/// Asked for windows further on than the last ones (as a scan of the page asks), `windows`
/// counts only the blocks that entered and left them.
fn window_sim(blocks: &[Block], idf: &cohesion::Idf, from: usize, i: usize, windows: &mut Windows) -> f64 {
    let Windows { text, before, after } = windows;
    // The blocks of `text_after(blocks, i)`: the first LOOKAHEAD paragraphs and items from i.
    let k = text.partition_point(|&j| j < i);
    let before = before.bag(from..i, |j| &blocks[j].stems, idf);
    let after = after.bag(k..(k + LOOKAHEAD).min(text.len()), |j| &blocks[text[j]].stems, idf);
    cosine(before, after)
}

/// The two windows of [`window_sim`], kept as sliding bags.
struct Windows {
    /// The blocks [`text_after`] takes from: the page's paragraphs and list items, in order.
    text: Vec<usize>,
    /// The blocks before the break.
    before: cohesion::Sliding,
    /// The running text after the break.
    after: cohesion::Sliding,
}

impl Windows {
    fn new(blocks: &[Block]) -> Self {
        let text = (0..blocks.len()).filter(|&j| matches!(blocks[j].kind, Kind::Paragraph | Kind::Item)).collect();
        Windows { text, before: cohesion::Sliding::default(), after: cohesion::Sliding::default() }
    }
}

/// The first [`LOOKAHEAD`] blocks of running text from `i` on: paragraphs and list items (the
/// entries of a list a heading opens are its text; skipping them would compare the article so
/// far with whatever follows the list).
fn text_after<'a>(blocks: &'a [Block<'a>], i: usize) -> impl Iterator<Item = &'a Block<'a>> {
    blocks[i..].iter().filter(|b| matches!(b.kind, Kind::Paragraph | Kind::Item)).take(LOOKAHEAD)
}

/// How many of `words` (sorted, distinct) the stems of `blocks` hold. Only the heading's few
/// words are looked up: collecting every stem of the text into a set would cost more.
fn words_found<'a>(words: &[Stem], blocks: impl Iterator<Item = &'a Block<'a>>) -> usize {
    let mut found = vec![false; words.len()];
    let mut left = words.len();
    for stem in blocks.flat_map(|b| b.stems.iter()) {
        if let Ok(k) = words.binary_search(stem) {
            if !found[k] {
                found[k] = true;
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
    }
    words.len() - left
}

/// The page's usual cohesion: the median [`window_sim`] at the breaks between two paragraphs,
/// which nearly all fall inside an article. Floored so a page of unrelated scraps cannot make
/// every heading look cohesive.
fn baseline(blocks: &[Block], idf: &cohesion::Idf) -> f64 {
    // The breaks are visited in order, so both windows only move forward.
    let mut windows = Windows::new(blocks);
    let mut sims: Vec<f64> = (1..blocks.len())
        .filter(|&p| blocks[p].kind == Kind::Paragraph && blocks[p - 1].kind == Kind::Paragraph)
        .map(|p| window_sim(blocks, idf, p.saturating_sub(WINDOW), p, &mut windows))
        .collect();
    sims.sort_by(f64::total_cmp);
    sims.get(sims.len() / 2).copied().unwrap_or(MIN_BASELINE).max(MIN_BASELINE)
}

/// Whether the heading at `i` (or a date line right above it) stands after a wide gap: at
/// least [`WIDE_GAP`] blank lines, more than the page's usual.
fn is_wide_gap(blocks: &[Block], i: usize, typical: usize) -> bool {
    let wide = |b: &Block| b.gap >= WIDE_GAP && b.gap > typical;
    wide(&blocks[i]) || i > 0 && matches!(blocks[i - 1].kind, Kind::Date(_)) && wide(&blocks[i - 1])
}

/// Whether the page sets its headings apart with wide gaps: at least
/// [`GAP_SEPARATED_CANDIDATES`] candidate headings stand after one, and four fifths of its
/// wide gaps stand before a short line. On such a page
/// a heading printed with the usual gap is a subheading unless other evidence is strong;
/// where wide gaps also fall inside articles (a stray no-break-space line between two
/// paragraphs), they say little either way.
fn gap_separated(blocks: &[Block], cands: &[usize], typical: usize) -> usize {
    let wide = |b: &Block| b.gap >= WIDE_GAP && b.gap > typical;
    // The pieces stand between the first title and the last candidate: gaps in the page's
    // header and footer say nothing of how it separates its pieces.
    let (Some(&first), Some(&last)) = (cands.first(), cands.last()) else { return 0 };
    let region = &blocks[first + 1..=last];
    let all = region.iter().filter(|b| wide(b)).count();
    // Before prose, a wide gap is a stray blank line inside an article; before a short line
    // (a heading that is no candidate, such as a title made of a number, or a date line
    // over a title) it still sets a piece apart.
    let before_short = region.iter().filter(|b| wide(b) && b.kind != Kind::Paragraph).count();
    let before_cands = cands.iter().filter(|&&c| is_wide_gap(blocks, c, typical)).count();
    if before_short * 5 >= all * 4 {
        before_cands
    } else {
        0
    }
}

/// The texts of the candidate headings the page prints more than once.
fn printed_twice<'a>(blocks: &[Block<'a>], cands: &[usize]) -> rustc_hash::FxHashSet<&'a str> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut twice = rustc_hash::FxHashSet::default();
    for &c in cands {
        if !seen.insert(blocks[c].text) {
            twice.insert(blocks[c].text);
        }
    }
    twice
}

/// What the comparisons of headings' shapes read of a candidate: its word count and whether it
/// is in title case.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    words: usize,
    title_case: bool,
}

/// The [`Shape`] of each candidate, indexed by block (other blocks' left empty): each candidate
/// is compared with its recent siblings again and again, so its shape is read once.
fn shapes(blocks: &[Block], cands: &[usize]) -> Vec<Shape> {
    let mut shapes = vec![Shape::default(); blocks.len()];
    for &c in cands {
        let text = blocks[c].text;
        shapes[c] = Shape { words: word_count(text), title_case: is_title_case(text) };
    }
    shapes
}

/// The usual number of blank lines between blocks on this page.
fn typical_gap(blocks: &[Block]) -> usize {
    let mut gaps: Vec<usize> = blocks.iter().map(|b| b.gap).collect();
    gaps.sort_unstable();
    gaps.get(gaps.len() / 2).copied().unwrap_or(1)
}

struct Context<'a> {
    blocks: &'a [Block<'a>],
    cands: &'a [usize],
    k: usize,
    start: usize,
    subheads: &'a [usize],
    idf: &'a cohesion::Idf,
    /// Where each of the page's stems occurs.
    occurrences: &'a cohesion::Occurrences,
    typical_gap: usize,
    /// The page's first title: it shows how this site prints headlines.
    first_title: &'a str,
    /// The page's usual cohesion between running text and the text after it.
    baseline: f64,
    /// How many candidates stand after a wide gap on a page that sets its headings apart
    /// with wide gaps ([`gap_separated`]); 0 on other pages.
    gap_separated: usize,
    /// The texts of the candidates printed more than once on the page.
    printed_twice: &'a rustc_hash::FxHashSet<&'a str>,
    /// The shape of each candidate heading, by block index ([`shapes`]).
    shapes: &'a [Shape],
    /// The cohesion windows, moving forward with the candidates.
    windows: &'a std::cell::RefCell<Windows>,
}

impl Context<'_> {
    fn at(&self) -> usize {
        self.cands[self.k]
    }

    /// Each piece of evidence that the candidate starts a new article, named, with its weight.
    fn terms(&self) -> Vec<Term> {
        let i = self.at();
        let heading = self.blocks[i].text;
        if is_section_name(heading) {
            return vec![("section name", f64::NEG_INFINITY)];
        }
        let mut terms = Vec::new();
        let header: Vec<Kind> = header_after(self.blocks, i).map(|b| b.kind).collect();
        let dated_below = header.iter().any(|k| matches!(k, Kind::Date(_) | Kind::Byline(Some(_))));
        let dated_above = i > self.start + 1 && matches!(self.blocks[i - 1].kind, Kind::Date(_));
        // A date line right under the heading (or inside a byline right under it) is the
        // strongest mark of a piece's header; one further down the header or above the
        // heading, a little weaker.
        let dated_right_below = matches!(header.first(), Some(Kind::Date(_) | Kind::Byline(Some(_))));
        if dated_right_below {
            terms.push(("dated", DATED_RIGHT_BELOW));
        } else if dated_below || dated_above {
            terms.push(("dated", 4.0));
        }
        if header.iter().any(|k| matches!(k, Kind::Byline(_))) {
            terms.push(("byline", 3.0));
        }
        if self.closing_section_ended() {
            terms.push(("closing section ended", 3.0));
        }
        if self.previous_piece_ended() {
            terms.push(("sign-off or rule", 3.0));
        }
        if is_wide_gap(self.blocks, i, self.typical_gap) {
            let weight = if self.gap_separated > 0 { SEPARATING_GAP_WEIGHT } else { WIDE_GAP_WEIGHT };
            terms.push(("wide gap", weight));
        } else if self.gap_separated >= GAP_SEPARATED_CANDIDATES {
            terms.push(("no wide gap", -2.0));
        } else if self.gap_separated > 0 {
            // One wide gap before a candidate is a weaker sign of the page's habit.
            terms.push(("no wide gap", -1.0));
        } else if self.blocks[i].gap > self.typical_gap {
            terms.push(("wider gap", 0.5));
        }
        terms.push(("cohesion", self.cohesion_evidence()));
        terms.push(("heading words", self.heading_words_evidence()));
        terms.push(("shape", shape_evidence(heading, self.shapes[i])));
        // Capitals throughout: a section label ("WHAT YOU NEED"), unless the site so prints
        // its titles.
        if is_all_caps(heading) && !is_all_caps(self.first_title) {
            terms.push(("all caps", -1.0));
        }
        if exclaims(heading) {
            terms.push(("exclaims", -1.5));
        }
        if self.is_listicle_entry() {
            terms.push(("listicle entry", -4.0));
        }
        if self.like_a_sibling() {
            terms.push(("like a sibling", -1.0));
        } else if self.in_house_title_style() {
            terms.push(("house title style", 0.5));
        }
        if self.against_house_title_style() {
            terms.push(("against house style", -1.0));
        }
        if self.short_so_far() {
            terms.push(("short so far", -1.5));
        }
        terms.push(("run after", self.run_evidence()));
        // A heading printed twice on the page labels a recurring section (a table's header,
        // "Tour dates"); a headline names one piece.
        if self.blocks[i].repeated || self.printed_twice.contains(heading) {
            terms.push(("printed twice", -2.0));
        }
        terms
    }

    /// The article so far has fewer than two paragraphs or [`SHORTEST_ARTICLE_WORDS`] words
    /// of them. Counting stops once both are reached, so a long article costs no more than a
    /// short one.
    fn short_so_far(&self) -> bool {
        let (mut paragraphs, mut words) = (0, 0);
        for b in self.blocks[self.start..self.at()].iter().filter(|b| b.kind == Kind::Paragraph) {
            paragraphs += 1;
            words += b.words;
            if paragraphs >= 2 && words >= SHORTEST_ARTICLE_WORDS {
                return false;
            }
        }
        true
    }

    /// The first block of the article so far that the scans of it look at: its start, or
    /// [`LOOKBACK_BLOCKS`] blocks back, so that an article that runs on and on (a page of
    /// thousands of headed lines taken for one) keeps the cost of each candidate bounded.
    fn lookback(&self) -> usize {
        self.start.max(self.at().saturating_sub(LOOKBACK_BLOCKS))
    }

    /// The article's latest subheadings, at most [`LOOKBACK_SUBHEADS`] of them.
    fn recent_subheads(&self) -> &[usize] {
        &self.subheads[self.subheads.len().saturating_sub(LOOKBACK_SUBHEADS)..]
    }

    /// How much running text the candidate opens before the next candidate heading: a headline
    /// opens a whole article, a subheading a section, and an entry of a list of headed items
    /// (products, results, questions) a line or two. Only a long run counts (for): a headline
    /// over a short intro and a first subheading is common.
    fn run_evidence(&self) -> f64 {
        let i = self.at();
        let end = self.cands.get(self.k + 1).copied().unwrap_or(self.blocks.len());
        let words: usize = self.blocks[i + 1..end]
            .iter()
            .filter(|b| matches!(b.kind, Kind::Paragraph | Kind::Item))
            .map(|b| b.words)
            .sum();
        if words >= WHOLE_ARTICLE_WORDS {
            1.0
        } else {
            0.0
        }
    }

    /// The last subheading of the article so far opened a closing section, and that section
    /// has text.
    fn closing_section_ended(&self) -> bool {
        let i = self.at();
        self.subheads.last().is_some_and(|&s| {
            is_closing(self.blocks[s].text) && self.blocks[s + 1..i].iter().any(|b| b.kind == Kind::Paragraph)
        })
    }

    /// A sign-off or a drawn rule stands between the last paragraph and the candidate. A rule
    /// the article so far already drew between its own sections (AP's "___" before each
    /// subheading) says nothing.
    fn previous_piece_ended(&self) -> bool {
        let i = self.at();
        let so_far = &self.blocks[self.lookback()..i];
        let tail = so_far.iter().rev().take_while(|b| b.kind != Kind::Paragraph && b.kind != Kind::Heading).count();
        let (body, tail) = so_far.split_at(so_far.len() - tail);
        tail.iter().any(|b| {
            b.kind == Kind::SignOff
                || b.kind == Kind::Separator && !body.iter().any(|p| p.kind == Kind::Separator && p.text == b.text)
        })
    }

    /// TextTiling's question: does the text the candidate opens reuse the words of the article
    /// so far? Similarity is judged on two scales and the stronger evidence kept: against fixed
    /// cuts, which suit short pieces that share few words anyway, and against the page's own
    /// [`baseline`], which suits long articles on one theme, whose sections share many words.
    fn cohesion_evidence(&self) -> f64 {
        let i = self.at();
        let from = i.saturating_sub(WINDOW).max(self.start);
        let sim = window_sim(self.blocks, self.idf, from, i, &mut self.windows.borrow_mut());
        let ratio = sim / self.baseline;
        let absolute = evidence(sim, ABSOLUTE_CUTS);
        let relative = evidence(ratio, RELATIVE_CUTS);
        absolute.max(relative)
    }

    /// Where the heading's own words occur: a headline names what follows and owes nothing to
    /// the article before it; a subheading names part of the article it sits in.
    fn heading_words_evidence(&self) -> f64 {
        let i = self.at();
        let mut heading: Vec<Stem> = self.blocks[i].stems.to_vec();
        heading.sort_unstable();
        heading.dedup();
        if heading.len() < 2 {
            return 0.0;
        }
        // The article so far without its title: the headlines of a recurring column share
        // their template ("News From the ... Desk").
        let title = (self.start..i).find(|&b| self.blocks[b].kind == Kind::Heading);
        let in_before = heading.iter().filter(|&&s| self.occurrences.any_in(s, self.lookback()..i, title)).count();
        let in_after = words_found(&heading, text_after(self.blocks, i + 1));
        if in_before == 0 && in_after > 0 {
            1.0
        } else if in_before * 2 >= heading.len() {
            -1.5
        } else {
            0.0
        }
    }

    /// Shaped like a subheading the article already has: about as many words, and the same
    /// casing. Sections of one article are headed alike. Long headings are left out: they are
    /// shaped like headlines, and a headline missed earlier must not hide the next one.
    fn like_a_sibling(&self) -> bool {
        let c = self.shapes[self.at()];
        let alike = |s: usize| {
            let s = self.shapes[s];
            s.words.abs_diff(c.words) <= 2 && s.title_case == c.title_case
        };
        // The first entry of a run of like sections has no sibling before it, but two after.
        let next = &self.cands[self.k + 1..(self.k + 1 + LOOK_AHEAD_SIBLINGS).min(self.cands.len())];
        c.words < LONG_HEADING_WORDS
            && (self.recent_subheads().iter().any(|&s| alike(s)) || next.iter().filter(|&&s| alike(s)).count() >= 2)
    }

    /// Printed like the page's first title, when that title is in title case: a site prints
    /// its headlines alike. Sentence case says nothing (subheadings use it too), and short
    /// headings ("How It Works") are left out.
    fn in_house_title_style(&self) -> bool {
        let c = self.shapes[self.at()];
        self.shapes[self.cands[0]].title_case && c.title_case && c.words >= 5
    }

    /// Printed in plain sentence case ("What could bring people back") on a page whose first
    /// title is in title case: a site that capitalises its headlines would have capitalised
    /// this one, so it is a section head. Proper nouns after the first word say nothing, and
    /// neither do short headings.
    fn against_house_title_style(&self) -> bool {
        let c = self.blocks[self.at()].text;
        self.shapes[self.cands[0]].title_case && is_sentence_case(c)
    }

    /// A numbered entry's name ("1" then "2026 Hyundai Ioniq 5"), or an entry parallel to a
    /// sibling heading ("2026 Kia EV6" beside "2026 Hyundai Ioniq 5"; "Step 2" beside "Step 1").
    fn is_listicle_entry(&self) -> bool {
        let i = self.at();
        // Right under a bare number ("1", "2.", "#3"); an item of text ("- milk", "— Jane Doe
        // (@jane) 3 May 2021") may close the previous piece.
        if i > 0 && self.blocks[i - 1].kind == Kind::Item && !self.blocks[i - 1].text.chars().any(char::is_alphabetic) {
            return true;
        }
        let lead = lead_word(self.blocks[i].text);
        let entry_like = lead.chars().all(|c| c.is_ascii_digit()) || ENTRY_WORDS.contains(&lead.as_str());
        if lead.is_empty() || !entry_like {
            return false;
        }
        let next = self.cands.get(self.k + 1).copied();
        self.recent_subheads().iter().copied().chain(next).any(|s| lead_word(self.blocks[s].text) == lead)
    }
}

/// The words of a line parted by white space: `split_whitespace().count()`, counted by byte in
/// an ASCII line (whose white space is the bytes 0x09 to 0x0D and the space).
pub(super) fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut space = true;
    let mut words = 0;
    for &b in text.as_bytes() {
        let white = matches!(b, b'\t'..=b'\r' | b' ');
        words += usize::from(space && !white);
        space = white;
    }
    words
}

/// Three or more words of four letters or more, at least three quarters of them capitalised.
fn is_title_case(text: &str) -> bool {
    let long: Vec<&str> = text.split_whitespace().filter(|w| w.chars().count() > 3).collect();
    let capitalised = long.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    long.len() >= 3 && capitalised * 4 >= long.len() * 3
}

/// Three or more words of four letters or more after the first word, none of them capitalised.
fn is_sentence_case(text: &str) -> bool {
    let long: Vec<&str> = text.split_whitespace().skip(1).filter(|w| w.chars().count() > 3).collect();
    long.len() >= 3 && long.iter().all(|w| !w.chars().any(char::is_uppercase))
}

/// A heading that ends in an exclamation mark or a tilde ("The reason we came to the park!",
/// "Smell the autumn air~"): the voice of a blog post's own section heads and captions, rare in
/// headlines (none of the 86 real dev titles; 190 of its other candidates).
fn exclaims(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '”', '’', ')']).ends_with(['!', '~'])
}

fn is_all_caps(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
}

/// Titles are usually longer than subheadings and often in title case; a "Label: text" or a
/// question heading is more often a subheading. `shape` is the heading's.
fn shape_evidence(heading: &str, shape: Shape) -> f64 {
    let mut score = 0.0;
    if shape.title_case {
        score += 0.5;
    }
    let question = heading.trim_end().ends_with('?');
    if shape.words >= LONG_HEADING_WORDS && !question {
        score += 0.5;
    } else if shape.words <= 3 {
        score -= 0.5;
    }
    if heading.split_whitespace().next().is_some_and(|w| w.ends_with(':')) || question {
        score -= 0.5;
    }
    score
}
