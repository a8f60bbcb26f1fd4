//! Read snapshots: a store read from a private copy of sled's files, taken under the store's
//! lock and let go at once, so that a long-lived reader (`vellum serve`) never keeps a writer
//! (`vellum ingest`) out for longer than the copy takes.
//!
//! sled holds an exclusive OS lock (`flock`) on its `db` file for as long as a database is open,
//! and a second process cannot open it meanwhile. A snapshot takes the same lock on the same
//! file, copies sled's files (not the value file, which is only ever appended to) into the
//! temporary folder, lets go, and opens sled on the copy; the value file is read in place, up to
//! the length it had when the snapshot was opened. Everything the copy points at was written
//! before it was taken ("values before pointers"), so the snapshot reads the store exactly as it
//! stood then, whatever is ingested afterwards.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

use fs2::FileExt;

use super::{copy_sled_files, open_locked, OpenOptions, Store};
use crate::{Error, Result};

/// What a store's files look like from outside (size, modification time and inode of sled's
/// `db` file and of the value file): a stamp that differs from an earlier one means that the
/// store has been written (or compacted, or replaced) since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreStamp(Vec<(u64, Option<std::time::SystemTime>, u64)>);

impl StoreStamp {
    /// The stamp of the store at `path` now (a missing file counts as empty).
    pub fn of(path: &Path) -> StoreStamp {
        let file = |name: &str| match std::fs::metadata(path.join(name)) {
            Ok(m) => (m.len(), m.modified().ok(), inode(&m)),
            Err(_) => (0, None, 0),
        };
        StoreStamp(vec![file("db"), file("conf"), file(super::pack::FILE_NAME)])
    }
}

#[cfg(unix)]
fn inode(m: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

impl Store {
    /// Opens a read snapshot of the store at `path`: waits up to `options.lock_timeout` for the
    /// store's lock (as any opening does), copies sled's files under it into the temporary
    /// folder, lets the lock go, and reads from the copy (removed when the store is dropped).
    /// The lock is held only while the files are copied, well inside the time an ingest waits
    /// for a lock by default (ARCHITECTURE.md, "Readers beside a writer", has the figures).
    /// `options.create` and `options.read_only` are ignored: a snapshot never writes the store.
    pub fn open_snapshot(path: &Path, options: &OpenOptions) -> Result<Store> {
        Store::open_snapshot_timed(path, options).map(|(store, _)| store)
    }

    /// [`Store::open_snapshot`], with how long the store's lock was held (while sled's files
    /// were copied).
    pub fn open_snapshot_timed(path: &Path, options: &OpenOptions) -> Result<(Store, Duration)> {
        if !path.join("db").is_file() {
            return Err(Error::NoStore { path: path.to_owned() });
        }
        let copy = tempfile::Builder::new()
            .prefix("vellum-snapshot-")
            .tempdir()
            .map_err(|source| Error::Write { name: std::env::temp_dir().display().to_string(), source })?;
        let held = {
            let _lock = lock(path, options.lock_timeout)?;
            let locked = Instant::now();
            copy_sled_files(path, copy.path())?;
            locked.elapsed()
        };
        let db = open_locked(copy.path(), options)?;
        Ok((Store::with_db(path, db, Some(copy))?, held))
    }
}

/// The store's lock: sled's own (`flock` on its `db` file), waited for up to `timeout`; held
/// until the file is dropped.
fn lock(path: &Path, timeout: Duration) -> Result<File> {
    let name = path.join("db");
    let file = File::open(&name).map_err(|source| Error::Read { name: name.display().to_string(), source })?;
    let started = Instant::now();
    loop {
        match file.try_lock_exclusive() {
            Ok(()) => return Ok(file),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.raw_os_error() == Some(11) => {
                if started.elapsed() >= timeout {
                    let waited_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                    return Err(Error::StoreInUse { path: path.to_owned(), waited_ms });
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(source) => return Err(Error::Read { name: name.display().to_string(), source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{open, page};
    use super::*;
    use crate::segment::Article;

    fn ingest(store: &Store, day: i64, title: &str, body: &str) {
        let article = Article { title: Some(title.into()), date: None, body: body.into() };
        let with_ids = vec![(format!("example\0{title}"), &article)];
        store.ingest_page(&page(day, 0), &with_ids, false).expect("ingest");
        store.flush().expect("flush");
    }

    #[test]
    fn a_snapshot_reads_the_store_as_it_stood_and_never_holds_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let store = open(&path);
        ingest(&store, 0, "First", "The first body of the first article.");
        // Taken while a writer has the store open: it waits for the lock, then gives up.
        let quick = OpenOptions { lock_timeout: Duration::from_millis(100), ..OpenOptions::default() };
        assert!(matches!(Store::open_snapshot(&path, &quick), Err(Error::StoreInUse { .. })));
        drop(store);
        let before = StoreStamp::of(&path);
        let snapshot = Store::open_snapshot(&path, &quick).expect("snapshot");
        // The snapshot holds no lock: a writer opens the store at once and adds to it.
        let store = Store::open(&path, &quick).expect("a writer beside a snapshot");
        ingest(&store, 1, "Second", "The body of the second article, written after the snapshot.");
        ingest(&store, 2, "First", "The second body of the first article, after the snapshot.");
        drop(store);
        assert_ne!(StoreStamp::of(&path), before);
        // The snapshot still reads the store as it stood, values included.
        let articles: Vec<_> = snapshot.articles().collect::<Result<_>>().expect("articles");
        assert_eq!(articles.len(), 1);
        let revisions = snapshot.revisions(articles[0].id).expect("revisions");
        assert_eq!(revisions.len(), 1);
        assert_eq!(snapshot.text(&revisions[0]).expect("text"), "The first body of the first article.");
        // A new snapshot sees everything.
        let copy = snapshot._read_copy.as_ref().map(|d| d.path().to_owned()).expect("a copy");
        drop(snapshot);
        assert!(!copy.exists(), "the snapshot's copy is removed with it");
        let fresh = Store::open_snapshot(&path, &quick).expect("snapshot");
        assert_eq!(fresh.articles().count(), 2);
        assert_eq!(StoreStamp::of(&path), StoreStamp::of(&path));
    }

    #[test]
    fn no_store_is_no_snapshot() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            Store::open_snapshot(&dir.path().join("none"), &OpenOptions::default()),
            Err(Error::NoStore { .. })
        ));
    }
}
