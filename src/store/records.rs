//! Stored records, frozen per format version, and the views the rest of vellum reads.
//!
//! Never change a `*V1` struct: bincode would silently read old bytes as new fields. A new
//! layout is a new struct behind a new version byte, decoded side by side with the old.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::codec::{corrupt, decode, encode, split_version};
use crate::id::{ArticleId, ContentHash, RevisionNo};
use crate::Result;

/// Version byte of every record defined here but [`RevisionV2`] and [`SiteV2`].
pub const RECORD_V1: u8 = 1;

/// Version byte of a [`RevisionV2`] record.
pub const REVISION_V2: u8 = 2;

/// Version byte of an [`ArticleV2`] record.
pub const ARTICLE_V2: u8 = 2;

/// `fetches` value, format 1: one page read by one ingest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchV1 {
    /// BLAKE3 of the raw page; the key of its blob.
    pub raw: [u8; 32],
    /// The raw page's length in bytes.
    pub raw_len: u64,
    /// Where it was read from.
    pub source: String,
    /// Its URL, when known.
    pub url: Option<String>,
    /// Its site.
    pub site: String,
    /// When it was fetched, Unix time in nanoseconds (UTC).
    pub fetched_at: i128,
    /// The articles found on it, each with the revision its text is.
    pub articles: Vec<([u8; 6], u32)>,
    /// The page is a listing of teasers, not a page of whole articles.
    pub listing: bool,
    /// The charset the transport declared for the raw page.
    pub charset: Option<String>,
}

/// `articles` value, format 1: what is true of an article across its revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleV1 {
    /// The identity key the id was derived from (site, NUL, folded title).
    pub identity: String,
    /// The site.
    pub site: String,
    /// The title of the latest revision.
    pub title: Option<String>,
    /// The latest revision number.
    pub latest: u32,
    /// First time any revision was seen (Unix ns).
    pub first_seen: i128,
    /// Last time any revision was seen (Unix ns).
    pub last_seen: i128,
    /// The URL of the page it was last seen on.
    pub url: Option<String>,
    /// The source it was last seen in.
    pub source: String,
}

/// `articles` value, format 2 (schema 5): [`ArticleV1`] without its identity when that is the
/// title identity of its site and title ([`ArticleId::title_identity`], which ids are derived
/// from and which therefore never changes), as it is for nearly every article: about 60 bytes
/// less per article, in a record rewritten on every sighting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleV2 {
    /// The identity key, when it is not the title identity of `site` and `title`.
    pub identity: Option<String>,
    /// The site.
    pub site: String,
    /// The title of the latest revision.
    pub title: Option<String>,
    /// The latest revision number.
    pub latest: u32,
    /// First time any revision was seen (Unix ns).
    pub first_seen: i128,
    /// Last time any revision was seen (Unix ns).
    pub last_seen: i128,
    /// The URL of the page it was last seen on.
    pub url: Option<String>,
    /// The source it was last seen in.
    pub source: String,
}

/// Decodes an `articles` value of either format.
pub fn decode_article(what: &dyn Fn() -> String, value: &[u8]) -> Result<ArticleV1> {
    let (version, body) = split_version(what, value)?;
    match version {
        RECORD_V1 => decode(what, body),
        ARTICLE_V2 => {
            let r: ArticleV2 = decode(what, body)?;
            let identity = match (r.identity, &r.title) {
                (Some(identity), _) => identity,
                (None, Some(title)) => ArticleId::title_identity(&r.site, title),
                (None, None) => return Err(corrupt(what(), "no identity and no title to derive it from".into())),
            };
            let ArticleV2 { site, title, latest, first_seen, last_seen, url, source, .. } = r;
            Ok(ArticleV1 { identity, site, title, latest, first_seen, last_seen, url, source })
        }
        _ => Err(corrupt(what(), format!("unknown record format version {version}"))),
    }
}

