//! Writers for articles: JSON Lines, one JSON array, and plain text.

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
}

/// One article as exported: the fields a corpus script needs. Fields that do not apply (an
/// article that was cleaned but never stored has no id) are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The article's id in the store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The revision number, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
    /// The headline.
    pub title: Option<String>,
    /// The article's date, ISO 8601 (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// The clean body text.
    pub text: String,
    /// BLAKE3 of `text`'s UTF-8 bytes, lower-case hex.
    pub hash: String,
    /// The URL of the page it was found on.
    pub url: Option<String>,
    /// Where the page was read from.
    pub source: String,
    /// The site the page belongs to.
    pub site: String,
    /// When the article (this text) was first seen, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// When it was last seen, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    /// The text is a listing page's teasers (headlines and blurbs of other articles), not an
    /// article; only written when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub listing: bool,
}

/// Writes records one at a time in one format, so an export never holds more than one.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    count: usize,
    name: String,
}

impl<W: Write> Writer<W> {
    /// A writer to `out`; `name` names it in errors (`-` for stdout).
    pub fn new(out: W, format: Format, name: impl Into<String>) -> Self {
        Writer { out, format, count: 0, name: name.into() }
    }

    /// Writes one record.
    pub fn write(&mut self, record: &Record) -> Result<()> {
        let first = self.count == 0;
        self.count += 1;
        let out = &mut self.out;
        let result = match self.format {
            Format::Jsonl => serde_json::to_writer(&mut *out, record)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n")),
            Format::Json => out
                .write_all(if first { b"[\n" } else { b",\n" })
                .and_then(|()| serde_json::to_writer_pretty(&mut *out, record).map_err(std::io::Error::from)),
            Format::Text => write_text(out, record, first),
        };
        result.map_err(|source| Error::Write { name: self.name.clone(), source })
    }

    /// Ends the output (closing a JSON array) and flushes it.
    pub fn finish(mut self) -> Result<()> {
        let result = match (self.format, self.count) {
            (Format::Json, 0) => self.out.write_all(b"[]\n"),
            (Format::Json, _) => self.out.write_all(b"\n]\n"),
            _ => Ok(()),
        };
        result.and_then(|()| self.out.flush()).map_err(|source| Error::Write { name: self.name.clone(), source })
    }
}

fn write_text(out: &mut impl Write, record: &Record, first: bool) -> std::io::Result<()> {
    if !first {
        out.write_all(b"\n---\n\n")?;
    }
    if let Some(title) = &record.title {
        writeln!(out, "{title}")?;
    }
    if let Some(date) = &record.date {
        writeln!(out, "{date}")?;
    }
    if record.title.is_some() || record.date.is_some() {
        writeln!(out)?;
    }
    writeln!(out, "{}", record.text)
}

/// The export record of an article that was cleaned but not stored.
pub fn cleaned_record(page: &crate::Page, article: &crate::Article) -> Record {
    Record {
        id: None,
        revision: None,
        title: article.title.clone(),
        date: article.date.map(|d| d.to_string()),
        hash: crate::id::ContentHash::of(article.body.as_bytes()).to_hex(),
        text: article.body.clone(),
        url: page.url.clone(),
        source: page.source.clone(),
        site: page.site.clone(),
        first_seen: None,
        last_seen: None,
        listing: false,
    }
}

/// The export record of a stored article at one of its revisions; `listing` when the
/// revision's text came from a listing page ([`crate::store::Store::is_listing`]).
pub fn stored_record(
    article: &crate::store::ArticleInfo,
    revision: &crate::store::RevisionInfo,
    text: String,
    listing: bool,
) -> Record {
    Record {
        id: Some(article.id.to_string()),
        revision: Some(revision.number.0),
        title: revision.title.clone(),
        date: revision.date.map(|d| d.to_string()),
        hash: revision.hash.to_hex(),
        text,
        url: article.url.clone(),
        source: article.source.clone(),
        site: article.site.clone(),
        first_seen: Some(rfc3339(article.first_seen)),
        last_seen: Some(rfc3339(article.last_seen)),
        listing,
    }
}

/// A time as RFC 3339 in UTC, to the second (`2025-12-12T08:00:00Z`).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    use time::format_description::well_known::Rfc3339;
    let t = t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}
