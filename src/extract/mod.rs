//! HTML extraction, a content stage beside `clean` and `segment`: an HTML page's main text with
//! its shape. (Telling HTML from text and reading a page's own URL from its head is input's:
//! `input::looks_like_html`, `input::head_url`.)
//!
//! [`extract`] renders a page's main content as the plain text the cleaner and segmenter
//! already read: for each article its title on a line of its own, then its date as an ISO date
//! line (from `<time datetime>` or the page's publication metadata), then its paragraphs, list
//! items and subheadings one per line, with blank lines between. Chrome is left out by tag
//! (`nav`, `footer`, `aside`, `form`, ...), by ARIA role, by class and id words (menu, share,
//! cookie, comment, related, sidebar, ad, ...), by link density, and by choosing the element
//! that holds the article text (see `docs/inputs.md` for the method and its score).

mod boiler;
mod bound;
mod items;
mod select;
mod stats;

mod render;

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use select::{attr_has, tag};
use stats::Stats;

/// What [`extract_page`] finds in an HTML page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The main text, shaped as plain text for the cleaner (see the module documentation).
    pub text: String,
    /// The markup nested deeper than [`MAX_DEPTH`] elements or had a tag with more than
    /// [`MAX_ATTRIBUTES`] attributes: the text is extracted from what was kept within those
    /// bounds (the deeper elements' text stays; their tags and the extra attributes do not).
    pub bounded: bool,
    /// The main content is a list of alike items named by links (a shop's product grid, a
    /// catalogue's entries; see `items`): a listing rather than articles.
    pub items: bool,
}

pub use bound::{MAX_ATTRIBUTES, MAX_DEPTH};

/// Extracts the main text of an HTML page, shaped as plain text for the cleaner (see the
/// module documentation). A page with no text gives an empty string.
pub fn extract(html: &str) -> String {
    extract_page(html).text
}

/// Extracts the main text of an HTML page; see [`Extracted`].
pub fn extract_page(html: &str) -> Extracted {
    let (markup, bounded) = bound::bound_page(html);
    let doc = parse(&markup);
    let (text, items) = extract_doc(&doc);
    Extracted { text, bounded, items }
}

/// Parses a document as a browser with scripting off does, so that the content a page keeps
/// in `<noscript>` for crawlers (forums, single-page apps) is markup, not text.
fn parse(html: &str) -> Html {
    use html5ever::tendril::TendrilSink;
    let options = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts { scripting_enabled: false, ..Default::default() },
        ..Default::default()
    };
    html5ever::parse_document(scraper::HtmlTreeSink::new(Html::new_document()), options).one(html)
}

/// The page's main text, and whether it is a list of items.
fn extract_doc(doc: &Html) -> (String, bool) {
    let first = Stats::measure(doc, &HashSet::new());
    let declared = boiler::Declared::of(doc);
    let removed = boiler::prune(doc, &first, declared);
    let dead = subtree_nodes(doc, &removed);
    let stats = Stats::measure(doc, &removed);
    let roots = select::main_roots(doc, &stats, &dead, declared.article);
    // Beside a text, teasers of other posts are no content; on a page of items they are.
    let teasers_out = roots.items.is_none() && !roots.several;
    let article = declared.article;
    let mut out: Vec<String> = Vec::new();
    // The headline and date of a text, printed into `out`, and what to skip for them.
    let lead = |root: NodeId, out: &mut Vec<String>| {
        let scope = if roots.several { root } else { doc.tree.root().id() };
        let title = title_heading(doc, root, scope, roots.several, &dead);
        let title = if roots.several { title.map(|(id, t)| (Some(id), t)) } else { own_headline(doc, &dead, title) };
        let date = date_of(doc, scope, roots.several);
        let mut skip = dead.clone();
        if let Some((id, text)) = &title {
            skip.extend(*id);
            out.push(text.clone());
        }
        if let Some((time_id, iso)) = date {
            out.push(iso);
            // The line that printed the date ("By A. Writer | 3 May 2024") goes with it.
            if let Some(id) = time_id.and_then(|t| dateline(doc, t, &stats)) {
                skip.insert(id);
            }
        }
        skip
    };
    // Several articles each have their own; the roots of one text share its first root's.
    let mut skip = HashSet::new();
    for (k, &root) in roots.nodes.iter().enumerate() {
        if roots.several || k == 0 {
            skip = lead(root, &mut out);
        }
        let items = if roots.several {
            roots.items
        } else {
            roots.items.or_else(|| inner_items(doc, root, &stats, &dead, article))
        };
        let cx = render::Context { stats: &stats, first: &first, skip: &skip, items, teasers_out, article };
        out.extend(render::blocks(doc, root, &cx));
    }
    drop_repeated_labels(&mut out);
    drop_copies(&mut out);
    let mut text = out.join("\n\n");
    text.push('\n');
    // Items whose names are links (a product grid, a catalogue), not posts of a thread.
    let items = roots.items.is_some_and(|i| stats.get(i).link_density() >= ITEM_LINKS);
    (text, items)
}

