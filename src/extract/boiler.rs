//! Which elements are boilerplate by their own evidence: tag name, role, hidden state, and the
//! words in their class and id.

use std::collections::{HashMap, HashSet};

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::node::Element;
use scraper::{Html, Node};

use super::stats::Stats;

/// Elements that never hold a page's main text.
const DROP_TAGS: &[&str] = &[
    "script",
    "style",
    "template",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "input",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "dialog",
    "head",
    "map",
    "math",
    "figcaption",
];

/// Elements that frame a page, left out unless they hold its content (some sites wrap the
/// whole page in a `<form>`).
const FRAME_TAGS: &[&str] = &["nav", "footer", "aside", "form", "menu"];

/// Text (characters) of a form or header that wraps a page's content.
const WRAPPING_CHARS: usize = 1500;

/// ARIA landmarks and widgets that frame a page rather than fill it.
const DROP_ROLES: &[&str] =
    &["navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu", "menubar", "alert"];

/// Class or id words (after splitting on `-`, `_`, spaces and case changes) that mark chrome
/// whatever the element holds; with [`WEAK_NEGATIVE`], every chrome word.
const STRONG_NEGATIVE: &[&str] = &[
    "footer",
    "share",
    "sharing",
    "social",
    "cookie",
    "cookies",
    "consent",
    "comment",
    "comments",
    "related",
    "sidebar",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "adslot",
    "newsletter",
    "subscribe",
    "subscription",
    "outbrain",
    "taboola",
    "disqus",
    "recommended",
    "recirculation",
    "signup",
    // What search appliances are told to skip.
    "nocontent",
    "noindex",
];

/// Chrome words that also count inside run-together class names ("relatedposts",
/// "sharedaddy", "commentlist").
const NEGATIVE_STEMS: &[&str] =
    &["related", "sidebar", "share", "social", "newsletter", "cookie", "advert", "sponsor", "breadcrumb", "footer"];

/// Whether a class word marks chrome.
fn is_negative(word: &str) -> bool {
    STRONG_NEGATIVE.contains(&word)
        || WEAK_NEGATIVE.contains(&word)
        || NEGATIVE_STEMS.iter().any(|stem| word.len() > stem.len() && word.contains(stem))
}

/// Chrome words that page builders and themes also put on the blocks holding the content
/// ("elementor-widget-text-editor", "author-box", "modal-content"): an element they mark is
/// left out only when it holds no block of prose (see [`holds_prose`]).
const WEAK_NEGATIVE: &[&str] = &[
    // Skip links and screen-reader labels are a few words.
    "skip",
    "sr",
    // Menus, breadcrumbs and pagers are lists of links; a block of prose so named is not one
    // (a restaurant's menu, a "locations-menu" of addresses and opening hours).
    "menu",
    "nav",
    "navbar",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "pager",
    "widget",
    "author",
    "modal",
    "popup",
    "banner",
    "promo",
    "byline",
    "caption",
    "credit",
    "credits",
    "tagline",
    "masthead",
    "toolbar",
    "rating",
    "sponsor",
    "sponsored",
    "tags",
    "dateline",
];

/// Chrome words that name the parts or states of a card in a grid or list ("card__caption",
/// "widget", "rating", "subscription-eligible"): an item's own text, not chrome, when they
/// mark a card of an item list. (A carousel of promotions is alike slides: "promo" and
/// "banner" still mark chrome.)
const CARD_PARTS: &[&str] =
    &["widget", "caption", "credit", "credits", "tagline", "rating", "tags", "dateline", "subscription", "subscribe"];

/// Whether an element holds a block of prose: text of some length, little of it link text.
fn holds_prose(m: &super::stats::Measure) -> bool {
    m.chars >= 400 && m.link_density() < 0.25
}

/// Words that mark the content itself; an element carrying one is kept unless it is small.
const POSITIVE: &[&str] = &["article", "content", "main", "body", "post", "entry", "story", "text", "blog"];

/// Elements that are always walked into, whatever their class says.
const NEVER_DROP: &[&str] = &["html", "body", "main", "article"];

