//! Splitting a cleaned page into its articles: title, date, and body with its subheadings.
//!
//! Each kept line is first classified by its own shape (`block`: heading, paragraph, date
//! line, byline, caption, list item, separator, sign-off, page furniture). Headings followed by
//! text are candidates; `heading` weighs the evidence that each starts a new article rather
//! than a section of the current one. `listing` recognises pages of teasers. The method, its
//! signals and thresholds, and measured figures are in `docs/splitting.md`.

mod block;
mod cohesion;
mod heading;
mod listing;

use time::Date;

use crate::clean::{Cleaned, Fate, Line};
use block::Kind;

/// How a page is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// Find the articles on the page.
    #[default]
    Auto,
    /// Keep the whole page as one document.
    None,
}

/// One article found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The headline, when the article has one.
    pub title: Option<String>,
    /// The article's date: its own date line, else the page's date.
    pub date: Option<Date>,
    /// The body: paragraphs and subheadings, one per line, separated by blank lines.
    pub body: String,
}

/// A page split into articles, with what kind of page it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmented {
    /// The articles, in page order. For a listing page, one untitled document holding every
    /// teaser (headline and blurb) in page order.
    pub articles: Vec<Article>,
    /// Whether the page is a listing of teasers (a front page or section index) rather than
    /// a page of whole articles.
    pub listing: bool,
}

/// One kept line as the splitter sees it.
#[derive(Debug, Clone)]
pub(crate) struct Block<'a> {
    /// The line's text.
    pub text: &'a str,
    /// Its role, judged from its shape alone.
    pub kind: Kind,
    /// How many blank lines stand before it.
    pub gap: usize,
    /// How many words it holds.
    pub words: usize,
    /// Its content words, stemmed and interned for the page, for lexical cohesion (shared with
    /// the page's line cache: a page's blocks are made more than once).
    pub stems: std::rc::Rc<[cohesion::Stem]>,
    /// A headline-shaped line the cleaner dropped as stray, right above kept running text: it
    /// may be an article's title, and is left out of every body.
    pub reclaimed: bool,
    /// The page prints the same line again further down (the cleaner dropped the copies as
    /// duplicates): a recurring label, such as a table's header.
    pub repeated: bool,
    /// A heading taken back as a line of a piece's text (under no date line, and not set
    /// apart): a subheading, never a candidate title.
    pub inside: bool,
}

/// Splits a cleaned page into articles. Articles with no body are dropped.
///
/// The articles of [`segment_page`], without the page's kind.
pub fn segment(page: &Cleaned, split: Split) -> Vec<Article> {
    segment_page(page, split).articles
}

/// Splits a cleaned page into articles and says whether the page is a listing.
///
/// With [`Split::None`] the page is one document: its first line is the title when it is
/// shaped like one, and a date line under it is the date. With [`Split::Auto`], short lines
/// before the first title that hold no prose (menus, section names) are left out; a listing
/// page gives one untitled document flagged `listing` (see `docs/splitting.md` for why).
pub fn segment_page(page: &Cleaned, split: Split) -> Segmented {
    split_page(page, split, false)
}

/// [`segment_page`]; with `whole_tail`, the last article runs to the page's end (no footer
/// left out).
fn split_page(page: &Cleaned, split: Split, whole_tail: bool) -> Segmented {
    let mut lines = LineCache::new(page);
    let kept = blocks(page, false, &mut lines);
    if kept.is_empty() {
        return Segmented { articles: Vec::new(), listing: false };
    }
    if split == Split::Auto && listing::is_listing(&kept) {
        let blocks = kept;
        let from = heading::candidates(&blocks).first().copied().unwrap_or(0);
        let body = join(&blocks[from..]);
        let articles =
            if body.is_empty() { Vec::new() } else { vec![Article { title: None, date: page.page_date, body }] };
        return Segmented { articles, listing: true };
    }
    let blocks = if split == Split::Auto { with_reclaimed(page, kept, &mut lines) } else { kept };
    let (starts, page_end) = match split {
        Split::None => (vec![0], blocks.len()),
        Split::Auto => heading::article_starts(&blocks),
    };
    let page_end = if whole_tail { blocks.len() } else { page_end };
    // A date line among the page chrome before the first article is the page's own date, when
    // the cleaner found none (a menu printed above it hides it from the cleaner's rule).
    let cands = heading::candidates(&blocks);
    let first_title = cands.first().copied().unwrap_or(0);
    let chrome_date = blocks[..first_title].iter().find_map(|b| match b.kind {
        Kind::Date(d) => Some(d),
        _ => None,
    });
    let page_date = page.page_date.or(chrome_date);
    let articles = starts
        .iter()
        .enumerate()
        .filter_map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(page_end);
            build(&blocks[start..end], |i| cands.binary_search(&(start + i)).is_ok(), page_date)
        })
        .collect();
    Segmented { articles, listing: false }
}

/// The share of its words (in quarters) that splitting must keep of an HTML page's content;
/// below it, the page is kept whole.
const SPLIT_KEEPS: usize = 3;

/// The words a split of an HTML page leaves out from which the split with its last article
/// running to the page's end is tried (see [`segment_extracted`]).
const TAIL_WORDS: usize = 200;