/// Encodes an `articles` value in format 2, leaving the identity out when the title gives it.
pub fn encode_article(a: &ArticleV1) -> Vec<u8> {
    let derived = a.title.as_deref().map(|title| ArticleId::title_identity(&a.site, title));
    let identity = (derived.as_deref() != Some(a.identity.as_str())).then(|| a.identity.clone());
    let ArticleV1 { site, title, latest, first_seen, last_seen, url, source, .. } = a.clone();
    encode(ARTICLE_V2, &ArticleV2 { identity, site, title, latest, first_seen, last_seen, url, source })
}

/// `revisions` value, format 1: one text of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionV1 {
    /// BLAKE3 of the body text; the key of its blob.
    pub hash: [u8; 32],
    /// The body's length in bytes.
    pub len: u64,
    /// The title this text was published under.
    pub title: Option<String>,
    /// The article's date as a Julian day number.
    pub date: Option<i32>,
    /// First time this text was seen (Unix ns).
    pub first_seen: i128,
    /// Last time this text was seen (Unix ns).
    pub last_seen: i128,
    /// The fetch that first brought this text.
    pub fetch: u64,
    /// The text differs from the previous revision's only in white space, punctuation or case.
    pub trivial: bool,
}

/// `revisions` value, format 2 (schema 4): format 1, and the text's stored value (the value-file
/// pointer that schema 1 to 3 kept as the revision's `texts` entry, a record of its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionV2 {
    /// What format 1 holds.
    pub v1: RevisionV1,
    /// The text's stored value: a pointer into the value file.
    pub text: Vec<u8>,
}

/// A `revisions` value decoded: the revision, and its text's stored value when the record holds
/// it (format 2; format 1's text is in `texts`).
pub type DecodedRevision = (RevisionV1, Option<Vec<u8>>);

/// Decodes a `revisions` value of either format.
pub fn decode_revision(what: &dyn Fn() -> String, value: &[u8]) -> Result<DecodedRevision> {
    let (version, body) = split_version(what, value)?;
    match version {
        RECORD_V1 => Ok((decode(what, body)?, None)),
        REVISION_V2 => {
            let record: RevisionV2 = decode(what, body)?;
            Ok((record.v1, Some(record.text)))
        }
        _ => Err(corrupt(what(), format!("unknown record format version {version}"))),
    }
}

/// Encodes a `revisions` value: format 2 when it holds its text's stored value, else format 1.
pub fn encode_revision(record: &RevisionV1, text: Option<&[u8]>) -> Vec<u8> {
    match text {
        Some(text) => encode(REVISION_V2, &RevisionV2 { v1: record.clone(), text: text.to_vec() }),
        None => encode(RECORD_V1, record),
    }
}

/// `sightings` value, format 1: an article seen in one fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SightingV1 {
    /// The revision its text was.
    pub revision: u32,
}

/// Version byte of a `sites` value that holds the site's whole learned chrome ([`SiteV2`],
/// schema 4). Version 1 there is a bare `u32`, the page count, with the shapes in `site_shapes`.
pub const SITE_V2: u8 = 2;

/// `sites` value, format 2 (schema 4): a site's learned chrome, in one value rather than one
/// `site_shapes` record per shape (sled spends some 200 bytes on each record, whatever its size).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteV2 {
    /// How many of the site's pages were counted toward its chrome.
    pub pages: u32,
    /// Each line shape in shape order, with on how many counted pages it counted and the
    /// article it was first seen in (64 bits of BLAKE3 of the identity key; 0 = outside or
    /// across articles).
    pub shapes: Vec<(u64, u32, u64)>,
}

/// A `sites` value of either format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteRecord {
    /// Format 1: the page count only; the shapes are `site_shapes` records.
    V1(u32),
    /// Format 2: the page count and every shape.
    V2(SiteV2),
}

impl SiteRecord {
    /// How many of the site's pages were counted.
    pub fn pages(&self) -> u32 {
        match self {
            SiteRecord::V1(pages) => *pages,
            SiteRecord::V2(site) => site.pages,
        }
    }
}