/// The words of an element's class and id, lower-cased.
pub(super) fn class_words(element: &Element) -> Vec<String> {
    let mut words = Vec::new();
    for value in [element.attr("class"), element.attr("id")].into_iter().flatten() {
        // CSS modules end a class name with a hash after a double underscore
        // ("table_root__adKqa"): letters, not words.
        for part in
            value.split_whitespace().flat_map(|class| strip_hash(class).split(|c: char| !c.is_ascii_alphanumeric()))
        {
            // camelCase and PascalCase split too: "shareButtons" is "share" and "buttons".
            let mut word = String::new();
            for c in part.chars() {
                if c.is_ascii_uppercase() && !word.is_empty() && !word.ends_with(|p: char| p.is_ascii_uppercase()) {
                    words.push(std::mem::take(&mut word));
                }
                word.push(c.to_ascii_lowercase());
            }
            if !word.is_empty() {
                words.push(word);
            }
        }
    }
    words
}

/// A class name without the hash a CSS module appends ("NavMenu_megaMenu__xyOE2"): a last
/// part after `__` of at most six letters and digits, some upper-case or a digit (a BEM
/// element, "card__title", is lower-case).
fn strip_hash(class: &str) -> &str {
    match class.rsplit_once("__") {
        Some((head, hash))
            if !head.is_empty()
                && (4..=6).contains(&hash.len())
                && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && hash.bytes().any(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
        {
            head
        }
        _ => class,
    }
}

/// +1 for content words, -1 for chrome words, 0 for neither or both.
pub(super) fn class_weight(element: &Element) -> i32 {
    let words = class_words(element);
    let negative = words.iter().any(|w| is_negative(w));
    let positive = words.iter().any(|w| POSITIVE.contains(&w.as_str()));
    i32::from(positive) - i32::from(negative)
}

/// Elements hidden until a script or a click shows them: tabs, accordions, and pages that a
/// script reveals whole.
fn hidden(element: &Element) -> bool {
    let style = element.attr("style").unwrap_or("").to_ascii_lowercase().replace(' ', "");
    element.attr("hidden").is_some()
        || element.attr("aria-hidden") == Some("true")
        || style.contains("display:none")
        || style.contains("visibility:hidden")
}

/// The elements to leave out, with everything inside them.
pub(super) fn prune(doc: &Html, stats: &Stats, declared: Declared) -> HashSet<NodeId> {
    let total = stats.get(doc.tree.root().id()).chars.max(1);
    let protected = protected(doc, stats);
    let texts = long_texts(doc);
    let members = super::items::members(doc, stats);
    let grids = grid_holders(doc, stats, &members);
    let mut removed = signup_boxes(doc, stats);
    // On a page of one product, its reviews, other products and the cart are beside it.
    let product = declared.product && !declared.article;
    if product {
        removed.extend(other_products(doc, stats, total, &protected));
    }
    // Elements dropped only for a comment word in their class: whether they go depends on
    // how much of what stays they hold (see [`discussion_is_content`]).
    let mut discussion = Vec::new();
    for node in doc.tree.root().descendants() {
        let Node::Element(element) = node.value() else { continue };
        let name = element.name();
        if NEVER_DROP.contains(&name) {
            continue;
        }
        let role = element.attr("role").unwrap_or("");
        // A form or header holding much of the page wraps its content (a filterable product
        // list, a page-wide ASP.NET form, a blog post set in a "header" section); a search
        // box, a sign-up form or a masthead holds little.
        let wrapping = matches!(name, "form" | "header") && {
            let m = stats.get(node.id());
            m.chars * 10 >= total * 4 && m.chars >= WRAPPING_CHARS && m.link_density() < 0.5
        };
        let frame = (FRAME_TAGS.contains(&name) && !wrapping)
            || DROP_ROLES.contains(&role)
            || (name == "header" && !wrapping && !node.ancestors().any(|a| is_tag(a.value(), "article")))
            || {
                let in_item = std::iter::once(node)
                    .chain(node.ancestors())
                    .take(ITEM_LEVELS + 1)
                    .any(|a| members.contains(&a.id()));
                let holds_grid = grids.contains(&node.id());
                let m = stats.get(node.id());
                let (chrome_if_thread, chrome_if_not) = chrome_by_class(element, &m, total, in_item, holds_grid);
                if !chrome_if_thread && chrome_if_not && !wraps_content(node, stats) && !protected.contains(&node.id())
                {
                    discussion.push(node.id());
                }
                chrome_if_thread && !wraps_content(node, stats)
            };
        let m = stats.get(node.id());
        // Hidden prose is content a click or a script shows (a tab, an answer, the whole
        // page); hidden menus and dialogs are not prose. `<noscript>` holds what a page shows
        // without scripts: a pixel or a notice, or on some sites the content itself.
        // A hidden wrapper holding most of the page is the page a script reveals when loaded;
        // a short `<noscript>` ("You need to enable JavaScript to run this app") is a notice,
        // even on a page with nothing else to show.
        let page = m.chars * 2 >= total && (name != "noscript" || m.chars >= NOTICE_CHARS);
        let hidden = (hidden(element) || name == "noscript")
            && !page
            && (!(holds_prose(&m) || is_panel(node, &m)) || shown_elsewhere(node, &texts));
        let beside_product = product
            && class_words(element).iter().any(|w| PRODUCT_CHROME.contains(&w.as_str()))
            && !wraps_content(node, stats);
        if DROP_TAGS.contains(&name) || hidden || ((frame || beside_product) && !protected.contains(&node.id())) {
            removed.insert(node.id());
        }
    }
    if !discussion_is_content(doc, stats, &removed, declared.article) {
        removed.extend(discussion);
    }
    removed
}

/// The most text (characters) of a `<noscript>` notice.
const NOTICE_CHARS: usize = 200;

/// The boxes around e-mail fields: a newsletter's pitch ("Join our mailing list", "Get the
/// latest posts in your inbox") with its field and button, up to the largest ancestor holding
/// little more text than such a box does.
fn signup_boxes(doc: &Html, stats: &Stats) -> HashSet<NodeId> {
    let mut boxes = HashSet::new();
    for node in doc.tree.root().descendants() {
        let Node::Element(e) = node.value() else { continue };
        if e.name() != "input" || !e.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("email")) {
            continue;
        }
        let outer = node
            .ancestors()
            .take_while(|a| {
                matches!(a.value(), Node::Element(x) if !NEVER_DROP.contains(&x.name()))
                    && stats.get(a.id()).chars <= SIGNUP_BOX_CHARS
            })
            .last();
        if let Some(outer) = outer {
            boxes.insert(outer.id());
        }
    }
    boxes
}

