//! WARC files (1.0 and 1.1), plain or gzipped one record per member, read record by record.
//!
//! Every `response` record whose HTTP payload is HTML or text becomes a page, with the
//! record's `WARC-Target-URI` as its URL and `WARC-Date` as its fetch time; the HTTP body is
//! de-chunked and un-gzipped. Other records (requests, metadata, images, redirects) are
//! skipped and counted. A damaged record is reported with its byte offset and the reader moves
//! on to the next record (the next gzip member, or the next `WARC/1.` line).
//!
//! In a plain file a record's `Content-Length` is checked against what follows: a block that
//! runs past the end of the file, or into the next record (a line starting `WARC/1.` inside
//! the declared block, where the declared end is not followed by the end of a record), is
//! reported as damaged and reading goes on at that line, so one wrong length costs one record,
//! not the records after it. A block the declared length puts past the page limit is skipped
//! without being held, up to such a line.

use std::collections::VecDeque;
use std::io::{BufRead, Read};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::http::{self, Response};
use crate::page::url_host;
use crate::{Error, Page, Result};

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b, 0x08];
/// The longest WARC header line read; longer is damage.
const MAX_LINE: u64 = 64 << 10;
/// The most header lines one record may have.
const MAX_HEADERS: usize = 1000;
/// How many bytes after a block are looked at to see whether the record ends there.
const PEEK: u64 = 64;
/// How a record starts: its version line.
const VERSION_LINE: &[u8] = b"WARC/1.";

/// Whether the start of a file (as stored: gzipped or not) is the start of a WARC file.
pub fn is_warc(head: &[u8]) -> bool {
    if head.starts_with(&GZIP_MAGIC[..2]) {
        let mut start = [0u8; 7];
        let mut decoder = flate2::read::GzDecoder::new(head);
        return decoder.read_exact(&mut start).is_ok() && start.starts_with(b"WARC/1.");
    }
    head.starts_with(b"WARC/1.")
}

/// What a WARC reader needs besides the bytes: names and fallbacks for pages.
#[derive(Debug, Clone)]
pub struct WarcContext {
    /// The file's name, for sources and errors.
    pub name: String,
    /// The site of a record whose URL has no host.
    pub site: String,
    /// The fetch time of a record with no usable `WARC-Date`.
    pub fetched_at: OffsetDateTime,
    /// The largest record body read; larger records are reported and skipped.
    pub limit: u64,
}

/// The pages of one WARC file, read lazily record by record.
pub struct WarcPages<R> {
    reader: Counting<R>,
    context: WarcContext,
    gzip: Option<bool>,
    ready: VecDeque<Result<Page>>,
    skipped: u64,
    done: bool,
}

impl<R: BufRead> WarcPages<R> {
    /// Reads WARC records from `reader` (gzip members or plain records, told by the first bytes).
    pub fn new(reader: R, context: WarcContext) -> Self {
        WarcPages {
            reader: Counting::new(reader),
            context,
            gzip: None,
            ready: VecDeque::new(),
            skipped: 0,
            done: false,
        }
    }

