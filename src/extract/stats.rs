//! Text measures of every element: how much text it holds, how much of it is link text, and
//! how many commas (a sign of prose).

use std::collections::{HashMap, HashSet};

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{Html, Node};

/// What one element holds, counting only the parts not left out.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Measure {
    /// Characters of text, white space excluded.
    pub chars: usize,
    /// Of those, the characters inside links.
    pub link_chars: usize,
    /// Commas, in any script.
    pub commas: usize,
    /// Characters of text that are direct children (not inside a child element).
    pub own_chars: usize,
    /// Characters inside teasers: small blocks headed by a linked heading (a related post's
    /// title and excerpt), which are no part of the text beside them.
    pub teaser_chars: usize,
    /// Whether the element holds a heading whose text is mostly a link.
    pub linked_heading: bool,
    /// Characters of the link (to another page) the element's text starts with (0 when it
    /// starts outside one).
    pub lead_link: usize,
    /// Of the link characters, those in links to another page (not `#` toggles or scripts).
    pub page_link_chars: usize,
}

impl Measure {
    /// The share of the text that is link text, 0 for no text.
    pub fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

/// The shortest title link (characters) that leads a teaser.
const LEAD_LINK_CHARS: usize = 15;

/// The most text (characters) a teaser holds.
const TEASER_CHARS: usize = 600;

/// The measures of every node of a document.
pub(super) struct Stats(HashMap<NodeId, Measure>);

impl Stats {
    /// Measures every node, counting nothing inside `removed` subtrees.
    pub fn measure(doc: &Html, removed: &HashSet<NodeId>) -> Stats {
        let mut map: HashMap<NodeId, Measure> = HashMap::new();
        // Iterative (open/close edges), so a deeply nested page cannot overflow the stack.
        for edge in doc.tree.root().traverse() {
            let Edge::Close(node) = edge else { continue };
            let mut m = Measure::default();
            if removed.contains(&node.id()) {
                map.insert(node.id(), m);
                continue;
            }
            match node.value() {
                // Script and style text is never shown; counting it would make a page of
                // scripts look long.
                Node::Text(_) if node.parent().is_some_and(|p| invisible(p.value())) => {}
                Node::Text(text) => {
                    m.chars = text.chars().filter(|c| !c.is_whitespace()).count();
                    m.commas = text.chars().filter(|c| matches!(c, ',' | '\u{060C}' | '\u{3001}' | '\u{FF0C}')).count();
                }
                Node::Element(_) | Node::Document | Node::Fragment => {
                    for child in node.children() {
                        let c = map.get(&child.id()).copied().unwrap_or_default();
                        if m.chars == 0 {
                            m.lead_link = c.lead_link;
                        }
                        m.chars += c.chars;
                        m.link_chars += c.link_chars;
                        m.page_link_chars += c.page_link_chars;
                        m.commas += c.commas;
                        m.teaser_chars += c.teaser_chars;
                        m.linked_heading |= c.linked_heading;
                        if matches!(child.value(), Node::Text(_)) {
                            m.own_chars += c.chars;
                        }
                    }
                    let (name, href) = match node.value() {
                        Node::Element(e) => (e.name(), e.attr("href")),
                        _ => ("", None),
                    };
                    if name == "a" {
                        m.link_chars = m.chars;
                        // Toggles (`#`, `javascript:`) open something on the page; they lead nowhere.
                        let page = href.is_some_and(|h| {
                            let h = h.trim_start();
                            !h.is_empty()
                                && !h.starts_with('#')
                                && !h.get(..11).is_some_and(|p| p.eq_ignore_ascii_case("javascript:"))
                        });
                        m.page_link_chars = if page { m.chars } else { 0 };
                        m.lead_link = m.page_link_chars;
                    }
                    if matches!(name, "h2" | "h3" | "h4" | "h5" | "h6")
                        && m.chars > 0
                        && m.page_link_chars * 2 >= m.chars
                    {
                        m.linked_heading = true;
                    }
                    // A title link followed by a short excerpt, in a block of its own.
                    let rest = m.chars - m.lead_link.min(m.chars);
                    let led = matches!(name, "div" | "li" | "article" | "section")
                        && m.lead_link >= LEAD_LINK_CHARS
                        && rest >= LEAD_LINK_CHARS
                        && m.lead_link * 3 >= rest;
                    if (m.linked_heading || led) && m.chars <= TEASER_CHARS {
                        m.teaser_chars = m.chars;
                    }
                }
                _ => {}
            }
            map.insert(node.id(), m);
        }
        Stats(map)
    }

    /// The measure of one node (zero for a node never measured).
    pub fn get(&self, id: NodeId) -> Measure {
        self.0.get(&id).copied().unwrap_or_default()
    }
}

fn invisible(node: &Node) -> bool {
    matches!(node, Node::Element(e) if matches!(e.name(), "script" | "style" | "template"))
}
