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

/// The most text a card of a grid holds on average (characters).
const MAX_CARD_CHARS: usize = 600;

/// A list of alike items found on a page.
pub(super) struct ItemList {
    /// The element holding the items.
    pub node: NodeId,
    /// The text the items hold together.
    pub chars: usize,
}

/// The item list holding the most text, if any (the document node is no element).
pub(super) fn largest(doc: &Html, stats: &Stats, dead: &HashSet<NodeId>) -> Option<ItemList> {
    largest_under(doc.tree.root(), stats, dead)
}

/// The item list holding the most text inside `root` (`root` itself aside), if any.
pub(super) fn largest_under(root: NodeRef<Node>, stats: &Stats, dead: &HashSet<NodeId>) -> Option<ItemList> {
    let mut best: Option<ItemList> = None;
    for node in root.descendants().skip(1) {
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

/// The items of every item list on the page, measured before anything is left out: what a
/// class word such as "caption" or "widget" must not remove when it marks each card of a grid.
pub(super) fn members(doc: &Html, stats: &Stats) -> HashSet<NodeId> {
    let none = HashSet::new();
    let mut members = HashSet::new();
    for node in doc.tree.root().descendants() {
        // Cards are small; the page's own sections under <body> are no grid.
        if matches!(node.value(), Node::Element(e) if matches!(e.name(), "body" | "html")) {
            continue;
        }
        if let Some((chars, key)) = items_group(node, stats, &none) {
            let alike: Vec<NodeId> =
                node.children().filter(|c| group_key(c).as_deref() == Some(key.as_str())).map(|c| c.id()).collect();
            if chars > alike.len() * MAX_CARD_CHARS {
                continue;
            }
            members.extend(alike);
        }
    }
    members
}

/// The text of `node`'s largest group of alike children, when they form an item list that
/// holds much of its text (rows of another shape may alternate with them).
fn items_chars(node: NodeRef<Node>, stats: &Stats, dead: &HashSet<NodeId>) -> Option<usize> {
    items_group(node, stats, dead).map(|(chars, _)| chars)
}

/// What makes children alike: the same tag and leading class words, numbers aside ("card
/// card--14").
fn group_key(node: &NodeRef<Node>) -> Option<String> {
    let Node::Element(e) = node.value() else { return None };
    let words: Vec<String> =
        class_words(e).into_iter().filter(|w| w.bytes().all(|b| b.is_ascii_alphabetic())).take(2).collect();
    Some(format!("{} {}", e.name(), words.join(" ")))
}

/// The text of `node`'s largest group of alike children and the group's key, when they form
/// an item list.
fn items_group(node: NodeRef<Node>, stats: &Stats, dead: &HashSet<NodeId>) -> Option<(usize, String)> {
    if !matches!(node.value(), Node::Element(_)) {
        return None;
    }
    let total = stats.get(node.id()).chars;
    if total < MIN_ITEMS * MIN_ITEM_CHARS {
        return None;
    }
    let mut groups: HashMap<String, (usize, usize)> = HashMap::new();
    for child in node.children() {
        let chars = stats.get(child.id()).chars;
        if dead.contains(&child.id()) || chars == 0 {
            continue;
        }
        let Some(key) = group_key(&child) else { continue };
        let group = groups.entry(key).or_default();
        group.0 += 1;
        group.1 += chars;
    }
    let (key, (count, chars)) =
        groups.into_iter().max_by(|a, b| (a.1 .1, a.1 .0, &b.0).cmp(&(b.1 .1, b.1 .0, &a.0)))?;
    (count >= MIN_ITEMS && chars >= count * MIN_ITEM_CHARS && chars * 10 >= total * 4).then_some((chars, key))
}
