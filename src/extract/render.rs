//! Rendering chosen elements as the plain text the cleaner and segmenter read: every heading,
//! paragraph, list item and table cell its own line, blocks apart by blank lines.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::stats::Stats;

/// Tags that start and end a block of text.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "caption",
    "br",
    "legend",
    "option",
];

/// Containers left out when most of their text is link text: link lists, tag clouds.
const LINK_LIST_TAGS: &[&str] = &["ul", "ol", "dl", "div", "section", "table", "p", "span"];

/// Whether `name` is a heading tag.
pub(super) fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// What rendering needs besides the element to render.
pub(super) struct Context<'a> {
    /// The text measures, counting nothing left out.
    pub stats: &'a Stats,
    /// The text measures of the page as it came, before anything was left out.
    pub first: &'a Stats,
    /// The subtrees not to render (left out, or printed elsewhere as title and date).
    pub skip: &'a HashSet<NodeId>,
    /// The list of alike items whose titles are links (see [`super::items`]).
    pub items: Option<NodeId>,
    /// Whether blocks of teasers after the text are left out (see [`ARTICLE_OWN_CHARS`]).
    pub teasers_out: bool,
    /// The page says it is an article (`og:type`).
    pub article: bool,
}

/// The text of the link lists ([`is_link_list`]) under `root`, outermost ones only.
fn listed_chars(root: NodeRef<Node>, stats: &Stats, skip: &HashSet<NodeId>, least_links: f64) -> usize {
    outermost_chars(root, stats, |node| {
        if !matches!(node.value(), Node::Element(_)) {
            None
        } else if skip.contains(&node.id()) {
            Some(false)
        } else {
            (node.id() != root.id() && is_link_list(node, stats, least_links)).then_some(true)
        }
    })
}

/// The text of the outermost nodes under `root` (itself included) that `pick` counts
/// (`Some(true)`), not looking inside those it counts or passes over (`Some(false)`).
fn outermost_chars(root: NodeRef<Node>, stats: &Stats, pick: impl Fn(NodeRef<Node>) -> Option<bool>) -> usize {
    let mut total = 0;
    let mut inside: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if inside.is_none() => {
                if let Some(count) = pick(node) {
                    if count {
                        total += stats.get(node.id()).chars;
                    }
                    inside = Some(node.id());
                }
            }
            Edge::Close(node) if inside == Some(node.id()) => inside = None,
            _ => {}
        }
    }
    total
}

/// Whether an element is a list of links: at least `least_links` of its text link text (see
/// [`LISTED_LINKS`]), under 2,000 characters, and a list, a wrapper holding lists and no more
/// than a label besides (a table of contents under its title), or a block of links no longer
/// than a label (one entry of a list built of `div`s).
fn is_link_list(node: NodeRef<Node>, stats: &Stats, least_links: f64) -> bool {
    let m = stats.get(node.id());
    if m.link_density() < least_links || m.chars >= 2000 {
        return false;
    }
    let is_list = |n: &NodeRef<Node>| matches!(n.value(), Node::Element(e) if matches!(e.name(), "ul" | "ol" | "dl"));
    if is_list(&node) {
        return true;
    }
    if !matches!(node.value(), Node::Element(e) if LINK_LIST_TAGS.contains(&e.name())) {
        return false;
    }
    let listed = outermost_chars(node, stats, |n| is_list(&n).then_some(true));
    m.chars - listed.min(m.chars) <= LIST_LABEL_CHARS
}

/// The least share of link text in such a list; on a page that says it is an article, where
/// lists of other posts with their dates lie beside the text, more: names of pages only.
const LISTED_LINKS: f64 = 0.6;
const ARTICLE_LISTED_LINKS: f64 = 0.9;

/// The most text (characters) outside its lists that a wrapper of link lists holds: a label.
const LIST_LABEL_CHARS: usize = 40;

/// The share (percent) of a text's characters in link lists that makes them its content.
const LISTED_SHARE: usize = 30;

