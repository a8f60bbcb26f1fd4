//! Stored records of format 2 (and format 1's `sites` value), and the views the rest of vellum
//! reads.
//!
//! Never change a record struct: bincode would silently read old bytes as new fields. A new
//! layout is a new struct behind a new version byte, and a new store format (`format`).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::codec::{corrupt, decode, encode, split_version};
use crate::id::{ArticleId, ContentHash, RevisionNo};
use crate::Result;

/// Version byte of every record defined here but [`StoredRevision`], [`StoredArticle`],
/// [`SiteRecord`] and [`PackedSite`], of `dicts` records and `meta` values.
pub const RECORD: u8 = 1;

/// Version byte of a [`StoredRevision`] record.
pub const REVISION: u8 = 2;

/// Version byte of a [`StoredArticle`] record.
pub const ARTICLE: u8 = 2;

/// Version byte of a `sites` value: a [`PackedSite`] (format 2).
pub const SITE: u8 = 3;

/// Version byte of a `sites` value of format 1: a [`SiteRecord`] as it is, read when a store is
/// migrated.
pub const SITE_FORMAT_1: u8 = 2;

/// Version byte of a site's knowledge in a generation file (format 3): a [`SiteFile`].
pub const SITE_FILE: u8 = 4;

/// Version byte of a `sites` value of format 3: a [`SitePointer`].
pub const SITE_POINTER: u8 = 5;

/// Version byte of a `fetches` value of format 4: a [`FetchPack`].
pub const FETCH_PACK: u8 = 6;

/// The error of a record whose version byte its tree does not hold in this format (version 1 of
/// `articles`, `revisions` and `sites` was a pre-release layout).
fn unknown_version(what: &dyn Fn() -> String, version: u8) -> crate::Error {
    corrupt(what(), format!("unknown record format version {version}"))
}

/// `fetches` value: one page read by one ingest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchRecord {
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

/// `fetches` value of format 4: the [`FetchRecord`]s of consecutive fetches, the first under
/// the value's key, as one zstd frame of their bincode `Vec<FetchRecord>` (`len` bytes). One
/// sled record holds what a transaction stored (up to [`super::fetches::PACK_FETCHES`]) instead
/// of one each: sled's files grow with its records far more than with their bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchPack {
    /// How many fetches.
    pub count: u32,
    /// The bytes of the records, uncompressed.
    pub len: u32,
    /// The records, one zstd frame.
    pub frame: Vec<u8>,
}

/// The zstd level of a [`FetchPack`]'s frame.
const FETCH_PACK_LEVEL: i32 = 3;

/// Encodes a `fetches` value of records of consecutive fetches (at least one).
pub fn encode_fetch_pack(records: &[FetchRecord]) -> Result<Vec<u8>> {
    let too_big = || crate::Error::Internal(format!("{} fetch records past the record limit", records.len()));
    let body = super::codec::body(&records).ok_or_else(too_big)?;
    // Under the record limit (16 MiB), the length and count fit.
    let (len, count) = (body.len() as u32, records.len() as u32);
    let frame = super::zctx::compress(&body, FETCH_PACK_LEVEL)
        .map_err(|e| crate::Error::Internal(format!("compressing fetch records: {e}")))?;
    Ok(encode(FETCH_PACK, &FetchPack { count, len, frame }))
}

/// A `fetches` value's record count and the bytes of its records, decompressed (see
/// [`decode_fetches`]).
pub fn unpack_fetches(what: &dyn Fn() -> String, value: &[u8]) -> Result<(u32, Vec<u8>)> {
    let (version, body) = split_version(what, value)?;
    if version != FETCH_PACK {
        return Err(unknown_version(what, version));
    }
    let pack: FetchPack = decode(what, body)?;
    if pack.count == 0 {
        return Err(corrupt(what(), "a pack of no fetches".into()));
    }
    Ok((pack.count, super::codec::unframe(what, "fetch records'", &pack.frame, pack.len)?))
}

/// The `count` records of a `fetches` value's decompressed bytes.
pub fn decode_fetches(what: &dyn Fn() -> String, count: u32, bytes: &[u8]) -> Result<Vec<FetchRecord>> {
    let records: Vec<FetchRecord> = decode(what, bytes)?;
    if records.len() != count as usize {
        return Err(corrupt(what(), format!("{} fetch records where {} were packed", records.len(), count)));
    }
    Ok(records)
}

