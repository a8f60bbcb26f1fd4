//! JSON Lines input: one page per line, `{"url", "fetched_at", "html" | "text"}`.

use std::io::{BufRead, Read};
use std::path::Path;

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::InputOptions;
use crate::page::url_host;
use crate::{Error, Page, Result};

/// One line of a JSON Lines input. Unknown fields are ignored.
#[derive(Debug, Deserialize)]
struct Line {
    url: Option<String>,
    fetched_at: Option<String>,
    html: Option<String>,
    text: Option<String>,
    site: Option<String>,
}

/// Lazily yields the pages of a JSON Lines input read from `reader`, named `name` in sources
/// (`NAME:LINE`) and errors. Each line is an object with `url` (its host becomes the site),
/// `fetched_at` (RFC 3339; else `options.fetched_at`, else `options.now`) and the page as
/// `html` or `text`; an optional `site` names the site when there is no URL. Blank lines are
/// skipped; a malformed line is an [`Error::Jsonl`] naming the input and line, and the lines
/// after it are still read.
pub fn jsonl_pages<'a, R: BufRead>(reader: R, name: &str, options: &'a InputOptions) -> JsonlPages<'a, R> {
    let folder = super::site::site_of_path(Path::new(name));
    let folder = if name == "-" { Some("stdin".to_owned()) } else { folder };
    JsonlPages { reader, name: name.to_owned(), folder, options, line: 0, done: false }
}

/// Opens a JSON Lines file (`-` is stdin; gzip and zstd are decompressed as they stream) and
/// yields its pages, as [`jsonl_pages`] does.
pub fn jsonl_path<'a>(path: &Path, options: &'a InputOptions) -> Result<JsonlPages<'a, Box<dyn BufRead>>> {
    let name = path.display().to_string();
    let read_err = |source| Error::Read { name: name.clone(), source };
    let raw: Box<dyn Read> = if name == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).map_err(read_err)?)
    };
    let mut raw = std::io::BufReader::new(raw);
    let head = raw.fill_buf().map_err(read_err)?;
    let reader: Box<dyn BufRead> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(std::io::BufReader::new(flate2::bufread::MultiGzDecoder::new(raw)))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(std::io::BufReader::new(zstd::stream::read::Decoder::with_buffer(raw).map_err(read_err)?))
    } else {
        Box::new(raw)
    };
    Ok(jsonl_pages(reader, &name, options))
}

/// The iterator returned by [`jsonl_pages`]. It holds one line at a time.
pub struct JsonlPages<'a, R> {
    reader: R,
    name: String,
    folder: Option<String>,
    options: &'a InputOptions,
    line: u64,
    done: bool,
}

impl<R: BufRead> JsonlPages<'_, R> {
    fn error(&self, detail: impl Into<String>) -> Error {
        Error::Jsonl { name: self.name.clone(), line: self.line, detail: detail.into() }
    }

    fn page(&self, bytes: &[u8]) -> Result<Page> {
        let line: Line = serde_json::from_slice(bytes).map_err(|e| self.error(format!("not a page record: {e}")))?;
        let raw = line.html.or(line.text).ok_or_else(|| self.error("has neither an \"html\" nor a \"text\" field"))?;
        let fetched_at = match line.fetched_at {
            Some(t) => OffsetDateTime::parse(&t, &Rfc3339)
                .map_err(|e| self.error(format!("fetched_at {t:?} is not an RFC 3339 time: {e}")))?,
            None => self.options.fetched_at.unwrap_or(self.options.now),
        };
        let url = line.url.or_else(|| self.options.url.clone());
        let site = url
            .as_deref()
            .and_then(url_host)
            .or(line.site)
            .or_else(|| self.options.site.clone())
            .or_else(|| self.folder.clone())
            .unwrap_or_else(|| ".".to_owned());
        Ok(Page {
            source: format!("{}:{}", self.name, self.line),
            url,
            fetched_at,
            site,
            raw: raw.into_bytes(),
            charset: None,
        })
    }
}

