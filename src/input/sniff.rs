//! Telling an HTML page from plain text by its first bytes, and reading its own URL from its
//! head: what `input` needs of HTML before the page is read. (Extracting its text is the
//! `extract` stage's.)

use scraper::{Html, Node};

/// How far into a page [`looks_like_html`] looks.
const SNIFF: usize = 1024;

/// Whether bytes (or decoded text) look like an HTML page: a doctype, an `<html>`, `<head>` or
/// `<body>` tag, or many tags near the start. Extensions are not consulted: scrapes are often
/// misnamed.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    // UTF-16 pages are sniffed after decoding their head.
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            let head = &bytes[bom..bytes.len().min(bom + 2 * SNIFF)];
            return looks_like_html(encoding.decode_without_bom_handling(head).0.as_bytes());
        }
    }
    let head = &bytes[..bytes.len().min(SNIFF)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).trim_ascii_start().to_ascii_lowercase();
    if head.starts_with(b"<!doctype html") || head.starts_with(b"<?xml") && contains(&head, b"<html") {
        return true;
    }
    // Markup starts with a tag (or a comment); text that merely mentions one does not.
    if !head.starts_with(b"<") {
        return false;
    }
    if [&b"<html"[..], b"<head", b"<body"].iter().any(|t| tag_at(&head, t)) {
        return true;
    }
    // No landmark tags: a fragment that opens with a tag and closes one ("<p>Hi</p>", as JSON
    // Lines records hold them), or a page dense with tags, is still HTML.
    let tags = head.windows(2).filter(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/')).count();
    let closes = head.windows(3).any(|w| w[0] == b'<' && w[1] == b'/' && w[2].is_ascii_alphabetic());
    tags >= 8 || (head.get(1).is_some_and(u8::is_ascii_alphabetic) && closes)
}

/// Whether `head` holds the start tag `tag` (followed by `>`, white space or `/`).
fn tag_at(head: &[u8], tag: &[u8]) -> bool {
    head.windows(tag.len() + 1)
        .any(|w| &w[..tag.len()] == tag && matches!(w[tag.len()], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The page's own URL (`<link rel="canonical">`, else `og:url`, when absolute) read from its head alone (the markup up to
/// `</head>`, at most 64 KiB), which costs a small part of a whole page's parse: what names the
/// site of an HTML file read with no URL.
pub fn head_url(html: &str) -> Option<String> {
    const HEAD_BYTES: usize = 64 << 10;
    let mut end = html.len().min(HEAD_BYTES);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let head = match head.to_ascii_lowercase().find("</head") {
        Some(at) => &head[..at],
        None => head,
    };
    canonical_url(&Html::parse_document(head))
}

/// The page's canonical URL: `<link rel="canonical" href>`, else `<meta property="og:url">`;
/// only an absolute `http(s)` URL counts.
fn canonical_url(doc: &Html) -> Option<String> {
    let mut og = None;
    for node in doc.tree.root().descendants() {
        let Node::Element(e) = node.value() else { continue };
        let value = match e.name() {
            "link"
                if e.attr("rel")
                    .is_some_and(|r| r.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case("canonical"))) =>
            {
                e.attr("href")
            }
            "meta" if e.attr("property").or(e.attr("name")).is_some_and(|p| p.eq_ignore_ascii_case("og:url")) => {
                if og.is_none() {
                    og = e.attr("content").and_then(absolute);
                }
                continue;
            }
            _ => continue,
        };
        if let Some(url) = value.and_then(absolute) {
            return Some(url);
        }
    }
    og
}

fn absolute(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    (matches!(scheme.as_deref(), Some("http" | "https")) && url.len() > 8 && !url.contains(char::is_whitespace))
        .then(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_told_by_content() {
        assert!(looks_like_html(b"<!DOCTYPE html><title>x</title>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF  <html lang=en>"));
        assert!(looks_like_html(b"<div><p>a</p><p>b</p><p>c</p><p>d</p></div>"));
        assert!(!looks_like_html(b"Plain text that mentions <html> once.\n"));
        assert!(!looks_like_html(b"a < b and c > d\n"));
        assert!(looks_like_html(b"<p>A fragment, as JSON Lines records hold them.</p>"));
        assert!(!looks_like_html(b"<3 you all </3\n"));
    }

    #[test]
    fn the_url_comes_from_the_canonical_link_or_og_url() {
        let page = |head: &str| format!("<html><head>{head}</head><body><p>Text.</p></body></html>");
        let canonical = r#"<meta property="og:url" content="https://example.com/og"><link rel="canonical" href="https://example.com/a">"#;
        assert_eq!(head_url(&page(canonical)).as_deref(), Some("https://example.com/a"));
        let og = r#"<link rel="canonical" href="/relative"><meta property="og:url" content="https://example.com/og">"#;
        assert_eq!(head_url(&page(og)).as_deref(), Some("https://example.com/og"));
        assert_eq!(head_url(&page("")), None);
    }
}
