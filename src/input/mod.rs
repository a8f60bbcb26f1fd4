//! Reading pages: files, folders (walked lazily in sorted order), stdin, gzip and zstd;
//! telling HTML from text (and reading its own URL), decoding legacy encodings.

mod decode;
mod encoding;
mod http;
mod jsonl;
pub(crate) mod site;
mod sniff;
mod warc;

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

pub use decode::decompress;
pub use encoding::{decode_html, decode_text};
pub(crate) use encoding::{decode_page, Decoded};
pub use jsonl::{jsonl_pages, jsonl_path, JsonlPages};
pub use sniff::{head_url, looks_like_html};
pub use warc::{is_warc, WarcContext, WarcPages};

use crate::page::{url_host, Page};
use crate::{Error, Result};

pub use crate::page::DEFAULT_PAGE_LIMIT;

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
/// are skipped, and so are symlinks to folders met inside a folder: following them could walk
/// in a loop (`ln -s . self`). A symlink to a file is read, and any path given is followed.
/// Each item is a page or an error naming the input that failed.
///
/// A WARC file (`WARC/1.` at its start, gzipped or not) yields one page per HTML or text
/// response record, read record by record (see [`WarcPages`]); its records' own URLs and
/// dates win over `options.url` and `options.fetched_at`.
pub fn pages<'a>(paths: &[PathBuf], options: &'a InputOptions) -> Pages<'a> {
    Pages { pending: paths.iter().rev().cloned().collect(), walk: None, options, warc: None, skipped: 0 }
}

/// The walk of one folder given: its entries, hidden ones and excluded paths filtered out.
type Walk<'a> = walkdir::FilterEntry<walkdir::IntoIter, Box<dyn FnMut(&walkdir::DirEntry) -> bool + 'a>>;

/// The iterator returned by [`pages`]. It holds the names of the folders being walked (one
/// list per level), and of a WARC file only the record being read.
pub struct Pages<'a> {
    /// The paths given and not yet read, last first.
    pending: Vec<PathBuf>,
    walk: Option<Walk<'a>>,
    options: &'a InputOptions,
    warc: Option<WarcPages<Box<dyn BufRead>>>,
    skipped: u64,
}

impl Pages<'_> {
    /// How many WARC records were skipped so far because they hold no HTML or text response.
    pub fn skipped_records(&self) -> u64 {
        self.skipped + self.warc.as_ref().map_or(0, WarcPages::skipped)
    }
}

/// What one file turned out to be.
enum Opened {
    Page(Page),
    Warc(WarcPages<Box<dyn BufRead>>),
}

impl Iterator for Pages<'_> {
    type Item = Result<Page>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(warc) = &mut self.warc {
                if let Some(item) = warc.next() {
                    return Some(item);
                }
                self.skipped += warc.skipped();
                self.warc = None;
            }
            let opened = if let Some(walk) = &mut self.walk {
                match walk.next() {
                    Some(Ok(entry)) => match found(&entry, self.options) {
                        Some(opened) => opened,
                        None => continue,
                    },
                    Some(Err(err)) => {
                        let name = err.path().map_or_else(String::new, |p| p.display().to_string());
                        Err(Error::Read { name, source: err.into() })
                    }
                    None => {
                        self.walk = None;
                        continue;
                    }
                }
            } else {
                let path = self.pending.pop()?;
                if path.as_os_str() == "-" {
                    read_stdin(self.options)
                } else {
                    match self.open_given(&path) {
                        Some(opened) => opened,
                        None => continue,
                    }
                }
            };
            match opened {
                Ok(Opened::Page(page)) => return Some(Ok(page)),
                Ok(Opened::Warc(warc)) => self.warc = Some(warc),
                Err(err) => return Some(Err(err)),
            }
        }
    }
}

impl<'a> Pages<'a> {
    /// Opens a path given; `None` for one passed over (excluded, or a folder whose walk is now
    /// under way).
    fn open_given(&mut self, path: &Path) -> Option<Result<Opened>> {
        let options = self.options;
        if is_excluded(options, path) {
            return None;
        }
        let name = path.display().to_string();
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(source) if source.kind() == std::io::ErrorKind::NotFound && is_url(&name) => {
                let detail = "vellum reads files, not URLs: fetch the page first (`curl -o page.html URL`), \
                              then give the file with `--url URL`";
                return Some(Err(Error::Read { name, source: std::io::Error::new(source.kind(), detail) }));
            }
            Err(source) => return Some(Err(Error::Read { name, source })),
        };
        if meta.is_dir() {
            let keep: Box<dyn FnMut(&walkdir::DirEntry) -> bool + 'a> = Box::new(move |entry| {
                entry.depth() == 0
                    || !entry.file_name().to_string_lossy().starts_with('.') && !is_excluded(options, entry.path())
            });
            let walk = walkdir::WalkDir::new(path).follow_links(false).sort_by_file_name().min_depth(1);
            self.walk = Some(walk.into_iter().filter_entry(keep));
            return None;
        }
        Some(read_file(path, &meta, options))
    }
}

