//! Site chrome learned across pages: the lines a site prints on most of its pages (menus,
//! footers, cookie notices, newsletter boxes) whatever the article. The store keeps a
//! [`SiteChrome`] per site and adds each page's [`page_shapes`] to it; the cleaner reads it.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::shape;

/// The site must have this many pages before its chrome is trusted: with fewer, a line shared
/// by two or three articles of a series would pass for chrome.
pub const MIN_PAGES: u32 = 5;

/// A line shape is chrome when it appears on at least this share of the site's pages, in
/// percent. Half is far above what any article line reaches (an article's text is on one page,
/// a running story's stock paragraph on a handful) and well below what template lines reach
/// (nearly every page), so the threshold is not touchy.
pub const MIN_SHARE_PERCENT: u32 = 50;

/// What the cleaner knows about a site from its earlier pages: how many pages it has seen,
/// and on how many of them each folded line shape appeared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteChrome {
    /// How many of the site's pages have been counted.
    pub pages: u32,
    /// For each folded line shape ([`shape`]), on how many of those pages it appeared. (A shape
    /// is already a hash, spread evenly: it is not hashed again with a keyed hash.)
    pub shape_pages: FxHashMap<u64, u32>,
}

impl SiteChrome {
    /// Counts one more page of the site, from its text.
    pub fn add_page(&mut self, text: &str) {
        self.add_shapes(&page_shapes(text));
    }

    /// Counts one more page of the site, from its distinct line shapes.
    pub fn add_shapes(&mut self, shapes: &BTreeSet<u64>) {
        self.pages = self.pages.saturating_add(1);
        for &s in shapes {
            let n = self.shape_pages.entry(s).or_default();
            *n = n.saturating_add(1);
        }
    }

    /// Whether lines of this shape are the site's chrome: the site has at least [`MIN_PAGES`]
    /// pages and the shape appeared on at least `MIN_SHARE_PERCENT` of them.
    pub fn is_chrome(&self, shape: u64) -> bool {
        if self.pages < MIN_PAGES {
            return false;
        }
        let seen = self.shape_pages.get(&shape).copied().unwrap_or(0);
        u64::from(seen) * 100 >= u64::from(self.pages) * u64::from(MIN_SHARE_PERCENT)
    }
}

/// The distinct folded shapes of a page's non-blank lines: what [`SiteChrome::add_shapes`]
/// counts after each page.
///
/// ```
/// let shapes = vellum::clean::page_shapes("Menu\n\n  Menu \nUpdated 3 hours ago\n");
/// assert_eq!(shapes.len(), 2);
/// ```
pub fn page_shapes(text: &str) -> BTreeSet<u64> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(shape).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_chrome_before_enough_pages() {
        let mut site = SiteChrome::default();
        for _ in 0..MIN_PAGES - 1 {
            site.add_page("Subscribe to our newsletter\n");
        }
        assert!(!site.is_chrome(shape("Subscribe to our newsletter")));
        site.add_page("Subscribe to our newsletter\n");
        assert!(site.is_chrome(shape("Subscribe to our newsletter")));
    }

    #[test]
    fn a_shape_needs_half_the_pages() {
        let mut site = SiteChrome::default();
        for k in 0..10 {
            site.add_page(if k < 4 { "Follow us\nA\n" } else { "A\n" });
        }
        assert!(!site.is_chrome(shape("Follow us")));
        assert!(site.is_chrome(shape("A")));
    }
}