/// The most text (characters) of a box around an e-mail field.
const SIGNUP_BOX_CHARS: usize = 300;

/// Elements that hold the content by the page's own markup, and all their ancestors: `<main>`,
/// `itemprop="articleBody"`, and `<article>`s of some length whose class is not chrome; and
/// the ancestors of every `<h1>`, since a wrapper holding the headline is no sidebar, whatever
/// its class says ("page-container with-sidebar").
fn protected(doc: &Html, stats: &Stats) -> HashSet<NodeId> {
    let mut protected = HashSet::new();
    for node in doc.tree.root().descendants() {
        let Node::Element(element) = node.value() else { continue };
        let body = element.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articlebody"));
        let article = element.name() == "article" && stats.get(node.id()).chars >= 300 && class_weight(element) >= 0;
        if element.name() == "main" || body || article {
            protected.insert(node.id());
            protected.extend(node.ancestors().map(|a| a.id()));
        } else if element.name() == "h1" && !node.ancestors().any(|a| overlay(a)) {
            protected.extend(node.ancestors().map(|a| a.id()));
        }
    }
    protected
}

/// Whether an element is shown over the page or below it rather than in it: a footer, a
/// dialog, a modal or popup, a hidden element. A headline inside one protects nothing.
fn overlay(node: ego_tree::NodeRef<Node>) -> bool {
    let Node::Element(e) = node.value() else { return false };
    matches!(e.name(), "footer" | "dialog" | "aside")
        || e.attr("role").is_some_and(|r| r == "dialog" || r == "contentinfo")
        || hidden(e)
        || class_words(e).iter().any(|w| matches!(w.as_str(), "modal" | "popup" | "dialog" | "overlay" | "drawer"))
}