/// Splits an HTML page's extracted content (`items`: a list of items) as any page, unless splitting would leave out
/// more than a quarter of its words: the extractor has already told the content from the
/// chrome, and a split that drops that much took the content's own short pieces (the names
/// of a grid's items, a service page's headed blurbs) for the fragments of a header and
/// footer. The page is then one document: a listing when the content is a list of items.
/// A split that leaves out 200 words or more (`TAIL_WORDS`) gives way to the same split with its last
/// article running to the page's end, when that keeps at least as many more.
pub fn segment_extracted(cleaned: &Cleaned, items: bool) -> Segmented {
    let split = segment_page(cleaned, Split::Auto);
    let kept: usize = cleaned.kept().map(|l| heading::word_count(&l.text)).sum();
    // The kept words a split leaves out.
    let lost = |s: &Segmented| -> usize {
        let words: usize = s
            .articles
            .iter()
            .map(|a| a.title.as_deref().map_or(0, heading::word_count) + heading::word_count(&a.body))
            .sum();
        kept - words.min(kept)
    };
    let split_lost = lost(&split);
    if split_lost * 4 <= kept * (4 - SPLIT_KEEPS) {
        // A long run of text after the last article is no footer: the extractor left the
        // page's footer out.
        if split_lost >= TAIL_WORDS {
            let whole_tail = split_page(cleaned, Split::Auto, true);
            if lost(&whole_tail) + TAIL_WORDS <= split_lost {
                return whole_tail;
            }
        }
        return split;
    }
    if items {
        segment_listing(cleaned)
    } else {
        segment_page(cleaned, Split::None)
    }
}

/// A page known to be a listing (its HTML content a list of items): one untitled document
/// flagged `listing`, holding every kept block.
fn segment_listing(page: &Cleaned) -> Segmented {
    let body = join(&blocks(page, false, &mut LineCache::new(page)));
    let articles = if body.is_empty() { Vec::new() } else { vec![Article { title: None, date: page.page_date, body }] };
    Segmented { articles, listing: true }
}

/// One later candidate heading of a page, with the evidence weighed for it: what
/// [`explain`] reports.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Weighed {
    /// The heading's text.
    pub text: String,
    /// Each piece of evidence, named, with its weight.
    pub terms: Vec<heading::Term>,
    /// Whether it started an article.
    pub started: bool,
}

/// The evidence weighed for every candidate after the page's first title, in page order, as
/// [`segment_page`] with [`Split::Auto`] weighs it (for evaluation tools: `split_eval --show`).
#[doc(hidden)]
pub fn explain(page: &Cleaned) -> Vec<Weighed> {
    let mut lines = LineCache::new(page);
    let kept = blocks(page, false, &mut lines);
    if kept.is_empty() || listing::is_listing(&kept) {
        return Vec::new();
    }
    let blocks = with_reclaimed(page, kept, &mut lines);
    let mut out = Vec::new();
    heading::article_starts_weighed(&blocks, &mut |i, terms, started| {
        out.push(Weighed { text: blocks[i].text.to_owned(), terms: terms.to_vec(), started });
    });
    out
}

/// The blocks [`Split::Auto`] splits: the kept lines' blocks `kept`, or, when the cleaner left
/// stray lines, the blocks with the headlines among them reclaimed.
fn with_reclaimed<'a>(page: &'a Cleaned, kept: Vec<Block<'a>>, lines: &mut LineCache<'a>) -> Vec<Block<'a>> {
    if page.lines.iter().any(|l| l.fate == Fate::StrayShort) {
        blocks(page, true, lines)
    } else {
        kept
    }
}

