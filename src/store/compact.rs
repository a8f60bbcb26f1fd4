//! Compaction: sled's database copied record by record into a fresh one and swapped into place,
//! as `git gc` repacks a repository.
//!
//! sled is log-structured: a rewritten leaf leaves its old copy behind until its 256 KiB segment
//! is half empty, and records go in at random keys and are widened on every sighting, so an
//! ingested database holds about as much garbage as live data (90 MB benchmark corpus: 25.6 MB
//! of which a fresh copy takes 14.2 MB). The value file holds no garbage (nothing in it is ever
//! rewritten) and is kept as it is.
//!
//! How the copy is written decides its size, because sled writes every insert to its log and
//! splits a leaf of 17 records into 9 and 8:
//! - Records inserted in key order leave every leaf at 9 of its 16 places, never touched again.
//! - Records inserted in a random order fill leaves to about two thirds, but each insert then
//!   rewrites a leaf anywhere in the tree, and the old copies stay in segments that are still
//!   more than half live (sled reclaims a segment only below that).
//! - So each tree is copied in windows of [`WINDOW`] consecutive records, each window in a fixed
//!   shuffled order: the leaves fill as in random order, and the rewrites stay among the few
//!   leaves the window covers. Measured on the benchmark corpora (sled's file, fresh copies with
//!   64 KiB segments): 1.18 MB against 1.38-1.44 MB in key order at 8.8 MB, 10.2 MB against 13.5
//!   MB at 90 MB, 109 MB against 142 MB at 901 MB. Windows of 2,048 records were worse than
//!   1,024 at 90 MB, and of 4,096 worse than key order at 901 MB; 512 sits in the middle of the
//!   good range (256-1,024).
//! - The copy has 64 KiB segments ([`COPY_SEGMENT_BYTES`]), whatever the store had: the last,
//!   part-filled segment is smaller, and on the 8.8 MB corpus the copy is about a fifth smaller
//!   than with 256 KiB (1.18 against 1.75 MB); at 90 MB and 901 MB it is about the same or
//!   smaller. A store keeps the segment size its `conf` file records, so pages ingested after a
//!   compaction go into 64 KiB segments too.
//!
//! The copy replaces the store only when it is smaller.
//!
//! The copy is built beside the store, in `STORE.compacting`, with the value file and the site
//! generations hard-linked (copied where links are not possible). Then the store is renamed to `STORE.compacted-old`, the
//! copy to `STORE`, and the old folder removed. A crash before the first rename leaves the store
//! as it was (the next compaction removes the half-built copy); a crash between the renames
//! leaves no `STORE`, and opening it renames `STORE.compacted-old` back; a crash after them
//! leaves the old folder beside the new store, removed by the next compaction.

use std::path::{Path, PathBuf};

use super::{pack, sitefiles, storage, sync_dir, write_error, Store};
use crate::{Error, Result};

/// `meta` key: the bytes of sled's files right after the last compaction (record `u64`).
pub(super) const COMPACTED_KEY: &[u8] = b"compacted";
/// [`Store::wants_compaction`]: sled's files have grown to 5/4 of their size after the last
/// compaction (so compactions cost, added up, a few times the store's final size: work in
/// proportion to the input; with the sites' chrome in files, sled grows slowly enough between
/// daily runs that a quarter keeps the store near its compact size for a compaction every few
/// days)...
const AUTO_GROWTH: (u64, u64) = (5, 4);
/// ...and take at least this much.
const AUTO_MIN_BYTES: u64 = 1 << 20;

/// The segment size of a compacted copy (see the module's documentation).
const COPY_SEGMENT_BYTES: usize = 64 << 10;
/// How many consecutive records of a tree are inserted together, in a shuffled order.
const WINDOW: usize = 512;

/// What a compaction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactReport {
    /// Records copied (all trees).
    pub records: u64,
    /// The store folder's size before, in bytes.
    pub bytes_before: u64,
    /// Its size after.
    pub bytes_after: u64,
    /// Whether the copy replaced the store (it is kept only when it is smaller).
    pub replaced: bool,
}

/// `path` with `suffix` added to its last component (`store` → `store.compacting`; `a.v1` →
/// `a.v1.compacting`, not `a.compacting`, which `a.v2` would share), or `None` when it has no
/// last component (`.`, `..`, `/`).
fn beside(path: &Path, suffix: &str) -> Option<PathBuf> {
    let name = path.file_name()?;
    let mut name = name.to_os_string();
    name.push(suffix);
    Some(path.with_file_name(name))
}