/// Decodes a `sites` value of either format, naming `what` in errors.
pub fn decode_site(what: &dyn Fn() -> String, value: &[u8]) -> Result<SiteRecord> {
    match split_version(what, value)? {
        (RECORD_V1, body) => Ok(SiteRecord::V1(decode(what, body)?)),
        (SITE_V2, body) => Ok(SiteRecord::V2(decode(what, body)?)),
        (version, _) => Err(corrupt(what(), format!("unknown record format version {version}"))),
    }
}

/// Encodes a `sites` value in format 2.
pub fn encode_site(site: &SiteV2) -> Vec<u8> {
    encode(SITE_V2, site)
}

/// Decodes a record value, naming `what` in errors.
pub fn decode_record<T: serde::de::DeserializeOwned>(what: &dyn Fn() -> String, value: &[u8]) -> Result<T> {
    let (version, body) = split_version(what, value)?;
    if version != RECORD_V1 {
        return Err(corrupt(what(), format!("unknown record format version {version}")));
    }
    decode(what, body)
}

/// Encodes a record value.
pub fn encode_record<T: Serialize>(record: &T) -> Vec<u8> {
    encode(RECORD_V1, record)
}

/// Unix nanoseconds of a time.
pub fn nanos(t: OffsetDateTime) -> i128 {
    t.unix_timestamp_nanos()
}

/// The time of Unix nanoseconds (UTC); out-of-range values clamp to the epoch.
pub fn time_of(ns: i128) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ns).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// An article as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInfo {
    /// Its id.
    pub id: ArticleId,
    /// Its site.
    pub site: String,
    /// The latest title.
    pub title: Option<String>,
    /// The stored number of its newest revision (see [`RevisionInfo::stored`]); its number in
    /// the history is the count of revisions ([`crate::store::Store::latest_revision`]).
    pub latest_stored: RevisionNo,
    /// When first seen.
    pub first_seen: OffsetDateTime,
    /// When last seen.
    pub last_seen: OffsetDateTime,
    /// The URL it was last seen at.
    pub url: Option<String>,
    /// The source it was last seen in.
    pub source: String,
}

impl ArticleInfo {
    pub(super) fn from_v1(id: ArticleId, r: ArticleV1) -> Self {
        ArticleInfo {
            id,
            site: r.site,
            title: r.title,
            latest_stored: RevisionNo(r.latest),
            first_seen: time_of(r.first_seen),
            last_seen: time_of(r.last_seen),
            url: r.url,
            source: r.source,
        }
    }
}

/// One revision of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionInfo {
    /// The article it belongs to.
    pub article: ArticleId,
    /// Its number in the article's history: revisions in the order of the fetches that saw
    /// them (see [`crate::store::Store::revisions`]), from 1.
    pub number: RevisionNo,
    /// The number it is stored under. Stored revisions are never renumbered (delta chains and
    /// raw pages name them), so a backfill's revision is stored last whatever its place in time.
    pub stored: RevisionNo,
    /// BLAKE3 of its text.
    pub hash: ContentHash,
    /// Its text's length in bytes.
    pub len: u64,
    /// Its title.
    pub title: Option<String>,
    /// Its date.
    pub date: Option<Date>,
    /// When this text was first seen.
    pub first_seen: OffsetDateTime,
    /// When it was last seen.
    pub last_seen: OffsetDateTime,
    /// The fetch that first brought it.
    pub fetch: u64,
    /// Only white space, punctuation or case changed since the previous revision.
    pub trivial: bool,
    /// Every sighting of it was derived again to another text: it is stored, but no revision of
    /// the history (its times mean nothing).
    pub(crate) withdrawn: bool,
}

impl RevisionInfo {
    pub(super) fn from_v1(article: ArticleId, number: u32, r: RevisionV1) -> Self {
        RevisionInfo {
            article,
            number: RevisionNo(number),
            stored: RevisionNo(number),
            hash: ContentHash(r.hash),
            len: r.len,
            title: r.title,
            date: r.date.and_then(|d| Date::from_julian_day(d).ok()),
            first_seen: time_of(r.first_seen),
            last_seen: time_of(r.last_seen),
            fetch: r.fetch,
            trivial: r.trivial,
            withdrawn: !super::history::has_sightings(r.first_seen, r.last_seen),
        }
    }
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod format_tests;
