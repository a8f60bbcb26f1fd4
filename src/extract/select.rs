//! Finding the main content: the element (or elements) holding the page's article text.
//!
//! Evidence, strongest first: `itemprop="articleBody"`; several substantial `<article>`s
//! (a page of posts); otherwise a Readability-style score, where every paragraph gives its
//! parent, grandparent and further ancestors points for its length and commas, weighted by
//! tag name and class words and discounted by link density.

use std::collections::{BTreeMap, HashSet};

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::boiler::class_weight;
use super::stats::Stats;

/// The elements to render, in document order, and whether they are separate articles.
pub(super) struct Roots {
    /// The elements whose text is the page's main text.
    pub nodes: Vec<NodeId>,
    /// True when each element is an article of its own (a page of posts).
    pub several: bool,
    /// The list of alike items (see [`super::items`]) inside the element, whose link text is
    /// content.
    pub items: Option<NodeId>,
}

/// Text an `<article>` must hold to count as one of a page's articles, not a teaser card.
const ARTICLE_MIN_CHARS: usize = 200;

/// The share of the page's text (tenths) that its `<article>`s must hold to be a page of posts.
const POSTS_SHARE: usize = 4;

/// Chooses the main content of a document. `dead` holds every node left out.
pub(super) fn main_roots(doc: &Html, stats: &Stats, dead: &HashSet<NodeId>, article: bool) -> Roots {
    let live = |n: &NodeRef<Node>| !dead.contains(&n.id());
    let elements = || doc.tree.root().descendants().filter(move |n| live(n) && matches!(n.value(), Node::Element(_)));

    let bodies: Vec<NodeId> = outermost(
        &elements()
            .filter(|n| attr_has(n, "itemprop", "articlebody") && stats.get(n.id()).chars >= 100)
            .map(|n| n.id())
            .collect::<Vec<_>>(),
        doc,
    );
    // Comments that outweigh the marked body (a forum thread's replies, each marked a schema.org
    // Comment, or its text `commentText`, under the opening post) are the page's content with it.
    let marked_comment =
        |n: &NodeRef<Node>| attr_has(n, "itemprop", "comment") || attr_has(n, "itemprop", "commenttext");
    let marked_comments = outermost(&elements().filter(marked_comment).map(|n| n.id()).collect::<Vec<_>>(), doc);
    let comments: usize = marked_comments.iter().map(|&id| prose(stats, id)).sum();
    let marked: usize = bodies.iter().map(|&id| stats.get(id).chars).sum();
    if marked >= 250 {
        if comments <= marked {
            let several = bodies.len() > 1;
            return Roots { nodes: bodies, several, items: None };
        }
        // Outweighed, the marked body and comments are the content: what lies between them
        // (authors' panes, signatures) is not.
        let nodes = outermost(&[bodies, marked_comments].concat(), doc);
        return Roots { nodes, several: false, items: None };
    }

    let top = best_candidate(doc, stats, dead);
    let articles: Vec<NodeId> = outermost(
        &elements()
            .filter(|n| {
                let m = stats.get(n.id());
                tag(n) == Some("article") && m.chars >= ARTICLE_MIN_CHARS && m.link_density() < 0.3
            })
            .map(|n| n.id())
            .collect::<Vec<_>>(),
        doc,
    );
    // Teaser cards beside one article are no page of posts: the articles must be of a size.
    let largest = articles.iter().map(|&a| stats.get(a).chars).max().unwrap_or(0);
    let articles: Vec<NodeId> = articles.into_iter().filter(|&a| stats.get(a).chars * 4 >= largest).collect();
    if let Some((top, scores)) = top {
        let inside_one = articles.iter().any(|&a| is_within(doc, top, a));
        let holds_several = articles.iter().filter(|&&a| is_within(doc, a, top)).count() >= 2;
        // The posts must be most of what the page shows: news teasers at the foot of a service
        // page are no page of posts.
        let posts: usize = articles.iter().map(|&a| stats.get(a).chars).sum();
        let shown = stats.get(doc.tree.root().id()).chars;
        if articles.len() >= 2 && (inside_one || holds_several) && posts * 10 >= shown * POSTS_SHARE {
            return Roots { nodes: articles, several: true, items: None };
        }
        let nodes = gather(doc, stats, with_siblings(doc, stats, dead, &scores, top));
        let nodes = match nodes[..] {
            [one] => vec![widen(doc, stats, one, article)],
            _ => nodes,
        };
        let roots = items_instead(doc, stats, dead, nodes.clone(), article);
        if article {
            return roots;
        }
        // The body, when the content is spread over it, with the item list found, if any.
        let spread = spread_over_body(doc, stats, nodes.clone());
        return match roots.items {
            _ if spread == nodes => roots,
            Some(items) => Roots { nodes: spread, several: false, items: Some(items) },
            None => items_instead(doc, stats, dead, spread, article),
        };
    }
    let body = elements().find(|n| tag(n) == Some("body")).map(|n| n.id());
    items_instead(doc, stats, dead, body.into_iter().collect(), article)
}

