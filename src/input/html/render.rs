//! Rendering chosen elements as the plain text the cleaner and segmenter read: every heading,
//! paragraph, list item and table cell its own line, blocks apart by blank lines.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
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

/// Renders the subtree at `root` into blocks of text, leaving out `skip` subtrees and, outside
/// a list of `items` whose titles are links, link lists.
pub(super) fn blocks(
    doc: &Html,
    root: NodeId,
    stats: &Stats,
    skip: &HashSet<NodeId>,
    items: Option<NodeId>,
) -> Vec<String> {
    let Some(root) = doc.tree.get(root) else { return Vec::new() };
    let mut out = Blocks::default();
    let mut skipping: Option<NodeId> = None;
    let mut links = 0usize;
    let mut pre = 0usize;
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
                        if Some(node.id()) == items {
                            out.flush();
                            out.links_are_content = true;
                        }
                        let link_list = !out.links_are_content
                            && node.id() != root.id()
                            && LINK_LIST_TAGS.contains(&name)
                            && m.link_density() > 0.6
                            && m.chars < 2000;
                        if skip.contains(&node.id()) || link_list {
                            skipping = Some(node.id());
                            continue;
                        }
                        if BLOCK_TAGS.contains(&name) {
                            out.flush();
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
                    Node::Text(text) => out.push_text(text, links > 0, pre > 0),
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
                if Some(node.id()) == items {
                    out.flush();
                    out.links_are_content = false;
                }
                if let Node::Element(e) = node.value() {
                    let name = e.name();
                    match name {
                        "a" => links = links.saturating_sub(1),
                        "pre" => pre = pre.saturating_sub(1),
                        _ => {}
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
    out.done
}

/// A block that only labels an advertising slot.
fn is_ad_label(line: &str) -> bool {
    let label = line.trim().trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    matches!(
        label.as_str(),
        "advertisement"
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

/// Blocks being built: the finished ones and the one in progress.
#[derive(Default)]
struct Blocks {
    done: Vec<String>,
    line: String,
    chars: usize,
    link_chars: usize,
    space: bool,
    links_are_content: bool,
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
        self.finish(nav || is_ad_label(&self.line));
    }

    /// Ends a heading: kept whatever its links, since posts' titles link to the posts.
    fn flush_heading(&mut self) {
        self.finish(false);
    }

    fn finish(&mut self, drop: bool) {
        let line = std::mem::take(&mut self.line);
        if !drop && !line.is_empty() {
            self.done.push(line);
        }
        self.chars = 0;
        self.link_chars = 0;
        self.space = false;
    }
}