/// The kept lines as blocks; with `reclaim`, also the headline-shaped lines the cleaner
/// dropped as stray right above running text, with the byline and date lines it dropped under
/// them (a piece's title the cleaner could not tell from chrome: it sits after the previous
/// piece's last paragraph, not between two paragraphs). Above the page's first kept line only
/// a headline of [`FIRST_RECLAIM_WORDS`] words or more is taken back.
fn blocks<'a>(page: &'a Cleaned, reclaim: bool, cache: &mut LineCache<'a>) -> Vec<Block<'a>> {
    let mut out = Vec::new();
    let mut gap = 0;
    // Lines of a reclaimed headline's header (its byline and date line, dropped as stray with
    // it) still to be taken back.
    let mut header_left = 0;
    // Whether the lines dropped as stray or outside the main text are being taken back: the
    // text under a dated headline the cleaner dropped with it.
    let mut taking = false;
    let last_kept = page.lines.iter().rposition(|l| l.fate == Fate::Kept);
    let LineCache { kinds, stems, interner, copies } = cache;
    let mut block_of = |n: usize, kind: Kind, gap: usize, reclaimed: bool| {
        let line = &page.lines[n];
        let (words, stems) =
            stems[n].get_or_insert_with(|| (heading::word_count(&line.text), interner.stems(&line.text).into()));
        let (text, repeated) = (line.text.as_str(), copies.contains(line.text.as_str()));
        Block { text, kind, gap, words: *words, stems: stems.clone(), reclaimed, repeated, inside: false }
    };
    for (n, line) in page.lines.iter().enumerate() {
        // The gap is the blank lines right before the block: a dropped line ends a run, so the
        // blank lines around a dropped list do not add up to a wide gap.
        if line.fate == Fate::Blank {
            gap += 1;
            continue;
        }
        let before = std::mem::take(&mut gap);
        let dropped = matches!(line.fate, Fate::StrayShort | Fate::OutsideMain);
        if line.fate == Fate::Kept || !dropped && ends_taking(line.fate) {
            taking = false;
        }
        // A headline over text the cleaner dropped with it: the headline, its header and its
        // text are taken back.
        if reclaim && dropped && header_left == 0 && kind_at(kinds, page, n) == Kind::Heading {
            let above = &page.lines[..n];
            // A title when dated or set apart, else a subheading of the text it opens.
            // Undated, only before the page's last kept line (a footer may hold prose too), over
            // its first only when set apart (a header may too), and not inside text taken.
            let undated = !taking && (!out.is_empty() || set_apart(above, before)) && last_kept.is_some_and(|k| n < k);
            if let Some((header, dated)) = dated_over_dropped_text(n, page, kinds, undated) {
                let title = dated || set_apart(above, before);
                header_left = header;
                taking = true;
                let mut b = block_of(n, Kind::Heading, before, title);
                b.inside = !title;
                out.push(b);
                continue;
            }
        }
        if taking && dropped && header_left == 0 {
            let kind = kind_at(kinds, page, n);
            out.push(block_of(n, kind, before, false));
            continue;
        }
        match line.fate {
            // A kept line, or a line of a reclaimed headline's header.
            Fate::Kept | Fate::StrayShort | Fate::OutsideMain if line.fate == Fate::Kept || header_left > 0 => {
                let reclaimed = line.fate != Fate::Kept;
                if reclaimed {
                    header_left -= 1;
                }
                let mut kind = kind_at(kinds, page, n);
                // The page's first line, right under its date line, shaped like a headline but
                // for a sentence break ("Attending the fair? Let's meet!"): its first title, as
                // such a line over a date line is.
                if kind == Kind::Paragraph
                    && out.is_empty()
                    && under_page_date(&page.lines[..n])
                    && block::looks_like_dated_title(&line.text)
                {
                    kind = Kind::Heading;
                }
                // A headline set apart and printed twice, the page's title over the piece's own
                // heading, is one though it starts in lower case (a dictionary's headword).
                if kind == Kind::Paragraph && before >= WIDE_GAP && printed_again_under(page, n) {
                    let mut chars = line.text.chars();
                    let upper: String = chars.next().into_iter().flat_map(char::to_uppercase).chain(chars).collect();
                    if block::looks_like_heading(&upper) {
                        kind = Kind::Heading;
                    }
                }
                out.push(block_of(n, kind, before, reclaimed));
            }
            // Above the first kept line, a headline of 4 words or more only: a shorter stray
            // line over the page's first paragraph is too often chrome ("Watch TV").
            Fate::StrayShort if reclaim => {
                let apart = set_apart(&page.lines[..n], before);
                if kind_at(kinds, page, n) != Kind::Heading
                    || out.is_empty() && !apart && line.text.split_whitespace().count() < FIRST_RECLAIM_WORDS
                {
                    continue;
                }
                let Some(header) = above_prose(&line.text, &page.lines[n + 1..], &mut kinds[n + 1..], page, apart)
                else {
                    continue;
                };
                header_left = header;
                out.push(block_of(n, Kind::Heading, before, true));
            }
            _ => {}
        }
    }
    promote_dated_titles(&mut out);
    out
}

/// What [`blocks`] learns of each line once, for both of its passes over a page: the line's
/// kind, its word count and stems, and the lines printed again further down.
struct LineCache<'a> {
    kinds: Vec<Option<Kind>>,
    /// Each line's word count and stems.
    stems: Vec<Option<(usize, std::rc::Rc<[cohesion::Stem]>)>>,
    interner: cohesion::Interner,
    copies: rustc_hash::FxHashSet<&'a str>,
}

impl<'a> LineCache<'a> {
    fn new(page: &'a Cleaned) -> Self {
        let n = page.lines.len();
        LineCache {
            kinds: vec![None; n],
            stems: vec![None; n],
            interner: cohesion::Interner::default(),
            copies: copies_further_down(page),
        }
    }
}

/// The lines the page prints again further down (the later copies dropped as duplicates): a
/// recurring label. A copy right under its line (the next line that is not blank) is a
/// headline printed twice, the page's title over the piece's own heading, and does not count.
fn copies_further_down(page: &Cleaned) -> rustc_hash::FxHashSet<&str> {
    let mut copies = rustc_hash::FxHashSet::default();
    let mut above: Option<&str> = None;
    for l in page.lines.iter().filter(|l| l.fate != Fate::Blank) {
        if l.fate == Fate::Duplicate && above != Some(l.text.as_str()) {
            copies.insert(l.text.as_str());
        }
        above = Some(l.text.as_str());
    }
    copies
}

