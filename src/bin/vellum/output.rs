//! Where the command line's output goes: files that appear whole or not at all.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::NamedTempFile;

/// A file written under a unique temporary name beside its final path (`OUT.XXXXXX.partial`)
/// and renamed over it by [`Staged::commit`]. Until then the final path holds what it held
/// before; dropped uncommitted (an error on the way), the temporary file is removed. Two
/// writers of different outputs in one folder never share a temporary file.
pub struct Staged {
    temp: NamedTempFile,
    path: PathBuf,
}

impl Staged {
    /// Starts writing the file that will be `path`.
    pub fn create(path: &Path) -> Result<Staged> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = path.file_name().with_context(|| format!("{} names no file", path.display()))?;
        let mut prefix = name.to_owned();
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".partial");
        // The permissions a plain File::create gives (0666 less the umask), not tempfile's 0600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let temp =
            builder.tempfile_in(dir).with_context(|| format!("cannot create a file beside {}", path.display()))?;
        Ok(Staged { temp, path: path.to_owned() })
    }

    /// A handle to write the file through.
    pub fn file(&self) -> Result<File> {
        self.temp.as_file().try_clone().with_context(|| format!("cannot write {}", self.temp.path().display()))
    }

    /// Syncs the written file and renames it to its final path.
    pub fn commit(self) -> Result<()> {
        self.temp.as_file().sync_all().with_context(|| format!("cannot sync {}", self.path.display()))?;
        self.temp
            .persist(&self.path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(())
    }
}