/// An article as stored: what is true of it across its revisions (its `articles` value is a
/// `StoredArticle`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRecord {
    /// The identity key the id was derived from (site, NUL, folded title).
    pub identity: String,
    /// The site.
    pub site: String,
    /// The title of the latest revision.
    pub title: Option<String>,
    /// The stored number of the history's latest revision.
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

/// `articles` value: an [`ArticleRecord`] without its identity when that is the title identity
/// of its site and title ([`ArticleId::title_identity`], which ids are derived from and which
/// therefore never changes), as it is for nearly every article: about 60 bytes less per
/// article, in a record rewritten on every sighting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredArticle {
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

/// Decodes an `articles` value.
pub fn decode_article(what: &dyn Fn() -> String, value: &[u8]) -> Result<ArticleRecord> {
    let (version, body) = split_version(what, value)?;
    if version != ARTICLE {
        return Err(unknown_version(what, version));
    }
    let r: StoredArticle = decode(what, body)?;
    let identity = match (r.identity, &r.title) {
        (Some(identity), _) => identity,
        (None, Some(title)) => ArticleId::title_identity(&r.site, title),
        (None, None) => return Err(corrupt(what(), "no identity and no title to derive it from".into())),
    };
    let StoredArticle { site, title, latest, first_seen, last_seen, url, source, .. } = r;
    Ok(ArticleRecord { identity, site, title, latest, first_seen, last_seen, url, source })
}

/// Encodes an `articles` value, leaving the identity out when the title gives it.
pub fn encode_article(a: &ArticleRecord) -> Vec<u8> {
    let derived = a.title.as_deref().map(|title| ArticleId::title_identity(&a.site, title));
    let identity = (derived.as_deref() != Some(a.identity.as_str())).then(|| a.identity.clone());
    let ArticleRecord { site, title, latest, first_seen, last_seen, url, source, .. } = a.clone();
    encode(ARTICLE, &StoredArticle { identity, site, title, latest, first_seen, last_seen, url, source })
}

/// A stored revision's record: one text of an article (the text itself is stored apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRecord {
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

/// `revisions` value: the record, and its text's stored value (a pointer into the value file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRevision {
    /// The revision.
    pub record: RevisionRecord,
    /// The text's stored value: a pointer into the value file.
    pub text: Vec<u8>,
}

/// Decodes a `revisions` value: the record and its text's stored value.
pub fn decode_revision(what: &dyn Fn() -> String, value: &[u8]) -> Result<(RevisionRecord, Vec<u8>)> {
    let (version, body) = split_version(what, value)?;
    if version != REVISION {
        return Err(unknown_version(what, version));
    }
    let stored: StoredRevision = decode(what, body)?;
    Ok((stored.record, stored.text))
}

/// Encodes a `revisions` value.
pub fn encode_revision(record: &RevisionRecord, text: &[u8]) -> Vec<u8> {
    encode(REVISION, &StoredRevision { record: record.clone(), text: text.to_vec() })
}

/// A site's learned chrome, in one value (sled spends some 200 bytes on each record, whatever
/// its size, so not one record per shape): the `sites` value of format 1, and what
/// [`decode_site`] gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRecord {
    /// How many of the site's pages were counted toward its chrome.
    pub pages: u32,
    /// Each line shape in shape order, with on how many counted pages it counted and the
    /// article it was first seen in (64 bits of BLAKE3 of the identity key; 0 = outside or
    /// across articles).
    pub shapes: Vec<(u64, u32, u64)>,
}

/// `sites` value of format 2: a [`SiteRecord`] in about half the bytes. A site's shapes are
/// written whole at every flush and sled keeps each rewrite until a compaction, so the bytes of
/// this value are paid many times over: each article that owns shapes is named once, in
/// `owners`, and a shape by its place there; a shape is 8 fixed bytes (as a varint a 64-bit
/// hash takes 9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedSite {
    /// How many of the site's pages were counted toward its chrome.
    pub pages: u32,
    /// The owners the shapes name (0 among them: outside or across articles), each once, in
    /// the order the shapes first name them.
    pub owners: Vec<[u8; 8]>,
    /// Each line shape (big-endian) in shape order, with on how many counted pages it counted
    /// and its owner's place in `owners`.
    pub shapes: Vec<([u8; 8], u32, u32)>,
}

/// A site's knowledge in a generation file of format 3 (`sites/G.gen`, ARCHITECTURE.md "Site
/// generations"): the site's name and its learned chrome as a [`PackedSite`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteFile {
    /// The site.
    pub site: String,
    /// Its learned chrome.
    pub packed: PackedSite,
}