/// Where a compaction builds the copy of the store at `path`.
fn staging(path: &Path) -> Option<PathBuf> {
    beside(path, ".compacting")
}

/// Where a compaction moves the store at `path` before the copy takes its place.
fn displaced(path: &Path) -> Option<PathBuf> {
    beside(path, ".compacted-old")
}

/// Puts a store back that a compaction moved aside and did not replace (a crash between its
/// two renames): called when opening finds no store at `path`.
pub(super) fn recover(path: &Path) -> Result<()> {
    let Some(old) = displaced(path) else { return Ok(()) };
    if !path.exists() && old.join("db").is_file() {
        std::fs::rename(&old, path).map_err(|source| write_error(path, source))?;
    }
    Ok(())
}

/// The bytes of the files in a folder and its subfolders.
fn folder_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// The bytes of sled's files in the store folder `path`: all but the value file and the site
/// files, which hold no garbage.
fn sled_bytes(path: &Path) -> u64 {
    let values = std::fs::metadata(path.join(pack::FILE_NAME)).map_or(0, |m| m.len());
    folder_bytes(path).saturating_sub(values).saturating_sub(folder_bytes(&path.join(sitefiles::DIR)))
}

/// A hard link at `to` of the file at `from`, or a copy where links are not possible.
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to).map_err(|source| write_error(to, source))?;
        let synced = std::fs::File::open(to).and_then(|file| file.sync_all());
        synced.map_err(|source| write_error(to, source))?;
    }
    Ok(())
}

/// Whether sled's files, at `now` bytes, have grown enough since the last compaction left them
/// at `last` (0: never compacted) for another to pay.
fn grown(now: u64, last: u64) -> bool {
    now >= AUTO_MIN_BYTES && now.saturating_mul(AUTO_GROWTH.1) >= last.saturating_mul(AUTO_GROWTH.0)
}

impl Store {
    /// Whether sled's files have grown by a quarter since the last compaction left them
    /// (or, never compacted, take a megabyte or more): `vellum ingest` then compacts the store,
    /// as git runs `gc --auto` after a commit.
    pub(crate) fn wants_compaction(&self) -> Result<bool> {
        Ok(grown(sled_bytes(&self.path), self.compacted_bytes()?.unwrap_or(0)))
    }

    /// The bytes of sled's files right after the last compaction (`meta` `compacted`), if any.
    fn compacted_bytes(&self) -> Result<Option<u64>> {
        let value = self.h().meta.get(COMPACTED_KEY).map_err(|e| self.fail(e))?;
        value.map(|v| super::records::decode_record(&|| "meta compacted".to_owned(), &v)).transpose()
    }

    /// Compacts the store (see the module's documentation); the store is closed afterwards.
    pub fn compact(self) -> Result<CompactReport> {
        self.compact_unless_larger(true)
    }