/// A chrome word in the class or id drops an element unless it holds much of the page's text:
/// a quarter when it also carries a content word, half otherwise (a page-wide wrapper named
/// "has-sidebar" is no sidebar). A weak word (see [`WEAK_NEGATIVE`]), or a chrome word found
/// only inside a run-together name ("seofootercopy"), drops an element only when it holds no
/// block of prose and is no heading; one naming a card's part ([`CARD_PARTS`]) not when it
/// marks a card of an item list or lies inside one (`in_item`).
///
/// Returns whether the element is chrome when comments are the page's content (their words
/// set aside), and whether it is when they are not.
fn chrome_by_class(
    element: &Element,
    m: &super::stats::Measure,
    total: usize,
    in_item: bool,
    holds_grid: bool,
) -> (bool, bool) {
    let words = class_words(element);
    let with_comments = chrome_by_words(element, &words, m, total, in_item, holds_grid);
    if !words.iter().any(|w| is_discussion(w)) {
        return (with_comments, with_comments);
    }
    let rest: Vec<String> = words.into_iter().filter(|w| !is_discussion(w)).collect();
    (chrome_by_words(element, &rest, m, total, in_item, holds_grid), with_comments)
}

/// [`chrome_by_class`] for the given class words.
fn chrome_by_words(
    element: &Element,
    words: &[String],
    m: &super::stats::Measure,
    total: usize,
    in_item: bool,
    holds_grid: bool,
) -> bool {
    let chars = m.chars;
    // Embedded posts ("social-media-embed", "twitter-tweet") are quoted content, not sharing.
    if words.iter().any(|w| w == "embed" || w == "tweet") {
        return false;
    }
    // A control styled as a button ("Add to cart", "Book now") or a tab holds a short label.
    let control = chars <= CONTROL_CHARS
        && (words.iter().any(|w| CONTROLS.contains(&w.as_str())) || element.attr("role") == Some("tab"));
    if control && !super::render::is_heading(element.name()) {
        return true;
    }
    let card_part = |w: &String| in_item && CARD_PARTS.contains(&w.as_str());
    let strong = words.iter().any(|w| STRONG_NEGATIVE.contains(&w.as_str()) && !card_part(w));
    let weak_applies = !holds_prose(m) && !super::render::is_heading(element.name());
    // Around a grid of cards, the controls' words ("filtering-and-pagination") name what
    // lies beside the grid.
    let grid_control = |w: &String| holds_grid && GRID_CONTROLS.contains(&w.as_str());
    let weak = words.iter().any(|w| is_negative(w) && !card_part(w) && !grid_control(w));
    let negative = strong || (weak_applies && weak);
    let positive = words.iter().any(|w| POSITIVE.contains(&w.as_str()));
    negative && (chars * 4 < total || (!positive && chars * 2 < total))
}

/// Class words of controls styled as buttons.
const CONTROLS: &[&str] = &["btn", "button", "buttons", "cta"];

/// The longest label (characters) of a control.
const CONTROL_CHARS: usize = 30;

/// Whether an element is a layout wrapper around the content ("layout-sidebar-left" holding
/// both the sidebar and "layout-main"): a child or grandchild named for content holds most
/// of its text.
fn wraps_content(node: ego_tree::NodeRef<Node>, stats: &Stats) -> bool {
    let chars = stats.get(node.id()).chars;
    // "content", "body" or "entry" name too many parts ("modal-content", "card-body") to tell.
    let content = |n: &ego_tree::NodeRef<Node>| match n.value() {
        Node::Element(e) => {
            stats.get(n.id()).chars * 2 >= chars
                && class_weight(e) > 0
                && class_words(e).iter().any(|w| matches!(w.as_str(), "main" | "article"))
        }
        _ => false,
    };
    node.children().any(|c| content(&c) || c.children().any(|g| content(&g)))
}

/// The elements whose text is mostly a grid of cards that are not all links (products with
/// their prices, courses with their blurbs): a weak chrome word on such a wrapper
/// ("filtering-and-pagination-container") names the controls beside the grid, not the grid.
fn grid_holders(doc: &Html, stats: &Stats, members: &HashSet<NodeId>) -> HashSet<NodeId> {
    let mut grids: HashMap<NodeId, usize> = HashMap::new();
    for &card in members {
        if let Some(parent) = doc.tree.get(card).and_then(|c| c.parent()) {
            *grids.entry(parent.id()).or_insert(0) += stats.get(card).chars;
        }
    }
    let mut holders = HashSet::new();
    for (grid, chars) in grids {
        let m = stats.get(grid);
        if chars < GRID_CHARS || m.link_density() >= GRID_LINKS {
            continue;
        }
        let Some(node) = doc.tree.get(grid) else { continue };
        for n in std::iter::once(node).chain(node.ancestors()) {
            if stats.get(n.id()).chars > chars * 2 {
                break;
            }
            holders.insert(n.id());
        }
    }
    holders
}

