//! Where the command line's output goes: text made safe for a terminal, and files that appear
//! whole or not at all.

use std::borrow::Cow;
use std::fmt::Write as _;
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

/// `text` made safe to print on a terminal as one line: control characters (C0 with line feed
/// and tab, DEL, C1), the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
/// U+2066-U+2069) and the line and paragraph separators (U+2028, U+2029) are shown as visible
/// escapes such as `\u{1b}`. An archived headline, a URL or a file name then cannot retitle or
/// clear the terminal, move its cursor or reorder the line it is printed on. Every title, URL,
/// file name and error printed for a person goes through this; JSON output stays exact.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`printable`] for text of several lines (an article's body, an error message): line feeds
/// and tabs are kept.
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        let unsafe_at_all =
            c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}');
        unsafe_at_all && !(keep_lines && matches!(c, '\n' | '\t'))
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{printable, printable_lines};

    #[test]
    fn controls_and_bidi_overrides_become_visible_escapes() {
        let title = "Winter \u{1b}]0;pwned\u{7}ferry \u{202e}announced\u{9b}2J\u{7f}\u{2066}\u{2029}";
        assert_eq!(
            printable(title),
            r"Winter \u{1b}]0;pwned\u{7}ferry \u{202e}announced\u{9b}2J\u{7f}\u{2066}\u{2029}"
        );
        assert_eq!(printable("a\tb\nc\rd"), r"a\u{9}b\u{a}c\u{d}d");
        assert_eq!(printable_lines("a\tb\nc\rd\u{1b}[2J"), "a\tb\nc\\u{d}d\\u{1b}[2J");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "Новости Заречья — « l'été » 東京 \u{200d}";
        assert!(matches!(printable(text), std::borrow::Cow::Borrowed(t) if t == text));
    }
}