/// The list of alike items named by links inside the chosen text of a page that does not say
/// it is an article (a service page's cards, a category's grid under its description): its
/// links and teasers are content, as on a page of items. A list that is nearly all the chosen
/// text is that text, not a list inside it.
fn inner_items(doc: &Html, root: NodeId, stats: &Stats, dead: &HashSet<NodeId>, article: bool) -> Option<NodeId> {
    let list = items::largest_under(doc.tree.get(root)?, stats, dead)?;
    let m = stats.get(list.node);
    let part = m.chars * 100 < stats.get(root).chars * INNER_ITEMS_SHARE;
    (part && m.chars >= INNER_ITEMS_CHARS && m.link_density() >= INNER_ITEM_LINKS && !article).then_some(list.node)
}

/// The largest share (per cent) of the chosen text an item list inside it holds.
const INNER_ITEMS_SHARE: usize = 99;

/// The least text (characters) of an item list inside the chosen text.
const INNER_ITEMS_CHARS: usize = 200;

/// The least share of an item list's text in links for its items to be entries named by links
/// inside the chosen text.
const INNER_ITEM_LINKS: f64 = 0.2;

/// The share of an item list's text in links from which its items are entries named by links
/// (products, headlines) rather than posts.
const ITEM_LINKS: f64 = 0.3;

/// The longest block (characters) taken for a label when it repeats.
const LABEL_CHARS: usize = 24;

/// How often a label must occur to be a control rather than content.
const LABEL_REPEATS: usize = 3;

/// Leaves out short blocks printed again and again: the controls of an item list or a thread
/// ("Add to cart", "Reply", "Verified buyer"), not its content.
fn drop_repeated_labels(blocks: &mut Vec<String>) {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for block in blocks.iter() {
        // Prices and counts repeat because the items share them; they are content.
        if block.chars().count() <= LABEL_CHARS && !block.contains(|c: char| c.is_numeric()) {
            *counts.entry(block.as_str()).or_insert(0) += 1;
        }
    }
    let labels: HashSet<String> =
        counts.into_iter().filter(|&(_, n)| n >= LABEL_REPEATS).map(|(b, _)| b.to_owned()).collect();
    if !labels.is_empty() {
        blocks.retain(|b| !labels.contains(b));
    }
}

/// The fewest blocks in a row, each printed before, that make a copy of a passage.
const COPY_RUN: usize = 3;

/// The least text (characters) of a copied passage: a pricing table's features printed
/// under each plan hold less.
const COPY_CHARS: usize = 800;

/// Leaves out passages printed again: pages that print their text once per screen size (a
/// desktop, a tablet and a phone variant, two of them hidden by style sheets). A run of at
/// least [`COPY_RUN`] blocks, each printed before, holding [`COPY_CHARS`], goes; a line printed
/// again (an offer's terms under each item, a plan's features under each plan) stays.
fn drop_copies(blocks: &mut Vec<String>) {
    let mut seen: HashSet<&str> = HashSet::new();
    let copied: Vec<bool> = blocks.iter().map(|b| !seen.insert(b.as_str())).collect();
    let mut keep = vec![true; blocks.len()];
    let mut start = 0;
    while start < blocks.len() {
        if !copied[start] {
            start += 1;
            continue;
        }
        let end = (start..blocks.len()).find(|&i| !copied[i]).unwrap_or(blocks.len());
        let chars: usize = blocks[start..end].iter().map(|b| b.chars().count()).sum();
        if end - start >= COPY_RUN && chars >= COPY_CHARS {
            keep[start..end].iter_mut().for_each(|k| *k = false);
        }
        start = end;
    }
    let mut at = 0;
    blocks.retain(|_| {
        at += 1;
        keep[at - 1]
    });
}

