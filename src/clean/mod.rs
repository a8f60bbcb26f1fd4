//! Boilerplate removal for plain-text scrapes.
//!
//! The cleaner reads a page line by line and decides each line's [`Fate`]: kept, or dropped
//! by a named rule. Nothing is rewritten inside a kept line except the trimming of white space
//! at its ends, so an archivist can always find a kept line in the raw page.
//!
//! The rules run in this order, each on the lines the earlier ones left:
//!
//! 1. user `drop` patterns ([`Rules`]);
//! 2. blocks the page prints more than once (tickers, menus), the first copy of a line of four
//!    words or more left to the rules below unless the page prints its text elsewhere;
//! 3. later copies of a line printed before;
//! 4. captions: right under an image placeholder, or labelled as one ("Photo: …", "(Image: …)");
//! 5. each line's class on its own: prose, short sentence, short line, menu item, placeholder;
//!    tables of figures, lists of clauses announced by a sentence, and paragraphs hard-wrapped
//!    over several lines, weigh as prose;
//! 6. site chrome learned from the site's other pages ([`SiteChrome`]);
//! 7. context: short lines are content only between prose lines (headings, dates, bylines);
//! 8. comment threads, found by a marker line followed by template lines, cut to the page's end
//!    (not a forum's replies under the header of its opening post);
//! 9. the main-content regions: where the prose clusters; prose far from it goes (legal and
//!    consent notices weigh against it, code costs nothing, a short section right after kept
//!    text stays);
//! 10. the short lines inside the text: in a kept region or a gap between two (labels and
//!     values, a list's entries), headlines, dates and bylines apart; then the lead of each
//!     region: its title and date lines just above its first paragraph;
//! 11. lists announced by a colon ("Tour dates:") under content, and bulleted lists inside
//!     kept text;
//! 12. on a page whose content was not found as prose (a grid of products), its lines of a
//!     few words (boilerpipe's NumWords); on a page whose stray short lines outweigh its kept
//!     text, those between its first kept line and its last (a category's entries); then,
//!     whatever kept them, a form's controls (radio buttons, text fields, drop-downs) go;
//! 13. user `keep` patterns, which beat everything;
//!
//! and finally the first date line above the first kept content becomes the page date.

mod bullets;
mod byline;
mod caption;
mod chrome;
mod code;
mod context;
mod cue;
mod duplicate;
mod entries;
mod extracted;
mod fallback;
mod features;
mod fill;
mod fold;
mod form;
mod items;
mod lead;
mod list;
mod region;
mod repeat;
mod rules;
mod table;
mod template;
mod thread;
mod wrap;

use time::{Date, OffsetDateTime};

pub(crate) use byline::is_byline;
#[cfg(test)]
pub(crate) use chrome::test_word;
pub use chrome::{page_shapes, SiteChrome, FORGET_EVERY, FORGET_SHARE_PERCENT, MIN_PAGES};
pub use fold::{fold, shape};
pub use rules::Rules;

use features::Class;

/// What happened to one input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Kept as content.
    Kept,
    /// Empty, or only white space (no-break spaces included).
    Blank,
    /// Part of a block of lines that repeats within the page (tickers, menus).
    RepeatedBlock,
    /// The page's own date line, recorded as the page date.
    PageDate,
    /// Matched one of the user's `drop` patterns.
    UserDrop,
    /// A line the site prints on most of its pages.
    SiteChrome,
    /// A short bulleted list item outside prose: a menu or a list of links.
    MenuItem,
    /// A line wholly in brackets (an image placeholder, a form button), or a form's control:
    /// a radio button `( )` opening it, a text field or drop-down padded to its width.
    Placeholder,
    /// No letters or digits at all.
    NoWords,
    /// A short line (heading-, date- or link-like) that does not sit between paragraphs.
    StrayShort,
    /// Prose outside the page's main-content regions: teasers, comments, footers (between two
    /// regions, only when a menu entry or a notice stands in the gap).
    OutsideMain,
    /// A later copy of a line printed earlier on the page.
    Duplicate,
    /// The caption right under an image placeholder.
    Caption,
    /// Part of a comment thread: from its header ("34 responses to …") to the end of the page.
    CommentThread,
}

