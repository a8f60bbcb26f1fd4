//! The archive store: the only module that names sled.
//!
//! `ARCHITECTURE.md` is the written spec of what is stored where: every tree, its key layout,
//! and its value encoding. Change the spec and this module together.

mod chain;
mod codec;
mod compact;
mod dicts;
mod dump;
mod fetches;
mod format;
pub(crate) mod history;
mod index;
mod keys;
mod knowledge;
mod merge;
mod pack;
mod read;
mod records;
mod rereads;
mod sightings;
mod sitefiles;
mod snapshot;
mod verify;
mod wholes;
mod write;
mod zctx;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::id::ContentHash;
use sled::transaction::TransactionError;
use std::time::{Duration, Instant};

// What callers outside the crate use: opening, reading, checking and maintaining a store.
pub use compact::CompactReport;
pub use dicts::DICTIONARY_BYTES;
pub use dump::DumpSummary;
pub use index::IndexRule;
pub use knowledge::{RuleKind, UserRules};
pub use merge::MergeSummary;
pub use read::FetchInfo;
pub use records::{ArticleInfo, RevisionInfo};
pub use snapshot::StoreStamp;
pub use verify::{Problem, Sample, Stats, VerifyReport};
pub use write::{ArticleOutcome, PageOutcome};

// What the archive layer above gives and takes.
#[cfg(test)]
pub(crate) use dicts::{FIRST_AFTER_TEXTS, TRAIN_AFTER_TEXTS};
pub(crate) use index::{IndexEntry, BANDS};
pub(crate) use knowledge::SiteShapes;
#[cfg(test)]
pub(crate) use knowledge::{ShapeCount, SiteKnowledge};
pub(crate) use records::nanos;
pub(crate) use sightings::{Sighting, SightingIndex};
pub(crate) use write::{ArticleRecord, ArticleWrite, PageWrite, RevisionRecord, RevisionWrite, Writer, Written};

use crate::{Error, Result};

pub use format::{MigrateReport, FORMAT};

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Create the store if it does not exist (only `ingest` does).
    pub create: bool,
    /// How long to wait for another process to let go of the store.
    pub lock_timeout: Duration,
    /// sled's page cache, in bytes. sled's own default (1 GiB) is far more than vellum needs,
    /// and sled's resident memory is several times this figure; vellum reads each record about
    /// once, so a small cache costs nothing measurable (ingest of 90 MB: the same time with 16
    /// and 64 MiB). `export` is the exception: it looks fetches up in no order, and opens with
    /// 64 MiB.
    pub cache_bytes: u64,
    /// Only read the store. A store the user cannot write (permissions, a read-only mount) is
    /// then read from a private copy of sled's files in the temporary folder, made on opening
    /// and removed on closing; the value file is read where it is. Opening to write such a
    /// store is [`Error::ReadOnlyStore`]. A store the user can write is opened in place, where
    /// sled itself may write (its snapshot, its settings), as may vellum's upkeep (`conf.vellum`,
    /// a stray snapshot removed). The copy is taken without sled's lock: a store someone else is
    /// writing at that moment may read as it was a moment before or fail to open; read-only
    /// stores are archive copies, which nothing writes.
    pub read_only: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions { create: false, lock_timeout: Duration::from_secs(2), cache_bytes: 16 << 20, read_only: false }
    }
}