/// Renders the subtree at `root` into blocks of text, leaving out the `skip` subtrees and,
/// outside a list of items whose titles are links, link lists.
pub(super) fn blocks(doc: &Html, root: NodeId, cx: &Context) -> Vec<String> {
    let Context { stats, first, skip, items, teasers_out, article } = *cx;
    let Some(root) = doc.tree.get(root) else { return Vec::new() };
    // Teasers go only where they are the lesser part beside an article's own text.
    let whole = stats.get(root.id());
    let own = super::select::own_prose(stats, root.id());
    let teasers_out = teasers_out && own >= ARTICLE_OWN_CHARS && own >= whole.teaser_chars;
    let whole_prose = super::select::prose(stats, root.id());
    let mut seen_prose = 0usize;
    let mut out = Blocks::default();
    // A text made mostly of link lists (a topic index: headings over lists of pages) has them
    // for its content.
    let least_links = if article { ARTICLE_LISTED_LINKS } else { LISTED_LINKS };
    let lists_are_content = listed_chars(root, stats, skip, least_links) * 100 >= whole.chars * LISTED_SHARE;
    // A list of links that is content (see below), while it is open.
    let mut listed: Option<NodeId> = None;
    let mut skipping: Option<NodeId> = None;
    let mut links = 0usize;
    let mut pre = 0usize;
    // The item list's ancestors are no link lists, whatever their link text: they hold it.
    let holds_items: HashSet<NodeId> =
        items.and_then(|i| doc.tree.get(i)).map(|i| i.ancestors().map(|a| a.id()).collect()).unwrap_or_default();
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(e) => {
                        let name = e.name();
                        let m = stats.get(node.id());
                        // An inline element of links inside a line of text ("according to
                        // the <span><a>study</a></span>, ...") is words of the line, no list.
                        let inline = !BLOCK_TAGS.contains(&name);
                        if Some(node.id()) == items {
                            out.flush();
                            out.links_are_content = true;
                        }
                        // A list of links that the text's lists make content, or that a
                        // sentence ending in a colon introduces.
                        let open = !out.links_are_content && !skip.contains(&node.id()) && node.id() != root.id();
                        let listed_here = open
                            && lists_are_content
                            && (!inline || out.line.is_empty())
                            && is_link_list(node, stats, least_links);
                        // Not one that ends the text: "If you liked this, you might also like:".
                        let trailing = || {
                            whole_prose.saturating_sub(seen_prose + super::select::prose(stats, node.id()))
                                < TRAILING_CHARS
                        };
                        let introduced = open && matches!(name, "ul" | "ol") && out.introduces() && !trailing();
                        if listed_here || introduced {
                            out.flush();
                            out.links_are_content = true;
                            listed = Some(node.id());
                        }
                        let link_list = !out.links_are_content
                            && node.id() != root.id()
                            && !holds_items.contains(&node.id())
                            && LINK_LIST_TAGS.contains(&name)
                            && m.link_density() > 0.6
                            && m.chars < 2000
                            && (!inline || out.line.is_empty());
                        // Beside an article, blocks of teasers (related posts) after its text
                        // are left out; teasers with text after them are the article's list.
                        let prose = super::select::prose(stats, node.id());
                        let teasers = teasers_out
                            && !out.links_are_content
                            && node.id() != root.id()
                            && m.chars >= TEASERS_MIN_CHARS
                            && m.teaser_chars * 10 >= m.chars * 8
                            && whole_prose.saturating_sub(seen_prose + prose) < TRAILING_CHARS;
                        if skip.contains(&node.id()) || link_list || teasers {
                            // Text left out here (not the title, printed above the text).
                            let gone = m.chars == 0 && first.get(node.id()).chars >= GONE_SECTION_CHARS;
                            if (link_list || teasers) && !inline {
                                out.dropped_content();
                            } else if gone {
                                out.flush();
                                out.section_emptied();
                            }
                            seen_prose += prose;
                            skipping = Some(node.id());
                            continue;
                        }
                        if !inline {
                            out.flush();
                        } else if out.closed_inline {
                            // Inline elements back to back, no text between them, are apart
                            // (a field's name and its type badge), set so by their style.
                            out.space = true;
                        }
                        match name {
                            "a" => links += 1,
                            "pre" => pre += 1,
                            // A table row is one line, its cells apart by spaces: a cell a line
                            // would make rows of numbers look like repeated blocks.
                            "td" | "th" => out.space = true,
                            _ => {}
                        }
                    }
                    Node::Text(text) => {
                        if links == 0 {
                            seen_prose += stats.get(node.id()).chars;
                        }
                        out.push_text(text, links > 0, pre > 0);
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                if skipping.is_some() {
                    continue;
                }
                if Some(node.id()) == items || Some(node.id()) == listed {
                    out.flush();
                    out.links_are_content = false;
                    listed = None;
                }
                if let Node::Element(e) = node.value() {
                    let name = e.name();
                    match name {
                        "a" => links = links.saturating_sub(1),
                        "pre" => pre = pre.saturating_sub(1),
                        _ => {}
                    }
                    if !BLOCK_TAGS.contains(&name) && !out.line.is_empty() {
                        out.closed_inline = true;
                    }
                    if is_heading(name) {
                        out.flush_heading();
                    } else if BLOCK_TAGS.contains(&name) {
                        out.flush();
                    }
                }
            }
        }
    }
    out.flush();
    out.trailing_title();
    out.close_section();
    out.done
}

