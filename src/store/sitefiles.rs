//! Site knowledge files (format 3): each site's learned chrome in a file of its own in the store
//! folder's `sites/`, replaced whole when an ingest flushes.
//!
//! A site's chrome changes with nearly every page it counts (each shape on the page counts once
//! more), so it is rewritten whole at every flush. As a sled value each rewrite stayed in sled's
//! log until a compaction: on 30 daily runs of 40 sites that garbage was most of what sled's
//! folder held beyond its live records. A file replaced by a rename leaves none.
//!
//! A file is written beside its place (`NAME.site.tmp`), made durable, and renamed over the
//! old one, so a reader (another process's snapshot included) finds the old file or the new,
//! never a part; the folder itself is made durable at the store's next flush, before sled's.
//! A crash can lose the last flush's counts, as it could when they were sled values; never a
//! file's bytes. A `.tmp` file left by a crash is overwritten by the next write of that site
//! and read by nothing.
//!
//! A file is named by the site's BLAKE3 (its first 16 bytes in hex: a site's name can be longer
//! than a file name may be, and can hold any character) and holds the site's name, which
//! reading checks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use super::records::{decode_site_file, encode_site_file, SiteRecord};
use super::Store;
use crate::{Error, Result};

/// The folder of the site files, in the store folder.
pub const DIR: &str = "sites";
/// A site file's extension.
const EXT: &str = "site";
/// The most threads that make site files durable at once.
const SYNC_THREADS: usize = 8;

/// The file name of `site`'s knowledge.
pub(super) fn file_name(site: &str) -> String {
    let hash = blake3::hash(site.as_bytes());
    format!("{}.{EXT}", hex::encode(&hash.as_bytes()[..16]))
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Read { name: path.display().to_string(), source }
}

fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write { name: path.display().to_string(), source }
}

/// Decodes the site file at `path`: the site it names and its knowledge.
fn read_file(path: &Path) -> Result<Option<(String, SiteRecord)>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_error(path, e)),
    };
    decode_site_file(&|| format!("site file {}", path.display()), &bytes).map(Some)
}

/// Decodes the site file at `path`, checking that it is the file of the site it holds.
pub(super) fn read_named(path: &Path) -> Result<Option<(String, SiteRecord)>> {
    let Some((site, record)) = read_file(path)? else { return Ok(None) };
    if path.file_name().is_some_and(|name| name.to_string_lossy() != file_name(&site)) {
        return Err(Error::Corrupt {
            what: format!("site file {}", path.display()),
            detail: format!("holds site {site:?}, whose file is {}", file_name(&site)),
        });
    }
    Ok(Some((site, record)))
}

impl Store {
    /// The folder of this store's site files.
    pub(super) fn sites_dir(&self) -> PathBuf {
        self.path.join(DIR)
    }

    /// A site's knowledge as its file holds it, or `None` for a site with no file.
    pub(super) fn read_site_file(&self, site: &str) -> Result<Option<SiteRecord>> {
        let path = self.sites_dir().join(file_name(site));
        match read_file(&path)? {
            Some((named, record)) if named == site => Ok(Some(record)),
            Some((named, _)) => Err(Error::Corrupt {
                what: format!("site file {}", path.display()),
                detail: format!("holds site {named:?}, not {site:?}"),
            }),
            None => Ok(None),
        }
    }

    /// Replaces a site's file with `record` (see the module's documentation).
    pub(super) fn write_site_file(&self, site: &str, record: &SiteRecord) -> Result<()> {
        self.write_site_files(&[(site, record)])
    }