/// An open store.
pub struct Store {
    path: PathBuf,
    handles: Option<Handles>,
    /// Set once the engine has reported an I/O error. sled 0.34's flush then never returns, and
    /// dropping a database flushes; so a failed store's handles are leaked, not dropped. What
    /// was flushed before the error is safe (the same state a crash leaves), and the OS
    /// releases the lock when the process exits.
    failed: AtomicBool,
    /// The latest raw page under each `heads` key, kept so the next page of the same site can
    /// be delta-compressed against it without decoding its chain.
    recent: Mutex<RecentRaw>,
    /// Raw pages read back lately, with the pages of their delta chains decoded on the way
    /// (see [`Store::blob`]).
    read_pages: Mutex<read::BlobCache>,
    /// Dictionaries read so far.
    dicts: Mutex<dicts::DictCache>,
    /// The identity index's inverse, for the sites written to so far (see [`index::BandIndex`]).
    band_index: Mutex<index::BandIndex>,
    /// The fetches holding each raw page, built when a page read again needs it (see `rereads`).
    raw_fetches: Mutex<rereads::RawFetches>,
    /// Packs of fetch records read lately (see `fetches`).
    fetch_cache: Mutex<fetches::PackCache>,
    /// Every article's sightings (time, fetch), read on the first page that cuts or re-derives
    /// a history (see `history`), then kept current.
    sighting_times: Mutex<Option<history::SightingTimes>>,
    /// Whether the identity index is known to be in this build's layout.
    index_ready: AtomicBool,
    /// Raw pages, texts and dictionaries.
    pack: pack::Pack,
    /// Whether a site generation was written since the last flush (see `sitefiles`).
    sites_written: AtomicBool,
    /// Held while a save points `sites` records at a new generation, and by a flush from
    /// sled's flush until the generations no record names are deleted.
    sites_lock: Mutex<()>,
    /// Held while pages are planned and written. A failed write cuts its values off the value file's end,
    /// which is only sound when no other write appended meanwhile; and sled reruns a
    /// conflicting transaction's closure, which would append its values again.
    writer: Mutex<()>,
    /// The private copy of sled's files a store the user cannot write is read from (see
    /// [`OpenOptions::read_only`]); removed when the store is closed, after sled's handles.
    _read_copy: Option<tempfile::TempDir>,
}

/// Recently stored raw pages, bounded in bytes.
#[derive(Default)]
struct RecentRaw {
    /// The page last stored under each head key.
    pages: HashMap<Vec<u8>, (ContentHash, Arc<Vec<u8>>)>,
    bytes: usize,
}

impl RecentRaw {
    /// Makes room for `len` more bytes: past the bound, everything goes.
    fn make_room(&mut self, len: usize) {
        if self.bytes + len > RECENT_RAW_BYTES {
            self.pages.clear();
            self.bytes = 0;
        }
    }
}

/// The most bytes of recent raw pages kept in memory. They spare decoding a delta chain for the
/// next page of the same site or URL within one ingest, which needs about one page per site:
/// 8 MiB holds hundreds of sites' pages. (64 MiB made the peak RSS of a 90 MB ingest 144 MB
/// instead of 92 MB, and was no faster.)
const RECENT_RAW_BYTES: usize = 8 << 20;

/// The most bytes of raw pages read back (and the pages of their chains) kept in memory. An
/// ingest reads a site's pages back along one chain: the pages it compares a new page's
/// articles with, then the site's last page to store the new one against. Kept, the chain's
/// pages are decoded once, where each read would decode them again from the chain's start.
/// A chain holds at most [`codec::MAX_BLOB_DEPTH`] + 1 pages: 4 MiB holds several sites' chains
/// of pages of tens of kilobytes. (8 MiB did no less work on the daily-dev corpus's daily run
/// and made its peak RSS 34 MB instead of 29 MB.)
const READ_PAGES_BYTES: usize = 4 << 20;

/// sled's handles: the database and its trees.
struct Handles {
    db: sled::Db,
    meta: sled::Tree,
    blobs: sled::Tree,
    fetches: sled::Tree,
    articles: sled::Tree,
    revisions: sled::Tree,
    heads: sled::Tree,
    sites: sled::Tree,
    rules: sled::Tree,
    dicts: sled::Tree,
    bands: sled::Tree,
    aliases: sled::Tree,
    wholes: sled::Tree,
}