/// The chosen elements, or the page's `<body>` when they hold under [`BODY_SHARE`] of the
/// text outside links that it holds (what is left of it once chrome is left out), it is
/// under [`BODY_LINKS`] link text, and the page holds no `<article>`: a landing or catalogue
/// page whose content is spread over many sections, only one of which scores as prose.
fn spread_over_body(doc: &Html, stats: &Stats, nodes: Vec<NodeId>) -> Vec<NodeId> {
    let mut elements = doc.tree.root().descendants().filter(|n| matches!(n.value(), Node::Element(_)));
    let Some(body) = elements.find(|n| tag(n) == Some("body")).map(|n| n.id()) else { return nodes };
    if doc.tree.root().descendants().any(|n| tag(&n) == Some("article")) {
        return nodes;
    }
    let chosen: usize = nodes.iter().map(|&n| prose(stats, n)).sum();
    if chosen * 100 < prose(stats, body) * BODY_SHARE && stats.get(body).link_density() < BODY_LINKS {
        vec![body]
    } else {
        nodes
    }
}

/// The share (percent) of the body's text outside links that the chosen elements of a page
/// that is no article must hold; under it, the body is the content.
const BODY_SHARE: usize = 50;

/// The link density under which a page's body may be its content.
const BODY_LINKS: f64 = 0.5;

/// Blocks (siblings, or chunks of one text) give way to the innermost element holding them
/// all, below `<body>` and with little link text, so that the lists, headings, tables and
/// sections of other shapes between and after them come along (a service page's sections,
/// only some of which score as prose).
fn gather(doc: &Html, stats: &Stats, nodes: Vec<NodeId>) -> Vec<NodeId> {
    let Some((&first, rest)) = nodes.split_first() else { return nodes };
    if rest.is_empty() {
        return nodes;
    }
    let common = rest.iter().fold(first, |c, &n| common_ancestor(doc, c, n));
    let page_level = doc.tree.get(common).is_none_or(|c| tag(&c).is_none_or(|t| t == "body" || t == "html"));
    if !page_level && stats.get(common).link_density() < 0.3 {
        vec![common]
    } else {
        nodes
    }
}

/// The text of an element outside links.
pub(super) fn prose(stats: &Stats, id: NodeId) -> usize {
    let m = stats.get(id);
    m.chars - m.link_chars
}

/// The text of an element outside links and outside teasers.
pub(super) fn own_prose(stats: &Stats, id: NodeId) -> usize {
    let m = stats.get(id);
    m.chars.saturating_sub(m.link_chars.max(m.teaser_chars))
}

