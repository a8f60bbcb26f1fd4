//! The pages, as compiled templates (maud): every value put into a page is escaped by the
//! template engine, so an archived headline such as `<script>…</script>` shows as text. No page
//! has a script or an inline style (the Content-Security-Policy forbids both); forms are plain
//! GET forms, so everything works without JavaScript.

use maud::{html, Markup, DOCTYPE};
use vellum::diff::{word_diff, Op, OpKind};
use vellum::export::Record;
use vellum::report::{ChangeRow, ListRow};

use super::data::{ArticleView, DiffView, SiteRow, Sort, TimelineRow};
use super::url::{query, segment};

/// What every page's frame shows: the store, when its snapshot was taken, the page's JSON.
pub struct Frame<'a> {
    /// The store's folder, as the user named it.
    pub store: &'a str,
    /// When the snapshot shown was taken, RFC 3339.
    pub taken: &'a str,
    /// This page's JSON form.
    pub json: Option<String>,
}

/// The style sheet, served as `/static/style.css`.
pub const STYLE: &str = include_str!("style.css");

fn layout(frame: &Frame<'_>, title: &str, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · vellum" }
                link rel="stylesheet" href="/static/style.css";
                link rel="alternate" type="application/atom+xml" title="vellum: changes" href="/changes.atom";
            }
            body {
                header {
                    nav {
                        a.brand href="/" { "vellum" }
                        a href="/" { "Sites" }
                        a href="/changes" { "Changes" }
                        a href="/changes.atom" { "Atom feed" }
                    }
                }
                main { (body) }
                footer {
                    "A read-only view of " code { (frame.store) } ", as of " (when(frame.taken)) "."
                    @if let Some(json) = &frame.json {
                        " This page as " a href=(json) { "JSON" } "."
                    }
                }
            }
        }
    }
}

/// A time (RFC 3339, UTC) as people read it, in a `<time>` element.
fn when(t: &str) -> Markup {
    let shown = t.strip_suffix('Z').unwrap_or(t).replacen('T', " ", 1);
    let shown = shown.strip_suffix(":00").unwrap_or(&shown);
    html! { time datetime=(t) { (shown) " UTC" } }
}

fn untitled(title: Option<&str>) -> &str {
    title.filter(|t| !t.trim().is_empty()).unwrap_or("(untitled)")
}

fn article_link(id: &str) -> String {
    format!("/articles/{}", segment(id))
}

fn diff_link(id: &str, old: u32, new: u32, view: &str) -> String {
    format!(
        "/articles/{}/diff{}",
        segment(id),
        query(&[("old", &old.to_string()), ("new", &new.to_string()), ("view", view)])
    )
}

/// An archived URL as a link, when it is one a browser should follow (http or https); else as
/// text.
fn url_link(url: &str) -> Markup {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        html! { a href=(url) rel="noreferrer noopener nofollow" { (url) } }
    } else {
        html! { code { (url) } }
    }
}

/// The sites page.
pub fn sites(frame: &Frame<'_>, sites: &[SiteRow], damaged: u64) -> Markup {
    layout(
        frame,
        "Sites",
        &html! {
            h1 { "Sites" }
            @if sites.is_empty() {
                p { "The store holds no articles yet." }
            } @else {
                table {
                    thead { tr { th { "Site" } th.num { "Articles" } th.num { "Revisions" } th.num { "Changed in 7 days" } th { "Last change" } } }
                    tbody {
                        @for s in sites {
                            tr {
                                td { a href=(format!("/sites/{}", segment(&s.site))) { bdi { (s.site) } } }
                                td.num { (s.articles) }
                                td.num { (s.revisions) }
                                td.num { (s.changed_7d) }
                                td { (when(&s.last_changed)) }
                            }
                        }
                    }
                }
            }
            (damage_note(damaged))
            p { a href="/changes" { "What changed in the last 7 days" } }
        },
    )
}