/// Text outside links and teasers (characters) that makes a rendered element an article.
const ARTICLE_OWN_CHARS: usize = 600;

/// Text outside links (characters) after a block of teasers that makes them part of the
/// article (a list of products it reviews) rather than related posts below it.
const TRAILING_CHARS: usize = 200;

/// The longest heading (characters) taken for a section's title; a longer one is text set
/// large, kept whatever follows it.
const SECTION_TITLE_CHARS: usize = 80;

/// Text (characters) of a part left out for chrome that empties the section it lies in.
const GONE_SECTION_CHARS: usize = 100;

/// The most words of a label left out when it ends the text.
const TRAILING_LABEL_WORDS: usize = 4;

/// The fewest words of a sentence ending in a colon that introduces the list after it.
const INTRO_WORDS: usize = 4;

/// The longest block (characters) taken for a label of the links after it.
const LABEL_CHARS: usize = 24;

/// The least text (characters) of a block of teasers left out beside an article.
const TEASERS_MIN_CHARS: usize = 80;

/// A block that only labels an advertising slot, or holds its place while a script loads.
fn is_ad_label(line: &str) -> bool {
    let label = line.trim().trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    matches!(
        label.as_str(),
        "loading"
            | "advertisement"
            | "advert"
            | "ad"
            | "ads"
            | "advertising"
            | "sponsored"
            | "anzeige"
            | "publicidad"
            | "publicité"
            | "pubblicità"
    )
}

/// A marquee: a short phrase printed again and again in one block ("Book now * Book now *
/// Book now * ..."), a decoration that scrolls across the page.
fn is_marquee(line: &str) -> bool {
    let words: Vec<&str> = line
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    (1..=MARQUEE_PHRASE_WORDS).any(|n| {
        words.len() >= n * MARQUEE_REPEATS
            && words.len() % n == 0
            && words.chunks(n).all(|c| c.iter().zip(&words[..n]).all(|(a, b)| a.eq_ignore_ascii_case(b)))
    })
}

/// The longest phrase (words) of a marquee.
const MARQUEE_PHRASE_WORDS: usize = 4;

/// How often a marquee prints its phrase, at least.
const MARQUEE_REPEATS: usize = 3;

/// A site's copyright line ("© 2025 Example Inc. All rights reserved.").
fn is_copyright(line: &str) -> bool {
    let line = line.trim_start();
    let lead = line.starts_with('©')
        || line.get(..9).is_some_and(|w| w.eq_ignore_ascii_case("copyright"))
            && (line.contains('©') || line.contains("(c)") || line.contains("(C)"));
    lead && line.chars().count() <= COPYRIGHT_CHARS
}

/// The longest copyright line (characters): a longer notice, saying what the material may not
/// be used for, ends a syndicated story.
const COPYRIGHT_CHARS: usize = 100;

/// Blocks being built: the finished ones and the one in progress.
#[derive(Default)]
struct Blocks {
    done: Vec<String>,
    line: String,
    chars: usize,
    link_chars: usize,
    space: bool,
    links_are_content: bool,
    /// Whether an inline element holding text closed since the last text.
    closed_inline: bool,
    /// The last heading printed, while no block has followed it.
    heading: Option<usize>,
    /// Whether content was left out since that heading (links, teasers).
    dropped: bool,
    /// The last block printed, when it is short enough to be a label for what follows.
    label: Option<usize>,
    /// Whether the last block printed is the last thing seen: no link list, teasers or text of
    /// a section left out since (a skipped subtree or a dropped line does not clear it).
    intro: bool,
}

impl Blocks {
    fn push_text(&mut self, text: &str, in_link: bool, in_pre: bool) {
        if in_pre {
            // Preformatted text keeps its lines.
            let mut lines = text.split('\n').peekable();
            while let Some(part) = lines.next() {
                self.push_words(part, in_link);
                if lines.peek().is_some() {
                    self.flush();
                }
            }
            return;
        }
        self.push_words(text, in_link);
    }