    /// How many records were skipped so far because they are not HTML or text responses.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    fn damaged(&self, offset: u64, detail: String) -> Error {
        Error::Warc { name: self.context.name.clone(), offset, detail }
    }

    /// Reads the next gzip member (or plain record) and queues what it yields.
    fn advance(&mut self) -> std::io::Result<()> {
        let offset = self.reader.pos;
        let head = self.reader.fill_buf()?;
        if head.is_empty() {
            self.done = true;
            return Ok(());
        }
        let gzip = *self.gzip.get_or_insert(head.starts_with(&GZIP_MAGIC[..2]));
        if !gzip {
            return self.plain_record(offset);
        }
        if !head.starts_with(GZIP_MAGIC) {
            let err = self.damaged(offset, "expected a gzip member".to_owned());
            self.ready.push_back(Err(err));
            return skip_to_gzip_member(&mut self.reader);
        }
        let mut member = Vec::new();
        // Headers come on top of the body: allow them 1 MiB past the page limit.
        let cap = self.context.limit.saturating_add(1 << 20);
        self.reader.start_recording();
        let read = flate2::bufread::GzDecoder::new(&mut self.reader).take(cap + 1).read_to_end(&mut member);
        let recorded = self.reader.stop_recording();
        let problem = match read {
            Err(e) => Some(format!("gzip member is damaged or truncated: {e}")),
            Ok(_) if member.len() as u64 > cap => Some(format!("record inflates past the limit of {cap} bytes")),
            Ok(_) => None,
        };
        if let Some(detail) = problem {
            let err = self.damaged(offset, detail);
            self.ready.push_back(Err(err));
            // A damaged member may have been decoded past its end: look for the next member
            // in what was read, else further on.
            let next = recorded.get(1..).and_then(|r| memchr::memmem::find(r, GZIP_MAGIC));
            return match next {
                Some(p) => {
                    self.reader.rewind(&recorded, p + 1);
                    Ok(())
                }
                None => skip_to_gzip_member(&mut self.reader),
            };
        }
        // One record per member is the rule; a member holding several is read through.
        let mut rest = &member[..];
        loop {
            match read_record(&mut rest, self.context.limit) {
                Ok(Some(record)) => self.accept(&record, offset),
                Ok(None) => break,
                Err(detail) => {
                    let err = self.damaged(offset, detail);
                    self.ready.push_back(Err(err));
                    break;
                }
            }
        }
        Ok(())
    }

    /// Reads the next record of a plain file, checking its declared length against what
    /// follows (see the module's documentation), and queues what it yields.
    fn plain_record(&mut self, offset: u64) -> std::io::Result<()> {
        let limit = self.context.limit;
        let (record, length) = match read_head(&mut self.reader) {
            Ok(Some(head)) => head,
            Ok(None) => {
                self.done = true;
                return Ok(());
            }
            Err(detail) => {
                let err = self.damaged(offset, detail);
                self.ready.push_back(Err(err));
                return skip_to_version_line(&mut self.reader);
            }
        };
        let runs_into = |at: u64| {
            format!("Content-Length {length} runs into the next record, {at} bytes into its block; read on from there")
        };
        let truncated = |read: u64| format!("truncated: Content-Length is {length} but only {read} bytes follow");
        if length > limit {
            let (read, next) = skip_block(&mut self.reader, length)?;
            let detail = match next {
                Some(at) => runs_into(at),
                None if read < length => truncated(read),
                None => format!("record of {length} bytes is larger than the page limit of {limit} bytes"),
            };
            let err = self.damaged(offset, detail);
            self.ready.push_back(Err(err));
            return Ok(());
        }
        let mut body = Vec::new();
        (&mut self.reader).take(length).read_to_end(&mut body)?;
        let whole = body.len() as u64 == length;
        if whole && self.record_ends_here()? {
            self.accept(&Record { body, ..record }, offset);
            return Ok(());
        }
        match next_record_line(&body) {
            Some(at) => {
                self.reader.rewind(&body, at);
                let err = self.damaged(offset, runs_into(at as u64));
                self.ready.push_back(Err(err));
            }
            // What follows is not a record: the next read reports it.
            None if whole => self.accept(&Record { body, ..record }, offset),
            None => {
                let err = self.damaged(offset, truncated(body.len() as u64));
                self.ready.push_back(Err(err));
            }
        }
        Ok(())
    }

    /// Whether the bytes after a block end its record: blank lines, then the next record's
    /// version line or the end of the input. The bytes looked at are left to be read.
    fn record_ends_here(&mut self) -> std::io::Result<bool> {
        let mut peek = Vec::new();
        (&mut self.reader).take(PEEK).read_to_end(&mut peek)?;
        self.reader.rewind(&peek, 0);
        let rest = peek.iter().position(|b| !matches!(b, b'\r' | b'\n')).map_or(&[][..], |p| &peek[p..]);
        Ok(rest.starts_with(VERSION_LINE) || rest.is_empty() && (peek.len() as u64) < PEEK)
    }

    /// Queues the page a record holds, or counts it as skipped.
    fn accept(&mut self, record: &Record, offset: u64) {
        match self.page(record, offset) {
            Ok(Some(page)) => self.ready.push_back(Ok(page)),
            Ok(None) => self.skipped += 1,
            Err(detail) => {
                let err = self.damaged(offset, detail);
                self.ready.push_back(Err(err));
            }
        }
    }

    fn page(&self, record: &Record, offset: u64) -> Result<Option<Page>, String> {
        if !record.header("WARC-Type").is_some_and(|t| t.eq_ignore_ascii_case("response")) {
            return Ok(None);
        }
        let kind = record.header("Content-Type").unwrap_or("").to_ascii_lowercase();
        let response = if kind.starts_with("application/http") {
            http::parse(&record.body, self.context.limit)?
        } else {
            Response { status: 200, content_type: Some(kind), body: record.body.clone() }
        };
        if !(200..300).contains(&response.status) || !response.is_text() || response.body.is_empty() {
            return Ok(None);
        }
        let url = record.header("WARC-Target-URI").map(|u| u.trim_matches(['<', '>']).to_owned());
        let fetched_at = record
            .header("WARC-Date")
            .and_then(|d| OffsetDateTime::parse(d, &Rfc3339).ok())
            .unwrap_or(self.context.fetched_at);
        let charset = response.charset().map(|e| e.name().to_owned());
        Ok(Some(Page {
            site: url.as_deref().and_then(url_host).unwrap_or_else(|| self.context.site.clone()),
            source: format!("{}@{offset}", self.context.name),
            url,
            fetched_at,
            raw: response.body,
            charset,
        }))
    }
}