/// Weak chrome words naming the controls beside a grid (see [`grid_holders`]).
const GRID_CONTROLS: &[&str] = &["pagination", "pager", "toolbar", "widget", "nav", "navigation", "menu"];

/// The least text (characters) of a grid that its wrapper's class words cannot drop.
const GRID_CHARS: usize = 400;

/// The link density from which a grid is a menu rather than cards.
const GRID_LINKS: f64 = 0.7;

/// How many levels up from an element a card of an item list may be for the element to
/// count as part of it.
const ITEM_LEVELS: usize = 3;

/// Whether a hidden element is the panel of an accordion or a tab: text under a question or
/// label that a click shows (in `<details>`, or after a heading, a `<summary>` or a toggle).
fn is_panel(node: ego_tree::NodeRef<Node>, m: &super::stats::Measure) -> bool {
    if m.chars < PANEL_CHARS || m.link_density() >= PANEL_LINKS {
        return false;
    }
    // A panel the markup names as one: a tab's panel, an accordion's or a collapsed section.
    let Node::Element(own) = node.value() else { return false };
    if own.attr("role") == Some("tabpanel")
        || class_words(own).iter().any(|w| matches!(w.as_str(), "accordion" | "tabpanel" | "collapse" | "collapsible"))
    {
        return true;
    }
    if m.link_density() >= 0.3 {
        return false;
    }
    if node.ancestors().take(3).any(|a| is_tag(a.value(), "details")) {
        return true;
    }
    let Some(before) = node.prev_siblings().find(|s| matches!(s.value(), Node::Element(_))) else { return false };
    let Node::Element(e) = before.value() else { return false };
    matches!(e.name(), "summary" | "button" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt")
        || e.attr("aria-expanded").is_some()
        || e.attr("aria-controls").is_some()
        || (before.descendants().take(PANEL_HEAD_NODES).any(|d| match d.value() {
            Node::Element(x) => x.name() == "button" || x.attr("aria-expanded").is_some(),
            _ => false,
        }))
}

/// How many nodes of the element before a panel are searched for its toggle.
const PANEL_HEAD_NODES: usize = 12;

/// The link density from which a hidden panel is a menu.
const PANEL_LINKS: f64 = 0.5;

/// The least text (characters) of an accordion's panel.
const PANEL_CHARS: usize = 40;

/// How often each long text (a paragraph's worth) occurs on the page.
fn long_texts(doc: &Html) -> HashMap<&str, usize> {
    let mut texts = HashMap::new();
    for node in doc.tree.root().descendants() {
        if let Node::Text(t) = node.value() {
            let t = t.trim();
            if t.len() >= LONG_TEXT {
                *texts.entry(t).or_insert(0) += 1;
            }
        }
    }
    texts
}

/// Bytes of a text node that make it a paragraph's worth.
const LONG_TEXT: usize = 60;

/// Whether a hidden element's text is also on the page (a copy for scriptless readers, a
/// mobile version): its first long text occurs more than once.
fn shown_elsewhere(node: ego_tree::NodeRef<Node>, texts: &HashMap<&str, usize>) -> bool {
    let first = node.descendants().find_map(|n| match n.value() {
        Node::Text(t) if t.trim().len() >= LONG_TEXT => Some(t.trim()),
        _ => None,
    });
    first.is_some_and(|t| texts.get(t).is_some_and(|&n| n > 1))
}

/// Whether a class word marks comments or replies.
fn is_discussion(word: &str) -> bool {
    matches!(word, "comment" | "comments" | "reply" | "replies" | "disqus") || word.starts_with("comment")
}

/// Share of the page's text, in tenths, that comments must hold to be its content.
const DISCUSSION_SHARE: usize = 5;

/// Whether the page is a discussion (a forum thread, a Q&A page, a link aggregator's
/// comments): the elements marked as comments hold much of its text, so they are its content
/// rather than a thread under it. Either they hold half of the page's text outside links, or,
/// once the page's chrome (`removed`: menus, footers, cookie dialogs) is left out, they are
/// nearly all that stays under a headline. A page that says it is an article has its comments
/// under the article and is a discussion only in the second way (a link aggregator's story
/// page).
fn discussion_is_content(doc: &Html, stats: &Stats, removed: &HashSet<NodeId>, article: bool) -> bool {
    let prose = |id: NodeId| super::select::prose(stats, id);
    // Outermost comments, all of them and those that stay, and the prose left out; one walk,
    // remembering the outermost comment and the outermost element left out that it is in.
    let (mut all, mut staying, mut gone) = (0, 0, 0);
    let (mut comment, mut dropped): (Option<NodeId>, Option<NodeId>) = (None, None);
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                let Node::Element(element) = node.value() else { continue };
                if dropped.is_none() && removed.contains(&node.id()) {
                    dropped = Some(node.id());
                    gone += prose(node.id());
                    // Chrome inside a comment that stays (its reply button, its avatar).
                    if comment.is_some() {
                        staying -= prose(node.id()).min(staying);
                    }
                }
                if comment.is_none()
                    && !matches!(element.name(), "html" | "body" | "main")
                    && class_words(element).iter().any(|w| is_discussion(w))
                {
                    comment = Some(node.id());
                    all += prose(node.id());
                    if dropped.is_none() {
                        staying += prose(node.id());
                    }
                }
            }
            Edge::Close(node) => {
                if comment == Some(node.id()) {
                    comment = None;
                }
                if dropped == Some(node.id()) {
                    dropped = None;
                }
            }
        }
    }
    let page = prose(doc.tree.root().id());
    let live = page.saturating_sub(gone);
    let under_headline = staying > 0 && live - staying.min(live) < STORY_CHARS && staying * 10 >= live * 8;
    under_headline || (!article && all * 10 >= page * DISCUSSION_SHARE)
}

