//! Typed errors for the library.
//!
//! Policy: every error that concerns one input names that input (`name` is a path, `-` for
//! stdin, or a URL); store errors name the store's path. The binary adds no detail of its own
//! beyond context, and decides the exit code.

use std::path::PathBuf;

/// Everything that can go wrong in vellum's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input could not be read from disk or stdin.
    #[error("{name}: cannot read: {source}")]
    Read {
        /// The input's name.
        name: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A compressed input (gzip or zstd) is damaged, truncated, or inflates past the limit.
    #[error("{name}: {format} data is damaged or truncated: {detail}")]
    Decompress {
        /// The input's name.
        name: String,
        /// `gzip` or `zstd`.
        format: &'static str,
        /// What the decoder said.
        detail: String,
    },
    /// An input holds no text at all (zero bytes, or only whitespace).
    #[error("{name}: empty page (no text)")]
    Empty {
        /// The input's name.
        name: String,
    },
    /// An input looks like binary data, not a text or HTML page.
    #[error("{name}: not a text page (binary data: {detail})")]
    Binary {
        /// The input's name.
        name: String,
        /// Why it looks binary.
        detail: String,
    },
    /// A WARC record is damaged or truncated; the rest of the file is still read.
    #[error("{name}: WARC record at byte {offset} is damaged: {detail}")]
    Warc {
        /// The WARC file's name.
        name: String,
        /// Byte offset of the record (of its gzip member, for `.warc.gz`) in the file.
        offset: u64,
        /// What is wrong with it.
        detail: String,
    },
    /// A line of a JSON Lines input is not a page record; the other lines are still read.
    #[error("{name}: line {line}: {detail}")]
    Jsonl {
        /// The JSON Lines file's name.
        name: String,
        /// The line's number, from 1.
        line: u64,
        /// What is wrong with it.
        detail: String,
    },
    /// An input is larger than the configured limit.
    #[error("{name}: page is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The input's name.
        name: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// Another process holds the store open.
    #[error("store is in use by another process: {path} (waited {waited_ms} ms for its lock)")]
    StoreInUse {
        /// The store's folder.
        path: PathBuf,
        /// How long we waited for the lock.
        waited_ms: u64,
    },
    /// The store's folder cannot be written, and the command needs to write.
    #[error(
        "store {path} cannot be written ({source}): commands that only read work on it; this one \
         needs to write"
    )]
    ReadOnlyStore {
        /// The store's folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// No store exists at the path (read-only commands never create one).
    #[error("no vellum store at {path} (run `vellum ingest` first, or pass --store)")]
    NoStore {
        /// The path that was looked at.
        path: PathBuf,
    },
    /// The store was written by a pre-release vellum, in a layout before format 1.
    #[error(
        "store {path} was written by a pre-release vellum (schema {schema}, before format 1): dump it \
         with that vellum (`vellum dump FILE`), then `vellum restore FILE` with this one"
    )]
    StoreFormatTooOld {
        /// The store's folder.
        path: PathBuf,
        /// The pre-release schema its mark names (1 to 4).
        schema: u32,
    },
    /// The store is marked format 1 but holds records of a pre-release layout: a pre-release
    /// build marked it after reading it as it was.
    #[error(
        "store {path} holds a `{tree}` tree of a pre-release vellum's layout: dump it with that \
         vellum (`vellum dump FILE`), then `vellum restore FILE` with this one"
    )]
    PreReleaseRecords {
        /// The store's folder.
        path: PathBuf,
        /// The tree only pre-release layouts wrote.
        tree: &'static str,
    },
    /// The store was written by a newer vellum, in a format this build does not know.
    #[error("store {path} has format {found}; this vellum reads format {supported}: upgrade vellum")]
    StoreFormatTooNew {
        /// The store's folder.
        path: PathBuf,
        /// The format found in the store.
        found: u32,
        /// The format this build reads and writes.
        supported: u32,
    },
    /// The store is of an older format, which `vellum migrate` takes to this build's.
    #[error("store {path} has format {found}; this vellum reads format {supported}: run `vellum migrate` on it")]
    StoreNeedsMigration {
        /// The store's folder.
        path: PathBuf,
        /// The format found in the store.
        found: u32,
        /// The format this build reads and writes.
        supported: u32,
    },
    /// The storage engine reported an error.
    #[error("store {path}: {source}")]
    Storage {
        /// The store's folder.
        path: PathBuf,
        /// The engine's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A stored value failed to decode or its hash does not match.
    #[error("corrupt store value: {what}: {detail}")]
    Corrupt {
        /// Which value (tree and key, in words).
        what: String,
        /// What is wrong with it.
        detail: String,
    },
    /// Stores given to `merge` cannot be combined into one (sites in more than one, different
    /// rules, an article id in two, a store written by an older vellum); says which and why.
    #[error("cannot merge these stores: {0}")]
    Unmergeable(String),
    /// A worker thread stopped without giving its result back (a bug in vellum).
    #[error("internal error: {0}")]
    Internal(String),
    /// No article matches the id (or id prefix) given.
    #[error("no article with id {0}")]
    NoSuchArticle(String),
    /// An id prefix matches more than one article.
    #[error("id prefix {prefix} is ambiguous: it matches {count} articles:{candidates}")]
    AmbiguousId {
        /// The prefix given.
        prefix: String,
        /// How many articles it matches.
        count: usize,
        /// The first few of them, a line each (`\n  ID  SITE  TITLE`).
        candidates: String,
    },
    /// An article has no revision with that number.
    #[error("article {id} has no revision {revision}")]
    NoSuchRevision {
        /// The article's id.
        id: String,
        /// The revision asked for.
        revision: u32,
    },
    /// A user-supplied argument is malformed.
    #[error("invalid {what}: {detail}")]
    Invalid {
        /// What was being parsed.
        what: &'static str,
        /// Why it is invalid.
        detail: String,
    },
    /// Writing output failed.
    #[error("cannot write {name}: {source}")]
    Write {
        /// Where we were writing.
        name: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An article whose record is lost while `revisions` revisions of it are stored (see
    /// `Store::articles_without_record`): damage readers name rather than skip.
    pub fn record_missing(id: impl std::fmt::Display, revisions: u32) -> Error {
        Error::Corrupt {
            what: format!("article {id}"),
            detail: format!(
                "its record is missing while {revisions} revision(s) of it are stored; `vellum verify` names \
                 what refers to it"
            ),
        }
    }

    /// Whether this is damage to one stored value (a value that fails to decode or to match
    /// its hash, or a record that is missing): readers that go through many records report it
    /// and go on with the others, while an engine error stops them.
    pub fn is_damage(&self) -> bool {
        matches!(self, Error::Corrupt { .. })
    }
}