impl<R: BufRead> Iterator for WarcPages<R> {
    type Item = Result<Page>;

    fn next(&mut self) -> Option<Result<Page>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            if let Err(source) = self.advance() {
                self.done = true;
                return Some(Err(Error::Read { name: self.context.name.clone(), source }));
            }
        }
    }
}

/// One WARC record: its named headers and its block.
struct Record {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Record {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Reads one record; `None` at a clean end of input. Errors say what is wrong.
fn read_record(r: &mut impl BufRead, limit: u64) -> Result<Option<Record>, String> {
    let Some((record, length)) = read_head(r)? else { return Ok(None) };
    if length > limit {
        // Skip the block so that the next record can still be read.
        std::io::copy(&mut r.take(length), &mut std::io::sink()).map_err(|e| e.to_string())?;
        return Err(format!("record of {length} bytes is larger than the page limit of {limit} bytes"));
    }
    let mut body = Vec::new();
    r.take(length).read_to_end(&mut body).map_err(|e| e.to_string())?;
    if (body.len() as u64) < length {
        return Err(format!("truncated: Content-Length is {length} but only {} bytes follow", body.len()));
    }
    Ok(Some(Record { body, ..record }))
}

/// Reads a record's version and header lines, up to its block: the record without its body,
/// and the block's declared length. `None` at a clean end of input.
fn read_head(r: &mut impl BufRead) -> Result<Option<(Record, u64)>, String> {
    let version = loop {
        match read_line(r)? {
            None => return Ok(None),
            Some(line) if line.trim_ascii().is_empty() => continue,
            Some(line) => break line,
        }
    };
    if !version.starts_with(b"WARC/") {
        let shown = String::from_utf8_lossy(&version[..version.len().min(40)]).into_owned();
        return Err(format!("expected a WARC/1.x version line, found {shown:?}"));
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    loop {
        let line = read_line(r)?.ok_or("truncated in its headers")?;
        let line = String::from_utf8_lossy(line.trim_ascii_end()).into_owned();
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            // A folded header line continues the one before.
            let (_, value) = headers.last_mut().ok_or("header continuation with no header")?;
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let (name, value) = line.split_once(':').ok_or_else(|| format!("malformed header line {line:?}"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
        if headers.len() > MAX_HEADERS {
            return Err("too many header lines".to_owned());
        }
    }
    let record = Record { headers, body: Vec::new() };
    let length: u64 = record
        .header("Content-Length")
        .ok_or("no Content-Length header")?
        .parse()
        .map_err(|_| "Content-Length is not a number")?;
    Ok(Some((record, length)))
}

/// Where the first line starting with `WARC/1.` begins in `block`, if one does.
fn next_record_line(block: &[u8]) -> Option<usize> {
    let line_starts = block.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i + 1);
    std::iter::once(0).chain(line_starts).find(|&at| block[at..].starts_with(VERSION_LINE))
}

/// Consumes up to `length` bytes of a block too large to keep, a line at a time (64 KiB at
/// most), stopping before a line that starts with `WARC/1.`, which is left to be read. Returns
/// the bytes consumed and, when it stopped at such a line, where in the block that is.
fn skip_block<R: BufRead>(r: &mut Counting<R>, length: u64) -> std::io::Result<(u64, Option<u64>)> {
    let mut read = 0u64;
    let mut line_start = true;
    let mut piece = Vec::new();
    while read < length {
        piece.clear();
        let n = (&mut *r).take((length - read).min(1 << 16)).read_until(b'\n', &mut piece)?;
        if n == 0 {
            break;
        }
        if line_start && piece.starts_with(VERSION_LINE) {
            r.rewind(&piece, 0);
            return Ok((read, Some(read)));
        }
        line_start = piece.ends_with(b"\n");
        read += n as u64;
    }
    Ok((read, None))
}

/// Reads one line (with its newline); `None` at the end of input.
fn read_line(r: &mut impl BufRead) -> Result<Option<Vec<u8>>, String> {
    let mut line = Vec::new();
    r.take(MAX_LINE).read_until(b'\n', &mut line).map_err(|e| e.to_string())?;
    if line.is_empty() {
        return Ok(None);
    }
    if line.len() as u64 >= MAX_LINE && !line.ends_with(b"\n") {
        return Err(format!("a header line longer than {MAX_LINE} bytes"));
    }
    Ok(Some(line))
}

/// Skips ahead to the next line that starts a record.
fn skip_to_version_line(r: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() || buf.starts_with(VERSION_LINE) {
            return Ok(());
        }
        let n = buf.iter().position(|&b| b == b'\n').map_or(buf.len(), |p| p + 1);
        r.consume(n);
    }
}

/// Skips ahead to the next gzip member, always moving at least one byte.
fn skip_to_gzip_member(r: &mut impl BufRead) -> std::io::Result<()> {
    let mut first = true;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let from = usize::from(first);
        first = false;
        match memchr::memmem::find(&buf[from.min(buf.len())..], GZIP_MAGIC) {
            Some(p) => {
                r.consume(p + from);
                return Ok(());
            }
            // Keep the last bytes: the magic may straddle two buffers.
            None => {
                let len = buf.len();
                let keep = if len >= GZIP_MAGIC.len() { GZIP_MAGIC.len() - 1 } else { 0 };
                r.consume((len - keep).max(from));
            }
        }
    }
}

/// A reader that counts the bytes consumed (for record offsets) and can record what it
/// hands out and hand it out again: a damaged gzip member may have been read past the start
/// of the next member, which is then found in the recording.
struct Counting<R> {
    inner: R,
    pos: u64,
    replay: Vec<u8>,
    replay_at: usize,
    recording: Option<Vec<u8>>,
}

impl<R: BufRead> Counting<R> {
    fn new(inner: R) -> Self {
        Counting { inner, pos: 0, replay: Vec::new(), replay_at: 0, recording: None }
    }