/// Text outside links and comments (characters) that makes a page declared an article more
/// than a headline over its comments: a short post under which readers wrote at length is
/// still the post.
const STORY_CHARS: usize = 200;

/// What the page says of itself in its head and its schema.org data, read in one walk.
#[derive(Debug, Clone, Copy)]
pub(super) struct Declared {
    /// The page says it is an article (`og:type` "article").
    pub article: bool,
    /// The page says it shows one product: `og:type` "product", or a single product in its
    /// schema.org data (JSON-LD or microdata). A shop's category page declares many, or none.
    pub product: bool,
}

impl Declared {
    pub(super) fn of(doc: &Html) -> Declared {
        let (mut article, mut og_product) = (false, false);
        // The same product may be declared in both forms: each form counts on its own.
        let (mut products, mut items) = (0usize, 0usize);
        for node in doc.tree.root().descendants() {
            let Node::Element(e) = node.value() else { continue };
            match e.name() {
                "meta" if e.attr("property").or(e.attr("name")).is_some_and(|p| p.eq_ignore_ascii_case("og:type")) => {
                    let kind = e.attr("content").unwrap_or("").trim().to_ascii_lowercase();
                    article |= kind == "article";
                    og_product |= matches!(kind.as_str(), "product" | "og:product" | "product.item");
                }
                "script" if e.attr("type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) => {
                    let text: String =
                        node.children().filter_map(|c| c.value().as_text().map(|t| t.to_string())).collect();
                    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                        products += json_products(&value);
                    }
                }
                _ => {
                    if e.attr("itemtype").is_some_and(|t| t.trim_end_matches('/').ends_with("schema.org/Product")) {
                        items += 1;
                    }
                }
            }
        }
        Declared { article, product: og_product || products.max(items) == 1 }
    }
}

/// The schema.org products a JSON-LD value describes at any depth (the offers and reviews of
/// one product are parts of it, not products; the product a review is of makes the page a
/// review, not a product's page).
fn json_products(value: &serde_json::Value) -> usize {
    use serde_json::Value;
    match value {
        Value::Array(items) => items.iter().map(json_products).sum(),
        Value::Object(map) => {
            let is_product = match map.get("@type") {
                Some(Value::String(t)) => t == "Product",
                Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some("Product")),
                _ => false,
            };
            if is_product {
                1
            } else {
                map.iter().filter(|(k, _)| k.as_str() != "itemReviewed").map(|(_, v)| json_products(v)).sum()
            }
        }
        _ => 0,
    }
}

