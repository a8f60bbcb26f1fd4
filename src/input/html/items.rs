//! Repeated items: the product grids, course lists and headline lists that are the content of
//! collection and listing pages, where prose scoring finds only a promotional blurb.
//!
//! An item list is an element whose children are mostly alike (same tag, same leading class
//! words), at least [`MIN_ITEMS`] of them, each holding some text. Link text is no evidence
//! against it: on such pages the items' titles are links.

use std::collections::{HashMap, HashSet};

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::boiler::class_words;
use super::stats::Stats;

/// The fewest alike children an item list has.
const MIN_ITEMS: usize = 4;

/// The least text an item holds on average (characters, white space excluded): menu entries
/// ("Home", "Contact") hold less.
const MIN_ITEM_CHARS: usize = 25;

/// A list of alike items found on a page.
pub(super) struct ItemList {
    /// The element holding the items.
    pub node: NodeId,
    /// The text the items hold together.
    pub chars: usize,
}

/// The item list holding the most text, if any.
pub(super) fn largest(doc: &Html, stats: &Stats, dead: &HashSet<NodeId>) -> Option<ItemList> {
    let mut best: Option<ItemList> = None;
    for node in doc.tree.root().descendants() {
        if dead.contains(&node.id()) || !matches!(node.value(), Node::Element(_)) {
            continue;
        }
        let Some(chars) = items_chars(node, stats, dead) else { continue };
        if best.as_ref().is_none_or(|b| chars > b.chars) {
            best = Some(ItemList { node: node.id(), chars });
        }
    }
    best
}

/// The text of `node`'s largest group of alike children, when they form an item list that
/// holds much of its text (rows of another shape may alternate with them).
fn items_chars(node: NodeRef<Node>, stats: &Stats, dead: &HashSet<NodeId>) -> Option<usize> {
    let total = stats.get(node.id()).chars;
    if total < MIN_ITEMS * MIN_ITEM_CHARS {
        return None;
    }
    let mut groups: HashMap<String, (usize, usize)> = HashMap::new();
    for child in node.children() {
        let Node::Element(e) = child.value() else { continue };
        let chars = stats.get(child.id()).chars;
        if dead.contains(&child.id()) || chars == 0 {
            continue;
        }
        // Alike: the same tag and leading class words, numbers aside ("card card--14").
        let words: Vec<String> =
            class_words(e).into_iter().filter(|w| w.bytes().all(|b| b.is_ascii_alphabetic())).take(2).collect();
        let group = groups.entry(format!("{} {}", e.name(), words.join(" "))).or_default();
        group.0 += 1;
        group.1 += chars;
    }
    let (count, chars) = groups.into_values().max_by_key(|&(count, chars)| (chars, count))?;
    (count >= MIN_ITEMS && chars >= count * MIN_ITEM_CHARS && chars * 10 >= total * 4).then_some(chars)
}