impl<R: BufRead> Iterator for JsonlPages<'_, R> {
    type Item = Result<Page>;

    fn next(&mut self) -> Option<Result<Page>> {
        while !self.done {
            let mut bytes = Vec::new();
            // A line may be as long as the largest page, and a little more for its fields.
            let cap = self.options.page_limit.saturating_add(1 << 20);
            let read = (&mut self.reader).take(cap).read_until(b'\n', &mut bytes);
            self.line += 1;
            match read {
                Err(source) => {
                    self.done = true;
                    return Some(Err(Error::Read { name: self.name.clone(), source }));
                }
                Ok(0) => self.done = true,
                Ok(_) if bytes.trim_ascii().is_empty() => {}
                Ok(_) if !bytes.ends_with(b"\n") && bytes.len() as u64 >= cap => {
                    // Skip the rest of the overlong line, in constant memory, so that the next
                    // one can be read.
                    if skip_line(&mut self.reader).is_err() {
                        self.done = true;
                    }
                    return Some(Err(self.error(format!("line is longer than {cap} bytes"))));
                }
                Ok(_) => return Some(self.page(&bytes)),
            }
        }
        None
    }
}

/// Consumes `reader` up to and including the next newline (or to its end) without holding
/// more than its buffer.
fn skip_line<R: BufRead>(reader: &mut R) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let len = buf.len();
                reader.consume(len);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_pages_and_bad_lines_are_named() {
        let input = concat!(
            r#"{"url": "https://news.example/a", "fetched_at": "2024-02-03T04:05:06Z", "html": "<p>Hi</p>"}"#,
            "\n\n",
            "{not json\n",
            r#"{"url": "https://news.example/b", "text": "Plain words."}"#,
            "\n",
            r#"{"url": "https://news.example/c"}"#,
            "\n",
            r#"{"text": "x", "fetched_at": "yesterday"}"#,
        );
        let options = InputOptions::new(OffsetDateTime::UNIX_EPOCH);
        let items: Vec<Result<Page>> = jsonl_pages(input.as_bytes(), "dump/pages.jsonl", &options).collect();
        assert_eq!(items.len(), 5);
        let first = items[0].as_ref().expect("page");
        assert_eq!((first.site.as_str(), first.source.as_str()), ("news.example", "dump/pages.jsonl:1"));
        assert_eq!(first.raw, b"<p>Hi</p>");
        let err = items[1].as_ref().expect_err("bad json").to_string();
        assert!(err.starts_with("dump/pages.jsonl: line 3: not a page record"), "{err}");
        let second = items[2].as_ref().expect("page");
        assert_eq!(second.fetched_at, OffsetDateTime::UNIX_EPOCH);
        assert!(items[3].as_ref().expect_err("no body").to_string().contains("line 5: has neither"));
        assert!(items[4].as_ref().expect_err("bad time").to_string().contains("line 6: fetched_at"));
    }

    #[test]
    fn an_overlong_line_is_skipped_in_constant_memory_and_the_next_is_read() {
        let long = 64usize << 20;
        let good = r#"{"url": "https://news.example/b", "text": "Plain words."}"#;
        let input = std::io::Read::chain(
            std::io::Read::take(std::io::repeat(b'x'), long as u64),
            std::io::Cursor::new(format!("\n{good}\n")),
        );
        let mut options = InputOptions::new(OffsetDateTime::UNIX_EPOCH);
        options.page_limit = 1024;
        let reader = std::io::BufReader::with_capacity(8 << 10, input);
        let items: Vec<Result<Page>> = jsonl_pages(reader, "pages.jsonl", &options).collect();
        assert_eq!(items.len(), 2);
        let err = items[0].as_ref().expect_err("overlong").to_string();
        assert!(err.contains("line 1: line is longer than"), "{err}");
        assert_eq!(items[1].as_ref().expect("the next record").raw, b"Plain words.");
        // The skip itself holds no more than the reader's buffer.
        let mut reader =
            std::io::BufReader::with_capacity(8 << 10, std::io::Read::take(std::io::repeat(b'x'), 1 << 20));
        skip_line(&mut reader).expect("skip");
        assert_eq!(std::io::BufRead::fill_buf(&mut reader).expect("end").len(), 0);
    }
}
