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

/// A counted shape on under this share of the site's pages, in percent, is far from chrome and
/// is forgotten when a page of the site lacks it ([`SiteChrome::forget_rare`]). Teasers,
/// dropped lines and one-off debris count on a few pages each and never again, and a site
/// prints new ones every day: kept, they would be most of a site's counted shapes within a
/// month and grow without bound. Half the chrome threshold, so a shape at or near chrome is
/// never forgotten; and since a site's counts add up to at most its pages times the most shapes
/// a page holds, at most `100 / FORGET_SHARE_PERCENT` times that many shapes stay above it,
/// however long the archive.
pub const FORGET_SHARE_PERCENT: u32 = 25;

/// Rare shapes are forgotten when the site's counted pages reach a multiple of this, so the
/// knowledge holds at most this many pages' new shapes beyond the bound. A line the site
/// starts printing late, on most but not all of its pages, is lost if a sweep finds it missing
/// while its count is under the bar: sweeping every 8th page, it meets an eighth as many
/// sweeps as at every page meanwhile (and a sweep, a pass over the site's shapes, costs an
/// eighth as much).
pub const FORGET_EVERY: u32 = 8;

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

    /// Counts one more page of the site, from its distinct line shapes, then forgets the rare
    /// shapes the page lacks ([`SiteChrome::forget_rare`]).
    pub fn add_shapes(&mut self, shapes: &BTreeSet<u64>) {
        self.pages = self.pages.saturating_add(1);
        for &s in shapes {
            let n = self.shape_pages.entry(s).or_default();
            *n = n.saturating_add(1);
        }
        self.forget_rare(shapes);
    }

    /// Called once a page is counted, with its distinct line shapes `page`: when the site's
    /// pages are a multiple of [`FORGET_EVERY`], forgets every shape missing from the page and
    /// counted on under [`FORGET_SHARE_PERCENT`] of the site's pages. Returns the forgotten
    /// shapes, in shape order. What is forgotten follows from the site's own sequence of
    /// counted pages only, so it is the same however the pages are grouped into runs, and
    /// whatever other sites share them. A shape forgotten and seen again counts from 1, as a
    /// new one: at worst it becomes chrome later than it would have. A line on every page since
    /// its first is never forgotten, nor one on a quarter of the pages.
    pub fn forget_rare(&mut self, page: &BTreeSet<u64>) -> Vec<u64> {
        if self.pages == 0 || self.pages % FORGET_EVERY != 0 {
            return Vec::new();
        }
        let bar = u64::from(self.pages) * u64::from(FORGET_SHARE_PERCENT);
        let mut gone = Vec::new();
        self.shape_pages.retain(|&s, &mut n| {
            let keep = u64::from(n) * 100 >= bar || page.contains(&s);
            if !keep {
                gone.push(s);
            }
            keep
        });
        gone.sort_unstable();
        gone
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

/// A word of its own for each number, for tests' lines (digits all fold to 0).
#[cfg(test)]
pub(crate) fn test_word(mut k: u32) -> String {
    let mut w = String::new();
    loop {
        w.push(char::from(b'a' + (k % 26) as u8));
        k /= 26;
        if k == 0 {
            return w;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::test_word as word;

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

    #[test]
    fn a_rare_shape_the_site_stops_printing_is_forgotten() {
        let mut site = SiteChrome::default();
        for k in 0..FORGET_EVERY * 2 {
            let teaser = if k < 2 { "Old teaser\n" } else { "" };
            let fresh = if k + 1 == FORGET_EVERY * 2 { "New teaser\n" } else { "" };
            site.add_page(&format!("Menu\n{teaser}{fresh}"));
            if k + 1 == FORGET_EVERY {
                assert_eq!(site.shape_pages.get(&shape("Old teaser")), Some(&2), "on a quarter of the pages: kept");
            }
        }
        assert_eq!(site.shape_pages.get(&shape("Old teaser")), None, "on 2 of 16 pages, none of the last 14");
        assert_eq!(site.shape_pages.get(&shape("New teaser")), Some(&1), "on the page of the sweep: kept");
        assert_eq!(site.shape_pages.get(&shape("Menu")), Some(&16));
        // Seen again, it counts from 1.
        site.add_page("Menu\nOld teaser\n");
        assert_eq!(site.shape_pages.get(&shape("Old teaser")), Some(&1));
    }

    #[test]
    fn a_line_the_site_starts_printing_late_becomes_chrome() {
        let mut site = SiteChrome::default();
        for k in 0..400u32 {
            // A page's own line, on that page only, and from page 100 on a new footer.
            let own = format!("Story {}", word(k));
            let footer = if k >= 100 { "Our new footer\n" } else { "" };
            site.add_page(&format!("Menu\n{own}\n{footer}"));
            let seen = site.shape_pages.get(&shape("Our new footer")).copied();
            assert_eq!(seen, (k >= 100).then(|| k - 99), "page {k}: counted on every page, never forgotten");
            assert_eq!(site.is_chrome(shape("Our new footer")), k >= 199, "page {k}");
        }
        // The bound: the pages' own lines go, at most FORGET_EVERY of them kept at a time.
        assert!(site.shape_pages.len() <= 2 + FORGET_EVERY as usize, "{}", site.shape_pages.len());
    }
}