    fn push_words(&mut self, text: &str, in_link: bool) {
        self.closed_inline = false;
        if text.starts_with(char::is_whitespace) {
            self.space = true;
        }
        for word in text.split_whitespace() {
            if self.space && !self.line.is_empty() {
                self.line.push(' ');
            }
            self.line.push_str(word);
            let n = word.chars().count();
            self.chars += n;
            if in_link {
                self.link_chars += n;
            }
            self.space = true;
        }
        self.space = text.ends_with(char::is_whitespace) || (self.space && text.trim().is_empty());
    }

    /// Ends the block in progress. A short block that is nearly all link text ("Read more",
    /// a row of tags) is navigation and left out.
    fn flush(&mut self) {
        let nav = !self.links_are_content && self.link_chars * 10 > self.chars * 7 && self.chars < 200;
        let junk = is_ad_label(&self.line) || is_copyright(&self.line) || is_marquee(&self.line);
        self.finish(nav || junk, false);
    }

    /// Ends a heading: kept whatever its links, since posts' titles link to the posts.
    fn flush_heading(&mut self) {
        let short = self.chars <= SECTION_TITLE_CHARS;
        self.finish(false, short);
    }

    /// Whether the text just before is a sentence ending in a colon ("The following types are
    /// supported:"), which makes the list after it content whatever its links. A short label
    /// ("Share this:") is no such sentence.
    fn introduces(&self) -> bool {
        let line = if self.line.is_empty() {
            match (self.intro, self.done.last()) {
                (true, Some(last)) => last.as_str(),
                _ => return false,
            }
        } else {
            self.line.as_str()
        };
        line.ends_with(':') && line.chars().count() > LABEL_CHARS && line.split_whitespace().count() >= INTRO_WORDS
    }

    /// Notes content left out (a link list, teasers) where a block would have been.
    fn dropped_content(&mut self) {
        self.flush();
        self.left_out();
    }

    /// Something was left out after the blocks printed so far: the section of a heading that
    /// holds nothing else loses the heading (see [`Self::close_section`]), and a short label
    /// just before it ("Tags", "Share this:") goes with it.
    fn left_out(&mut self) {
        self.intro = false;
        self.section_emptied();
        // In a list of items, short lines are the items' names.
        if self.label.take().is_some_and(|at| at + 1 == self.done.len()) && !self.links_are_content {
            self.done.pop();
        }
    }

    /// Something was left out under the last heading.
    fn section_emptied(&mut self) {
        if self.heading.is_some() && !self.links_are_content {
            self.dropped = true;
        }
    }

    /// Leaves out a heading that ends the text, with nothing under it, and a label of a word
    /// or two ("Tags") that ends it.
    fn trailing_title(&mut self) {
        let heading = self.heading.take().is_some_and(|at| at + 1 == self.done.len());
        let label = self.label.take().is_some_and(|at| {
            at + 1 == self.done.len() && self.done[at].split_whitespace().count() <= TRAILING_LABEL_WORDS
        });
        if heading || label {
            self.done.pop();
        }
    }

    /// Ends the section of the last heading: a heading whose content was all left out (the
    /// "Related posts" over dropped teasers) goes too.
    fn close_section(&mut self) {
        if let Some(at) = self.heading.take() {
            if self.dropped && at + 1 == self.done.len() {
                self.done.pop();
            }
        }
        self.dropped = false;
    }

    fn finish(&mut self, drop: bool, heading: bool) {
        let line = std::mem::take(&mut self.line);
        if !line.is_empty() {
            if drop {
                // Links left out, not an advertising label.
                if self.link_chars > 0 {
                    self.left_out();
                }
            } else {
                if heading {
                    self.close_section();
                    self.heading = Some(self.done.len());
                    self.label = None;
                } else {
                    self.heading = None;
                    self.dropped = false;
                    // A label starts a phrase of its own ("Tags", "Share this:"), not a fragment
                    // of a sentence broken around its links (", apartments,").
                    // Numbers make it data (a table's row, a price), not a label; in a list
                    // whose links are content, a short line is an item's name.
                    let starts = line.chars().next().is_some_and(|c| c.is_alphabetic() && !c.is_lowercase());
                    let label = starts
                        && !self.links_are_content
                        && self.chars <= LABEL_CHARS
                        && !line.ends_with(['.', '!', '?', ','])
                        && !line.contains(|c: char| c.is_numeric());
                    self.label = label.then_some(self.done.len());
                }
                self.done.push(line);
                self.intro = true;
            }
        }
        self.chars = 0;
        self.link_chars = 0;
        self.space = false;
        self.closed_inline = false;
    }
}
