//! A raw page and where it came from.

use time::OffsetDateTime;

/// The largest page vellum reads, after decompression, unless told otherwise (256 MiB); also
/// what bounds the values the store decodes, which hold no more than a page.
pub const DEFAULT_PAGE_LIMIT: u64 = 256 << 20;

/// One raw scraped page, exactly as it was read (after transparent decompression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where the page was read from: a file path, or `-` for stdin.
    pub source: String,
    /// The URL the page was fetched from, when known.
    pub url: Option<String>,
    /// When the page was fetched (the file's modification time unless told otherwise).
    pub fetched_at: OffsetDateTime,
    /// The site the page belongs to: the URL's host, else a name given by the user, else the
    /// name of the folder holding the file.
    pub site: String,
    /// The page's bytes as scraped.
    pub raw: Vec<u8>,
    /// The charset the transport declared (an HTTP `Content-Type` header's), when one did.
    pub charset: Option<String>,
}

/// The last part of a page's source path (`scrapes/site/2025-12-12.txt` gives
/// `2025-12-12.txt`): what names a page when it has no URL.
pub fn file_name(source: &str) -> &str {
    source.rsplit(['/', '\\']).next().unwrap_or(source)
}

/// The host part of a URL (`https://www.example.com:8080/a` gives `www.example.com`), lower-cased.
pub(crate) fn url_host(url: &str) -> Option<String> {
    // A URL written without its scheme (`example.net/path`; `localhost:3000/a`, which reads as a
    // scheme `localhost` with a port for its path) is read as an http one.
    let parsed = match url::Url::parse(url) {
        Ok(p) if p.cannot_be_a_base() && p.path().starts_with(|c: char| c.is_ascii_digit()) => {
            url::Url::parse(&format!("http://{url}")).ok()?
        }
        Ok(p) => p,
        Err(url::ParseError::RelativeUrlWithoutBase) => url::Url::parse(&format!("http://{url}")).ok()?,
        Err(_) => return None,
    };
    let host = match parsed.host()? {
        // Sites keep the Unicode form of an internationalised name (the URL Standard gives its
        // ASCII form), lower-cased.
        url::Host::Domain(domain) => idna::domain_to_unicode(domain).0.to_lowercase(),
        url::Host::Ipv4(ip) => ip.to_string(),
        url::Host::Ipv6(ip) => ip.to_string(),
    };
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::url_host;

    #[test]
    fn hosts() {
        assert_eq!(url_host("https://www.Example.com:8080/a?b").as_deref(), Some("www.example.com"));
        assert_eq!(url_host("http://user@h.org").as_deref(), Some("h.org"));
        assert_eq!(url_host("example.net/path").as_deref(), Some("example.net"));
        assert_eq!(url_host("https://[::1]:80/").as_deref(), Some("::1"));
        // The WHATWG URL Standard reads past extra slashes in a special scheme's URL.
        assert_eq!(url_host("https:///h.org/a").as_deref(), Some("h.org"));
        assert_eq!(url_host("http://"), None);
        assert_eq!(url_host("mailto:someone@example.com"), None);
        assert_eq!(url_host("https://Bücher.example/").as_deref(), Some("bücher.example"));
        assert_eq!(url_host("https://xn--bcher-kva.example/").as_deref(), Some("bücher.example"));
        assert_eq!(url_host("example.net:8080/path").as_deref(), Some("example.net"));
        assert_eq!(url_host("localhost:3000").as_deref(), Some("localhost"));
    }
}