/// `sites` value of format 3: where a site's knowledge lies, in which generation file, at which
/// offset, in how many bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePointer {
    /// The generation file (`sites/G.gen`, G in 16 hex digits).
    pub generation: u64,
    /// Where the site's record starts in it.
    pub offset: u64,
    /// Its bytes.
    pub len: u32,
}

/// Decodes a `sites` value of format 3.
pub fn decode_site_pointer(what: &dyn Fn() -> String, value: &[u8]) -> Result<SitePointer> {
    match split_version(what, value)? {
        (SITE_POINTER, body) => decode(what, body),
        (version, _) => Err(unknown_version(what, version)),
    }
}

/// Encodes a `sites` value of format 3.
pub fn encode_site_pointer(pointer: &SitePointer) -> Vec<u8> {
    encode(SITE_POINTER, pointer)
}

/// Decodes a `sites` value of format 2, naming `what` in errors.
pub fn decode_site(what: &dyn Fn() -> String, value: &[u8]) -> Result<SiteRecord> {
    match split_version(what, value)? {
        (SITE, body) => unpack_site(what, decode(what, body)?),
        (version, _) => Err(unknown_version(what, version)),
    }
}

/// Decodes a site's file: the site it names and its learned chrome.
pub fn decode_site_file(what: &dyn Fn() -> String, bytes: &[u8]) -> Result<(String, SiteRecord)> {
    match split_version(what, bytes)? {
        (SITE_FILE, body) => {
            let file: SiteFile = decode(what, body)?;
            Ok((file.site, unpack_site(what, file.packed)?))
        }
        (version, _) => Err(unknown_version(what, version)),
    }
}

/// Encodes a site's file.
pub fn encode_site_file(site: &str, record: &SiteRecord) -> Vec<u8> {
    encode(SITE_FILE, &SiteFile { site: site.to_owned(), packed: pack_site(record) })
}

fn unpack_site(what: &dyn Fn() -> String, packed: PackedSite) -> Result<SiteRecord> {
    let mut shapes = Vec::with_capacity(packed.shapes.len());
    for (shape, pages, at) in packed.shapes {
        let Some(owner) = packed.owners.get(at as usize) else {
            return Err(corrupt(what(), format!("owner {at} of {}", packed.owners.len())));
        };
        shapes.push((u64::from_be_bytes(shape), pages, u64::from_be_bytes(*owner)));
    }
    Ok(SiteRecord { pages: packed.pages, shapes })
}

/// Decodes a `sites` value of format 1 (or of format 2, which a migration that stopped after
/// writing them and before marking the store left), for the migration from format 1.
pub fn decode_site_to_migrate(what: &dyn Fn() -> String, value: &[u8]) -> Result<SiteRecord> {
    match split_version(what, value)? {
        (SITE_FORMAT_1, body) => decode(what, body),
        _ => decode_site(what, value),
    }
}

/// Encodes a `sites` value of format 2.
pub fn encode_site(site: &SiteRecord) -> Vec<u8> {
    encode(SITE, &pack_site(site))
}

fn pack_site(site: &SiteRecord) -> PackedSite {
    let mut owners: Vec<[u8; 8]> = Vec::new();
    let mut places: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
    let shapes = site
        .shapes
        .iter()
        .map(|&(shape, pages, owner)| {
            let at = *places.entry(owner).or_insert_with(|| {
                owners.push(owner.to_be_bytes());
                // More than four billion owners in one value cannot happen (16 MiB at most).
                u32::try_from(owners.len() - 1).unwrap_or(u32::MAX)
            });
            (shape.to_be_bytes(), pages, at)
        })
        .collect();
    PackedSite { pages: site.pages, owners, shapes }
}

/// Decodes a record value, naming `what` in errors.
pub fn decode_record<T: serde::de::DeserializeOwned>(what: &dyn Fn() -> String, value: &[u8]) -> Result<T> {
    let (version, body) = split_version(what, value)?;
    if version != RECORD {
        return Err(unknown_version(what, version));
    }
    decode(what, body)
}

/// Encodes a record value.
pub fn encode_record<T: Serialize>(record: &T) -> Vec<u8> {
    encode(RECORD, record)
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
    pub(super) fn from_record(id: ArticleId, r: ArticleRecord) -> Self {
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
    pub(super) fn from_record(article: ArticleId, number: u32, r: RevisionRecord) -> Self {
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
