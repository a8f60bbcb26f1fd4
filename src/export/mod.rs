//! Writers for articles: JSON Lines, one JSON array, plain text and Parquet, optionally
//! compressed (zstd, gzip) and split into shards.

mod compress;
mod json;
mod parquet;
mod shard;
mod stored;

pub(crate) use compress::Compressed;
pub use compress::Compression;
pub(crate) use parquet::ParquetWriter;
pub use shard::Shards;
#[cfg(test)]
pub(crate) use stored::stored_records;
pub use stored::{with_read_ahead, Selection};

use std::io::Write;

use serde::Serialize;

use crate::{Error, Result};

/// Output formats for articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// One JSON array of objects.
    Json,
    /// Plain text: the title, the date, then the body; articles apart by a line of `---`.
    Text,
    /// Apache Parquet: one row per record, a column per field, zstd-compressed pages.
    Parquet,
}

impl Format {
    /// The file name extension, without compression's.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Text => "txt",
            Format::Parquet => "parquet",
        }
    }
}

/// Something records are written to one at a time, then finished (closing arrays, compressed
/// frames and files).
pub trait RecordSink {
    /// Writes one record.
    fn write(&mut self, record: &Record) -> Result<()>;
    /// Ends the output and flushes it.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// A sink writing `format` to `out`, compressed with `compression`; `name` names it in errors.
/// Parquet compresses its own pages, so it takes no `compression`.
pub fn sink<W: Write + Send + 'static>(
    out: W,
    format: Format,
    compression: Compression,
    name: &str,
) -> Result<Box<dyn RecordSink>> {
    match format {
        Format::Parquet if compression != Compression::None => Err(Error::Invalid {
            what: "compression",
            detail: "Parquet compresses its own pages (zstd); leave out --compress".into(),
        }),
        Format::Parquet => Ok(Box::new(ParquetWriter::new(out, name)?)),
        _ => {
            let out = Compressed::new(out, compression).map_err(|source| Error::Write { name: name.into(), source })?;
            Ok(Box::new(Writer::new(out, format, name)))
        }
    }
}

/// One article as exported. The field names are those corpus tools already use: Dolma's `id`,
/// `text`, `source` (the site), `added` (when the text entered the archive, or was fetched for
/// `vellum clean`), `created` (the article's date, else `added`: Dolma's best guess) and
/// `metadata`; FineWeb's `url` and `date`. vellum's own fields (`revision`, `hash`, `title`,
/// `site`, `file_path`, `first_seen`, `last_seen`) sit beside them, and are repeated inside
/// `metadata` so that tools keeping only Dolma's fields still carry them. Store fields that do
/// not apply (an article cleaned but never stored has no revision) are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The article's id: the store's, or for an article never stored the id the store would
    /// give it (derived from its identity, see [`crate::id::ArticleId`]).
    pub id: crate::id::ArticleId,
    /// The revision number, from 1.
    pub revision: Option<u32>,
    /// The headline.
    pub title: Option<String>,
    /// The article's date (written ISO 8601, `YYYY-MM-DD`).
    pub date: Option<time::Date>,
    /// The clean body text.
    pub text: String,
    /// The revision's hash ([`crate::id::ContentHash::of_revision`]: BLAKE3 of `title`, a NUL
    /// byte, and `text`) (written in lower-case hex).
    pub hash: crate::id::ContentHash,
    /// The URL of the page it was found on.
    pub url: Option<String>,
    /// Where the page was read from (a file, `NAME:LINE` of a JSON Lines input, `-`).
    pub file_path: String,
    /// The site the page belongs to.
    pub site: String,
    /// When this text entered the archive: the fetch time of the first page that showed this
    /// revision (for `clean`, the page's fetch time); written RFC 3339 in UTC, to the second.
    pub added: time::OffsetDateTime,
    /// When the record's subject was first seen (written as `added` is): the article in an
    /// export of the latest revisions or as of a time; the revision itself in an export of every
    /// revision and in `show ID@REV`.
    pub first_seen: Option<time::OffsetDateTime>,
    /// When the record's subject was last seen (as `first_seen` says which); as of a time, the
    /// last sighting by then.
    pub last_seen: Option<time::OffsetDateTime>,
    /// The text is a listing page's teasers (headlines and blurbs of other articles), not an
    /// article; only written when true.
    pub listing: bool,
}

impl Record {
    /// Dolma's `created`: the article's date at midnight UTC, else when it was added.
    pub fn created(&self) -> time::OffsetDateTime {
        match self.date {
            Some(date) => date.midnight().assume_utc(),
            None => self.added,
        }
    }

    /// The record's fields as they are written: ids, hashes, dates and times as text.
    pub(crate) fn texts(&self) -> Texts {
        Texts {
            id: self.id.to_string(),
            hash: self.hash.to_hex(),
            date: self.date.map(|d| d.to_string()),
            added: rfc3339(self.added),
            created: rfc3339(self.created()),
            first_seen: self.first_seen.map(rfc3339),
            last_seen: self.last_seen.map(rfc3339),
        }
    }

    /// vellum's own fields as one JSON object: the `metadata` field.
    pub fn metadata(&self) -> serde_json::Value {
        serde_json::to_value(Metadata::of(self, &self.texts())).unwrap_or_default()
    }
}

/// vellum's own fields, as `metadata` holds them and as they sit beside the corpus fields.
#[derive(Serialize)]
struct Metadata<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<u32>,
    hash: &'a str,
    title: Option<&'a str>,
    site: &'a str,
    file_path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_seen: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_seen: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    listing: bool,
}

