//! The value file: raw pages and revision texts, appended to one file beside sled.
//!
//! sled keeps values inside its B-tree leaves and rewrites a whole leaf (up to 16 values) every
//! ten updates to it, so a kilobyte-sized value is written several times and its old copies
//! stay on disk until sled reclaims their segment. Blobs and texts are written once and read
//! rarely, so they go to `values` in the store's folder instead, appended, and sled holds a
//! 13-byte pointer to each: `[2][offset u64 BE][length u32 BE]`. The bytes at the pointer are
//! a value of its kind (`[1][codec][payload]`, a text value, a dictionary record).
//!
//! Crash safety: a value is written to the file (handed to the OS) before the sled transaction
//! that points at it commits, so whatever sled recovers points at bytes the file has; a crash
//! or a failed transaction can only leave bytes no pointer names, at the file's end, which the
//! next write goes after (a failed transaction's bytes are cut off again at once). `flush`
//! syncs the file before sled's log. Bytes no pointer names (a text re-encoded as a delta
//! leaves its whole copy behind) are reclaimed by `dump` and `restore`.

use std::fs::File;
use std::path::Path;
use std::sync::Mutex;

/// The value file's name in the store's folder.
pub const FILE_NAME: &str = "values";

/// Format byte of a value held in the value file: `[2][offset u64 BE][length u32 BE]`.
pub const POINTER: u8 = 2;

/// A pointer value's length.
const POINTER_LEN: usize = 13;

/// The most bytes one value may have (a page's limit, with room for its header).
const MAX_VALUE: u64 = crate::page::DEFAULT_PAGE_LIMIT + 64;

/// The value file, opened for appending and reading.
pub struct Pack {
    file: File,
    /// The file's length: where the next value goes.
    end: Mutex<u64>,
}

impl Pack {
    /// Opens (creating it if need be) the value file in `dir`.
    pub fn open(dir: &Path) -> std::io::Result<Pack> {
        Pack::open_file(&dir.join(FILE_NAME), false)
    }

    /// The value file of the store in `dir`, only to read (see `OpenOptions::read_only`).
    pub(crate) fn open_read_only(dir: &Path) -> std::io::Result<Pack> {
        let file = std::fs::File::open(dir.join(FILE_NAME))?;
        let end = file.metadata()?.len();
        Ok(Pack { file, end: Mutex::new(end) })
    }

    fn open_file(path: &Path, truncate: bool) -> std::io::Result<Pack> {
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(truncate).open(path)?;
        let end = file.metadata()?.len();
        Ok(Pack { file, end: Mutex::new(end) })
    }