/// A line shaped like running text only because it holds two sentences ("Tutoring was
/// supposed to help. The results? 'Sobering'") is a headline when a date line stands right
/// under it: a paragraph never carries a date line of its own.
fn promote_dated_titles(blocks: &mut [Block]) {
    for i in 1..blocks.len() {
        // A date line over a heading is that heading's: the line above it closes the piece
        // before.
        if matches!(blocks[i].kind, Kind::Date(_))
            && blocks[i - 1].kind == Kind::Paragraph
            && blocks.get(i + 1).is_none_or(|b| b.kind != Kind::Heading)
            && block::looks_like_dated_title(blocks[i - 1].text)
        {
            blocks[i - 1].kind = Kind::Heading;
        }
    }
}

/// Whether the next line that is not blank is kept running text, once a header the cleaner
/// dropped with the headline (a byline, a date line: at most [`MAX_STRAY_HEADER`] lines) is
/// passed; if so, how many header lines to take back with it.
///
/// A headline set `apart` (after a wide gap, or right under the page's date line) may also
/// stand over one heading line, kept or stray, that opens the text: a standfirst, or the
/// piece's own heading printed under the title the page gave it. So may any headline over a
/// heading on the same subject ([`same_subject`]): the page's title for the piece printed over
/// the piece's own heading ("What is a Mobile Application?" over "What is a Mobile App?"). A
/// date line the cleaner kept, or took for the page's date, may stand between them.
fn above_prose(
    headline: &str,
    rest: &[crate::clean::Line],
    kinds: &mut [Option<Kind>],
    page: &Cleaned,
    apart: bool,
) -> Option<usize> {
    let (mut header, mut headings, mut dated, mut lead) = (0, 0, false, 0);
    // A copy of the headline printed again under it (dropped as a duplicate) says nothing.
    for (j, l) in rest.iter().enumerate().filter(|(_, l)| !matches!(l.fate, Fate::Blank | Fate::Duplicate)) {
        let kind = *kinds[j].get_or_insert_with(|| block::classify(&l.text, page.fetched_at));
        match (l.fate, kind) {
            (Fate::Kept, Kind::Paragraph) => return Some(header),
            // The first lines of text the cleaner kept only in part: stray lines of running
            // text right over kept text (in one block with it, or one line over it), the lead
            // of the piece.
            (Fate::StrayShort, Kind::Paragraph | Kind::Item)
                if lead < MAX_STRAY_LEAD && opens_kept_text(&rest[j + 1..]) =>
            {
                lead += 1;
            }
            (Fate::StrayShort, Kind::Date(_) | Kind::Byline(_)) if header < MAX_STRAY_HEADER => header += 1,
            // The headline's date line, kept as a block of its own or taken for the page's.
            (Fate::Kept | Fate::PageDate, Kind::Date(_)) if headings == 0 => dated = true,
            (Fate::StrayShort | Fate::Kept, Kind::Heading)
                if headings < MAX_STRAY_HEADER
                    && (apart && !dated || headings == 0 && same_subject(headline, &l.text)) =>
            {
                headings += 1;
                // A kept heading is the splitter's own block; a stray one is taken back.
                if l.fate == Fate::StrayShort {
                    header += 1;
                }
            }
            _ => return None,
        }
    }
    None
}

/// Whether the lines after a stray line of running text go on with text the cleaner kept: the
/// next line that is not blank is a kept paragraph or item, or another stray line of the same
/// block (no blank line between) that does.
fn opens_kept_text(after: &[Line]) -> bool {
    for (j, l) in after.iter().enumerate().take(MAX_STRAY_LEAD * 2 + 2) {
        match l.fate {
            Fate::Blank if j == 0 => {}
            Fate::Blank => return false,
            Fate::Kept => return true,
            Fate::StrayShort if j == 0 => {}
            _ => return false,
        }
    }
    false
}

/// Whether two headings name the same subject: they share two content words, or half the
/// content words of the shorter ("How Does Robot Vacuum Mapping Work" and "How Do Vacuum
/// Robots with Mapping Navigate?").
pub(crate) fn same_subject(a: &str, b: &str) -> bool {
    let (shared, fewest) = shared_words(a, b);
    shared >= 2 || shared >= 1 && shared * 2 >= fewest
}

/// How many content words (stemmed) two lines share, and how many the one with fewer has.
fn shared_words(a: &str, b: &str) -> (usize, usize) {
    let mut interner = cohesion::Interner::default();
    let mut a = interner.stems(a);
    let mut b = interner.stems(b);
    for s in [&mut a, &mut b] {
        s.sort_unstable();
        s.dedup();
    }
    (a.iter().filter(|s| b.binary_search(s).is_ok()).count(), a.len().min(b.len()))
}

/// Whether a line after `above` with `gap` blank lines before it is set apart: after a wide
/// gap, or right under the page's date line.
fn set_apart(above: &[Line], gap: usize) -> bool {
    gap >= WIDE_GAP || under_page_date(above)
}

/// Whether the next line after line `n` that is not blank is line `n` printed again.
fn printed_again_under(page: &Cleaned, n: usize) -> bool {
    let text = crate::id::trivial_form(&page.lines[n].text);
    page.lines[n + 1..].iter().find(|l| l.fate != Fate::Blank).is_some_and(|l| crate::id::trivial_form(&l.text) == text)
}