    /// [`Store::compact`]; with `unless_larger` false the copy replaces the store even when it is
    /// not smaller.
    fn compact_unless_larger(self, unless_larger: bool) -> Result<CompactReport> {
        // The working folders are named after the store's own folder name: `.` or `..` has none
        // (and would name the store itself), so the path is made absolute first.
        let path = std::fs::canonicalize(&self.path).map_err(|source| write_error(&self.path, source))?;
        let (Some(fresh), Some(old)) = (staging(&path), displaced(&path)) else {
            return Err(Error::Invalid {
                what: "store path",
                detail: format!("{} has no folder name to put a copy beside", path.display()),
            });
        };
        // The folder is swapped for its copy: a process working inside it would be left in the
        // removed one.
        if std::env::current_dir().and_then(std::fs::canonicalize).is_ok_and(|cwd| cwd.starts_with(&path)) {
            return Err(Error::Invalid {
                what: "store path",
                detail: format!("{} is the current folder or holds it: compact from outside it", path.display()),
            });
        }
        let bytes_before = folder_bytes(&path);
        for leftover in [&fresh, &old] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).map_err(|source| write_error(leftover, source))?;
            }
        }
        let records = match self.copy_into(&fresh) {
            Ok(records) => records,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&fresh);
                return Err(e);
            }
        };
        // A store that has had no garbage to lose (one compacted and not written to since) can
        // come out larger, as sled's layout varies from run to run: then it stays as it is. The
        // store was measured open, and opening sled starts a fresh segment, so the copy counts
        // one segment more: a store small enough that the copy only sheds that segment stays.
        if unless_larger && folder_bytes(&fresh) + COPY_SEGMENT_BYTES as u64 >= bytes_before {
            std::fs::remove_dir_all(&fresh).map_err(|source| write_error(&fresh, source))?;
            // As compact as it gets for now: the next automatic compaction waits for growth
            // (recorded only when it would not wait already: a write grows sled's file).
            if self.wants_compaction()? {
                let value = super::records::encode_record(&sled_bytes(&path));
                self.h().meta.insert(COMPACTED_KEY, value).map_err(|e| self.fail(e))?;
                self.flush()?;
            }
            return Ok(CompactReport { records, bytes_before, bytes_after: bytes_before, replaced: false });
        }
        std::fs::rename(&path, &old).map_err(|source| write_error(&path, source))?;
        std::fs::rename(&fresh, &path).map_err(|source| write_error(&path, source))?;
        // Closes the old database (its files are under `old` now) before removing it.
        drop(self);
        std::fs::remove_dir_all(&old).map_err(|source| write_error(&old, source))?;
        Ok(CompactReport { records, bytes_before, bytes_after: folder_bytes(&path), replaced: true })
    }

    /// Copies every record of every tree into a new database at `fresh` (see [`copy_tree`]),
    /// with the value file beside it, and checks that each tree holds as many records as the store's.
    fn copy_into(&self, fresh: &Path) -> Result<u64> {
        self.flush()?;
        std::fs::create_dir_all(fresh).map_err(|source| write_error(fresh, source))?;
        let db = sled::Config::new()
            .path(fresh)
            .segment_size(COPY_SEGMENT_BYTES)
            .cache_capacity(16 << 20)
            .open()
            .map_err(|e| storage(fresh, e))?;
        super::keep_conf_copy(fresh, COPY_SEGMENT_BYTES);
        let copied = self.copy_records(&db, fresh).and_then(|records| {
            let flush = |db: &sled::Db| db.flush().map_err(|e| storage(fresh, e));
            flush(&db)?;
            // What the copy takes, for the next automatic compaction to measure growth against.
            let meta = db.open_tree("meta").map_err(|e| storage(fresh, e))?;
            let value = super::records::encode_record(&sled_bytes(fresh));
            meta.insert(COMPACTED_KEY, value).map_err(|e| storage(fresh, e))?;
            flush(&db)?;
            Ok(records)
        });
        if copied.is_err() {
            // sled 0.34 may never return from the flush that dropping a database does after an
            // I/O error (a full disk): the copy's handles are leaked, and its folder removed.
            std::mem::forget(db);
            return copied;
        }
        drop(db);
        let values = self.path.join(pack::FILE_NAME);
        if values.exists() {
            link_or_copy(&values, &fresh.join(pack::FILE_NAME))?;
        }
        // Site generations are never written again once in place: a link is a copy.
        let sites = self.site_generation_paths()?;
        if !sites.is_empty() {
            let dir = fresh.join(sitefiles::DIR);
            std::fs::create_dir_all(&dir).map_err(|source| write_error(&dir, source))?;
            for path in sites {
                let Some(name) = path.file_name() else { continue };
                link_or_copy(&path, &dir.join(name))?;
            }
            sync_dir(&dir)?;
        }
        // The copy's entries (the value file's link, `sites/`), durable before it is swapped in.
        sync_dir(fresh)?;
        copied
    }

    /// Copies every record of every tree into `db`, checking each tree's count; returns how many.
    fn copy_records(&self, db: &sled::Db, fresh: &Path) -> Result<u64> {
        let mut records = 0u64;
        for name in self.h().db.tree_names() {
            let from = self.h().db.open_tree(&name).map_err(|e| self.fail(e))?;
            let to = db.open_tree(&name).map_err(|e| storage(fresh, e))?;
            records += copy_tree(&from, &to).map_err(|e| match e {
                Side::Reading(e) => self.fail(e),
                Side::Writing(e) => storage(fresh, e),
            })?;
            if to.len() != from.len() {
                let what = String::from_utf8_lossy(&name).into_owned();
                return Err(Error::Corrupt {
                    what: format!("compacted copy of {what}"),
                    detail: "record count differs".into(),
                });
            }
        }
        Ok(records)
    }
}

/// A sled error, and on which side of a copy it happened.
enum Side {
    Reading(sled::Error),
    Writing(sled::Error),
}