    fn end(&self) -> std::sync::MutexGuard<'_, u64> {
        // The length is a plain number: a panic elsewhere cannot leave it half-written.
        self.end.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Where the file ends now (to cut a failed transaction's values off again).
    pub(crate) fn mark(&self) -> u64 {
        *self.end()
    }

    /// Appends `value` and returns the pointer to store in its place.
    pub fn append(&self, value: &[u8]) -> std::io::Result<Vec<u8>> {
        let len = u32::try_from(value.len()).map_err(|_| std::io::Error::other("value too large"))?;
        let mut end = self.end();
        let offset = *end;
        write_at(&self.file, value, offset)?;
        *end = offset + value.len() as u64;
        let mut pointer = Vec::with_capacity(POINTER_LEN);
        pointer.push(POINTER);
        pointer.extend_from_slice(&offset.to_be_bytes());
        pointer.extend_from_slice(&len.to_be_bytes());
        Ok(pointer)
    }

    /// Cuts the file back to `mark`, dropping values appended since (by a transaction that
    /// then failed: no pointer names them).
    pub(crate) fn truncate(&self, mark: u64) -> std::io::Result<()> {
        let mut end = self.end();
        if mark < *end {
            self.file.set_len(mark)?;
            *end = mark;
        }
        Ok(())
    }

    /// Makes the file's bytes durable.
    pub fn sync(&self) -> std::io::Result<()> {
        self.file.sync_data()
    }

    /// Reads the value a pointer names; `Err` with a description when the pointer is malformed
    /// or names bytes past the file's end.
    pub fn read(&self, pointer: &[u8]) -> Result<Vec<u8>, String> {
        let (offset, len) =
            parse(pointer).ok_or_else(|| format!("malformed value pointer ({} bytes)", pointer.len()))?;
        let end = self.mark();
        if u64::from(len) > MAX_VALUE || offset.checked_add(u64::from(len)).is_none_or(|e| e > end) {
            return Err(format!("value pointer to {len} bytes at {offset} is past the value file's end ({end})"));
        }
        let mut out = vec![0u8; len as usize];
        read_at(&self.file, &mut out, offset).map_err(|e| format!("value file: {e}"))?;
        Ok(out)
    }
}

impl super::Store {
    /// Rewrites the value file with only the values sled points at, in key order, and points
    /// sled at the new copies. `restore` calls this on the store it builds (where no crash
    /// matters: the folder is renamed into place only once it verifies): re-encoding raw pages
    /// as deltas leaves their whole copies behind. The store must be reopened afterwards. A store
    /// holding a text stored as a delta against another article's (text kind 5), which names
    /// its base by pointer, is refused: `restore` writes none.
    pub(super) fn rewrite_values(&self) -> crate::Result<()> {
        let io = |e: std::io::Error| self.fail(sled::Error::Io(e));
        let staging = self.path.join(format!("{FILE_NAME}.new"));
        let fresh = Pack::open_file(&staging, true).map_err(io)?;
        let h = self.h();
        for tree in [&h.blobs, &h.dicts] {
            for item in tree.iter() {
                let (key, value) = item.map_err(|e| self.fail(e))?;
                if !is_pointer(&value) {
                    continue;
                }
                let what = || format!("value of key {key:?}");
                let bytes = self.pack.read(&value).map_err(|detail| crate::Error::Corrupt { what: what(), detail })?;
                tree.insert(key, fresh.append(&bytes).map_err(io)?).map_err(|e| self.fail(e))?;
            }
        }
        // A revision's record holds its text's pointer.
        for item in h.revisions.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let what = || format!("revision key {key:?}");
            let (record, text) = super::records::decode_revision(&what, &value)?;
            if !is_pointer(&text) {
                continue;
            }
            let bytes = self.pack.read(&text).map_err(|detail| crate::Error::Corrupt { what: what(), detail })?;
            // A delta against another article's text names its base by where it is in this
            // file; `restore` writes none.
            if super::chain::shared_base(&bytes).is_some() {
                return Err(crate::Error::Internal(format!("{}: a text naming its base by pointer is moved", what())));
            }
            let moved = fresh.append(&bytes).map_err(io)?;
            let value = super::records::encode_revision(&record, &moved);
            h.revisions.insert(key, value).map_err(|e| self.fail(e))?;
        }
        fresh.sync().map_err(io)?;
        self.h().db.flush().map_err(|e| self.fail(e))?;
        std::fs::rename(&staging, self.path.join(FILE_NAME)).map_err(io)
    }
}

/// The offset and length a pointer value names.
pub fn parse(pointer: &[u8]) -> Option<(u64, u32)> {
    match pointer {
        [POINTER, rest @ ..] if rest.len() == POINTER_LEN - 1 => {
            let offset = u64::from_be_bytes(rest[..8].try_into().ok()?);
            let len = u32::from_be_bytes(rest[8..].try_into().ok()?);
            Some((offset, len))
        }
        _ => None,
    }
}

/// The value a pointer `value` (read from sled) names, read from the value file (`what` names it
/// in errors). Every value the store keeps in the value file is held through a pointer.
pub fn resolve(pack: &Pack, what: &dyn Fn() -> String, value: &[u8]) -> crate::Result<Vec<u8>> {
    if !is_pointer(value) {
        return Err(crate::Error::Corrupt { what: what(), detail: "not a value pointer".into() });
    }
    let bytes = pack.read(value).map_err(|detail| crate::Error::Corrupt { what: what(), detail })?;
    if is_pointer(&bytes) {
        return Err(crate::Error::Corrupt { what: what(), detail: "a value pointer names another pointer".into() });
    }
    Ok(bytes)
}

/// The length of the value `value` stands for, without reading it.
pub fn stored_len(value: &[u8]) -> u64 {
    parse(value).map_or(value.len() as u64, |(_, len)| u64::from(len))
}

/// Whether a stored value is a pointer into the value file.
pub fn is_pointer(value: &[u8]) -> bool {
    value.first() == Some(&POINTER)
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn write_at(mut file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_bad_pointers_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pack = Pack::open(dir.path()).expect("open");
        let a = pack.append(b"first value").expect("append");
        let mark = pack.mark();
        let b = pack.append(b"second").expect("append");
        assert_eq!(pack.read(&a).expect("read"), b"first value");
        assert_eq!(pack.read(&b).expect("read"), b"second");
        pack.truncate(mark).expect("truncate");
        assert!(pack.read(&b).is_err(), "a cut-off value is past the end");
        let c = pack.append(b"third").expect("append");
        assert_eq!(parse(&c).map(|p| p.0), parse(&b).map(|p| p.0), "the next value goes where the cut-off one was");
        drop(pack);
        let pack = Pack::open(dir.path()).expect("reopen");
        assert_eq!(pack.read(&a).expect("read"), b"first value");
        assert!(pack.read(&[POINTER, 0, 0]).is_err());
        let mut far = a;
        far[1] = 0x40;
        assert!(pack.read(&far).is_err());
    }
}