/// Whether a path given looks like a URL (`https://…`).
fn is_url(name: &str) -> bool {
    ["http://", "https://", "ftp://"]
        .iter()
        .any(|scheme| name.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)))
}

/// Reads an entry met in a folder walk; `None` for one passed over: a folder (the walk goes
/// into it), a symlink to one (the walk does not), or anything but a regular file.
fn found(entry: &walkdir::DirEntry, options: &InputOptions) -> Option<Result<Opened>> {
    let path = entry.path();
    let kind = entry.file_type();
    if kind.is_dir() || !kind.is_file() && !kind.is_symlink() {
        return None;
    }
    // A symlink's target's metadata: a dangling link is an error, a link to a folder is skipped.
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(source) => return Some(Err(Error::Read { name: path.display().to_string(), source })),
    };
    if !meta.is_file() {
        return None;
    }
    Some(read_file(path, &meta, options))
}

fn is_excluded(options: &InputOptions, path: &Path) -> bool {
    options.exclude.iter().any(|e| same_file(e, path))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn read_file(path: &Path, meta: &std::fs::Metadata, options: &InputOptions) -> Result<Opened> {
    let name = path.display().to_string();
    let fetched_at = match options.fetched_at {
        Some(t) => t,
        None => meta.modified().map(OffsetDateTime::from).unwrap_or(options.now),
    };
    let folder = site::site_of_path(path);
    let read_err = |source| Error::Read { name: name.clone(), source };
    let mut file = std::fs::File::open(path).map_err(read_err)?;
    let mut head = Vec::with_capacity(4096);
    (&mut file).take(4096).read_to_end(&mut head).map_err(read_err)?;
    if is_warc(&head) {
        // Streamed (a WARC file may be far larger than memory), the bytes already read first:
        // the file is read once, so a pipe given by name (`<(zcat crawl.warc.gz)`) loses nothing.
        let context = WarcContext { name, site: site_for(options, folder), fetched_at, limit: options.page_limit };
        let file = std::io::Cursor::new(head).chain(file);
        let reader: Box<dyn BufRead> = Box::new(std::io::BufReader::with_capacity(1 << 16, file));
        return Ok(Opened::Warc(WarcPages::new(reader, context)));
    }
    if meta.len() > options.page_limit {
        return Err(Error::TooLarge { name, limit: options.page_limit });
    }
    // A device or a pipe given by name (`/dev/zero`, `<(cat page)`) has no size to check first.
    let mut bytes = head;
    let room = options.page_limit.saturating_add(1).saturating_sub(bytes.len() as u64);
    file.take(room).read_to_end(&mut bytes).map_err(read_err)?;
    if bytes.len() as u64 > options.page_limit {
        return Err(Error::TooLarge { name, limit: options.page_limit });
    }
    let raw = decompress(&name, bytes, options.page_limit)?;
    Ok(Opened::Page(read_page(options, name, raw, fetched_at, folder)))
}

/// A page read from a file or stdin. With no URL given, an HTML page's head may give one
/// (canonical link, og:url): it names the page and, when --site does not, its site.
fn read_page(
    options: &InputOptions,
    source: String,
    raw: Vec<u8>,
    fetched_at: OffsetDateTime,
    folder: Option<String>,
) -> Page {
    let canonical = if options.url.is_none() && looks_like_html(&raw) {
        head_url(&String::from_utf8_lossy(&raw[..raw.len().min(64 << 10)]))
    } else {
        None
    };
    let site = match canonical.as_deref().and_then(url_host) {
        Some(host) if options.site.is_none() => host,
        _ => site_for(options, folder),
    };
    Page { site, source, url: options.url.clone().or(canonical), fetched_at, raw, charset: None }
}

/// Reads stdin whole (up to the page limit): a page, or a WARC file read from memory.
fn read_stdin(options: &InputOptions) -> Result<Opened> {
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
    let fetched_at = options.fetched_at.unwrap_or(options.now);
    if is_warc(&bytes) {
        let context = WarcContext {
            name,
            site: site_for(options, Some("stdin".to_owned())),
            fetched_at,
            limit: options.page_limit,
        };
        let reader: Box<dyn BufRead> = Box::new(std::io::Cursor::new(bytes));
        return Ok(Opened::Warc(WarcPages::new(reader, context)));
    }
    let raw = decompress(&name, bytes, options.page_limit)?;
    Ok(Opened::Page(read_page(options, name, raw, fetched_at, Some("stdin".to_owned()))))
}

/// The site: the URL's host, else the name the user gave, else the one the file's place names
/// ([`site::site_of_path`]).
fn site_for(options: &InputOptions, folder: Option<String>) -> String {
    options
        .url
        .as_deref()
        .and_then(url_host)
        .or_else(|| options.site.clone())
        .or(folder)
        .unwrap_or_else(|| ".".to_owned())
}