impl Drop for Store {
    fn drop(&mut self) {
        if self.failed.load(Ordering::SeqCst) {
            std::mem::forget(self.handles.take());
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

thread_local! {
    /// Whether this thread is inside one of the store's sled transactions (checked in debug
    /// builds: see [`Store::h`]).
    static IN_TRANSACTION: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as inside a transaction until dropped.
pub(super) struct InTransaction(bool);

impl InTransaction {
    pub(super) fn enter() -> Self {
        InTransaction(IN_TRANSACTION.replace(true))
    }
}

impl Drop for InTransaction {
    fn drop(&mut self) {
        IN_TRANSACTION.set(self.0);
    }
}

impl Store {
    /// Opens (or with `create`, creates) the store at `path`.
    pub fn open(path: &Path, options: &OpenOptions) -> Result<Store> {
        if !path.join("db").is_file() {
            // A compaction cut short between its renames leaves the store beside its path.
            compact::recover(path)?;
        }
        let exists = path.join("db").is_file();
        if !exists {
            if !options.create {
                return Err(Error::NoStore { path: path.to_owned() });
            }
            let foreign = std::fs::read_dir(path).map(|mut d| d.next().is_some()).unwrap_or(false);
            if foreign {
                return Err(Error::Invalid {
                    what: "store path",
                    detail: format!(
                        "{} exists and is not a vellum store (not empty, no sled database)",
                        path.display()
                    ),
                });
            }
        }
        let (db, read_copy) = match open_locked(path, options) {
            Err(Error::ReadOnlyStore { .. }) if options.read_only => {
                let copy = read_copy(path)?;
                (open_locked(copy.path(), options)?, Some(copy))
            }
            opened => (opened?, None),
        };
        Store::with_db(path, db, read_copy)
    }

    /// Opens the store at `path` for `vellum migrate`: as [`Store::open`], but a store of an
    /// older format is opened too (no store is created).
    fn open_migrating(path: &Path, options: &OpenOptions) -> Result<Store> {
        if !path.join("db").is_file() {
            compact::recover(path)?;
        }
        if !path.join("db").is_file() {
            return Err(Error::NoStore { path: path.to_owned() });
        }
        Store::with_db_as(path, open_locked(path, options)?, None, true)
    }

    /// The store at `path` read through `db`: sled opened in place, or on a private copy of its
    /// files (`read_copy`), when the value file is read where it is and never written.
    fn with_db(path: &Path, db: sled::Db, read_copy: Option<tempfile::TempDir>) -> Result<Store> {
        Store::with_db_as(path, db, read_copy, false)
    }

    /// [`Store::with_db`], letting a store of an older format open when `migrating`.
    fn with_db_as(path: &Path, db: sled::Db, read_copy: Option<tempfile::TempDir>, migrating: bool) -> Result<Store> {
        let tree = |name: &str| db.open_tree(name).map_err(|e| storage(path, e));
        let handles = Handles {
            meta: tree("meta")?,
            blobs: tree("blobs")?,
            fetches: tree("fetches")?,
            articles: tree("articles")?,
            revisions: tree("revisions")?,
            heads: tree("heads")?,
            sites: tree("sites")?,
            rules: tree("rules")?,
            dicts: tree("dicts")?,
            bands: tree("bands")?,
            aliases: tree("aliases")?,
            wholes: tree("wholes")?,
            db,
        };
        let pack = if read_copy.is_some() { pack::Pack::open_read_only(path) } else { pack::Pack::open(path) };
        let pack = pack.map_err(|e| storage(path, sled::Error::Io(e)))?;
        let store = Store {
            path: path.to_owned(),
            handles: Some(handles),
            failed: AtomicBool::new(false),
            recent: Mutex::new(RecentRaw::default()),
            read_pages: Mutex::new(read::BlobCache::reads(READ_PAGES_BYTES)),
            band_index: Mutex::new(index::BandIndex::default()),
            raw_fetches: Mutex::new(rereads::RawFetches::default()),
            fetch_cache: Mutex::new(fetches::PackCache::default()),
            sighting_times: Mutex::new(None),
            index_ready: AtomicBool::new(false),
            dicts: Mutex::new(dicts::DictCache::default()),
            pack,
            sites_written: AtomicBool::new(false),
            sites_lock: Mutex::new(()),
            writer: Mutex::new(()),
            _read_copy: read_copy,
        };
        store.check_format(migrating)?;
        Ok(store)
    }

    fn h(&self) -> &Handles {
        // A plain sled read inside a transaction waits forever on the transaction's own lock
        // (sled holds its global write lock while a transaction's closure runs).
        debug_assert!(!IN_TRANSACTION.get(), "a plain store read inside a transaction deadlocks");
        // Only `drop` takes the handles out.
        self.handles.as_ref().expect("store handles are present until drop")
    }

    /// Whether the store is read from a private copy of sled's files (see
    /// [`OpenOptions::read_only`]): such a store must be dropped, not leaked, for the copy to go.
    pub fn is_read_copy(&self) -> bool {
        self._read_copy.is_some()
    }

    /// Turns an engine error into vellum's, remembering that the engine has failed.
    fn fail(&self, e: sled::Error) -> Error {
        if matches!(e, sled::Error::Io(_) | sled::Error::ReportableBug(_) | sled::Error::Corruption { .. }) {
            self.failed.store(true, Ordering::SeqCst);
        }
        storage(&self.path, e)
    }

    /// The raw page last stored under `key`, if it is `hash` and still in memory.
    fn recent_raw(&self, key: &[u8], hash: &ContentHash) -> Option<Arc<Vec<u8>>> {
        let recent = self.recent.lock().ok()?;
        recent.pages.get(key).filter(|(h, _)| h == hash).map(|(_, bytes)| Arc::clone(bytes))
    }

    /// Remembers the raw page just stored under `keys`.
    fn remember_raw(&self, keys: &[Vec<u8>], hash: ContentHash, bytes: &[u8]) {
        let Ok(mut recent) = self.recent.lock() else { return };
        recent.make_room(bytes.len());
        let shared = Arc::new(bytes.to_vec());
        recent.bytes += bytes.len();
        for key in keys {
            let Some((_, old)) = recent.pages.insert(key.clone(), (hash, Arc::clone(&shared))) else { continue };
            // A page no other key holds is no longer kept. (A copy a writer still holds makes
            // the count err high, which only empties the map sooner.)
            if Arc::strong_count(&old) == 1 {
                recent.bytes = recent.bytes.saturating_sub(old.len());
            }
        }
    }

    /// The value in the value file that `value` (a pointer read from sled) names.
    fn stored(&self, what: &dyn Fn() -> String, value: &[u8]) -> Result<Vec<u8>> {
        pack::resolve(&self.pack, what, value)
    }

    /// Appends a value to the value file; returns the pointer sled holds instead.
    fn put(&self, value: &[u8]) -> Result<Vec<u8>> {
        self.pack.append(value).map_err(|e| self.fail(sled::Error::Io(e)))
    }

    /// The outcome of a transaction that appended values to the value file from `mark` on. On
    /// failure nothing points at those values, so they are cut off again.
    fn settle<T>(&self, mark: u64, result: std::result::Result<T, TransactionError<Error>>) -> Result<T> {
        result.or_else(|e| {
            let e = match e {
                TransactionError::Abort(e) => e,
                TransactionError::Storage(e) => self.fail(e),
            };
            self.pack.truncate(mark).map_err(|e| self.fail(sled::Error::Io(e)))?;
            Err(e)
        })
    }

    /// Takes the writer's lock (see [`Store::writer`]'s field).
    fn writing(&self) -> std::sync::MutexGuard<'_, ()> {
        // The lock guards no data: a panic elsewhere cannot leave it half-done.
        self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The store's folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes everything written so far durable.
    pub fn flush(&self) -> Result<()> {
        if self.failed.load(Ordering::SeqCst) {
            let e = std::io::Error::other("the store failed earlier in this process; nothing more is flushed");
            return Err(storage(&self.path, sled::Error::Io(e)));
        }
        crate::timings::time(crate::timings::Stage::Flush, || {
            // Values before the pointers to them.
            self.pack.sync().map_err(|e| self.fail(sled::Error::Io(e)))?;
            let _sites = self.sites_lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            self.h().db.flush().map(drop).map_err(|e| self.fail(e))?;
            // Then no longer named, durably: the site generations written over.
            self.collect_site_generations()
        })
    }
}

/// Opens sled, waiting up to the lock timeout while another process holds the store.
fn open_locked(path: &Path, options: &OpenOptions) -> Result<sled::Db> {
    let started = Instant::now();
    let mut cleared = false;
    loop {
        let config = sled::Config::new().path(path).cache_capacity(options.cache_bytes);
        let size = segment_size(path)?;
        let opened = config.segment_size(size).open();
        match opened {
            Ok(db) => {
                keep_conf_copy(path, size);
                return Ok(db);
            }
            Err(sled::Error::Io(e)) if is_lock_error(&e) => {
                if started.elapsed() >= options.lock_timeout {
                    let waited_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                    return Err(Error::StoreInUse { path: path.to_owned(), waited_ms });
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(sled::Error::Io(e)) if is_read_only_error(&e) => {
                return Err(Error::ReadOnlyStore { path: path.to_owned(), source: e });
            }
            // sled reads the newest snapshot file, and a snapshot whose writing was cut short
            // (a full disk, a crash) is the newest; sled only renames a snapshot once complete,
            // and its log holds everything a snapshot does, so such a file is removed.
            Err(e) if !cleared && remove_stray_snapshots(path) => {
                cleared = true;
                drop(e);
            }
            Err(e) => return Err(storage(path, e)),
        }
    }
}

/// Removes the snapshot files sled left incomplete in the store folder (`snap.*.generating`);
/// whether there were any.
fn remove_stray_snapshots(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return false };
    let mut removed = false;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            removed |= std::fs::remove_file(entry.path()).is_ok();
        }
    }
    removed
}

fn is_read_only_error(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem)
}

/// A private copy of the sled files of the store at `path` (all but the value file and stray
/// snapshots), in the temporary folder, for reading a store the user cannot write.
fn read_copy(path: &Path) -> Result<tempfile::TempDir> {
    let copy = tempfile::Builder::new()
        .prefix("vellum-read-")
        .tempdir()
        .map_err(|source| Error::Write { name: std::env::temp_dir().display().to_string(), source })?;
    copy_sled_files(path, copy.path())?;
    Ok(copy)
}

fn copy_sled_files(from: &Path, to: &Path) -> Result<()> {
    let read_error = |source| Error::Read { name: from.display().to_string(), source };
    for entry in std::fs::read_dir(from).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if text == pack::FILE_NAME || (text.starts_with("snap.") && text.ends_with(".generating")) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().map_err(read_error)?.is_dir() {
            std::fs::create_dir_all(&target)
                .map_err(|source| Error::Write { name: target.display().to_string(), source })?;
            copy_sled_files(&entry.path(), &target)?;
        } else {
            // The copy is the process's own to write (a copy keeps the original's permissions).
            let write_error = |source| Error::Write { name: target.display().to_string(), source };
            std::fs::copy(entry.path(), &target).map_err(write_error)?;
            let mut permissions = std::fs::metadata(&target).map_err(write_error)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            std::fs::set_permissions(&target, permissions).map_err(write_error)?;
        }
    }
    Ok(())
}

/// sled's log segment size for a new store. sled reclaims space a segment at a time, so
/// smaller segments leave less garbage behind: on the benchmark corpus sled's file is 4.1 MB
/// with 256 KiB segments against 5.2 MB with sled's default 512 KiB (64 KiB: 4.9 MB, as values
/// over a quarter segment go to files of their own).
const SEGMENT_BYTES: usize = 256 << 10;

/// The file beside sled's `conf` in which vellum keeps its own copy of the segment size. sled
/// writes a fresh `conf` with whatever size it is given when `conf` is missing, and a database
/// read with the wrong segment size is lost; this copy is what opens such a store safely.
pub(super) const CONF_COPY: &str = "conf.vellum";

/// The `segment_size: N` line of a sled `conf` (or of vellum's copy of it).
fn conf_segment_size(text: &[u8]) -> Option<usize> {
    String::from_utf8_lossy(text).lines().find_map(|line| line.strip_prefix("segment_size: ")?.trim().parse().ok())
}

/// The segment size of the store at `path`: the one its `conf` file records (sled refuses any
/// other, and rewrites a store opened with another size when `conf` is missing), else the one
/// vellum's copy ([`CONF_COPY`]) records, else for a new store [`SEGMENT_BYTES`]. A store whose
/// `conf` is missing or damaged with no copy to go by is an error, and nothing is changed.
fn segment_size(path: &Path) -> Result<usize> {
    let conf = path.join("conf");
    let read = |p: &Path| match std::fs::read(p) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Read { name: p.display().to_string(), source: e }),
    };
    let recorded = read(&conf)?;
    if let Some(size) = recorded.as_deref().and_then(conf_segment_size) {
        return Ok(size);
    }
    if !path.join("db").is_file() {
        return Ok(SEGMENT_BYTES);
    }
    let copy = read(&path.join(CONF_COPY))?.as_deref().and_then(conf_segment_size);
    match (recorded.is_some(), copy) {
        // sled writes a new `conf` with this size.
        (false, Some(size)) => Ok(size),
        (true, Some(size)) => Err(Error::Invalid {
            what: "store",
            detail: format!(
                "{}: sled's settings file {} is damaged; nothing was changed. vellum's copy ({CONF_COPY}) \
                 says segment_size {size}: remove the damaged `conf` and vellum opens the store with it",
                path.display(),
                conf.display(),
            ),
        }),
        (damaged, None) => Err(Error::Invalid {
            what: "store",
            detail: format!(
                "{}: sled's settings file {} is {}, and vellum has no copy of it ({CONF_COPY}) to \
                 open the store safely with; nothing was changed. Put back `conf` from a backup \
                 of the store",
                path.display(),
                conf.display(),
                if damaged { "damaged" } else { "missing" },
            ),
        }),
    }
}

