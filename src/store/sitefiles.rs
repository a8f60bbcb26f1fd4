//! Site knowledge in generation files (format 3): the learned chrome of the sites a flush
//! changed, written together as one file in the store folder's `sites/`, and a small `sites`
//! record per site in sled saying where its newest knowledge lies.
//!
//! A site's chrome changes with nearly every page it counts (each shape on the page counts once
//! more), so it is rewritten whole at every flush. As a sled value each rewrite stayed in sled's
//! log until a compaction: on 30 daily runs of 40 sites that garbage was most of what sled's
//! folder held beyond its live records. A generation file is never written again: once no
//! `sites` record points into it, it is deleted whole.
//!
//! A flush writes its generation beside its place (`G.gen.tmp`), syncs it, renames it into place
//! and syncs the folder; only then do the `sites` records point into it, in sled's next flush. A
//! crash before that leaves the records on the older generations, which are deleted only after
//! sled's flush made the new records durable: so the records always point at whole, durable
//! files, and a crash can lose the last flush's counts, never more. One file and one sync a
//! flush, however many sites changed. A generation no record names (a flush a crash cut short,
//! or the sites it held written again since) is deleted after the next flush. When the
//! generations hold more than twice the bytes the records name (sites not ingested for a while
//! keep old generations alive), a flush writes every site's knowledge into its generation again,
//! so every older one goes.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use super::records::{
    decode_site_file, decode_site_pointer, encode_site_file, encode_site_pointer, SitePointer, SiteRecord,
};
use super::{read_error, sync_dir, write_error, Store};
use crate::{Error, Result};

/// The folder of the generation files, in the store folder.
pub const DIR: &str = "sites";
/// A generation file's extension.
const EXT: &str = "gen";

/// The file name of generation `generation`.
fn file_name(generation: u64) -> String {
    format!("{generation:016x}.{EXT}")
}

/// The generation a file name holds, if it is one's.
fn generation_of(name: &str) -> Option<u64> {
    let hex = name.strip_suffix(EXT)?.strip_suffix('.')?;
    (hex.len() == 16).then(|| u64::from_str_radix(hex, 16).ok()).flatten()
}

/// Every generation file in `dir`, by generation.
fn generations(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(read_error(dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| read_error(dir, e))?;
        if let Some(generation) = generation_of(&entry.file_name().to_string_lossy()) {
            found.push((generation, entry.path()));
        }
    }
    found.sort_unstable();
    Ok(found)
}

impl Store {
    /// The folder of this store's generation files (a read-only store's or a snapshot's private
    /// copy of it, taken with sled's files).
    pub(super) fn sites_dir(&self) -> PathBuf {
        match &self._read_copy {
            Some(copy) => copy.path().join(DIR),
            None => self.path.join(DIR),
        }
    }

    /// Where a site's knowledge lies, or `None` for a site never saved.
    fn site_pointer(&self, site: &str) -> Result<Option<SitePointer>> {
        let value = self.h().sites.get(site.as_bytes()).map_err(|e| self.fail(e))?;
        value.map(|v| decode_site_pointer(&|| format!("site {site}"), &v)).transpose()
    }

    /// A site's knowledge, read where its record points, or `None` for a site never saved.
    pub(super) fn read_site_file(&self, site: &str) -> Result<Option<SiteRecord>> {
        match self.site_pointer(site)? {
            Some(pointer) => self.read_site_at(site, &pointer).map(Some),
            None => Ok(None),
        }
    }