/// A record's typed fields as text, as every format writes them.
pub(crate) struct Texts {
    pub id: String,
    pub hash: String,
    pub date: Option<String>,
    pub added: String,
    pub created: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

impl<'a> Metadata<'a> {
    fn of(r: &'a Record, t: &'a Texts) -> Self {
        Metadata {
            revision: r.revision,
            hash: &t.hash,
            title: r.title.as_deref(),
            site: &r.site,
            file_path: &r.file_path,
            first_seen: t.first_seen.as_deref(),
            last_seen: t.last_seen.as_deref(),
            listing: r.listing,
        }
    }
}

/// The record as written: corpus fields first, then vellum's.
#[derive(Serialize)]
struct Wire<'a> {
    id: &'a str,
    text: &'a str,
    source: &'a str,
    added: &'a str,
    created: &'a str,
    url: Option<&'a str>,
    date: Option<&'a str>,
    #[serde(flatten)]
    own: Metadata<'a>,
    metadata: Metadata<'a>,
}

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let t = self.texts();
        Wire {
            id: &t.id,
            text: &self.text,
            source: &self.site,
            added: &t.added,
            created: &t.created,
            url: self.url.as_deref(),
            date: t.date.as_deref(),
            own: Metadata::of(self, &t),
            metadata: Metadata::of(self, &t),
        }
        .serialize(serializer)
    }
}

/// Writes records one at a time in one format, so an export never holds more than one.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    count: usize,
    name: String,
    /// The record being encoded: one write per record to `out`, however many fields it has.
    scratch: Vec<u8>,
}

impl<W: Write> Writer<W> {
    /// A writer to `out`; `name` names it in errors (`-` for stdout).
    pub fn new(out: W, format: Format, name: impl Into<String>) -> Self {
        Writer { out, format, count: 0, name: name.into(), scratch: Vec::new() }
    }

    /// Writes one record.
    pub fn write(&mut self, record: &Record) -> Result<()> {
        let first = self.count == 0;
        self.count += 1;
        let (out, scratch) = (&mut self.out, &mut self.scratch);
        scratch.clear();
        let result = match self.format {
            Format::Jsonl => {
                json::write_record(scratch, record, json::Layout::Compact);
                scratch.push(b'\n');
                out.write_all(scratch)
            }
            Format::Json => {
                scratch.extend_from_slice(if first { b"[\n" } else { b",\n" });
                json::write_record(scratch, record, json::Layout::Pretty);
                out.write_all(scratch)
            }
            Format::Text => {
                write_text(scratch, record, first);
                out.write_all(scratch)
            }
            Format::Parquet => {
                Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "Parquet is written by ParquetWriter"))
            }
        };
        result.map_err(|source| Error::Write { name: self.name.clone(), source })
    }

    /// Ends the output (closing a JSON array), flushes it and hands it back.
    pub fn finish(mut self) -> Result<W> {
        let result = match (self.format, self.count) {
            (Format::Json, 0) => self.out.write_all(b"[]\n"),
            (Format::Json, _) => self.out.write_all(b"\n]\n"),
            _ => Ok(()),
        };
        result.and_then(|()| self.out.flush()).map_err(|source| Error::Write { name: self.name.clone(), source })?;
        Ok(self.out)
    }
}

impl<W: Write + Send> RecordSink for Writer<Compressed<W>> {
    fn write(&mut self, record: &Record) -> Result<()> {
        Writer::write(self, record)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let name = self.name.clone();
        let out = Writer::finish(*self)?;
        out.finish().and_then(|mut inner| inner.flush()).map_err(|source| Error::Write { name, source })
    }
}

/// Appends `record` as plain text: the title and date lines, a blank line, the body.
fn write_text(out: &mut Vec<u8>, record: &Record, first: bool) {
    if !first {
        out.extend_from_slice(b"\n---\n\n");
    }
    let date = record.date.map(|d| d.to_string());
    for line in [&record.title, &date].into_iter().flatten() {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    if record.title.is_some() || record.date.is_some() {
        out.push(b'\n');
    }
    out.extend_from_slice(record.text.as_bytes());
    out.push(b'\n');
}

/// The export record of an article that was cleaned but not stored, known by `identity` (its
/// entry in [`crate::archive::identity::identities`]): its id is the one the store would derive,
/// `added` its page's fetch time.
pub fn cleaned_record(page: &crate::Page, article: &crate::Article, identity: &str) -> Record {
    Record {
        id: crate::archive::identity::id_of(identity),
        revision: None,
        title: article.title.clone(),
        date: article.date,
        hash: crate::id::ContentHash::of_revision(article.title.as_deref(), &article.body),
        text: article.body.clone(),
        url: page.url.clone(),
        file_path: page.source.clone(),
        site: page.site.clone(),
        added: page.fetched_at,
        first_seen: None,
        last_seen: None,
        listing: false,
    }
}

/// The export record of a stored article at one of its revisions; `added` is when the article
/// was first seen; `listing` when the revision's text came from a listing page
/// ([`crate::store::Store::is_listing`]).
pub(crate) fn stored_record(
    article: &crate::store::ArticleInfo,
    revision: &crate::store::RevisionInfo,
    text: String,
    listing: bool,
) -> Record {
    Record {
        id: article.id,
        revision: Some(revision.number.0),
        title: revision.title.clone(),
        date: revision.date,
        hash: crate::id::ContentHash::of_revision(revision.title.as_deref(), &text),
        text,
        url: article.url.clone(),
        file_path: article.source.clone(),
        site: article.site.clone(),
        added: revision.first_seen,
        first_seen: Some(article.first_seen),
        last_seen: Some(article.last_seen),
        listing,
    }
}

/// A time as RFC 3339 in UTC, to the second (`2025-12-12T08:00:00Z`).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    use time::format_description::well_known::Rfc3339;
    let t = t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}