impl Fate {
    /// A short, stable name for the fate, as `clean --explain` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Fate::Kept => "kept",
            Fate::Blank => "blank",
            Fate::RepeatedBlock => "repeated-block",
            Fate::PageDate => "page-date",
            Fate::UserDrop => "user-drop",
            Fate::SiteChrome => "site-chrome",
            Fate::MenuItem => "menu-item",
            Fate::Placeholder => "placeholder",
            Fate::NoWords => "no-words",
            Fate::StrayShort => "stray-short",
            Fate::OutsideMain => "outside-main",
            Fate::Duplicate => "duplicate",
            Fate::Caption => "caption",
            Fate::CommentThread => "comment-thread",
        }
    }
}

/// One input line and its fate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's number in the page, from 1.
    pub number: usize,
    /// The line's text, trimmed of white space at both ends.
    pub text: String,
    /// What the cleaner decided.
    pub fate: Fate,
}

/// A cleaned page: every line with its fate, and the page date when one was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// Every line of the page, in order.
    pub lines: Vec<Line>,
    /// The page's own date line, parsed.
    pub page_date: Option<Date>,
    /// The fetch time, against which relative dates ("2 hours ago") resolve.
    pub fetched_at: Option<OffsetDateTime>,
    /// Each line's shape ([`shape`]) as the cleaner computed it, in line order, so that what
    /// reads the page next need not fold its lines again; empty when not computed.
    pub shapes: Vec<u64>,
}

impl Cleaned {
    /// The kept lines, in order.
    pub fn kept(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.fate == Fate::Kept)
    }
}

/// What the cleaner may know beyond the page itself.
#[derive(Debug, Clone, Copy)]
pub struct CleanOptions<'a> {
    /// The site's chrome learned from its earlier pages, when known.
    pub chrome: Option<&'a SiteChrome>,
    /// The user's keep and drop patterns.
    pub rules: &'a Rules,
    /// The text comes from an extractor (HTML's main text), not a raw dump: the rules that
    /// guess the main content from a dump's shape do not apply.
    pub extracted: bool,
}

/// No rules: what [`CleanOptions::default`] points at.
static NO_RULES: Rules = Rules { drop: Vec::new(), keep: Vec::new() };

impl Default for CleanOptions<'_> {
    fn default() -> Self {
        CleanOptions { chrome: None, rules: &NO_RULES, extracted: false }
    }
}

/// Cleans a plain-text page with nothing known beyond it. `fetched_at` resolves relative dates.
pub fn clean(text: &str, fetched_at: Option<OffsetDateTime>) -> Cleaned {
    clean_with(text, fetched_at, &CleanOptions::default())
}