fn damage_note(damaged: u64) -> Markup {
    html! {
        @if damaged > 0 {
            p.warning { (damaged) " article(s) left out for damage; " code { "vellum verify" } " says more." }
        }
    }
}

/// How a site page was asked for.
pub struct SiteAsk<'a> {
    /// The title search.
    pub search: Option<&'a str>,
    /// The order.
    pub sort: Sort,
    /// Descending.
    pub descending: bool,
    /// The page (from 1).
    pub page: usize,
}

/// Articles shown on a site page at once.
pub const PER_PAGE: usize = 200;

/// A site's articles.
pub fn site(frame: &Frame<'_>, site: &str, rows: &[ListRow], ask: &SiteAsk<'_>) -> Markup {
    let base = format!("/sites/{}", segment(site));
    let search = ask.search.unwrap_or("");
    let link = |sort: Sort, descending: bool, page: usize| {
        let mut pairs =
            vec![("sort", sort.name().to_owned()), ("order", if descending { "desc" } else { "asc" }.to_owned())];
        if !search.is_empty() {
            pairs.push(("q", search.to_owned()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        format!("{base}{}", query(&pairs))
    };
    let pages = rows.len().div_ceil(PER_PAGE).max(1);
    let page = ask.page.clamp(1, pages);
    let shown = rows.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE);
    layout(
        frame,
        site,
        &html! {
            h1 { bdi { (site) } }
            form.search method="get" action=(base) {
                label { "Title contains " input type="search" name="q" value=(search) maxlength="200"; }
                input type="hidden" name="sort" value=(ask.sort.name());
                input type="hidden" name="order" value=(if ask.descending { "desc" } else { "asc" });
                " " button type="submit" { "Search" }
                @if !search.is_empty() { " " a href=(base) { "Clear" } }
            }
            p { (rows.len()) " article(s)" @if !search.is_empty() { " whose title contains “" (search) "”" } "." }
            table.articles {
                thead {
                    tr {
                        @for (sort, _, heading) in Sort::ALL {
                            @let current = sort == ask.sort;
                            @let descending = if current { !ask.descending } else { sort != Sort::Title };
                            th.sorted[current] {
                                a href=(link(sort, descending, 1)) { (heading) }
                                @if current { (if ask.descending { " ↓" } else { " ↑" }) }
                            }
                        }
                    }
                }
                tbody {
                    @for row in shown {
                        tr {
                            td { a href=(article_link(&row.id)) { bdi { (untitled(row.title.as_deref())) } } }
                            td { (row.date.as_deref().unwrap_or("–")) }
                            td.num { (row.revision) }
                            td { (when(&row.last_changed)) }
                            td { (when(&row.first_seen)) }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pages {
                    @if page > 1 { a href=(link(ask.sort, ask.descending, page - 1)) { "← newer page" } " " }
                    "page " (page) " of " (pages)
                    @if page < pages { " " a href=(link(ask.sort, ask.descending, page + 1)) { "next page →" } }
                }
            }
        },
    )
}

fn paragraphs(text: &str) -> Markup {
    html! {
        @for p in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            p { (p) }
        }
    }
}

/// An article: its timeline, a revision's text, its sightings.
pub fn article(frame: &Frame<'_>, view: &ArticleView) -> Markup {
    let r = &view.record;
    let id = r.id.to_string();
    let shown = r.revision.unwrap_or(1);
    let latest = view.timeline.last().map_or(1, |t| t.log.revision);
    let title = untitled(r.title.as_deref());
    layout(
        frame,
        title,
        &html! {
            h1 { bdi { (title) } }
            (record_facts(r))
            h2 { "Revisions" }
            table.timeline {
                thead { tr { th.num { "Rev" } th { "First fetched" } th { "Last seen" } th.num { "Sightings" } th.num { "Words" } th { "Change" } th { "Headline" } th { "" } } }
                tbody {
                    @for t in &view.timeline {
                        tr.current[t.log.revision == shown] {
                            td.num { (t.log.revision) }
                            td { (when(&t.log.first_seen)) }
                            td { (when(&t.log.last_seen)) }
                            td.num { (t.sightings) }
                            td.num { (t.words) }
                            td { (change_text(t)) }
                            td { bdi { (untitled(t.log.title.as_deref())) } @if t.headline_changed { " " span.badge { "headline changed" } } }
                            td.links {
                                a href=(format!("{}/revisions/{}", article_link(&id), t.log.revision)) { "text" }
                                @if t.log.revision > 1 {
                                    " " a href=(diff_link(&id, t.log.revision - 1, t.log.revision, "inline")) { "diff" }
                                }
                            }
                        }
                    }
                }
            }
            @if view.timeline.len() > 1 {
                (diff_form(&id, &view.timeline.iter().map(|t| t.log.revision).collect::<Vec<_>>(), latest.saturating_sub(1).max(1), latest, "inline"))
            }
            h2 { "Text of revision " (shown) @if shown == latest { " (the latest)" } }
            @if let Some(date) = &r.date { p.facts { "Dated " (date) } }
            @if r.listing { p.warning { "This text is a listing page's teasers, not an article." } }
            article.text { (paragraphs(&r.text)) }
            h2 { "Sightings" }
            table.sightings {
                thead { tr { th { "Fetched" } th.num { "Rev" } th { "Where" } } }
                tbody {
                    @for s in &view.sightings {
                        tr {
                            td { (when(s["fetched_at"].as_str().unwrap_or(""))) }
                            td.num { (s["revision"]) }
                            td {
                                @match s["url"].as_str() {
                                    Some(url) => (url_link(url)),
                                    None => code { (s["source"].as_str().unwrap_or("-")) },
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn change_text(t: &TimelineRow) -> String {
    if t.log.revision == 1 {
        return "new".to_owned();
    }
    let mut text = format!("+{} −{} words", t.added, t.removed);
    if t.log.trivial {
        text.push_str(" (trivial)");
    }
    text
}

fn record_facts(r: &Record) -> Markup {
    html! {
        dl.facts {
            dt { "Site" } dd { a href=(format!("/sites/{}", segment(&r.site))) { bdi { (r.site) } } }
            dt { "Id" } dd { code { (r.id) } }
            @if let Some(url) = &r.url { dt { "URL" } dd { (url_link(url)) } }
            dt { "First seen" } dd { (when(&r.first_seen.map(vellum::export::rfc3339).unwrap_or_default())) }
            dt { "Last seen" } dd { (when(&r.last_seen.map(vellum::export::rfc3339).unwrap_or_default())) }
        }
    }
}

fn diff_form(id: &str, numbers: &[u32], old: u32, new: u32, view: &str) -> Markup {
    html! {
        form.compare method="get" action=(format!("{}/diff", article_link(id))) {
            "Compare revision "
            select name="old" { @for n in numbers { option value=(n) selected[*n == old] { (n) } } }
            " with "
            select name="new" { @for n in numbers { option value=(n) selected[*n == new] { (n) } } }
            " "
            label { input type="radio" name="view" value="inline" checked[view != "side"]; " inline" }
            " "
            label { input type="radio" name="view" value="side" checked[view == "side"]; " side by side" }
            " "
            button type="submit" { "Compare" }
        }
    }
}

/// A revision's own page: the article page with that revision's text.
pub fn revision(frame: &Frame<'_>, view: &ArticleView) -> Markup {
    article(frame, view)
}

/// Two revisions compared.
pub fn diff(frame: &Frame<'_>, view: &DiffView, title: &str, side: bool) -> Markup {
    let id = view.id.to_string();
    let (old, new) = (view.old.number.0, view.new.number.0);
    let (added, removed) = vellum::diff::word_counts(&view.ops);
    let changed = vellum::diff::has_changes(&view.ops);
    layout(
        frame,
        &format!("{title}: revisions {old} and {new}"),
        &html! {
            h1 { bdi { (untitled(Some(title))) } }
            p.facts {
                a href=(article_link(&id)) { "Article " code { (id) } } " on " bdi { (view.site) } ": revision "
                strong { (old) } " (first fetched " (when(&vellum::export::rfc3339(view.old.first_seen))) ") against revision "
                strong { (new) } " (first fetched " (when(&vellum::export::rfc3339(view.new.first_seen))) ")."
            }
            (diff_form(&id, &view.numbers, old, new, if side { "side" } else { "inline" }))
            nav.views {
                "View: "
                @if side { a href=(diff_link(&id, old, new, "inline")) { "inline" } } @else { strong { "inline" } }
                " · "
                @if side { strong { "side by side" } } @else { a href=(diff_link(&id, old, new, "side")) { "side by side" } }
            }
            @if let Some((old_title, new_title)) = &view.headline {
                @let (o, n) = (untitled(old_title.as_deref()), untitled(new_title.as_deref()));
                div.headline {
                    h2 { "Headline changed" }
                    p.diff { (ops_inline(&word_diff(o, n))) }
                }
            }
            p.summary {
                @if changed { "+" (added) " words, −" (removed) " words." } @else { "The texts are the same." }
            }
            @if side { (side_by_side(&view.ops, old, new)) } @else { div.diff.inline { (ops_inline(&view.ops)) } }
        },
    )
}

fn ops_inline(ops: &[Op]) -> Markup {
    html! {
        @for op in ops {
            @match op.op {
                OpKind::Equal => { (op.text) }
                OpKind::Delete => { del { (op.text) } }
                OpKind::Insert => { ins { (op.text) } }
            }
        }
    }
}

/// One row of a side-by-side diff: a paragraph of the old text and the new, or several where a
/// change spans paragraph breaks.
#[derive(Default)]
struct SideRow<'a> {
    left: Vec<(OpKind, &'a str)>,
    right: Vec<(OpKind, &'a str)>,
    changed: bool,
}

/// The operations cut into rows at the paragraph breaks that both texts share.
fn side_rows(ops: &[Op]) -> Vec<SideRow<'_>> {
    let mut rows = Vec::new();
    let mut row = SideRow::default();
    for op in ops {
        match op.op {
            OpKind::Equal => {
                for (i, part) in op.text.split("\n\n").enumerate() {
                    if i > 0 {
                        rows.push(std::mem::take(&mut row));
                    }
                    if !part.is_empty() {
                        row.left.push((OpKind::Equal, part));
                        row.right.push((OpKind::Equal, part));
                    }
                }
            }
            OpKind::Delete => {
                row.left.push((OpKind::Delete, &op.text));
                row.changed = true;
            }
            OpKind::Insert => {
                row.right.push((OpKind::Insert, &op.text));
                row.changed = true;
            }
        }
    }
    rows.push(row);
    let blank = |side: &[(OpKind, &str)]| side.iter().all(|(_, t)| t.trim().is_empty());
    rows.retain(|r| !(blank(&r.left) && blank(&r.right)));
    rows
}

fn side_cell(parts: &[(OpKind, &str)]) -> Markup {
    html! {
        @for (kind, text) in parts {
            @match kind {
                OpKind::Equal => { (text) }
                OpKind::Delete => { del { (text) } }
                OpKind::Insert => { ins { (text) } }
            }
        }
    }
}

fn side_by_side(ops: &[Op], old: u32, new: u32) -> Markup {
    html! {
        table.diff.side {
            thead { tr { th { "Revision " (old) } th { "Revision " (new) } } }
            tbody {
                @for row in side_rows(ops) {
                    tr.changed[row.changed] {
                        td { (side_cell(&row.left)) }
                        td { (side_cell(&row.right)) }
                    }
                }
            }
        }
    }
}

/// How the changes page was asked for.
pub struct ChangesAsk<'a> {
    /// `since` as given.
    pub since: &'a str,
    /// `until` as given.
    pub until: &'a str,
    /// The site.
    pub site: &'a str,
    /// Trivial changes left out.
    pub ignore_trivial: bool,
    /// The page (from 1).
    pub page: usize,
}

impl ChangesAsk<'_> {
    /// The changes page's address for page `page`, with the same window.
    fn link(&self, page: usize) -> String {
        let page = page.to_string();
        let mut pairs = vec![("since", self.since)];
        for (name, value) in [("until", self.until), ("site", self.site)] {
            if !value.is_empty() {
                pairs.push((name, value));
            }
        }
        if self.ignore_trivial {
            pairs.push(("ignore_trivial", "1"));
        }
        if page != "1" {
            pairs.push(("page", &page));
        }
        format!("/changes{}", query(&pairs))
    }
}

/// Changes shown on the changes page at once (the JSON has them all).
pub const CHANGES_SHOWN: usize = 100;

fn change_what(r: &ChangeRow) -> String {
    let mut what = match (r.revision, r.headline_changed, r.words_added + r.words_removed) {
        (1, _, _) => "new".to_owned(),
        (_, true, 0) => "headline changed".to_owned(),
        (_, true, _) => format!("+{} −{} words, headline", r.words_added, r.words_removed),
        (_, false, _) => format!("+{} −{} words", r.words_added, r.words_removed),
    };
    if r.trivial {
        what.push_str(" (trivial)");
    }
    what
}

/// The change feed as a page, newest first.
pub fn changes(frame: &Frame<'_>, rows: &[ChangeRow], total: usize, ask: &ChangesAsk<'_>) -> Markup {
    layout(
        frame,
        "Changes",
        &html! {
            h1 { "Changes" }
            form.changes method="get" action="/changes" {
                label { "Since " input type="text" name="since" value=(ask.since) size="20" maxlength="40"; }
                " "
                label { "until " input type="text" name="until" value=(ask.until) size="20" maxlength="40" placeholder="now"; }
                " "
                label { "site " input type="text" name="site" value=(ask.site) size="16" maxlength="200" placeholder="all"; }
                " "
                label { input type="checkbox" name="ignore_trivial" value="1" checked[ask.ignore_trivial]; " leave out trivial changes" }
                " "
                button type="submit" { "Show" }
            }
            p.hint { "A time is a date (2025-12-13), a date and time (2025-12-13T07:30, UTC), or a span before now (24h, 7d)." }
            @let pages = total.div_ceil(CHANGES_SHOWN).max(1);
            p {
                (total) " change(s), newest first"
                @if pages > 1 { "; " (CHANGES_SHOWN) " a page (the JSON has them all)" }
                "."
            }
            table.changes {
                thead { tr { th { "First seen" } th { "Site" } th { "Article" } th.num { "Rev" } th { "Change" } th { "" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td { (when(&r.seen)) }
                            td { bdi { (r.site) } }
                            td { a href=(article_link(&r.id)) { bdi { (untitled(r.title.as_deref())) } } }
                            td.num { (r.revision) }
                            td { (change_what(r)) }
                            td.links {
                                @if r.revision > 1 { a href=(diff_link(&r.id, r.revision - 1, r.revision, "inline")) { "diff" } }
                                @else { a href=(format!("{}/revisions/1", article_link(&r.id))) { "text" } }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pages {
                    @if ask.page > 1 { a href=(ask.link(ask.page - 1)) { "← newer" } " " }
                    "page " (ask.page) " of " (pages)
                    @if ask.page < pages { " " a href=(ask.link(ask.page + 1)) { "older →" } }
                }
            }
        },
    )
}

/// An error page.
pub fn error(frame: &Frame<'_>, status: u16, heading: &str, message: &str) -> Markup {
    layout(
        frame,
        heading,
        &html! {
            h1 { (heading) }
            p.error { (message) }
            p { "HTTP status " (status) ". " a href="/" { "Back to the sites" } }
        },
    )
}

/// The Atom feed of the newest changes.
pub fn atom(rows: &[ChangeRow], base: &str, updated: &str, ask: &ChangesAsk<'_>) -> String {
    let xml = |text: &str| -> String { text.chars().filter(|&c| xml_char(c)).collect() };
    let mut self_query = vec![("since", ask.since)];
    if !ask.site.is_empty() {
        self_query.push(("site", ask.site));
    }
    let markup = html! {
        feed xmlns="http://www.w3.org/2005/Atom" {
            id { (format!("{base}/changes.atom")) }
            title { "vellum: changes" @if !ask.site.is_empty() { " on " (xml(ask.site)) } }
            updated { (updated) }
            // Elements with no content are written `<x …></x>`: XML has no void elements.
            link rel="self" href=(format!("{base}/changes.atom{}", query(&self_query))) {}
            link rel="alternate" type="text/html" href=(format!("{base}/changes{}", query(&self_query))) {}
            author { name { "vellum" } }
            generator { "vellum serve" }
            @for r in rows {
                entry {
                    id { (format!("{base}/articles/{}/revisions/{}", segment(&r.id), r.revision)) }
                    title { (xml(untitled(r.title.as_deref()))) }
                    updated { (r.seen) }
                    @if r.revision > 1 {
                        link rel="alternate" type="text/html" href=(format!("{base}{}", diff_link(&r.id, r.revision - 1, r.revision, "inline"))) {}
                    } @else {
                        link rel="alternate" type="text/html" href=(format!("{base}{}/revisions/1", article_link(&r.id))) {}
                    }
                    category term=(xml(&r.site)) {}
                    summary { (xml(&format!("{}: revision {} of {}, {}", r.site, r.revision, r.id, change_what(r)))) }
                }
            }
        }
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&markup.into_string());
    out.push('\n');
    out
}

/// Whether XML 1.0 allows `c` in a document (archived text may hold control characters).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_rows_break_at_shared_paragraphs_and_keep_every_change() {
        let old = "First para stays.\n\nSecond para was short.\n\nThird para stays.";
        let new = "First para stays.\n\nSecond para was much longer.\n\nNew para.\n\nThird para stays.";
        let ops = word_diff(old, new);
        let rows = side_rows(&ops);
        let text = |side: &[(OpKind, &str)]| side.iter().map(|(_, t)| *t).collect::<String>();
        assert_eq!(text(&rows[0].left), "First para stays.");
        assert!(!rows[0].changed);
        let changed: Vec<&SideRow<'_>> = rows.iter().filter(|r| r.changed).collect();
        assert!(!changed.is_empty());
        // Every deleted and inserted word is on its side of some row.
        let left: String = rows.iter().map(|r| text(&r.left)).collect();
        let right: String = rows.iter().map(|r| text(&r.right)).collect();
        assert!(left.contains("short") && !left.contains("New para"));
        assert!(right.contains("much longer") && right.contains("New para") && !right.contains("short"));
        assert_eq!(text(&rows[rows.len() - 1].right), "Third para stays.");
    }

    #[test]
    fn archived_text_is_escaped_and_feeds_are_well_formed_xml() {
        let frame = Frame { store: "<store>", taken: "2025-12-14T09:00:00Z", json: None };
        let page = error(&frame, 404, "<h1>", "<script>alert(1)</script>").into_string();
        assert!(!page.contains("<script>") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let row = ChangeRow {
            id: "0123456789ab".into(),
            revision: 2,
            seen: "2025-12-14T08:00:00Z".into(),
            site: "a&b".into(),
            title: Some("Bell \u{7} <b>".into()),
            words_added: 1,
            words_removed: 0,
            headline_changed: false,
            trivial: false,
        };
        let ask = ChangesAsk { since: "7d", until: "", site: "", ignore_trivial: false, page: 1 };
        let feed = atom(&[row], "http://127.0.0.1:8080", "2025-12-14T08:00:00Z", &ask);
        assert!(feed.contains("<title>Bell  &lt;b&gt;</title>") && !feed.contains('\u{7}'), "{feed}");
        assert!(feed.contains("<category term=\"a&amp;b\"></category>"), "{feed}");
        assert_eq!(feed.matches("<link ").count(), feed.matches("</link>").count(), "{feed}");
    }
}