/// The content spread over sibling sections (a service page's "what we do", "how it works",
/// "prices"): the highest ancestor of `top`, up to `<body>` and not past an `<article>`,
/// that holds far more text outside links than `top` does, with little link text of its own.
/// Around a page that says it is an article, what lies beside its text is mostly teasers and
/// lists of other posts: they count for no growth, and a wrapper dense with links is no content.
fn widen(doc: &Html, stats: &Stats, top: NodeId, article: bool) -> NodeId {
    let Some(top_ref) = doc.tree.get(top) else { return top };
    let mut chosen = top;
    for ancestor in top_ref.ancestors() {
        if tag(&ancestor).is_none_or(|t| t == "html") {
            break;
        }
        // An <article> is a composition of its own, whatever lies beside it.
        if doc.tree.get(chosen).is_some_and(|c| tag(&c) == Some("article")) {
            break;
        }
        // Beside an article, teasers (related posts with their excerpts) are no growth.
        let wider = if article { own_prose(stats, ancestor.id()) } else { prose(stats, ancestor.id()) };
        let grows = wider * 10 >= prose(stats, chosen) * WIDEN_GROWTH;
        // Around an article, wrappers whose links are a fifth of their text hold lists of other
        // posts beside it.
        let links = if article { ARTICLE_WIDEN_LINKS } else { WIDEN_LINKS };
        if grows && stats.get(ancestor.id()).link_density() < links {
            chosen = ancestor.id();
        }
    }
    chosen
}

/// How much more text outside links (in tenths) an ancestor must hold to be the content.
const WIDEN_GROWTH: usize = 16;

/// The link density below which an ancestor may be the content; around a page that says it
/// is an article, a lower one.
const WIDEN_LINKS: f64 = 0.3;
const ARTICLE_WIDEN_LINKS: f64 = 0.2;

/// Text outside links (characters) that makes the chosen elements an article, which no list
/// of teasers beside it replaces.
const ITEMS_BEAT_PROSE: usize = 1200;

/// How much more text (in tenths) than the chosen elements hold outside links an item list
/// must hold to replace a text of article length.
const ITEMS_OUTWEIGH: usize = 18;

/// Whether an item list outweighs a text of article length: on a page that does not say it is
/// an article, a list holding nearly twice its text is the content (a shop's grid under a
/// buying guide or a list of questions), the text its preamble.
fn outweighs(list_chars: usize, prose: usize, article: bool) -> bool {
    list_chars * 10 >= prose * ITEMS_OUTWEIGH && !article
}

/// The chosen elements, or instead the page's largest item list when it holds much more text
/// than they hold outside links and they are no article (see [`outweighs`]): the content of a
/// collection or listing page.
fn items_instead(doc: &Html, stats: &Stats, dead: &HashSet<NodeId>, nodes: Vec<NodeId>, article: bool) -> Roots {
    let prose: usize = nodes.iter().map(|&n| stats.get(n).chars - stats.get(n).link_chars).sum();
    match super::items::largest(doc, stats, dead) {
        Some(list)
            if list.chars * 2 > prose * 3 && (prose < ITEMS_BEAT_PROSE || outweighs(list.chars, prose, article)) =>
        {
            // The chosen text joins the list when the two sit together with little else (a
            // category's description above its products).
            let joined = match nodes[..] {
                [one] => {
                    let both = common_ancestor(doc, one, list.node);
                    let page_level =
                        doc.tree.get(both).is_none_or(|n| tag(&n).is_none_or(|t| t == "body" || t == "html"));
                    let alone = stats.get(both).chars * 10 <= (stats.get(list.node).chars + stats.get(one).chars) * 13;
                    (!page_level && alone).then_some(both)
                }
                _ => None,
            };
            Roots { nodes: vec![joined.unwrap_or(list.node)], several: false, items: Some(list.node) }
        }
        _ => Roots { nodes, several: false, items: None },
    }
}

/// Readability scores of the candidate elements, link density discounted.
type Scores = BTreeMap<NodeId, f64>;