/// Cleans a plain-text page with what is known of its site and the user's rules.
///
/// ```
/// use vellum::clean::{clean_with, CleanOptions, Rules};
///
/// let rules = Rules { drop: vec!["read more".into()], keep: vec![] };
/// let page = "Shoppers returned to the old market on Saturday, and the stalls sold out by noon.\n\
///             Read more about the market in our weekend guide to the city and its neighbours.\n";
/// let cleaned = clean_with(page, None, &CleanOptions { chrome: None, rules: &rules, extracted: false });
/// assert_eq!(cleaned.kept().count(), 1);
/// ```
pub fn clean_with(text: &str, fetched_at: Option<OffsetDateTime>, options: &CleanOptions<'_>) -> Cleaned {
    let mut lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, raw)| {
            let text = raw.trim_matches(|c: char| c.is_whitespace()).to_owned();
            let fate = if text.is_empty() { Fate::Blank } else { Fate::Kept };
            Line { number: i + 1, text, fate }
        })
        .collect();
    // Each line is folded and hashed once; every rule reads these.
    let folded: Vec<String> = lines.iter().map(|l| fold(&l.text)).collect();
    let shapes: Vec<u64> = folded.iter().map(|f| fold::hash(f)).collect();
    let rules = rules::Compiled::new(options.rules);
    if !rules.is_empty() {
        for (line, f) in lines.iter_mut().zip(&folded) {
            if line.fate == Fate::Kept && rules.drops(f) {
                line.fate = Fate::UserDrop;
            }
        }
    }
    repeat::drop_repeated_blocks(&mut lines, &shapes, &folded);
    // Before the classes: a comment thread that quotes the whole article must not outweigh it.
    duplicate::drop_later_copies(&mut lines);
    caption::drop_captions(&mut lines);
    classify_page(&mut lines, &folded, &shapes, options.chrome, fetched_at);
    if !rules.is_empty() {
        for (line, f) in lines.iter_mut().zip(&folded) {
            if line.fate != Fate::Blank && rules.keeps(f) {
                line.fate = Fate::Kept;
            }
        }
    }
    let page_date = mark_page_date(&mut lines, fetched_at);
    if options.extracted {
        extracted::keep_extracted(&mut lines);
    }
    Cleaned { lines, page_date, fetched_at, shapes }
}