/// Whether the last line of `above` that is not blank is the page's date line.
fn under_page_date(above: &[Line]) -> bool {
    above.iter().rev().find(|l| l.fate != Fate::Blank).is_some_and(|l| l.fate == Fate::PageDate)
}

/// Whether a line of this fate ends the text taken back under a dated headline: a menu, the
/// site's chrome, a comment thread, the user's patterns (the page's footer has begun).
fn ends_taking(fate: Fate) -> bool {
    matches!(fate, Fate::MenuItem | Fate::SiteChrome | Fate::CommentThread | Fate::Placeholder | Fate::UserDrop)
}

/// Whether a headline the cleaner dropped opens text the cleaner also dropped (as stray, or
/// outside the main text) that its region scan should have kept: under or over a date line set
/// apart by blank lines (a header of up to [`MAX_STRAY_HEADER`] date and byline lines, and up
/// to two headings sharing a word with the headline under it), at least [`TAKEN_TEXT_WORDS`]
/// words of prose; with `undated`, also with no date line, at least [`UNDATED_TEXT_WORDS`]
/// words of any text; either before any kept line, footer line or other dated line. If so,
/// how many of the header's dropped lines to take back with the headline, and whether it was
/// dated. A teaser (a headline, a date and a blurb) has too few words, and a date run into the
/// line above it (a site's header, then the page's date) heads nothing.
fn dated_over_dropped_text(
    at: usize,
    page: &Cleaned,
    kinds: &mut [Option<Kind>],
    undated: bool,
) -> Option<(usize, bool)> {
    let (headline, above, rest) = (&page.lines[at].text, &page.lines[..at], &page.lines[at + 1..]);
    let after_blank = |lines: &[Line], k: usize| k > 0 && lines[k - 1].fate == Fate::Blank;
    let skipped = |l: &Line| matches!(l.fate, Fate::Blank | Fate::Duplicate | Fate::RepeatedBlock);
    // A date line right above the headline, set apart from both.
    let mut dated = above.last().is_some_and(|l| l.fate == Fate::Blank)
        && above.iter().rposition(|l| !skipped(l)).is_some_and(|k| {
            matches!(above[k].fate, Fate::StrayShort | Fate::OutsideMain | Fate::PageDate)
                && after_blank(above, k)
                && matches!(kind_at(kinds, page, k), Kind::Date(_))
        });
    let (mut header, mut headings, mut words, mut started) = (0, 0, 0, false);
    let lines = rest.iter().enumerate().filter(|(_, l)| !skipped(l));
    for (k, l) in lines.take(TAKEN_TEXT_SCAN) {
        let dropped = matches!(l.fate, Fate::StrayShort | Fate::OutsideMain);
        let kind = kind_at(kinds, page, at + 1 + k);
        match kind {
            Kind::Date(_) | Kind::Byline(_) if !started && headings == 0 => {
                if matches!(kind, Kind::Date(_) | Kind::Byline(Some(_))) {
                    if !after_blank(rest, k) {
                        return None;
                    }
                    dated = true;
                }
                if dropped {
                    header += 1;
                } else if l.fate != Fate::PageDate && l.fate != Fate::Kept {
                    return None;
                }
                if header > MAX_STRAY_HEADER {
                    return None;
                }
            }
            _ if !dropped || !dated && !undated => return None,
            Kind::Date(_) => return None,
            Kind::Heading if !started && headings < 2 => {
                // A standfirst or the piece's own heading shares a word with the headline;
                // the next piece's headline under a line of the site's header does not.
                if shared_words(headline, &l.text).0 == 0 {
                    return None;
                }
                headings += 1;
            }
            _ => {
                started = true;
                if kind == Kind::Paragraph {
                    words += l.text.split_whitespace().count();
                }
                if words >= if dated { TAKEN_TEXT_WORDS } else { UNDATED_TEXT_WORDS } {
                    return Some((header, dated));
                }
            }
        }
    }
    None
}

/// The kind of line `n` of the page, classified once and kept in `kinds`.
fn kind_at(kinds: &mut [Option<Kind>], page: &Cleaned, n: usize) -> Kind {
    *kinds[n].get_or_insert_with(|| block::classify(&page.lines[n].text, page.fetched_at))
}

/// Words of dropped prose under a dated headline from which it is a whole piece.
const TAKEN_TEXT_WORDS: usize = 80;
/// Words of dropped prose under an undated headline from which it is a whole piece.
const UNDATED_TEXT_WORDS: usize = 150;
/// How many lines after a dropped headline are looked at for its header and text.
const TAKEN_TEXT_SCAN: usize = 64;

/// Blank lines from which a stray headline is set apart from what stands above it.
const WIDE_GAP: usize = 2;

/// Words from which a stray headline above the page's first kept line is reclaimed.
const FIRST_RECLAIM_WORDS: usize = 4;

/// How many stray lines of running text may open the text under a stray headline.
const MAX_STRAY_LEAD: usize = 2;

/// How many stray header lines (byline, date line) may stand between a stray headline and
/// its text.
const MAX_STRAY_HEADER: usize = 3;