    /// The knowledge `pointer` names, checked to be `site`'s.
    fn read_site_at(&self, site: &str, pointer: &SitePointer) -> Result<SiteRecord> {
        let path = self.sites_dir().join(file_name(pointer.generation));
        let what = || format!("site {site} in {}", path.display());
        let bytes = read_at(&path, pointer).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::UnexpectedEof => Error::Corrupt {
                what: what(),
                detail: format!("{} bytes at {} cannot be read: {e}", pointer.len, pointer.offset),
            },
            _ => read_error(&path, e),
        })?;
        let (named, record) = decode_site_file(&what, &bytes)?;
        if named != site {
            return Err(Error::Corrupt { what: what(), detail: format!("holds site {named:?}") });
        }
        Ok(record)
    }

    /// Replaces the knowledge of several sites: one new generation file holding them (and, when
    /// the generations hold more than twice what the records name, every other site's too),
    /// made durable, then their `sites` records pointed into it (durable at the next flush,
    /// after which [`Store::collect_site_generations`] deletes what no record names).
    pub(super) fn write_site_files<S: AsRef<str>>(&self, sites: &[(S, SiteRecord)]) -> Result<()> {
        if sites.is_empty() {
            return Ok(());
        }
        // No flush deletes generations while a save points records at a new one.
        let _sites = self.sites_lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = self.sites_dir();
        if !dir.is_dir() {
            std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
            // The store folder's new entry, durable before anything points into it.
            sync_dir(&self.path)?;
        }
        let existing = generations(&dir)?;
        let generation = match existing.last() {
            None => 1,
            Some((g, path)) => g.checked_add(1).ok_or_else(|| Error::Corrupt {
                what: format!("site generation {}", path.display()),
                detail: "the last generation number there is".into(),
            })?,
        };
        let mut bytes = Vec::new();
        let mut pointers: Vec<(Vec<u8>, SitePointer)> = Vec::with_capacity(sites.len());
        let put = |bytes: &mut Vec<u8>, pointers: &mut Vec<(Vec<u8>, SitePointer)>, site: &[u8], record: &[u8]| {
            let len = u32::try_from(record.len()).unwrap_or(u32::MAX);
            pointers.push((site.to_vec(), SitePointer { generation, offset: bytes.len() as u64, len }));
            bytes.extend_from_slice(record);
        };
        for (site, record) in sites {
            let site = site.as_ref();
            put(&mut bytes, &mut pointers, site.as_bytes(), &encode_site_file(site, record));
        }
        // Repack when the generations hold more than twice the bytes the records name.
        let held: u64 = existing.iter().map(|(_, path)| std::fs::metadata(path).map_or(0, |m| m.len())).sum();
        let mut named = 0u64;
        let mut others = Vec::new();
        let written: BTreeSet<&[u8]> = sites.iter().map(|(site, _)| site.as_ref().as_bytes()).collect();
        for item in self.h().sites.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            if written.contains(&*key) {
                continue;
            }
            let site = String::from_utf8_lossy(&key).into_owned();
            // A damaged record is another site's trouble (`verify` names it), not this save's.
            let Ok(pointer) = decode_site_pointer(&|| format!("site {site}"), &value) else { continue };
            named += u64::from(pointer.len);
            others.push((key, site, pointer));
        }
        if held > 2 * (named + bytes.len() as u64) {
            for (key, site, pointer) in others {
                match self.read_site_at(&site, &pointer) {
                    Ok(record) => put(&mut bytes, &mut pointers, &key, &encode_site_file(&site, &record)),
                    // Left where it points: that generation stays while it does.
                    Err(Error::Corrupt { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        let path = dir.join(file_name(generation));
        let tmp = path.with_extension(format!("{EXT}.tmp"));
        let synced = std::fs::File::create(&tmp).and_then(|mut file| {
            file.write_all(&bytes)?;
            file.sync_data()
        });
        if let Err(e) = synced {
            // A full disk: the part written goes, not to keep it full.
            let _ = std::fs::remove_file(&tmp);
            return Err(write_error(&tmp, e));
        }
        std::fs::rename(&tmp, &path).map_err(|e| write_error(&path, e))?;
        sync_dir(&dir)?;
        let mut batch = sled::Batch::default();
        for (site, pointer) in pointers {
            batch.insert(site, encode_site_pointer(&pointer));
        }
        self.h().sites.apply_batch(batch).map_err(|e| self.fail(e))?;
        self.sites_written.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Every site's name and knowledge, in name order.
    pub(super) fn site_files(&self) -> Result<Vec<(String, SiteRecord)>> {
        self.read_sites()?.into_iter().map(|(site, read)| read.map(|record| (site, record))).collect()
    }

    /// Every site's knowledge, decoded one by one, with what went wrong for each that failed.
    pub(super) fn check_site_files(&self) -> Result<Vec<Error>> {
        let mut problems = Vec::new();
        for (_, read) in self.read_sites()? {
            match read {
                Ok(_) => {}
                Err(e @ Error::Corrupt { .. }) => problems.push(e),
                Err(e) => return Err(e),
            }
        }
        Ok(problems)
    }

    /// Every site, in name order, with its knowledge as read where its record points.
    fn read_sites(&self) -> Result<Vec<(String, Result<SiteRecord>)>> {
        let mut sites = Vec::new();
        for item in self.h().sites.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let site = String::from_utf8_lossy(&key).into_owned();
            let read = decode_site_pointer(&|| format!("site {site}"), &value)
                .and_then(|pointer| self.read_site_at(&site, &pointer));
            sites.push((site, read));
        }
        Ok(sites)
    }

    /// The paths of every generation file (for a compaction's copy).
    pub(super) fn site_generation_paths(&self) -> Result<Vec<PathBuf>> {
        Ok(generations(&self.sites_dir())?.into_iter().map(|(_, path)| path).collect())
    }

    /// After sled's flush: deletes the generation files no `sites` record names (and the
    /// temporary file a crash can leave), when a generation was written since the last call.
    pub(super) fn collect_site_generations(&self) -> Result<()> {
        if !self.sites_written.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let mut named = BTreeSet::new();
        for value in self.h().sites.iter().values() {
            let value = value.map_err(|e| self.fail(e))?;
            match decode_site_pointer(&|| "a site".into(), &value) {
                Ok(pointer) => named.insert(pointer.generation),
                // Where a damaged record pointed is unknown: nothing is deleted this time.
                Err(_) => return Ok(()),
            };
        }
        let dir = self.sites_dir();
        let entries = std::fs::read_dir(&dir).map_err(|e| read_error(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| read_error(&dir, e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let unnamed = generation_of(&name).is_some_and(|generation| !named.contains(&generation));
            if unnamed || name.ends_with(".gen.tmp") {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(|e| write_error(&path, e))?;
            }
        }
        Ok(())
    }
}

/// The `pointer.len` bytes at `pointer.offset` of the file at `path`.
fn read_at(path: &Path, pointer: &SitePointer) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    // Before anything is allocated for a length a damaged record claims.
    if pointer.offset.saturating_add(u64::from(pointer.len)) > file.metadata()?.len() {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "past the file's end"));
    }
    file.seek(SeekFrom::Start(pointer.offset))?;
    let mut bytes = vec![0u8; pointer.len as usize];
    file.read_exact(&mut bytes)?;
    Ok(bytes)
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

    fn record(pages: u32) -> SiteRecord {
        SiteRecord { pages, shapes: vec![(1, pages, 0), (9, 1, 77)] }
    }

    fn files(store: &Store) -> Vec<u64> {
        generations(&store.sites_dir()).expect("generations").into_iter().map(|(g, _)| g).collect()
    }

    #[test]
    fn a_flush_writes_one_generation_and_the_last_goes() {
        let (_dir, store) = store();
        assert_eq!(store.read_site_file("example.org").expect("read"), None);
        store.write_site_files(&[("example.org", record(3)), ("a site/with: any name", record(1))]).expect("write");
        store.flush().expect("flush");
        assert_eq!(files(&store), vec![1]);
        assert_eq!(store.read_site_file("example.org").expect("read"), Some(record(3)));
        store.write_site_files(&[("example.org", record(4))]).expect("write");
        store.flush().expect("flush");
        assert_eq!(files(&store), vec![1, 2], "the first still holds the other site");
        store.write_site_files(&[("a site/with: any name", record(2))]).expect("write");
        store.flush().expect("flush");
        assert_eq!(files(&store), vec![2, 3], "the first held nothing named any more");
        let all = store.site_files().expect("files");
        assert_eq!(all, vec![("a site/with: any name".to_owned(), record(2)), ("example.org".to_owned(), record(4))]);
        assert!(store.check_site_files().expect("check").is_empty());
    }

    #[test]
    fn generations_holding_twice_what_is_named_are_packed_into_one() {
        let (_dir, store) = store();
        store.write_site_files(&[("quiet.example", record(1))]).expect("write");
        for pages in 1..=6 {
            store
                .write_site_files(&[("busy.example", record(pages)), ("other.example", record(pages))])
                .expect("write");
            store.flush().expect("flush");
        }
        let left = files(&store);
        assert!(left.len() <= 2, "{left:?}");
        assert_eq!(store.read_site_file("quiet.example").expect("read"), Some(record(1)));
        assert_eq!(store.read_site_file("busy.example").expect("read"), Some(record(6)));
    }

    #[test]
    fn a_damaged_site_leaves_the_others_saved_and_its_generation_kept() {
        let (_dir, store) = store();
        store.write_site_files(&[("quiet.example", record(1))]).expect("write");
        store.flush().expect("flush");
        // Its record damaged: every other site still saves, and nothing is deleted.
        store.h().sites.insert("quiet.example", vec![super::super::records::SITE_POINTER, 0xff]).expect("plant");
        assert_eq!(store.check_site_files().expect("check").len(), 1);
        store.write_site_files(&[("busy.example", record(2))]).expect("another site saves");
        store.flush().expect("flush");
        assert_eq!(files(&store), vec![1, 2]);
        // A record pointing past its generation's end is damage, read without a huge allocation.
        let past = SitePointer { generation: 2, offset: 0, len: u32::MAX };
        store.h().sites.insert("quiet.example", encode_site_pointer(&past)).expect("plant");
        assert!(matches!(store.read_site_file("quiet.example"), Err(Error::Corrupt { .. })));
        store.write_site_files(&[("busy.example", record(3))]).expect("still saves");
    }

    #[test]
    fn a_generation_a_crash_left_unnamed_goes_and_a_missing_one_is_damage() {
        let (_dir, store) = store();
        store.write_site_files(&[("one.example", record(1))]).expect("write");
        store.flush().expect("flush");
        let dir = store.sites_dir();
        std::fs::write(dir.join(file_name(7)), b"a flush cut short").expect("plant");
        std::fs::write(dir.join(format!("{}.tmp", file_name(9))), b"cut short").expect("plant");
        store.write_site_files(&[("two.example", record(2))]).expect("write");
        store.flush().expect("flush");
        assert_eq!(files(&store), vec![1, 8], "the unnamed generation 7 went; the next took 8");
        let left = std::fs::read_dir(&dir).expect("dir").count();
        assert_eq!(left, 2, "and the temporary file a crash left");
        assert_eq!(store.read_site_file("one.example").expect("read"), Some(record(1)));
        std::fs::remove_file(dir.join(file_name(1))).expect("remove");
        assert!(matches!(store.read_site_file("one.example"), Err(Error::Corrupt { .. })));
        assert_eq!(store.check_site_files().expect("check").len(), 1);
    }
}
