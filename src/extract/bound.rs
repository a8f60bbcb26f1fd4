//! Bounding a page's nesting depth and attributes per tag before it is parsed.
//!
//! The HTML5 tree builder checks its stack of open elements at every tag, and the tokenizer
//! checks each attribute against the tag's others, so a page 100,000 `<div>`s deep or a tag
//! with 500,000 attributes costs time quadratic in its size. A linear pass over the markup
//! drops the start tags that would open an element deeper than [`MAX_DEPTH`] (with their end
//! tags; the text inside them stays) and the attributes of a tag past [`MAX_ATTRIBUTES`],
//! so the parser only ever sees a page of bounded shape.

use std::borrow::Cow;

/// The deepest element kept; a start tag that would open one deeper is dropped.
pub const MAX_DEPTH: usize = 512;

/// The attributes kept on one tag; later ones are dropped.
pub const MAX_ATTRIBUTES: usize = 256;

/// Elements with no content and no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track",
    "wbr",
];

/// Elements whose content is text up to their end tag, never markup. (`<noscript>` holds
/// markup: pages are parsed with scripting off.)
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"];

/// Elements whose end tag is often left out: a start tag of the same group closes the open one
/// (`<li>` after `<li>`, `<td>` after `<th>`), within the nearest [`SCOPES`] element.
const IMPLIED_END: &[&[&str]] = &[&["p"], &["li"], &["dt", "dd"], &["option"], &["tr"], &["td", "th"]];

/// Elements that end the search for an element a start tag closes.
const SCOPES: &[&str] = &["table", "ul", "ol", "dl", "select", "body", "html", "svg", "math"];

/// Closes the element (and those inside it) that a start tag `name` ends by the HTML rules
/// for omitted end tags, as far as they matter for depth.
fn close_implied(open: &mut Vec<String>, name: &str) {
    let Some(group) = IMPLIED_END.iter().find(|g| g.contains(&name)) else { return };
    for at in (0..open.len()).rev() {
        let n = open[at].as_str();
        if group.contains(&n) {
            open.truncate(at);
            return;
        }
        // A new row also ends the cell open in the last one.
        if SCOPES.contains(&n) || (n == "tr" && name != "tr") {
            return;
        }
    }
}

/// The markup with nesting and attributes bounded (and self-closed `<iframe/>`s closed);
/// `Cow::Borrowed` when nothing changed.
#[cfg(test)]
pub(super) fn bound(html: &str) -> Cow<'_, str> {
    bound_page(html).0
}

/// The markup with nesting and attributes bounded (and self-closed `<iframe/>`s closed), and
/// whether anything was dropped to bound it.
pub(super) fn bound_page(html: &str) -> (Cow<'_, str>, bool) {
    let bytes = html.as_bytes();
    let mut cut = false;
    let mut out: Option<String> = None;
    // The open elements (names, lower-cased), and, beyond the depth bound, the dropped ones.
    let mut open: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    // Bytes of `html` up to here are copied (or to be copied) unchanged.
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        let start = i + off;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = find(rest, b"-->", 4).map_or(bytes.len(), |e| start + e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr(b'>', rest).map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let end_tag = rest.get(1) == Some(&b'/');
        let name_at = start + 1 + usize::from(end_tag);
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = name_at + bytes[name_at..].iter().position(|&b| is_name_end(b)).unwrap_or(bytes.len() - name_at);
        let name = html[name_at..name_end].to_ascii_lowercase();
        let tag = scan_tag(bytes, name_end);
        if end_tag {
            let drop = dropped.last() == Some(&name);
            if drop {
                dropped.pop();
                skip(&mut out, html, &mut copied, start, tag.end);
            } else if let Some(at) = open.iter().rposition(|n| *n == name) {
                open.truncate(at);
            }
            i = tag.end;
            continue;
        }
        let raw = RAW_TEXT.contains(&name.as_str()) || name == "plaintext";
        let foreign = open.iter().any(|n| n == "svg" || n == "math");
        // Outside SVG and MathML, `/>` closes nothing: `<div/>` opens a div.
        let opens = !(VOID.contains(&name.as_str()) || raw || (tag.self_closing && foreign));
        if opens {
            close_implied(&mut open, &name);
            if open.len() >= MAX_DEPTH {
                cut = true;
                skip(&mut out, html, &mut copied, start, tag.end);
                dropped.push(name);
                i = tag.end;
                continue;
            }
        }
        if tag.attributes > MAX_ATTRIBUTES {
            cut = true;
            // Keep the tag with its first attributes, then close it.
            skip(&mut out, html, &mut copied, tag.cut, tag.end);
            let buf = out.get_or_insert_with(String::new);
            buf.push_str(if tag.self_closing { "/>" } else { ">" });
        }
        if opens {
            open.push(name);
            i = tag.end;
            continue;
        }
        i = tag.end;
        if name == "plaintext" {
            break;
        }
        // `<iframe/>` closes nothing, so the rest of the page would be the frame's text; it is
        // a tracking pixel inside `<noscript>`, which a browser running scripts never reads as
        // markup. It is closed where it stands.
        if name == "iframe" && tag.self_closing {
            let buf = out.get_or_insert_with(|| String::with_capacity(html.len() + 9));
            buf.push_str(&html[copied..tag.end]);
            buf.push_str("</iframe>");
            copied = tag.end;
            continue;
        }
        if raw {
            // Skip to the matching end tag: the text inside is no markup.
            let closing = format!("</{name}");
            i = find_ignore_case(&bytes[i..], closing.as_bytes()).map_or(bytes.len(), |e| i + e);
        }
    }
    let bounded = match out {
        None => Cow::Borrowed(html),
        Some(mut buf) => {
            buf.push_str(&html[copied..]);
            Cow::Owned(buf)
        }
    };
    (bounded, cut)
}