/// Builds one article from its blocks: a date line above the title, the title, then a header
/// of date, byline and caption lines. The first header date is the article's date (and leaves
/// the body), else the date above the title, else the page's; bylines and captions stay in the
/// body. `is_candidate` says whether a block (by its index in `blocks`) is one of the page's
/// candidate headings: only a candidate is a title, judged on the whole page.
fn build(blocks: &[Block], is_candidate: impl Fn(usize) -> bool, page_date: Option<Date>) -> Option<Article> {
    let mut i = 0;
    let mut above = None;
    if let (Some(Kind::Date(d)), Some(next)) = (blocks.first().map(|b| b.kind), blocks.get(1)) {
        if next.kind == Kind::Heading {
            above = Some(d);
            i = 1;
        }
    }
    let mut date = None;
    let mut title = None;
    if blocks.get(i).is_some_and(|b| b.kind == Kind::Heading) && is_candidate(i) {
        title = Some(blocks[i].text.to_owned());
        i += 1;
    }
    let mut body_blocks: Vec<&Block> = Vec::new();
    let mut in_header = true;
    let title_form = title.as_deref().map(crate::id::trivial_form);
    for b in &blocks[i..] {
        // The headline printed again under itself (a page title and the article's heading, as
        // some days' scrapes print both) is not the body's first line.
        if in_header && b.kind.is_content() && title_form.as_deref() == Some(&crate::id::trivial_form(b.text)) {
            continue;
        }
        match b.kind {
            Kind::Date(d) if in_header && date.is_none() => date = Some(d),
            Kind::Byline(Some(d)) if in_header && date.is_none() => {
                // The byline stays in the body; its date is the article's.
                date = Some(d);
                body_blocks.push(b);
            }
            Kind::Date(_) | Kind::Byline(_) | Kind::Caption => body_blocks.push(b),
            _ => {
                in_header = false;
                body_blocks.push(b);
            }
        }
    }
    let body = join_refs(&body_blocks);
    if body.is_empty() {
        return None;
    }
    // A date under the title is the article's own; one above it may be the page's date line
    // printed over the first article.
    Some(Article { title, date: date.or(above).or(page_date), body })
}

fn join(blocks: &[Block]) -> String {
    join_refs(&blocks.iter().collect::<Vec<_>>())
}