/// Steps 5 to 12: classes, site chrome, context, comment threads, regions, short lines in the
/// text, leads, lists, the line rule for pages without prose, pages of entries, form controls.
fn classify_page(
    lines: &mut [Line],
    folded: &[String],
    line_shapes: &[u64],
    chrome: Option<&SiteChrome>,
    fetched_at: Option<OffsetDateTime>,
) {
    let seq: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].fate != Fate::Blank).collect();
    let shapes: Vec<u64> = seq.iter().map(|&i| line_shapes[i]).collect();
    let is_chrome = |k: usize| chrome.is_some_and(|c| c.is_chrome(shapes[k]));
    let feats: Vec<features::Features> = seq.iter().map(|&i| features::features(&lines[i].text)).collect();
    let mut classes: Vec<Class> = seq
        .iter()
        .zip(&feats)
        .map(|(&i, f)| if lines[i].fate == Fate::Kept { features::classify(f) } else { Class::Dropped })
        .collect();
    // A page with no paragraph long enough to be prose (a short note, a bulletin) is judged
    // on its shorter sentences instead of being dropped whole.
    if !classes.contains(&Class::Good) {
        for class in classes.iter_mut().filter(|c| **c == Class::Near) {
            *class = Class::Good;
        }
    }
    let texts: Vec<&str> = seq.iter().map(|&i| lines[i].text.as_str()).collect();
    let folded_seq: Vec<&str> = seq.iter().map(|&i| folded[i].as_str()).collect();
    let templates = template::template_lines(&texts, &folded_seq, &shapes);
    // The lines of a paragraph hard-wrapped over several lines (a manual page, a mailing-list
    // post) are prose together.
    for (class, wrapped) in classes.iter_mut().zip(wrap::wrapped_prose(&seq, &texts, &feats)) {
        if wrapped && matches!(class, Class::Short | Class::Near) {
            *class = Class::Good;
        }
    }
    // The rows of a table of figures (standings, results, prices) are the article's text, not
    // a run of short lines.
    for (class, row) in classes.iter_mut().zip(table::table_rows(&texts)) {
        if row && matches!(class, Class::Short | Class::Near) {
            *class = Class::Good;
        }
    }
    // A list of clauses announced by a sentence ("… three changes:") is the article's text,
    // not a menu.
    let list_items = items::prose_list_items(&seq, &feats, &classes);
    for (class, item) in classes.iter_mut().zip(list_items) {
        if item {
            *class = Class::Good;
        }
    }
    // Prose the site prints on most pages (a cookie notice, an "about us" box) is chrome
    // wherever it stands.
    for (k, &i) in seq.iter().enumerate() {
        if classes[k] == Class::Good && is_chrome(k) {
            lines[i].fate = Fate::SiteChrome;
            classes[k] = Class::Dropped;
        }
    }
    // A short chrome line between paragraphs is kept: a subheading such as "Conclusion" may
    // well stand on most pages of a site.
    let bridged = context::bridged(&classes);
    for (k, &i) in seq.iter().enumerate() {
        if lines[i].fate != Fate::Kept || bridged[k] {
            continue;
        }
        lines[i].fate = if is_chrome(k) { Fate::SiteChrome } else { dropped_fate(classes[k]) };
    }
    let scored: Vec<region::Scored> = (0..seq.len())
        .map(|k| {
            let notice = cue::is_notice(&lines[seq[k]].text, &folded[seq[k]]);
            region::Scored {
                class: classes[k],
                words: feats[k].words,
                template: templates[k].any(),
                notice,
                // Every copyright line is a notice: only notices are asked.
                copyright: notice && cue::is_copyright(&lines[seq[k]].text, &folded[seq[k]]),
                clause: feats[k].sentence_end && !feats[k].ellipsis || feats[k].colon,
                code: matches!(classes[k], Class::Short | Class::Dropped) && code::looks_like_code(&lines[seq[k]].text),
            }
        })
        .collect();
    let cues: Vec<thread::Cue> = scored
        .iter()
        .enumerate()
        .map(|(k, s)| thread::Cue {
            prose_words: if s.class == Class::Good { s.words } else { 0 },
            // A header, not a sentence ending in a full stop: "… did not respond to a request
            // for comment." closes many articles.
            // A line an earlier rule dropped (a "Comments" entry in a menu, a repeated "Reply"
            // button) belongs to the page's chrome and opens no thread.
            marker: !matches!(classes[k], Class::Dropped | Class::Menu)
                && feats[k].words <= thread::MAX_MARKER_WORDS
                && !lines[seq[k]].text.ends_with('.')
                && cue::is_thread_header(&lines[seq[k]].text, &folded[seq[k]]),
            // Whole repeated lines ("Reply"), and comment headers that end alike ("Ann on 12 May
            // at 4:47 pm said:"); an ending after a separator shared by a few teasers ("| 3
            // comments") says nothing of a thread.
            template: templates[k].shape || (templates[k].last_word && s.class != Class::Good),
            // A placeholder (an ad slot) or a menu entry printed again and again heads no post.
            recurring: (templates[k].shape && !feats[k].bullet && !feats[k].bracketed).then_some(shapes[k]),
        })
        .collect();
    // Everything from a comment thread's header on weighs as dropped in the region scan.
    let thread = thread::thread_start(&cues);
    let mut scored = scored;
    if let Some(t) = thread {
        for s in &mut scored[t..] {
            s.class = Class::Dropped;
        }
    }
    let mut in_region = region::in_region(&scored);
    context::take_intros(&classes, &bridged, &mut in_region);
    context::join_regions(&classes, &bridged, &mut in_region);
    let notices: Vec<bool> = scored.iter().map(|s| s.notice).collect();
    context::take_closers(&classes, &bridged, &notices, &mut in_region);
    // Prose between two kept regions, across a gap with no lone menu entry and no notice, is
    // the text's next part.
    let menu: Vec<bool> = scored.iter().map(|s| s.class == Class::Menu).collect();
    let bulleted: Vec<bool> = feats.iter().map(|f| f.bullet).collect();
    let lone_menu_or_notice: Vec<bool> =
        fill::lone_entries(&menu, &bulleted).into_iter().zip(&notices).map(|(lone, &notice)| lone || notice).collect();
    let between = fill::clean_gaps_between_regions(&in_region, &lone_menu_or_notice);
    for (k, &i) in seq.iter().enumerate() {
        if thread.is_some_and(|t| k >= t) && lines[i].fate == Fate::Kept {
            lines[i].fate = Fate::CommentThread;
            in_region[k] = false;
        } else if !in_region[k] && !between[k] && lines[i].fate == Fate::Kept {
            lines[i].fate = Fate::OutsideMain;
        }
    }
    // Short lines from the first kept region to the last (labels, table cells, list entries)
    // are the text's.
    let plain: Vec<bool> = (0..seq.len())
        .map(|k| matches!(classes[k], Class::Short | Class::Near) && !scored[k].template && !scored[k].notice)
        .collect();
    let fill = fill::inside_text(&in_region, &plain);
    fill::keep_short_lines_in_regions(lines, &seq, &fill, fetched_at);
    lead::keep_leads(lines, &seq, &classes, &in_region, fetched_at);
    list::keep_announced_lists(lines, &seq);
    // Bulleted lists standing inside kept text (a product's features, a guide's steps).
    let words: Vec<usize> = feats.iter().map(|f| f.words).collect();
    bullets::keep_lists_in_text(lines, &seq, &words);
    // Code blocks under kept text (a guide's commands, a configuration file).
    code::keep_code_in_text(lines, &seq);
    // A page whose content the rules above did not find (a grid of products, a list of jobs).
    fallback::keep_lines_of_words(lines, &seq, &words, &notices);
    // A page whose stray short lines outweigh its kept text is made of short entries.
    entries::keep_entries(lines, &seq, &words);
    // Whatever kept them, a form's controls (radio buttons, text fields) are no text.
    form::drop_form_controls(lines, &seq);
}