    fn start_recording(&mut self) {
        self.recording = Some(Vec::new());
    }

    fn stop_recording(&mut self) -> Vec<u8> {
        self.recording.take().unwrap_or_default()
    }

    /// Makes the recorded bytes from `from` on be read again.
    fn rewind(&mut self, recorded: &[u8], from: usize) {
        let again = &recorded[from.min(recorded.len())..];
        let mut replay = again.to_vec();
        replay.extend_from_slice(&self.replay[self.replay_at..]);
        self.replay = replay;
        self.replay_at = 0;
        self.pos -= again.len() as u64;
    }
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.replay_at < self.replay.len() {
            return Ok(&self.replay[self.replay_at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        if self.replay_at < self.replay.len() {
            let amt = amt.min(self.replay.len() - self.replay_at);
            if let Some(rec) = &mut self.recording {
                rec.extend_from_slice(&self.replay[self.replay_at..self.replay_at + amt]);
            }
            self.replay_at += amt;
            if self.replay_at == self.replay.len() {
                self.replay.clear();
                self.replay_at = 0;
            }
            return;
        }
        if let Some(rec) = &mut self.recording {
            // The bytes are still in the inner buffer: fill_buf hands them out again without I/O.
            if let Ok(buf) = self.inner.fill_buf() {
                rec.extend_from_slice(&buf[..amt.min(buf.len())]);
            }
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests;