/// Writes vellum's copy of the segment size beside `conf` ([`CONF_COPY`]) when it is missing or
/// differs, atomically. Best effort: a store the user cannot write keeps working without it.
pub(super) fn keep_conf_copy(path: &Path, size: usize) {
    let target = path.join(CONF_COPY);
    let text = format!("segment_size: {size}\n");
    if std::fs::read(&target).is_ok_and(|t| t == text.as_bytes()) {
        return;
    }
    let partial = path.join(format!("{CONF_COPY}.partial"));
    if std::fs::write(&partial, &text).is_ok() && std::fs::rename(&partial, &target).is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}

fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock")
}

/// An error writing the file or folder at `path`.
fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write { name: path.display().to_string(), source }
}

/// An error reading the file or folder at `path`.
fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Read { name: path.display().to_string(), source }
}

/// Makes a folder's entries durable (a no-op where folders cannot be opened as files).
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir).and_then(|folder| folder.sync_all()).map_err(|e| write_error(dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

fn storage(path: &Path, e: sled::Error) -> Error {
    let e = match e {
        sled::Error::Io(io) => sled::Error::Io(undebugged(io)),
        other => other,
    };
    Error::Storage { path: path.to_owned(), source: Box::new(e) }
}

/// The I/O error that `e` is the debug form of, if it is one. sled hands back a failure it
/// recorded earlier as a clone, and clones an I/O error as a new one whose message is the old
/// one's debug form (`Os { code: 28, kind: StorageFull, message: "No space left on device" }`);
/// this gives back the error a person can read (`No space left on device (os error 28)`).
fn undebugged(e: std::io::Error) -> std::io::Error {
    if e.raw_os_error().is_some() {
        return e;
    }
    let text = e.to_string();
    if let Some(code) = text.strip_prefix("Os { code: ").and_then(|rest| rest.split_once(',')) {
        if let Ok(code) = code.0.parse() {
            return std::io::Error::from_raw_os_error(code);
        }
    }
    if let Some((_, message)) = text.strip_prefix("Custom { kind: ").and_then(|rest| rest.split_once(", error: \"")) {
        if let Some(message) = message.strip_suffix("\" }") {
            return std::io::Error::new(e.kind(), message.to_owned());
        }
    }
    e
}

#[cfg(test)]
#[path = "heads_tests.rs"]
mod heads_tests;
#[cfg(test)]
mod tests;