/// Inserts every record of `from` into `to`, [`WINDOW`] consecutive records at a time, each
/// window in a shuffled order, the same on every run; returns how many.
fn copy_tree(from: &sled::Tree, to: &sled::Tree) -> std::result::Result<u64, Side> {
    let mut order = Shuffle::new();
    let mut window = Vec::with_capacity(WINDOW);
    let mut items = from.iter();
    let mut records = 0;
    loop {
        let item = items.next().transpose().map_err(Side::Reading)?;
        let done = item.is_none();
        window.extend(item);
        if window.len() == WINDOW || (done && !window.is_empty()) {
            order.shuffle(&mut window);
            for (key, value) in window.drain(..) {
                to.insert(key, value).map_err(Side::Writing)?;
                records += 1;
            }
        }
        if done {
            return Ok(records);
        }
    }
}

/// A fixed sequence of Fisher-Yates shuffles (xorshift64): the order records go into a
/// compacted copy.
struct Shuffle(u64);

impl Shuffle {
    fn new() -> Self {
        Shuffle(0x9e37_79b9_7f4a_7c15)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            let j = (self.0 % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{dump_bytes, open, page};
    use super::super::OpenOptions;
    use super::*;
    use crate::segment::Article;

    fn filled(path: &Path) -> Store {
        let store = open(path);
        for day in 0..6 {
            let body = format!("The harbour report of day {day} names crane {}. It goes on.", day * 7);
            let articles = [Article { title: Some(format!("Harbour {}", day % 3)), date: None, body }];
            let with_ids: Vec<(String, &Article)> =
                articles.iter().map(|a| (crate::id::ArticleId::title_identity("example", "x"), a)).collect();
            crate::archive::store_page(&store, &page(day, 0), &with_ids, false, None).expect("ingest");
        }
        store
    }

    #[test]
    fn a_tree_is_copied_whole_across_windows_in_the_same_order_every_time() {
        let from = sled::Config::new().temporary(true).open().expect("db").open_tree("t").expect("tree");
        let records = WINDOW * 2 + 37;
        for i in 0..records as u32 {
            from.insert(i.to_be_bytes(), &i.to_le_bytes()[..]).expect("insert");
        }
        let copies: Vec<Vec<(sled::IVec, sled::IVec)>> = (0..2)
            .map(|_| {
                let to = sled::Config::new().temporary(true).open().expect("db").open_tree("t").expect("tree");
                assert_eq!(copy_tree(&from, &to).ok(), Some(records as u64));
                to.iter().map(|r| r.expect("read")).collect()
            })
            .collect();
        let original: Vec<(sled::IVec, sled::IVec)> = from.iter().map(|r| r.expect("read")).collect();
        assert_eq!(copies[0], original);
        assert_eq!(copies[1], original);
        let mut a: Vec<usize> = (0..WINDOW).collect();
        let mut b = a.clone();
        Shuffle::new().shuffle(&mut a);
        Shuffle::new().shuffle(&mut b);
        assert_eq!(a, b, "the order is fixed");
        assert_ne!(a, (0..WINDOW).collect::<Vec<_>>(), "and shuffled");
        a.sort_unstable();
        assert_eq!(a, (0..WINDOW).collect::<Vec<_>>(), "a permutation");
    }

    #[test]
    fn a_store_wants_compacting_once_sled_has_grown_by_a_quarter_since_the_last() {
        assert!(!grown(AUTO_MIN_BYTES - 1, 0), "too small to bother");
        assert!(grown(AUTO_MIN_BYTES, 0), "never compacted");
        assert!(!grown(5 << 20, (4 << 20) + 1));
        assert!(grown(5 << 20, 4 << 20));
        assert!(grown(u64::MAX, u64::MAX / 2));

        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let store = filled(&path);
        assert!(!store.wants_compaction().expect("wants"), "a small store");
        store.compact_unless_larger(false).expect("compact");
        let store = open(&path);
        let recorded = store.compacted_bytes().expect("meta").expect("a compaction records what the copy took");
        assert!(recorded > 0 && recorded <= sled_bytes(&path), "{recorded}");
    }

    #[test]
    fn a_compacted_store_has_small_segments_and_compacts_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let store = filled(&path);
        let before = dump_bytes(&store);
        store.compact_unless_larger(false).expect("compact");
        assert_eq!(super::super::segment_size(&path).expect("segment size"), COPY_SEGMENT_BYTES);
        let store = open(&path);
        store.compact_unless_larger(false).expect("compact again");
        let store = open(&path);
        assert_eq!(dump_bytes(&store), before);
    }

    /// Every file of a store folder with its bytes, to tell that nothing was written.
    fn files(path: &Path) -> Vec<(std::ffi::OsString, Vec<u8>)> {
        let mut out: Vec<_> = std::fs::read_dir(path)
            .expect("read dir")
            .map(|e| e.expect("entry"))
            .filter(|e| e.path().is_file())
            .map(|e| (e.file_name(), std::fs::read(e.path()).expect("read")))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_compacted_store_whose_conf_is_lost_opens_from_vellums_copy_or_is_left_untouched() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let store = filled(&path);
        let before = dump_bytes(&store);
        store.compact_unless_larger(false).expect("compact");
        let copy = std::fs::read_to_string(path.join(super::super::CONF_COPY)).expect("vellum's copy");
        assert_eq!(copy, format!("segment_size: {COPY_SEGMENT_BYTES}\n"));

        // `conf` lost: the store opens with the size vellum kept, and sled writes `conf` anew.
        std::fs::remove_file(path.join("conf")).expect("lose conf");
        assert_eq!(dump_bytes(&open(&path)), before);
        assert_eq!(super::super::segment_size(&path).expect("segment size"), COPY_SEGMENT_BYTES);

        // Both lost, or `conf` damaged with no copy: a clear error, and not a byte is changed.
        for damage in [None, Some(&b"segm\xffent"[..])] {
            std::fs::remove_file(path.join(super::super::CONF_COPY)).expect("lose the copy");
            let conf = std::fs::read(path.join("conf")).expect("conf");
            match damage {
                None => std::fs::remove_file(path.join("conf")).expect("lose conf"),
                Some(bytes) => std::fs::write(path.join("conf"), bytes).expect("damage conf"),
            }
            let untouched = files(&path);
            let err = Store::open(&path, &OpenOptions::default()).expect_err("no size to open with");
            let message = err.to_string();
            assert!(message.contains("conf") && message.contains("nothing was changed"), "{message}");
            assert_eq!(files(&path), untouched, "the store is as it was");
            // Putting `conf` back brings everything back.
            std::fs::write(path.join("conf"), conf).expect("put conf back");
            assert_eq!(dump_bytes(&open(&path)), before);
        }
    }

    #[test]
    fn a_compacted_store_holds_every_record_and_takes_new_pages() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let store = filled(&path);
        let before = dump_bytes(&store);
        let report = store.compact_unless_larger(false).expect("compact");
        assert!(report.replaced && report.records > 0, "{report:?}");
        let beside = |f: fn(&Path) -> Option<PathBuf>| f(&path).expect("a folder name");
        assert!(!beside(staging).exists() && !beside(displaced).exists(), "no folder is left behind");
        let store = open(&path);
        assert_eq!(dump_bytes(&store), before);
        assert!(store.verify().expect("verify").problems.is_empty());
        let body = "A new report on the harbour.".to_owned();
        let article = Article { title: Some("New".into()), date: None, body };
        crate::archive::store_page(&store, &page(9, 0), &[("example\0new".into(), &article)], false, None)
            .expect("a new page");
        assert!(store.verify().expect("verify").problems.is_empty());
    }