/// Leaves `html[start..end]` out of the copy.
fn skip(out: &mut Option<String>, html: &str, copied: &mut usize, start: usize, end: usize) {
    let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
    buf.push_str(&html[*copied..start]);
    *copied = end;
}

/// What follows a tag's name.
struct Tag {
    /// Just past the tag's `>` (or the end of the markup).
    end: usize,
    /// Where the attributes past [`MAX_ATTRIBUTES`] begin (the tag's end when there are none).
    cut: usize,
    attributes: usize,
    self_closing: bool,
}

/// Scans a tag's attributes from just past its name, as the HTML tokenizer reads them:
/// names up to white space, `/`, `=` or `>`; values quoted or bare.
fn scan_tag(bytes: &[u8], mut i: usize) -> Tag {
    let mut attributes = 0;
    let mut cut = None;
    let mut self_closing = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => {
                return Tag { end: i + 1, cut: cut.unwrap_or(i), attributes, self_closing };
            }
            b'/' => {
                self_closing = bytes.get(i + 1) == Some(&b'>');
                i += 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                self_closing = false;
                if attributes == MAX_ATTRIBUTES {
                    cut = Some(i);
                }
                attributes += 1;
                // The name (a leading `=` belongs to it, as the tokenizer says).
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'>' | b'/' | b'=') && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'=') {
                    continue;
                }
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        i = memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e + 1);
                    }
                    _ => {
                        while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace() {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
    Tag { end: bytes.len(), cut: cut.unwrap_or(bytes.len()), attributes, self_closing }
}

fn is_name_end(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'/' || b == b'>'
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markup_is_untouched() {
        let page = "<!doctype html><html><head><script>if (a<b) x = '<div>';</script></head>\
                    <body><ul><li>a<li>b</ul><p class=x id='y' hidden>t<br/>u</p><!-- <div> --></body></html>";
        assert!(matches!(bound(page), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_at_the_bound() {
        let page = format!("<body>{}deep{}<p>after</p></body>", "<div>".repeat(1000), "</div>".repeat(1000));
        let bounded = bound(&page);
        assert_eq!(bounded.matches("<div>").count(), MAX_DEPTH - 1);
        assert_eq!(bounded.matches("</div>").count(), MAX_DEPTH - 1);
        assert!(bounded.contains("deep</div>") && bounded.ends_with("<p>after</p></body>"));
    }

    #[test]
    fn a_self_closed_iframe_is_closed() {
        let page = r#"<body><noscript><iframe src="x" height="0" /></noscript><p>Text</p></body>"#;
        assert_eq!(
            bound(page),
            r#"<body><noscript><iframe src="x" height="0" /></iframe></noscript><p>Text</p></body>"#
        );
    }

    #[test]
    fn attributes_past_the_bound_are_dropped() {
        let attrs: String = (0..1000).map(|n| format!(" a{n}=\"v{n}\"")).collect();
        let page = format!("<p{attrs}>text</p>");
        let bounded = bound(&page);
        assert!(bounded.contains(" a255=\"v255\" >text</p>") && !bounded.contains("a256"), "{bounded}");
    }
}