/// The content blocks' text, separated by blank lines; separators and page furniture left out.
fn join_refs(blocks: &[&Block]) -> String {
    let texts: Vec<&str> = blocks.iter().filter(|b| b.kind.is_content() && !b.reclaimed).map(|b| b.text).collect();
    texts.join("\n\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in ["", " ", "one", " two  words ", "tab\tand\u{b}vertical\x0cfeed\rend", "naïve café\u{a0}x", "a-b c"]
        {
            assert_eq!(super::heading::word_count(text), text.split_whitespace().count(), "{text:?}");
        }
    }

    use super::*;
    use crate::clean::{clean, Line};

    /// The page as the splitter would see it if the cleaner kept every line: the splitter's
    /// unit tests do not depend on the cleaner's judgement of short pages.
    fn all_kept(text: &str) -> Cleaned {
        let lines = text
            .lines()
            .enumerate()
            .map(|(i, t)| Line {
                number: i + 1,
                text: t.trim().to_owned(),
                fate: if t.trim().is_empty() { Fate::Blank } else { Fate::Kept },
            })
            .collect();
        Cleaned { lines, page_date: None, fetched_at: None, shapes: Vec::new() }
    }

    /// The page with the lines in `stray` dropped as stray short lines and those in `copies`
    /// as duplicates, every other line kept.
    fn with_fates(text: &str, stray: &[&str], copies: &[&str]) -> Cleaned {
        let mut page = all_kept(text);
        for l in &mut page.lines {
            if stray.contains(&l.text.as_str()) {
                l.fate = Fate::StrayShort;
            } else if copies.contains(&l.text.as_str()) {
                l.fate = Fate::Duplicate;
            }
        }
        page
    }

    /// An HTML page's extracted content: after its last article, a long run of short headed
    /// sections (a manual page's last parts) is no footer to leave out, as the extractor has
    /// left the page's footer out already; a plain-text page's splitter leaves it out.
    #[test]
    fn a_long_tail_after_an_html_pages_last_article_stays() {
        let para = |topic: &str, n: u32| {
            format!("The {topic} note {n} goes on about the matter at hand, with commas, clauses and words enough.\n\n")
        };
        let story = |title: &str, day: u32| {
            let body: String = (1..=60).map(|n| para(title, n)).collect();
            format!("{title}\n\n{day} March 2024\n\n{body}\n\n")
        };
        let tail: String = ["Options", "Environment", "Exit Status", "Notes", "Bugs", "Examples", "Files", "History"]
            .iter()
            .map(|name| format!("{name}\n\n{}{}{}\n", para(name, 1), para(name, 2), para(name, 3)))
            .collect();
        let text = format!("{}{}{tail}", story("The Harbour Reopens", 3), story("The Ferry Timetable Changes", 4));
        let page = all_kept(&text);
        let body = |s: Segmented| s.articles.iter().map(|a| a.body.clone()).collect::<String>();
        assert!(!body(segment_page(&page, Split::Auto)).contains("The History note 3"));
        // Splitting leaves out under a quarter of the words: the page is still two articles.
        let split = segment_extracted(&page, false);
        assert_eq!(split.articles.len(), 2);
        let kept = body(split);
        assert!(kept.contains("The Options note 1") && kept.contains("The History note 3"), "{kept}");
    }

    /// A headline the cleaner dropped over text it kept only from the second line on (the
    /// piece's first lines read as a heading and a fragment) still starts its piece.
    #[test]
    fn a_stray_headline_over_text_kept_in_part_is_taken_back() {
        let text = "Harbour Dredging Approved\n\n\
                    A paragraph about harbours and the ships that sail from them each day of the year.\n\n\
                    The harbour master counts the ships and writes their names in a ledger kept since 1850.\n\n\n\
                    New Ovens for the Old Bakery\n\n30 December 2022\n\n\
                    the bakers chose wood\nfor the old ovens\nand for the bread they bake.\n\n\
                    A paragraph about bread, flour and ovens, and the bakers who rise before dawn to fire them.\n";
        let stray = ["New Ovens for the Old Bakery", "30 December 2022", "the bakers chose wood"];
        let articles = segment(&with_fates(text, &stray, &[]), Split::Auto);
        let titles: Vec<_> = articles.iter().map(|a| a.title.as_deref().unwrap_or("")).collect();
        assert_eq!(titles, ["Harbour Dredging Approved", "New Ovens for the Old Bakery"]);
        assert_eq!(articles[1].date, Some(time::macros::date!(2022 - 12 - 30)));
        assert!(!articles[0].body.contains("ovens"));
    }

    /// A copy printed right under its line is a headline printed twice, not a recurring label.
    #[test]
    fn a_copy_right_under_its_line_is_no_recurring_label() {
        let text = "Ten Easy Projects\n\nTen Easy Projects\n\nSome text.\n\nPos Player\n\nMore text.\n\nPos Player\n";
        let page = with_fates(text, &[], &["Ten Easy Projects", "Pos Player"]);
        // The first copies stay kept; only the later ones are duplicates.
        let mut page = page;
        page.lines[0].fate = Fate::Kept;
        page.lines[6].fate = Fate::Kept;
        let copies = copies_further_down(&page);
        assert!(copies.contains("Pos Player"));
        assert!(!copies.contains("Ten Easy Projects"));
    }

    /// The page's first line right under its date line is its first title, though it holds two
    /// sentences.
    #[test]
    fn a_two_sentence_headline_under_the_page_date_is_the_title() {
        let text = "6 December 2026\n\nGoing to the harbour fair? Let's meet!\n\n\
                    A paragraph about harbours and the ships that sail from them each day of the year.\n";
        let mut page = all_kept(text);
        page.lines[0].fate = Fate::PageDate;
        let articles = segment(&page, Split::Auto);
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].title.as_deref(), Some("Going to the harbour fair? Let's meet!"));
        assert!(articles[0].body.starts_with("A paragraph"));
        // Under no date line it stays the text's first line.
        page.lines[0].fate = Fate::Kept;
        page.lines[0].text = "Harbour fair".to_owned();
        let articles = segment(&page, Split::Auto);
        assert!(articles.iter().all(|a| a.title.as_deref() != Some("Going to the harbour fair? Let's meet!")));
    }

    /// A headword in lower case, printed twice after a wide gap, opens a piece of its own.
    #[test]
    fn a_lower_case_headline_printed_twice_and_set_apart_is_a_title() {
        let first = "Harbour Dredging Approved\n\n30 December 2022\n\n\
                     A paragraph about harbours and the ships that sail from them each day of the year.\n\n\
                     The harbour master counts the ships and writes their names in a ledger kept since 1850.\n";
        let entry = "bakery\n\nbakery\n\nnoun\n\
                     a place where bread and cakes are baked in ovens and sold to the people nearby.\n\n\
                     Bakers rise before dawn to fire the ovens, knead the dough and shape the loaves for sale.\n";
        let articles = segment(&all_kept(&format!("{first}\n\n\n{entry}")), Split::Auto);
        let titles: Vec<_> = articles.iter().map(|a| a.title.as_deref().unwrap_or("")).collect();
        assert_eq!(titles, ["Harbour Dredging Approved", "bakery"]);
        // Printed once, or with the usual gap, it stays a line of the text.
        for once in [format!("{first}\n\n\n{}", &entry[8..]), format!("{first}\n{entry}")] {
            assert_eq!(segment(&all_kept(&once), Split::Auto).len(), 1, "{once:?}");
        }
    }

    #[test]
    fn split_none_keeps_one_document() {
        let page = clean("Title One\n\nA paragraph of text that runs on.\n\nTitle Two\n\nMore text here.\n", None);
        assert_eq!(segment(&page, Split::None).len(), 1);
    }

    #[test]
    fn a_headline_printed_again_under_itself_is_not_the_body() {
        let body = "A paragraph about harbours and the ships that sail from them each day.";
        let dated = "Harbour News Today\n\n30 December 2022\n\nHarbour news today\n\n";
        for twice in ["Harbour News Today\n\nHarbour news today\n\n", dated, "Harbour News Today\n\n"] {
            let articles = segment(&all_kept(&format!("{twice}{body}\n")), Split::Auto);
            assert_eq!(articles.len(), 1, "{twice:?}");
            let title = articles[0].title.as_deref().map(crate::id::trivial_form);
            assert_eq!(title.as_deref(), Some("harbour news today"));
            assert_eq!(articles[0].body, body, "{twice:?}");
        }
    }

    #[test]
    fn date_under_a_heading_starts_an_article() {
        let text = "First Story Here\n\nA paragraph about harbours and the ships that sail from them each day.\n\n\
                    The harbour master counts the ships and writes their names in a ledger kept since 1850.\n\n\
                    Second Story Here\n\n30 December 2022\n\nA paragraph about bread, flour and ovens.\n";
        let articles = segment(&all_kept(text), Split::Auto);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[1].title.as_deref(), Some("Second Story Here"));
        assert_eq!(articles[1].date, Some(time::macros::date!(2022 - 12 - 30)));
        assert_eq!(articles[0].date, None);
    }

    #[test]
    fn two_sentences_over_a_date_line_are_a_headline() {
        let text = "First Story Here\n\nA paragraph about harbours and the ships that sail from them each day.\n\n\
                    The harbour master counts the ships and writes their names in a ledger kept since 1850.\n\n\
                    Bakers were meant to save the town. The verdict? 'Mixed'\n\n2022-12-30\n\n\
                    A paragraph about bread, flour and ovens, and the bakers who rise before dawn to fire them.\n";
        let articles = segment(&all_kept(text), Split::Auto);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[1].title.as_deref(), Some("Bakers were meant to save the town. The verdict? 'Mixed'"));
        assert_eq!(articles[1].date, Some(time::macros::date!(2022 - 12 - 30)));
    }

    /// A page whose pieces stand after two blank lines: its subheadings, printed after one,
    /// stay in their articles however new their vocabulary.
    #[test]
    fn wide_gaps_mark_the_pieces_of_a_gap_separated_page() {
        let para = |w: &str| format!("{w} ").repeat(12) + "and more words about the same subject.";
        let text = format!(
            "Harbour Dredging Approved\n\n{}\n\n{}\n\n\nNew Ovens for the Old Bakery\n\n{}\n\n             Copper Kettles\n\n{}\n\n{}\n\n\nThe Lighthouse Keeper Retires\n\n{}\n\n{}\n",
            para("harbour"),
            para("dredging"),
            para("bakery"),
            para("kettles"),
            para("copper"),
            para("lighthouse"),
            para("keeper"),
        );
        let articles = segment(&all_kept(&text), Split::Auto);
        let titles: Vec<_> = articles.iter().map(|a| a.title.as_deref().unwrap_or("")).collect();
        assert_eq!(
            titles,
            ["Harbour Dredging Approved", "New Ovens for the Old Bakery", "The Lighthouse Keeper Retires"]
        );
        assert!(articles[1].body.contains("\n\nCopper Kettles\n\n"));
    }

    /// Two pieces of `words` words a paragraph, the second headed by `second` (a title and
    /// the lines under it), then `tail`.
    fn two_pieces(words: usize, second: &str, tail: &str) -> String {
        let para = |w: &str| format!("{w} ").repeat(words) + "and more words.";
        let (h, d, b, o) = (para("harbour"), para("dredging"), para("bakery"), para("ovens"));
        format!("Harbour Dredging Approved\n\n{h}\n\n{d}\n\n\n{second}\n\n{b}\n\n{o}\n{tail}")
    }

    /// A heading under a headline's date line is its standfirst, not a piece of its own.
    #[test]
    fn a_heading_under_the_date_line_is_the_standfirst() {
        let text = two_pieces(30, "New Ovens for the Old Bakery\n\n30 December 2022\n\nWhy the bakers chose wood", "");
        let articles = segment(&all_kept(&text), Split::Auto);
        let titles: Vec<_> = articles.iter().map(|a| a.title.as_deref().unwrap_or("")).collect();
        assert_eq!(titles, ["Harbour Dredging Approved", "New Ovens for the Old Bakery"]);
        assert!(articles[1].body.starts_with("Why the bakers chose wood\n\n"));
    }

    /// Short headed pieces after the page's last whole piece (an author's box, teasers) are its
    /// footer: left out, not articles and not the last article's end.
    #[test]
    fn fragments_after_the_last_whole_piece_are_the_footer() {
        let tail =
            "\n\nMore From Jane\n\nView all\n\n\nTen Tips for Quiet Kettles\n\nA short teaser about kettles...\n";
        let articles = segment(&all_kept(&two_pieces(60, "New Ovens for the Old Bakery", tail)), Split::Auto);
        let titles: Vec<_> = articles.iter().map(|a| a.title.as_deref().unwrap_or("")).collect();
        assert_eq!(titles, ["Harbour Dredging Approved", "New Ovens for the Old Bakery"]);
        assert!(!articles[1].body.contains("kettles"));
    }
}