    #[test]
    fn working_folders_add_to_the_store_folder_name() {
        assert_eq!(staging(Path::new("/a/store")), Some(PathBuf::from("/a/store.compacting")));
        assert_eq!(displaced(Path::new("a.v1")), Some(PathBuf::from("a.v1.compacted-old")));
        assert_eq!(staging(Path::new("archive.restoring")), Some(PathBuf::from("archive.restoring.compacting")));
        assert_eq!(staging(Path::new("/")), None);
        assert_eq!(displaced(Path::new("..")), None);
    }

    #[test]
    fn a_store_moved_aside_by_a_cut_short_compaction_is_put_back_on_opening() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let before = dump_bytes(&filled(&path));
        // The crash came between the two renames: the store is aside, its copy built.
        let (fresh, old) = (staging(&path).expect("a name"), displaced(&path).expect("a name"));
        std::fs::rename(&path, &old).expect("move aside");
        std::fs::create_dir_all(&fresh).expect("a half-built copy");
        let store = open(&path);
        assert_eq!(dump_bytes(&store), before);
        assert!(!old.exists());
        // The next compaction clears what the cut-short one left.
        store.compact().expect("compact");
        assert!(!fresh.exists() && !old.exists());
        assert_eq!(dump_bytes(&open(&path)), before);
    }
}