    /// Replaces the files of several sites: each written beside its place, then all made
    /// durable at once (on [`SYNC_THREADS`] threads: a file system commits the syncs it is asked
    /// for together, so forty files take about the time of two on a busy disk, not forty), then
    /// each renamed into place.
    pub(super) fn write_site_files(&self, sites: &[(&str, &SiteRecord)]) -> Result<()> {
        if sites.is_empty() {
            return Ok(());
        }
        let dir = self.sites_dir();
        std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
        let mut written = Vec::with_capacity(sites.len());
        for (site, record) in sites {
            let path = dir.join(file_name(site));
            let tmp = path.with_extension(format!("{EXT}.tmp"));
            let file = std::fs::File::create(&tmp).and_then(|mut file| {
                file.write_all(&encode_site_file(site, record))?;
                Ok(file)
            });
            written.push((file.map_err(|e| write_error(&tmp, e))?, tmp, path));
        }
        let threads = SYNC_THREADS.min(written.len());
        let synced: Vec<Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let written = &written;
                    scope.spawn(move || {
                        for (file, tmp, _) in written.iter().skip(t).step_by(threads) {
                            file.sync_data().map_err(|e| write_error(tmp, e))?;
                        }
                        Ok(())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload))).collect()
        });
        synced.into_iter().collect::<Result<Vec<()>>>()?;
        for (file, tmp, path) in written {
            drop(file);
            std::fs::rename(&tmp, &path).map_err(|e| write_error(&path, e))?;
        }
        self.sites_written.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Every site file's site and knowledge, in name order of the sites.
    pub(super) fn site_files(&self) -> Result<Vec<(String, SiteRecord)>> {
        let mut sites = Vec::new();
        for path in self.site_paths()? {
            sites.extend(read_named(&path)?);
        }
        sites.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(sites)
    }

    /// The paths of every site file (not of the temporary files a crash can leave).
    pub(super) fn site_paths(&self) -> Result<Vec<PathBuf>> {
        let dir = self.sites_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(read_error(&dir, e)),
        };
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| read_error(&dir, e))?.path();
            if path.extension().is_some_and(|ext| ext == EXT) {
                paths.push(path);
            }
        }
        paths.sort_unstable();
        Ok(paths)
    }

    /// Makes the site files written since the last call durable in their folder (their
    /// contents already are).
    pub(super) fn sync_sites_dir(&self) -> Result<()> {
        if !self.sites_written.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let dir = self.sites_dir();
        sync_dir(&dir).map_err(|e| {
            self.sites_written.store(true, Ordering::SeqCst);
            write_error(&dir, e)
        })
    }
}

/// Makes a folder's entries durable (a no-op where folders cannot be opened as files).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OpenOptions;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path(), &OpenOptions { create: true, ..OpenOptions::default() }).expect("create");
        (dir, store)
    }

    #[test]
    fn a_site_file_reads_back_and_is_replaced_whole() {
        let (_dir, store) = store();
        assert_eq!(store.read_site_file("example.org").expect("read"), None);
        let first = SiteRecord { pages: 3, shapes: vec![(1, 3, 0), (9, 1, 77)] };
        store.write_site_file("example.org", &first).expect("write");
        store.sync_sites_dir().expect("sync");
        assert_eq!(store.read_site_file("example.org").expect("read"), Some(first));
        let second = SiteRecord { pages: 4, shapes: vec![(1, 4, 0)] };
        store.write_site_file("example.org", &second).expect("write");
        assert_eq!(store.read_site_file("example.org").expect("read"), Some(second.clone()));
        let names: Vec<_> =
            std::fs::read_dir(store.sites_dir()).expect("dir").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
        store.write_site_file("a site/with: any name", &SiteRecord { pages: 0, shapes: vec![] }).expect("write");
        let all = store.site_files().expect("files");
        assert_eq!(
            all,
            vec![
                ("a site/with: any name".to_owned(), SiteRecord { pages: 0, shapes: vec![] }),
                ("example.org".to_owned(), second)
            ]
        );
    }

    #[test]
    fn a_site_file_under_another_sites_name_or_damaged_is_an_error() {
        let (_dir, store) = store();
        store.write_site_file("one.example", &SiteRecord { pages: 1, shapes: vec![(5, 1, 0)] }).expect("write");
        let dir = store.sites_dir();
        std::fs::rename(dir.join(file_name("one.example")), dir.join(file_name("two.example"))).expect("rename");
        assert!(matches!(store.read_site_file("two.example"), Err(Error::Corrupt { .. })));
        assert!(matches!(store.site_files(), Err(Error::Corrupt { .. })));
        let path = dir.join(file_name("two.example"));
        let mut bytes = std::fs::read(&path).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).expect("damage");
        assert!(matches!(store.read_site_file("two.example"), Err(Error::Corrupt { .. })));
    }

    #[test]
    fn a_temporary_file_a_crash_left_is_read_by_nothing() {
        let (_dir, store) = store();
        store.write_site_file("one.example", &SiteRecord { pages: 1, shapes: vec![] }).expect("write");
        let tmp = store.sites_dir().join(format!("{}.tmp", file_name("one.example")));
        std::fs::write(&tmp, b"cut short").expect("plant");
        assert_eq!(store.site_files().expect("files").len(), 1);
        assert_eq!(store.read_site_file("one.example").expect("read").map(|r| r.pages), Some(1));
    }
}