/// Every node inside the `removed` subtrees.
fn subtree_nodes(doc: &Html, removed: &HashSet<NodeId>) -> HashSet<NodeId> {
    let mut dead = HashSet::new();
    let mut inside: Option<NodeId> = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(n) => {
                if inside.is_none() && removed.contains(&n.id()) {
                    inside = Some(n.id());
                }
                if inside.is_some() {
                    dead.insert(n.id());
                }
            }
            Edge::Close(n) if inside == Some(n.id()) => inside = None,
            Edge::Close(_) => {}
        }
    }
    dead
}

/// The article's title: the first `<h1>` (or for one of several articles, the first heading)
/// inside the root, else, for a single article, the page's first `<h1>` anywhere.
fn title_heading(
    doc: &Html,
    root: NodeId,
    scope: NodeId,
    several: bool,
    dead: &HashSet<NodeId>,
) -> Option<(NodeId, String)> {
    let wanted = |n: &NodeRef<Node>| {
        !dead.contains(&n.id())
            && match tag(n) {
                Some("h1") => true,
                Some("h2" | "h3") => several,
                _ => false,
            }
    };
    let in_root = doc.tree.get(root)?.descendants().find(|n| wanted(n));
    let found = in_root.or_else(|| doc.tree.get(scope)?.descendants().find(|n| wanted(n)))?;
    let text = squash(found);
    (!text.is_empty() && text.chars().count() <= 300).then(|| (found.id(), text))
}

/// The page's own headline for a single text: the chosen heading when it agrees with the
/// document's title (`og:title`, else `<title>`), else the page's `<h1>` that agrees best
/// with it, else, when the chosen heading shares no word with it ("Blog", the site's name),
/// the document's title without its site part. With no document title, the chosen heading.
fn own_headline(
    doc: &Html,
    dead: &HashSet<NodeId>,
    chosen: Option<(NodeId, String)>,
) -> Option<(Option<NodeId>, String)> {
    let Some(title) = document_title(doc) else { return chosen.map(|(id, t)| (Some(id), t)) };
    let parts = title_parts(&title, site_name(doc).as_deref());
    let core = parts.first().copied().unwrap_or(&title);
    let agreement = |h: &str| parts.iter().map(|p| agreement(h, p)).fold(0.0, f64::max);
    if chosen.as_ref().is_some_and(|(_, t)| agreement(t) >= AGREES) {
        return chosen.map(|(id, t)| (Some(id), t));
    }
    let best = doc
        .tree
        .root()
        .descendants()
        .filter(|n| tag(n) == Some("h1") && !dead.contains(&n.id()))
        .map(|n| (n.id(), squash(n)))
        .filter(|(_, t)| !t.is_empty() && t.chars().count() <= 300)
        .map(|(id, t)| (agreement(&t), id, t))
        .filter(|(a, _, _)| *a >= AGREES)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    if let Some((_, id, text)) = best {
        return Some((Some(id), text));
    }
    match chosen {
        Some((_, t)) if self::agreement(&t, core) == 0.0 => Some((None, core.to_owned())),
        other => other.map(|(id, t)| (Some(id), t)),
    }
}

/// The share of words a headline and a title share that makes them name one text.
const AGREES: f64 = 0.5;

/// The site's name from `og:site_name`.
fn site_name(doc: &Html) -> Option<String> {
    doc.tree.root().descendants().find_map(|n| match n.value() {
        Node::Element(e)
            if e.name() == "meta"
                && e.attr("property").or(e.attr("name")).is_some_and(|p| p.eq_ignore_ascii_case("og:site_name")) =>
        {
            e.attr("content").map(|c| c.trim().to_owned()).filter(|c| !c.is_empty())
        }
        _ => None,
    })
}

