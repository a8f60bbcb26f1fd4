//! Reading pages: files, folders (walked lazily in sorted order), stdin, gzip and zstd;
//! telling HTML from text, decoding legacy encodings, and HTML main-text extraction.

mod decode;
mod encoding;
pub mod html;

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

pub use decode::decompress;
pub use encoding::{decode_html, decode_text};
pub use html::looks_like_html;

use crate::page::{url_host, Page};
use crate::{Error, Result};

/// The largest page vellum reads, after decompression, unless told otherwise (256 MiB).
pub const DEFAULT_PAGE_LIMIT: u64 = 256 << 20;

/// How inputs are turned into pages.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// The URL to record for every page (otherwise none).
    pub url: Option<String>,
    /// The fetch time for every page; otherwise a file's modification time, or `now` for stdin.
    pub fetched_at: Option<OffsetDateTime>,
    /// The current time, read once by the caller (the library never reads the clock).
    pub now: OffsetDateTime,
    /// The site name for every page, when there is no URL to take a host from.
    pub site: Option<String>,
    /// Pages larger than this (after decompression) are refused.
    pub page_limit: u64,
    /// Paths never read while walking folders (the store itself, say).
    pub exclude: Vec<PathBuf>,
}

impl InputOptions {
    /// Options with no overrides, taking `now` as the time for stdin.
    pub fn new(now: OffsetDateTime) -> Self {
        InputOptions {
            url: None,
            fetched_at: None,
            now,
            site: None,
            page_limit: DEFAULT_PAGE_LIMIT,
            exclude: Vec::new(),
        }
    }
}

/// Lazily yields the pages under `paths` (`-` is stdin), in the order given and, inside a
/// folder, in sorted order of file names. Hidden files and folders (names starting with `.`)
/// are skipped. Each item is a page or an error naming the input that failed.
pub fn pages<'a>(paths: &[PathBuf], options: &'a InputOptions) -> Pages<'a> {
    Pages { pending: paths.iter().rev().cloned().map(Pending::Given).collect(), options }
}

enum Pending {
    Given(PathBuf),
    Found(PathBuf),
}

/// The iterator returned by [`pages`]. It holds only the names of one folder level at a time.
pub struct Pages<'a> {
    pending: Vec<Pending>,
    options: &'a InputOptions,
}

impl Iterator for Pages<'_> {
    type Item = Result<Page>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (path, given) = match self.pending.pop()? {
                Pending::Given(p) => (p, true),
                Pending::Found(p) => (p, false),
            };
            if path.as_os_str() == "-" && given {
                return Some(read_stdin(self.options));
            }
            if self.options.exclude.iter().any(|e| same_file(e, &path)) {
                continue;
            }
            let name = path.display().to_string();
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(source) => return Some(Err(Error::Read { name, source })),
            };
            if meta.is_dir() {
                match list_dir(&path) {
                    Ok(children) => self.pending.extend(children.into_iter().rev().map(Pending::Found)),
                    Err(source) => return Some(Err(Error::Read { name, source })),
                }
                continue;
            }
            if !given && !meta.is_file() {
                continue;
            }
            return Some(read_file(&path, &meta, self.options));
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn list_dir(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        children.push(entry.path());
    }
    children.sort();
    Ok(children)
}

fn read_file(path: &Path, meta: &std::fs::Metadata, options: &InputOptions) -> Result<Page> {
    let name = path.display().to_string();
    if meta.len() > options.page_limit {
        return Err(Error::TooLarge { name, limit: options.page_limit });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Read { name: name.clone(), source })?;
    let raw = decompress(&name, bytes, options.page_limit)?;
    let fetched_at = match options.fetched_at {
        Some(t) => t,
        None => meta.modified().map(OffsetDateTime::from).unwrap_or(options.now),
    };
    let folder = path.parent().and_then(Path::file_name).map(|f| f.to_string_lossy().into_owned());
    Ok(Page { site: site_for(options, folder), source: name, url: options.url.clone(), fetched_at, raw })
}

fn read_stdin(options: &InputOptions) -> Result<Page> {
    use std::io::Read;
    let name = "-".to_owned();
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(options.page_limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read { name: name.clone(), source })?;
    if bytes.len() as u64 > options.page_limit {
        return Err(Error::TooLarge { name, limit: options.page_limit });
    }
    let raw = decompress(&name, bytes, options.page_limit)?;
    let fetched_at = options.fetched_at.unwrap_or(options.now);
    Ok(Page {
        site: site_for(options, Some("stdin".to_owned())),
        source: name,
        url: options.url.clone(),
        fetched_at,
        raw,
    })
}

/// The site: the URL's host, else the name the user gave, else the folder's name.
fn site_for(options: &InputOptions, folder: Option<String>) -> String {
    options
        .url
        .as_deref()
        .and_then(url_host)
        .or_else(|| options.site.clone())
        .or(folder)
        .unwrap_or_else(|| ".".to_owned())
}