/// The element with the best Readability score, promoted to a common ancestor when several
/// nearly as good candidates share one, or when an ancestor scores better still; with every
/// candidate's score.
fn best_candidate(doc: &Html, stats: &Stats, dead: &HashSet<NodeId>) -> Option<(NodeId, Scores)> {
    // A BTreeMap, so that ties go to the earlier element and the result never depends on
    // hashing order.
    let mut scores: BTreeMap<NodeId, f64> = BTreeMap::new();
    for node in doc.tree.root().descendants() {
        if dead.contains(&node.id()) {
            continue;
        }
        let Some(name) = tag(&node) else { continue };
        let m = stats.get(node.id());
        let paragraph = matches!(name, "p" | "pre" | "td" | "blockquote")
            || (matches!(name, "div" | "section" | "article" | "main" | "font") && m.own_chars >= 25);
        if !paragraph || m.chars < 25 {
            continue;
        }
        // Commas in code are syntax, not clauses.
        let commas = if name == "pre" { 0.0 } else { m.commas as f64 };
        let score = 1.0 + commas + (m.chars as f64 / 100.0).min(3.0);
        // A container holding bare text (paragraphs apart by <br>) is its own candidate too:
        // Readability turns such a div into a paragraph, whose parent may hold the menus.
        let bare = name != "p" && m.own_chars * 2 >= m.chars;
        let own = bare.then_some(node);
        for (level, ancestor) in own.into_iter().chain(node.ancestors()).take(5).enumerate() {
            if tag(&ancestor).is_none() {
                break;
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            *scores.entry(ancestor.id()).or_insert_with(|| initial_score(&ancestor)) += score / divider;
        }
    }
    let scores: Scores = scores.into_iter().map(|(id, s)| (id, s * (1.0 - stats.get(id).link_density()))).collect();
    let mut ranked: Vec<(NodeId, f64)> = scores.iter().map(|(&id, &s)| (id, s)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(top, top_score) = ranked.first()?;
    let top = climb(doc, &scores, &ranked, top, top_score);
    Some((top, scores))
}

fn climb(doc: &Html, scores: &Scores, ranked: &[(NodeId, f64)], top: NodeId, top_score: f64) -> NodeId {
    let Some(top_ref) = doc.tree.get(top) else { return top };
    // Text split over sibling blocks: when three of the next candidates, each nearly as good,
    // sit under one ancestor of the top, that ancestor is the content.
    let close: Vec<NodeId> =
        ranked[1..ranked.len().min(6)].iter().filter(|(_, s)| *s >= top_score * 0.75).map(|&(id, _)| id).collect();
    // An <article> is a composition of its own: the content never grows past the innermost
    // one holding the top (beyond it lie the related posts a page nests beside the story).
    let boundary = std::iter::once(top_ref).chain(top_ref.ancestors()).find(|n| tag(n) == Some("article"));
    let beyond = move |n: &NodeRef<Node>| boundary.is_some_and(|b| b.ancestors().any(|a| a.id() == n.id()));
    let page_level = |n: &NodeRef<Node>| tag(n).is_none_or(|t| t == "body" || t == "html") || beyond(n);
    if close.len() >= 3 {
        for ancestor in top_ref.ancestors() {
            if page_level(&ancestor) {
                break;
            }
            if close.iter().filter(|&&c| is_within(doc, c, ancestor.id())).count() >= 3 {
                return ancestor.id();
            }
        }
    }
    // An ancestor that gathered more points from its children than the top holds more of the
    // text; stop when the scores fall below a third of the top's.
    let mut last = top_score;
    for ancestor in top_ref.ancestors() {
        if page_level(&ancestor) {
            break;
        }
        let Some(&score) = scores.get(&ancestor.id()) else { continue };
        if score < top_score / 3.0 {
            break;
        }
        if score > last {
            return ancestor.id();
        }
        last = score;
    }
    top
}

fn initial_score(node: &NodeRef<Node>) -> f64 {
    let Node::Element(element) = node.value() else { return 0.0 };
    let by_tag = match element.name() {
        "article" => 10.0,
        "div" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    by_tag + 25.0 * f64::from(class_weight(element))
}

/// The top candidate and those of its siblings that look like part of the same text.
fn with_siblings(doc: &Html, stats: &Stats, dead: &HashSet<NodeId>, scores: &Scores, top: NodeId) -> Vec<NodeId> {
    let Some(top_ref) = doc.tree.get(top) else { return vec![top] };
    let Some(parent) = top_ref.parent() else { return vec![top] };
    let top_chars = stats.get(top).chars as f64;
    let top_class = class_of(&top_ref);
    let top_score = scores.get(&top).copied().unwrap_or(0.0);
    let mut nodes = Vec::new();
    for sibling in parent.children() {
        if sibling.id() == top {
            nodes.push(top);
            continue;
        }
        if dead.contains(&sibling.id()) || tag(&sibling).is_none() {
            continue;
        }
        let m = stats.get(sibling.id());
        let same_class = top_class.is_some() && class_of(&sibling) == top_class;
        let ld = m.link_density();
        let bonus = if same_class { top_score * 0.2 } else { 0.0 };
        let score = scores.get(&sibling.id()).copied().unwrap_or(0.0) + bonus;
        let keep = score >= (top_score * 0.2).max(10.0)
            || (same_class && m.chars as f64 >= 0.2 * top_chars && ld < 0.3)
            || (tag(&sibling) == Some("p") && ((m.chars > 80 && ld < 0.25) || (m.chars >= 30 && ld == 0.0)));
        if keep {
            nodes.push(sibling.id());
        }
    }
    // Text split into chunks that are not siblings ("article__body" in every section of a
    // long read): elements elsewhere with the top's tag and class, holding prose, join it.
    if let Some(class) = top_class {
        let name = tag(&top_ref);
        // Chunks of one text share its <article>, if it has one.
        let article_of = |n: NodeRef<Node>| {
            std::iter::once(n).chain(n.ancestors()).find(|a| tag(a) == Some("article")).map(|a| a.id())
        };
        let home = article_of(top_ref);
        let chunks = doc.tree.root().descendants().filter(|n| {
            let m = stats.get(n.id());
            !dead.contains(&n.id())
                && tag(n) == name
                && class_of(n) == Some(class)
                && m.chars >= 100
                && m.link_density() < 0.3
                && article_of(*n) == home
                && !nodes.iter().any(|&k| is_within(doc, n.id(), k) || is_within(doc, k, n.id()))
        });
        let chunks: Vec<NodeId> = chunks.map(|n| n.id()).collect();
        nodes.extend(chunks);
        nodes.sort();
    }
    nodes
}

fn class_of<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    match node.value() {
        Node::Element(e) => e.attr("class").filter(|c| !c.is_empty()),
        _ => None,
    }
}

/// The element's tag name, `None` for a node that is not an element.
pub(super) fn tag<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    match node.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

/// Whether an attribute's value, as space-separated words, holds `word` (ASCII case ignored).
pub(super) fn attr_has(node: &NodeRef<Node>, attr: &str, word: &str) -> bool {
    match node.value() {
        Node::Element(e) => e.attr(attr).is_some_and(|v| v.split_whitespace().any(|w| w.eq_ignore_ascii_case(word))),
        _ => false,
    }
}

/// Whether `inner` is `outer` or lies inside it.
pub(super) fn is_within(doc: &Html, inner: NodeId, outer: NodeId) -> bool {
    doc.tree.get(inner).is_some_and(|n| n.id() == outer || n.ancestors().any(|a| a.id() == outer))
}

/// The innermost element holding both `a` and `b`.
fn common_ancestor(doc: &Html, a: NodeId, b: NodeId) -> NodeId {
    let Some(a_ref) = doc.tree.get(a) else { return a };
    std::iter::once(a_ref).chain(a_ref.ancestors()).find(|n| is_within(doc, b, n.id())).map_or(a, |n| n.id())
}

/// The nodes of `ids` that no other node of `ids` contains.
fn outermost(ids: &[NodeId], doc: &Html) -> Vec<NodeId> {
    if ids.len() < 2 {
        return ids.to_vec();
    }
    // One walk in document order, skipping what lies inside an element already taken.
    let wanted: HashSet<NodeId> = ids.iter().copied().collect();
    let mut out = Vec::new();
    let mut inside: Option<NodeId> = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(n) if inside.is_none() && wanted.contains(&n.id()) => {
                out.push(n.id());
                inside = Some(n.id());
            }
            Edge::Close(n) if inside == Some(n.id()) => inside = None,
            _ => {}
        }
    }
    out
}
