//! The site a file's pages belong to, from where the file lies, when nothing better names it
//! (a URL's host, `--site`).
//!
//! Scrapes are laid out in a few ways, and the site is the name that stays the same from one
//! scrape to the next:
//! - `SITE/DAY.txt`: the file's folder;
//! - `DAY/SITE.txt` (a cron job's folder per run): the file's stem, since the folder is a date;
//! - `SITE/DAY/PAGE.html`: the folder above the date, since the stem is a page's name.
//!
//! Folders are taken from the file's real path, so `.`, `..`, `./a.txt` and `$PWD/a.txt` name
//! the same site as the folder they are. A date is a name of digits and separators (`-`, `_`,
//! `.`, `T`, `:`) holding at least six digits: `2025-12-05`, `20251205`, `2025_12_05T06`, a Unix
//! time. A page's name is `index`, `page`, `article`, `default`, `home`, `main` or `print`, or
//! such a word followed by digits or separators, or a date.

use std::path::{Path, PathBuf};

/// The site of the file at `path` (see the module's documentation); `None` when no folder or
/// stem names one (a file at the root).
pub fn site_of_path(path: &Path) -> Option<String> {
    let folder = real_parent(path)?;
    let stem = path.file_name().map(|n| strip_extensions(&n.to_string_lossy()));
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let first = name(&folder)?;
    if !is_date(&first) {
        return Some(first);
    }
    if let Some(stem) = stem.filter(|s| !s.is_empty() && !is_page_name(s)) {
        return Some(stem);
    }
    folder.ancestors().skip(1).filter_map(name).find(|n| !is_date(n))
}

/// The folder holding `path`, with `.`, `..` and symlinks resolved (as given when it cannot be).
fn real_parent(path: &Path) -> Option<PathBuf> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::canonicalize(&parent).ok().or(Some(parent))
}

/// A file name without its extensions (`2025-12-05.txt.gz` → `2025-12-05`, `a.b.html` → `a.b`):
/// the known ones only, so a name holding dots keeps them.
fn strip_extensions(name: &str) -> String {
    const KNOWN: [&str; 10] = [".gz", ".zst", ".zstd", ".txt", ".text", ".html", ".htm", ".warc", ".jsonl", ".json"];
    let mut name = name;
    while let Some(rest) = KNOWN.iter().find_map(|ext| {
        let cut = name.len().checked_sub(ext.len())?;
        name.get(cut..).filter(|tail| tail.eq_ignore_ascii_case(ext)).map(|_| &name[..cut])
    }) {
        name = rest;
    }
    name.to_owned()
}

/// A name made of a date or time: digits and separators, at least six digits.
pub fn is_date(name: &str) -> bool {
    let digits = name.bytes().filter(u8::is_ascii_digit).count();
    name.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && digits >= 6
        && name.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.' | b'T' | b':'))
}

/// A name a page gets whatever its site: `index`, `page-2`, `article_0007`, or a date.
fn is_page_name(stem: &str) -> bool {
    const WORDS: [&str; 7] = ["index", "page", "article", "default", "home", "main", "print"];
    let lower = stem.to_ascii_lowercase();
    is_date(&lower)
        || WORDS.iter().any(|w| {
            lower
                .strip_prefix(w)
                .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'_')))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The site of `rel` inside a temporary folder holding it.
    fn site(rel: &str) -> Option<String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "x").expect("write");
        site_of_path(&path)
    }

    #[test]
    fn the_layouts_people_use_name_the_site() {
        assert_eq!(site("harbour-gazette/2025-12-05.txt").as_deref(), Some("harbour-gazette"));
        assert_eq!(site("scrapes/2025-12-05/harbour-gazette.txt").as_deref(), Some("harbour-gazette"));
        assert_eq!(site("scrapes/20251205/news.example.com.html.gz").as_deref(), Some("news.example.com"));
        assert_eq!(site("harbour-gazette/2025-12-05/index.html").as_deref(), Some("harbour-gazette"));
        assert_eq!(site("harbour-gazette/2025-12-05/page-3.html").as_deref(), Some("harbour-gazette"));
    }

    #[test]
    fn relative_and_absolute_paths_and_dots_name_the_same_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join("lakeside-notes");
        std::fs::create_dir_all(folder.join("sub")).expect("mkdir");
        std::fs::write(folder.join("a.txt"), "x").expect("write");
        let absolute = site_of_path(&folder.join("a.txt"));
        assert_eq!(absolute.as_deref(), Some("lakeside-notes"));
        assert_eq!(site_of_path(&folder.join(".").join("a.txt")), absolute);
        assert_eq!(site_of_path(&folder.join("sub").join("..").join("a.txt")), absolute);
    }

    #[test]
    fn dates_and_page_names() {
        for date in ["2025-12-05", "20251205", "2025_12_05T06:00", "1733400000", "2025.12.05"] {
            assert!(is_date(date), "{date}");
        }
        for name in ["site00", "day0001", "2025", "news-2025-12-05", "v1.2.3"] {
            assert!(!is_date(name), "{name}");
        }
        assert!(is_page_name("index") && is_page_name("Page_12") && is_page_name("2025-12-05"));
        assert!(!is_page_name("harbour-gazette") && !is_page_name("pages"));
        assert_eq!(strip_extensions("news.example.com.html.gz"), "news.example.com");
    }
}