/// The document's title: `og:title`, else `<title>`, white space collapsed.
fn document_title(doc: &Html) -> Option<String> {
    let mut plain = None;
    for node in doc.tree.root().descendants() {
        let Node::Element(e) = node.value() else { continue };
        match e.name() {
            "meta" if e.attr("property").or(e.attr("name")).is_some_and(|p| p.eq_ignore_ascii_case("og:title")) => {
                let text = e.attr("content").unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    return Some(text);
                }
            }
            "title" if plain.is_none() => plain = Some(squash(node)).filter(|t| !t.is_empty()),
            "body" => break,
            _ => {}
        }
    }
    plain
}

/// The parts of a document title apart by " | ", " - ", " – ", " — " or " · ", but for the
/// site's name: the first is the title without the site part set after it.
fn title_parts<'a>(title: &'a str, site: Option<&str>) -> Vec<&'a str> {
    let mut parts = vec![title];
    for sep in [" | ", " - ", " – ", " — ", " · "] {
        parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
    }
    let is_site = |p: &str| site.is_some_and(|s| p.eq_ignore_ascii_case(s));
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty() && !is_site(p)).collect()
}

/// How far a heading and a title name one text: 1 when the heading holds the title, else the
/// words they share over the words of the longer.
fn agreement(heading: &str, title: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let (h, t) = (words(heading), words(title));
    if h.is_empty() || t.is_empty() {
        return 0.0;
    }
    if h.join(" ").contains(&t.join(" ")) {
        return 1.0;
    }
    let shared = h.iter().filter(|w| t.contains(w)).count().min(t.len());
    shared as f64 / h.len().max(t.len()) as f64
}

/// The article's date as `YYYY-MM-DD`, from the first `<time datetime>` in scope, else the
/// page's publication metadata; with the `<time>` element it came from.
fn date_of(doc: &Html, scope: NodeId, several: bool) -> Option<(Option<NodeId>, String)> {
    let scope = doc.tree.get(scope)?;
    for node in scope.descendants() {
        if let Node::Element(e) = node.value() {
            if e.name() == "time" {
                if let Some(iso) = e.attr("datetime").and_then(iso_date) {
                    return Some((Some(node.id()), iso));
                }
            }
        }
    }
    if several {
        return None;
    }
    scope.descendants().find_map(|node| {
        let Node::Element(e) = node.value() else { return None };
        let published = matches!(e.attr("property").or(e.attr("name")), Some("article:published_time"))
            || attr_has(&node, "itemprop", "datepublished");
        let value = e.attr("content").or(e.attr("datetime"))?;
        published.then(|| iso_date(value)).flatten().map(|d| (None, d))
    })
}

/// The `YYYY-MM-DD` at the start of a machine-readable date.
fn iso_date(value: &str) -> Option<String> {
    let date = value.trim().get(..10)?;
    let b = date.as_bytes();
    let shaped =
        b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shaped.then(|| date.to_owned())
}

/// What to leave out with a `<time>` element whose date was printed as a date line: the
/// short block holding it (a byline), or the element alone when it stands in a whole article;
/// nothing when it sits in prose.
fn dateline(doc: &Html, time: NodeId, stats: &Stats) -> Option<NodeId> {
    let node = doc.tree.get(time)?;
    let block = node.ancestors().find(|a| tag(a).is_some_and(|t| t != "span" && t != "a" && t != "time"))?;
    if matches!(tag(&block), Some("article" | "main" | "body" | "section")) {
        return Some(time);
    }
    (stats.get(block.id()).chars <= 120).then(|| block.id())
}

/// The text of a subtree with white space collapsed.
pub(super) fn squash(node: NodeRef<Node>) -> String {
    let mut words = Vec::new();
    for n in node.descendants() {
        if let Node::Text(t) = n.value() {
            words.extend(t.split_whitespace());
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests;