/// On a page of one product, the sections a heading names as other products ("Customers also
/// bought", "Similar items", "Frequently bought together"): each is the innermost element
/// around such a heading (`<h2>` to `<h4>`) that holds more than the heading, unless it holds
/// the content by the page's own markup or half the page.
fn other_products(doc: &Html, stats: &Stats, total: usize, protected: &HashSet<NodeId>) -> Vec<NodeId> {
    let mut sections = Vec::new();
    for node in doc.tree.root().descendants() {
        let Node::Element(e) = node.value() else { continue };
        if !matches!(e.name(), "h2" | "h3" | "h4") {
            continue;
        }
        let heading = stats.get(node.id()).chars;
        if heading > OTHER_PRODUCTS_HEADING_CHARS {
            continue;
        }
        let text = super::squash(node).to_lowercase();
        if !OTHER_PRODUCTS.iter().any(|p| text.contains(p)) {
            continue;
        }
        let section = node.ancestors().find(|a| stats.get(a.id()).chars > heading + OTHER_PRODUCTS_MIN_CHARS);
        if let Some(section) = section {
            let m = stats.get(section.id());
            if !protected.contains(&section.id()) && m.chars * 2 < total {
                sections.push(section.id());
            }
        }
    }
    sections
}

/// What a heading over other products says (lower case).
const OTHER_PRODUCTS: &[&str] = &[
    "also viewed",
    "also bought",
    "also purchased",
    "also like",
    "also love",
    "customers who",
    "similar items",
    "similar products",
    "related products",
    "recommended for you",
    "frequently bought",
    "you might also",
    "you may also",
    "other items",
];

/// The longest heading (characters) that names a section of other products.
const OTHER_PRODUCTS_HEADING_CHARS: usize = 80;

/// What a section of other products holds beyond its heading (characters), at the least.
const OTHER_PRODUCTS_MIN_CHARS: usize = 40;

/// Class words that mark what a page of one product prints beside it (see
/// [`Declared::product`]): its reviews and ratings, other products, and the shopping cart.
const PRODUCT_CHROME: &[&str] = &[
    "review",
    "reviews",
    "rating",
    "ratings",
    "upsell",
    "upsells",
    "crosssell",
    "recommendations",
    "recently",
    "viewed",
    "cart",
    "minicart",
];

/// Whether a node is the element `tag`.
pub(super) fn is_tag(node: &Node, tag: &str) -> bool {
    matches!(node, Node::Element(e) if e.name() == tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(html: &str) -> Element {
        let doc = Html::parse_fragment(html);
        let found = doc.tree.root().descendants().find_map(|n| match n.value() {
            Node::Element(e) if e.name() == "div" => Some(e.clone()),
            _ => None,
        });
        found.expect("a div")
    }

    #[test]
    fn class_words_split_on_case_and_punctuation() {
        let e = element(r#"<div class="shareButtons post-body" id="main_ad"></div>"#);
        assert_eq!(class_words(&e), ["share", "buttons", "post", "body", "main", "ad"]);
        // A CSS module's hash is no word; a BEM element is.
        let e = element(r#"<div class="mdx-table_root__adKqa card__title"></div>"#);
        assert_eq!(class_words(&e), ["mdx", "table", "root", "card", "title"]);
    }

    #[test]
    fn weights() {
        assert_eq!(class_weight(&element(r#"<div class="sidebar"></div>"#)), -1);
        assert_eq!(class_weight(&element(r#"<div class="entry-content"></div>"#)), 1);
        assert_eq!(class_weight(&element(r#"<div class="post-comments"></div>"#)), 0);
        assert_eq!(class_weight(&element(r#"<div class="loader"></div>"#)), 0);
        assert_eq!(class_weight(&element(r#"<div class="sharedaddy relatedposts"></div>"#)), -1);
        assert_eq!(class_weight(&element(r#"<div class="shadow"></div>"#)), 0);
    }
}