/// The fate of a line its context did not save.
fn dropped_fate(class: Class) -> Fate {
    match class {
        Class::Menu => Fate::MenuItem,
        Class::Bracketed => Fate::Placeholder,
        Class::NoWords => Fate::NoWords,
        Class::Good | Class::Near | Class::Short | Class::Dropped => Fate::StrayShort,
    }
}

/// The page's own date: the first date line above the page's first kept content, whether the
/// lead kept it or context dropped it as a stray short line (a menu printed once above it, or
/// a line of links between it and the first title, leave it stray). Lines a stronger rule
/// dropped (a repeated ticker, the user's patterns) are not looked at.
fn mark_page_date(lines: &mut [Line], fetched_at: Option<OffsetDateTime>) -> Option<Date> {
    let mut date = None;
    for line in lines.iter_mut() {
        if !matches!(line.fate, Fate::Kept | Fate::StrayShort | Fate::OutsideMain) {
            continue;
        }
        if let Some(d) = crate::date::parse_date_line(&line.text, fetched_at) {
            line.fate = Fate::PageDate;
            date = Some(d);
            break;
        }
        if line.fate == Fate::Kept {
            break;
        }
    }
    date
}

/// Positions in `seq` (the page's non-blank lines) from the page's first kept line to its last.
fn kept_span(lines: &[Line], seq: &[usize]) -> Option<std::ops::RangeInclusive<usize>> {
    let first = seq.iter().position(|&i| lines[i].fate == Fate::Kept)?;
    let last = seq.iter().rposition(|&i| lines[i].fate == Fate::Kept)?;
    Some(first..=last)
}

/// A page of lines with given fates for the rules' unit tests: its lines, the sequence of its
/// non-blank lines, and their word counts (a bullet is no word).
#[cfg(test)]
fn test_page(texts: &[(&str, Fate)]) -> (Vec<Line>, Vec<usize>, Vec<usize>) {
    let lines: Vec<Line> =
        texts.iter().enumerate().map(|(n, (t, f))| Line { number: n + 1, text: (*t).into(), fate: *f }).collect();
    let seq: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].fate != Fate::Blank).collect();
    let words = seq.iter().map(|&i| lines[i].text.split_whitespace().filter(|w| *w != "•").count()).collect();
    (lines, seq, words)
}
