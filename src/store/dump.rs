//! Dump and restore: the whole store as a portable stream that does not depend on sled.
//!
//! The format (`vellum-dump`, version [`DUMP_VERSION`], frozen as the store's format is) is one
//! zstd stream of JSON Lines, one record per line, each an object with a `type`: a
//! `header`, then the dictionaries and pending samples, every `blob`, `fetch`, `article` and
//! `revision` in key order, the sightings, heads, sites with their shapes, rules and `meta`, and
//! last an `end` line carrying the number of lines before it and the BLAKE3 of their bytes
//! (newlines included). `ARCHITECTURE.md` lists the fields. A store restored from a dump has the
//! same ids, revisions and exports, and dumps to the same bytes.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use base64::Engine;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

use super::chain;
use super::codec::{encode_blob, encode_blob_delta, parse_blob, BlobValue};
use super::records::{
    decode_article, decode_record, decode_revision, encode_article, encode_record, encode_revision, nanos, time_of,
    ArticleRecord, FetchRecord, RevisionRecord, SiteRecord,
};
use super::{keys, OpenOptions, Sighting, SightingIndex, Store};
use crate::id::ContentHash;
use crate::{Error, Result};

/// The dump format's name, in its header.
pub const DUMP_FORMAT: &str = "vellum-dump";
/// The dump format's version, written and read (version 1, of pre-release builds, is not read).
pub const DUMP_VERSION: u32 = 2;

/// One line of a dump.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum Line {
    Header {
        format: String,
        version: u32,
        /// The format mark of the store dumped (`format`): 6 for format 2, 5 for format 1. A
        /// dump of either, or of a pre-release store (1 to 4), holds the same lines and
        /// restores alike.
        schema: u32,
    },
    Dict {
        id: u32,
        site: String,
        /// The zstd dictionary, standard base64.
        data: String,
    },
    Pending {
        site: String,
        ids: Vec<String>,
        bytes: u64,
    },
    Blob {
        hash: String,
        /// `utf8` when `data` is the bytes as text, `base64` otherwise.
        encoding: String,
        data: String,
        /// The blob it is stored as a delta against, if any, and at what chain depth.
        base: Option<String>,
        depth: u8,
    },
    Head {
        key: String,
        hash: String,
    },
    Fetch {
        seq: u64,
        raw: String,
        raw_len: u64,
        source: String,
        url: Option<String>,
        site: String,
        fetched_at: String,
        articles: Vec<(String, u32)>,
        listing: bool,
        charset: Option<String>,
    },
    Article {
        id: String,
        identity: String,
        site: String,
        title: Option<String>,
        latest: u32,
        first_seen: String,
        last_seen: String,
        url: Option<String>,
        source: String,
    },
    Revision {
        id: String,
        revision: u32,
        hash: String,
        len: u64,
        title: Option<String>,
        date: Option<String>,
        first_seen: String,
        last_seen: String,
        fetch: u64,
        trivial: bool,
        text: String,
    },
    Sighting {
        id: String,
        fetch: u64,
        revision: u32,
    },
    Site {
        site: String,
        pages: u32,
    },
    Shape {
        site: String,
        shape: String,
        pages: u32,
        owner: String,
    },
    Rule {
        kind: String,
        pattern: String,
    },
    Meta {
        fetch_seq: u64,
    },
    End {
        lines: u64,
        blake3: String,
    },
}

/// What a dump or restore moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DumpSummary {
    /// Record lines (header and end excluded).
    pub records: u64,
    /// Blobs among them.
    pub blobs: u64,
    /// What a salvaging dump could not read and left out, one line each (see
    /// [`Store::dump_salvaging`]).
    pub left_out: Vec<String>,
}

/// The longest line a dump holds: a blob of the largest page as JSON text, each byte at worst
/// an escape of 6 (`\u0000`), with its fields. `restore` reads no more of one line than this.
const MAX_LINE_BYTES: u64 = crate::page::DEFAULT_PAGE_LIMIT * 6 + (4 << 20);

/// Hashes every line written or read, and counts them.
struct Tally {
    hasher: blake3::Hasher,
    lines: u64,
}

impl Tally {
    fn add(&mut self, line: &[u8]) {
        self.hasher.update(line);
        self.lines += 1;
    }
}

fn ts(ns: i128) -> String {
    time_of(ns).format(&Rfc3339).unwrap_or_default()
}

fn parse_ts(text: &str) -> Result<i128> {
    time::OffsetDateTime::parse(text, &Rfc3339)
        .map(nanos)
        .map_err(|e| Error::Invalid { what: "dump time", detail: format!("{text:?}: {e}") })
}

/// A revision's seen-time: empty for a withdrawn revision (see `history`).
fn parse_seen(text: &str, withdrawn: i128) -> Result<i128> {
    if text.is_empty() {
        Ok(withdrawn)
    } else {
        parse_ts(text)
    }
}

fn withdrawn(r: &RevisionRecord) -> bool {
    !super::history::has_sightings(r.first_seen, r.last_seen)
}

fn unhex<const N: usize>(text: &str) -> Result<[u8; N]> {
    let mut out = [0u8; N];
    hex::decode_to_slice(text, &mut out)
        .map_err(|_| Error::Invalid { what: "dump hex field", detail: format!("{text:?} is not {N} bytes of hex") })?;
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

impl Store {
    /// Writes the whole store to `out` as a `vellum-dump` stream.
    pub fn dump(&self, out: impl Write, name: &str) -> Result<DumpSummary> {
        self.dump_with(out, name, false)
    }

    /// [`Store::dump`] of a damaged store: every value that cannot be read (a damaged value
    /// ([`Error::is_damage`]): a blob, a text, a record) is left out and named in
    /// [`DumpSummary::left_out`], and everything else is written. Articles with revisions and
    /// no record are named too (their revisions are written). It is a copy of everything that
    /// could be read, to extract from and to keep; a store rebuilt from it needs what was left
    /// out, so `restore` refuses it when anything was, naming the first thing missing.
    pub fn dump_salvaging(&self, out: impl Write, name: &str) -> Result<DumpSummary> {
        self.dump_with(out, name, true)
    }

    fn dump_with(&self, out: impl Write, name: &str, salvage: bool) -> Result<DumpSummary> {
        let left_out = std::cell::RefCell::new(Vec::new());
        // A damaged value is left out and named when salvaging; any other error stops the dump.
        let keep = |result: Result<()>| -> Result<()> {
            match result {
                Err(e) if salvage && e.is_damage() => {
                    left_out.borrow_mut().push(e.to_string());
                    Ok(())
                }
                other => other,
            }
        };
        let encoder = zstd::stream::write::Encoder::new(out, 3).map_err(|source| write_error(name, source))?;
        let mut writer = DumpWriter { encoder, tally: Tally { hasher: blake3::Hasher::new(), lines: 0 }, name };
        let mut summary = DumpSummary::default();
        let schema = super::format::mark_of(super::FORMAT);
        let header = Line::Header { format: DUMP_FORMAT.into(), version: DUMP_VERSION, schema };
        writer.emit(&header)?;
        let engine = base64::engine::general_purpose::STANDARD;
        for item in self.dicts_all() {
            keep(item.and_then(|(id, dict)| {
                writer.emit(&Line::Dict { id, site: dict.site, data: engine.encode(&dict.bytes) })?;
                summary.records += 1;
                Ok(())
            }))?;
        }
        for item in self.pending_all() {
            keep(item.and_then(|(site, pending)| {
                let ids = pending.ids.iter().map(|id| hex(id)).collect();
                writer.emit(&Line::Pending { site, ids, bytes: pending.bytes })?;
                summary.records += 1;
                Ok(())
            }))?;
        }
        let mut cache = super::read::BlobCache::default();
        for item in self.h().blobs.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let hash = ContentHash(keys::fixed::<32>(&key).ok_or_else(|| bad("blobs key"))?);
            keep((|| {
                let bytes = self.blob_cached(&hash, &mut cache)?.as_ref().clone();
                let value = self.stored(&|| format!("blob {hash}"), &value)?;
                let (base, depth) = match parse_blob(&hash, &value)? {
                    BlobValue::Delta { base, depth, .. } => (base.map(|b| b.to_hex()), depth),
                    BlobValue::Whole(_) => (None, 0),
                };
                let (encoding, data) = match String::from_utf8(bytes) {
                    Ok(text) => ("utf8", text),
                    Err(e) => ("base64", engine.encode(e.as_bytes())),
                };
                let line = Line::Blob { hash: hash.to_hex(), encoding: encoding.into(), data, base, depth };
                writer.emit(&line)?;
                summary.blobs += 1;
                summary.records += 1;
                Ok(())
            })())?;
        }
        // The sightings lines come from the fetches, by article, then fetch.
        let mut sightings = SightingIndex::default();
        for item in self.fetch_records() {
            let Some((seq, r)) = item.map(Some).or_else(|e| keep(Err(e)).map(|()| None))? else { continue };
            sightings.add(seq, &r);
            let line = Line::Fetch {
                seq,
                raw: hex(&r.raw),
                raw_len: r.raw_len,
                source: r.source,
                url: r.url,
                site: r.site,
                fetched_at: ts(r.fetched_at),
                articles: r.articles.iter().map(|(id, rev)| (hex(id), *rev)).collect(),
                listing: r.listing,
                charset: r.charset,
            };
            writer.emit(&line)?;
            summary.records += 1;
        }
        for item in self.h().articles.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let id = hex(&keys::fixed::<6>(&key).ok_or_else(|| bad("articles key"))?);
            let decoded = decode_article(&|| format!("article {id}"), &value);
            let Some(r): Option<ArticleRecord> = decoded.map(Some).or_else(|e| keep(Err(e)).map(|()| None))? else {
                continue;
            };
            let line = Line::Article {
                id,
                identity: r.identity,
                site: r.site,
                title: r.title,
                latest: r.latest,
                first_seen: ts(r.first_seen),
                last_seen: ts(r.last_seen),
                url: r.url,
                source: r.source,
            };
            writer.emit(&line)?;
            summary.records += 1;
        }
        let mut current: Vec<(u32, RevisionRecord)> = Vec::new();
        let mut current_id = None;
        for item in self.h().revisions.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let (id, number) = keys::split_revision(&key).ok_or_else(|| bad("revisions key"))?;
            if current_id.is_some_and(|c| c != id) {
                self.dump_article(current_id, &mut current, &mut writer, &mut summary, &keep)?;
            }
            current_id = Some(id);
            let decoded = decode_revision(&|| format!("article {id} revision {number}"), &value);
            if let Some((r, _)) = decoded.map(Some).or_else(|e| keep(Err(e)).map(|()| None))? {
                current.push((number, r));
            }
        }
        self.dump_article(current_id, &mut current, &mut writer, &mut summary, &keep)?;
        if salvage {
            for (id, count) in self.articles_without_record()? {
                left_out
                    .borrow_mut()
                    .push(format!("article {id}: its record is missing (its {count} revision(s) are in the dump)"));
            }
        }
        for s in sightings.finish().iter() {
            writer.emit(&Line::Sighting { id: s.article.to_string(), fetch: s.fetch, revision: s.revision.0 })?;
            summary.records += 1;
        }
        for item in self.h().heads.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            keep((|| {
                let hash: [u8; 32] = decode_record(&|| "heads value".into(), &value)?;
                let key = String::from_utf8(key.to_vec()).map_err(|_| bad("heads key"))?;
                writer.emit(&Line::Head { key, hash: hex(&hash) })?;
                summary.records += 1;
                Ok(())
            })())?;
        }
        for (site, pages) in self.sites()? {
            writer.emit(&Line::Site { site: site.clone(), pages })?;
            summary.records += 1;
            for (shape, count) in self.site_knowledge(&site)?.shapes {
                let (pages, owner) = (count.pages, count.owner);
                let line = Line::Shape {
                    site: site.clone(),
                    shape: format!("{shape:016x}"),
                    pages,
                    owner: format!("{owner:016x}"),
                };
                writer.emit(&line)?;
                summary.records += 1;
            }
        }
        let rules = self.rules()?;
        let tagged = rules.drop.iter().map(|p| ("drop", p)).chain(rules.keep.iter().map(|p| ("keep", p)));
        for (kind, pattern) in tagged {
            writer.emit(&Line::Rule { kind: kind.into(), pattern: pattern.clone() })?;
            summary.records += 1;
        }
        writer.emit(&Line::Meta { fetch_seq: self.fetch_seq()? })?;
        summary.records += 1;
        writer.finish()?;
        summary.left_out = left_out.into_inner();
        Ok(summary)
    }

    /// Emits one article's revisions, oldest first, with their texts (decoded newest first,
    /// each delta against the one after it).
    fn dump_article<W: Write>(
        &self,
        id: Option<crate::id::ArticleId>,
        revisions: &mut Vec<(u32, RevisionRecord)>,
        writer: &mut DumpWriter<'_, W>,
        summary: &mut DumpSummary,
        keep: &dyn Fn(Result<()>) -> Result<()>,
    ) -> Result<()> {
        let Some(id) = id else { return Ok(()) };
        let mut texts: Vec<Option<String>> = Vec::with_capacity(revisions.len());
        let mut known = BTreeMap::new();
        for (number, r) in revisions.iter().rev() {
            let what = || format!("article {id} revision {number} text");
            let mut text = None;
            keep((|| {
                let read = self.read_text(id, *number, &mut known)?;
                chain::check(&what, read, &ContentHash(r.hash))?;
                let read =
                    String::from_utf8(read.to_vec()).map_err(|_| super::codec::corrupt(what(), "not UTF-8".into()))?;
                text = Some(read);
                Ok(())
            })())?;
            texts.push(text);
        }
        for ((number, r), text) in revisions.drain(..).zip(texts.into_iter().rev()) {
            let Some(text) = text else { continue };
            let withdrawn = withdrawn(&r);
            let line = Line::Revision {
                id: id.to_string(),
                revision: number,
                hash: hex(&r.hash),
                len: r.len,
                title: r.title,
                date: r.date.and_then(|d| time::Date::from_julian_day(d).ok()).map(|d| d.to_string()),
                // A withdrawn revision (no sightings) has no times.
                first_seen: if withdrawn { String::new() } else { ts(r.first_seen) },
                last_seen: if withdrawn { String::new() } else { ts(r.last_seen) },
                fetch: r.fetch,
                trivial: r.trivial,
                text,
            };
            writer.emit(&line)?;
            summary.records += 1;
        }
        Ok(())
    }

    /// Builds a new store at `path` from a `vellum-dump` stream. The store is built beside
    /// `path` and moved into place only once the whole stream has checked out, so a damaged or
    /// truncated dump leaves nothing behind. `path` must not exist. The identity index (which
    /// a dump leaves out) is built by `rule`.
    pub fn restore(path: &Path, input: impl Read, name: &str, rule: super::IndexRule) -> Result<DumpSummary> {
        build_beside(path, "restoring", "restore", |staging| Self::restore_into(staging, input, name, rule))
    }

    fn restore_into(staging: &Path, input: impl Read, name: &str, rule: super::IndexRule) -> Result<DumpSummary> {
        let store = Store::open(staging, &OpenOptions { create: true, ..OpenOptions::default() })?;
        let decoder =
            zstd::stream::read::Decoder::new(input).map_err(|source| Error::Read { name: name.to_owned(), source })?;
        let mut reader = BufReader::new(decoder);
        let mut tally = Tally { hasher: blake3::Hasher::new(), lines: 0 };
        let mut summary = DumpSummary::default();
        let mut buf = Vec::new();
        let mut number = 0u64;
        let mut deltas: Vec<(u8, ContentHash, ContentHash)> = Vec::new();
        let mut sites: BTreeMap<String, RestoredSite> = BTreeMap::new();
        // The sightings lines, checked at the end against the sightings the fetches give.
        let mut sightings: Vec<Sighting> = Vec::new();
        // The fetches, packed once all are read.
        let mut fetches: BTreeMap<u64, FetchRecord> = BTreeMap::new();
        let engine = base64::engine::general_purpose::STANDARD;
        let damaged = |number: u64, detail: String| Error::Invalid {
            what: "dump",
            detail: format!("{name}: line {number}: {detail}"),
        };
        let repeated = |number: u64, what: &str| damaged(number, format!("repeats an earlier {what} line"));
        let mut site_lines = std::collections::BTreeSet::new();
        loop {
            buf.clear();
            let n = (&mut reader)
                .take(MAX_LINE_BYTES)
                .read_until(b'\n', &mut buf)
                .map_err(|e| damaged(number + 1, e.to_string()))?;
            if n == 0 {
                return Err(damaged(number, "ends before its `end` line (truncated)".into()));
            }
            if n as u64 == MAX_LINE_BYTES && !buf.ends_with(b"\n") {
                return Err(damaged(number + 1, format!("is longer than any dump writes ({MAX_LINE_BYTES} bytes)")));
            }
            number += 1;
            let line: Line = serde_json::from_slice(&buf).map_err(|e| damaged(number, e.to_string()))?;
            let sto = |e: sled::Error| store.fail(e);
            match line {
                Line::Header { format, version, schema } => {
                    if number != 1
                        || format != DUMP_FORMAT
                        || version != DUMP_VERSION
                        || schema > super::format::mark_of(super::FORMAT)
                    {
                        return Err(damaged(number, format!("unsupported header {format} v{version} schema {schema}")));
                    }
                }
                _ if number == 1 => return Err(damaged(1, "not a vellum dump (no header)".into())),
                Line::End { lines, blake3 } => {
                    if lines != tally.lines || blake3 != tally.hasher.finalize().to_hex().as_str() {
                        return Err(damaged(number, "manifest does not match the lines before it".into()));
                    }
                    // A dump ends at its `end` line: anything after it (a second dump appended,
                    // stray bytes) would otherwise be dropped without a word.
                    match reader.read(&mut [0u8]) {
                        Ok(0) => {}
                        Ok(_) => {
                            return Err(damaged(number, "data follows the end line (two dumps joined?)".into()));
                        }
                        Err(e) => return Err(damaged(number, format!("data follows the end line: {e}"))),
                    }
                    // Every site's knowledge, written together once the last shape is read.
                    let records: Vec<(String, SiteRecord)> = std::mem::take(&mut sites)
                        .into_iter()
                        .map(|(site, (pages, shapes))| {
                            let shapes =
                                shapes.into_iter().map(|(shape, (pages, owner))| (shape, pages, owner)).collect();
                            (site, SiteRecord { pages, shapes })
                        })
                        .collect();
                    store.write_site_files(&records)?;
                    let mut batch = sled::Batch::default();
                    super::fetches::pack_into(&mut batch, std::mem::take(&mut fetches).into_iter().collect())?;
                    store.h().fetches.apply_batch(batch).map_err(sto)?;
                    // Nothing stores the sightings lines: they must be what the fetches list.
                    if !store.sighting_index()?.iter().eq(sightings.iter()) {
                        return Err(damaged(
                            number,
                            "its sighting lines do not match the articles of its fetches".into(),
                        ));
                    }
                    // Blobs that were deltas are re-encoded the same way, shallowest first.
                    deltas.sort();
                    let mut cache = super::read::BlobCache::default();
                    for (depth, hash, base) in &deltas {
                        let bytes = store.blob_cached(hash, &mut cache)?;
                        let base_bytes = store.blob_cached(base, &mut cache)?;
                        store
                            .h()
                            .blobs
                            .insert(hash.0, store.put(&encode_blob_delta(&bytes, base, &base_bytes, *depth)?)?)
                            .map_err(sto)?;
                    }
                    store.rebuild_identity_index(rule)?;
                    store.flush()?;
                    // The whole copies of re-encoded blobs and texts are left out.
                    store.rewrite_values()?;
                    drop(store);
                    let store = Store::open(staging, &OpenOptions::default())?;
                    let report = store.verify()?;
                    if let Some(p) = report.problems.first() {
                        return Err(damaged(
                            number,
                            format!("restored store does not verify: {}: {}", p.what, p.detail),
                        ));
                    }
                    return Ok(summary);
                }
                Line::Dict { id, site, data } => {
                    let bytes = engine.decode(data).map_err(|e| damaged(number, e.to_string()))?;
                    if !store.restore_dict(id, &site, &bytes)? {
                        return Err(repeated(number, "dict"));
                    }
                }
                Line::Pending { site, ids, bytes } => {
                    let ids = ids.iter().map(|id| unhex::<6>(id)).collect::<Result<Vec<_>>>()?;
                    if !store.restore_pending(&site, &super::dicts::PendingRecord { ids, bytes })? {
                        return Err(repeated(number, "pending"));
                    }
                }
                Line::Head { key, hash } => {
                    let old =
                        store.h().heads.insert(key.as_bytes(), encode_record(&unhex::<32>(&hash)?)).map_err(sto)?;
                    if old.is_some() {
                        return Err(repeated(number, "head"));
                    }
                }
                Line::Blob { hash, encoding, data, base, depth } => {
                    let bytes = match encoding.as_str() {
                        "utf8" => data.into_bytes(),
                        "base64" => engine.decode(data).map_err(|e| damaged(number, e.to_string()))?,
                        other => return Err(damaged(number, format!("unknown blob encoding {other:?}"))),
                    };
                    let hash = unhex::<32>(&hash)?;
                    if ContentHash::of(&bytes).0 != hash {
                        return Err(damaged(number, "blob does not hash to its name".into()));
                    }
                    if store.h().blobs.insert(hash, store.put(&encode_blob(&bytes))?).map_err(sto)?.is_some() {
                        return Err(repeated(number, "blob"));
                    }
                    if let Some(base) = base {
                        deltas.push((depth, ContentHash(hash), ContentHash(unhex::<32>(&base)?)));
                    }
                    summary.blobs += 1;
                }
                Line::Fetch { seq, raw, raw_len, source, url, site, fetched_at, articles, listing, charset } => {
                    let articles =
                        articles.iter().map(|(id, rev)| Ok((unhex::<6>(id)?, *rev))).collect::<Result<Vec<_>>>()?;
                    let record = FetchRecord {
                        raw: unhex(&raw)?,
                        raw_len,
                        source,
                        url,
                        site,
                        fetched_at: parse_ts(&fetched_at)?,
                        articles,
                        listing,
                        charset,
                    };
                    if fetches.insert(seq, record).is_some() {
                        return Err(repeated(number, "fetch"));
                    }
                }
                Line::Article { id, identity, site, title, latest, first_seen, last_seen, url, source } => {
                    let record = ArticleRecord {
                        identity,
                        site,
                        title,
                        latest,
                        first_seen: parse_ts(&first_seen)?,
                        last_seen: parse_ts(&last_seen)?,
                        url,
                        source,
                    };
                    if store.h().articles.insert(unhex::<6>(&id)?, encode_article(&record)).map_err(sto)?.is_some() {
                        return Err(repeated(number, "article"));
                    }
                }
                Line::Revision {
                    id,
                    revision,
                    hash,
                    len,
                    title,
                    date,
                    first_seen,
                    last_seen,
                    fetch,
                    trivial,
                    text,
                } => {
                    let date = match date {
                        Some(d) => Some(
                            time::Date::parse(&d, &time::format_description::well_known::Iso8601::DATE)
                                .map_err(|e| damaged(number, format!("date {d:?}: {e}")))?
                                .to_julian_day(),
                        ),
                        None => None,
                    };
                    let record = RevisionRecord {
                        hash: unhex(&hash)?,
                        len,
                        title,
                        date,
                        first_seen: parse_seen(&first_seen, super::history::WITHDRAWN.0)?,
                        last_seen: parse_seen(&last_seen, super::history::WITHDRAWN.1)?,
                        fetch,
                        trivial,
                    };
                    if ContentHash::of(text.as_bytes()).0 != record.hash {
                        return Err(damaged(number, "revision text does not hash to its hash".into()));
                    }
                    let id = crate::id::ArticleId(unhex::<6>(&id)?);
                    let key = keys::revision(id, revision);
                    // The same encoding an ingest gives: a skip-delta against an earlier revision
                    // when that is smaller. Texts are compressed with their site's dictionary,
                    // whenever they were written.
                    let mut known = BTreeMap::new();
                    if let Some(previous) = revision.checked_sub(1).filter(|&p| p > 0) {
                        store.read_text(id, previous, &mut known)?;
                    }
                    let dict = store.site_dict(&store.article(id)?.site)?;
                    let value = chain::append(text.as_bytes(), revision, &known, dict.as_deref())?;
                    let text = store.put(&value)?;
                    if store.h().revisions.insert(key, encode_revision(&record, &text)).map_err(sto)?.is_some() {
                        return Err(repeated(number, "revision"));
                    }
                }
                Line::Sighting { id, fetch, revision } => {
                    let article = crate::id::ArticleId(unhex::<6>(&id)?);
                    sightings.push(Sighting { article, fetch, revision: crate::id::RevisionNo(revision) });
                }
                Line::Site { site, pages } => {
                    if !site_lines.insert(site.clone()) {
                        return Err(repeated(number, "site"));
                    }
                    sites.entry(site).or_default().0 = pages;
                }
                Line::Shape { site, shape, pages, owner } => {
                    let hex64 =
                        |t: &str| u64::from_str_radix(t, 16).map_err(|e| damaged(number, format!("shape: {e}")));
                    if sites.entry(site).or_default().1.insert(hex64(&shape)?, (pages, hex64(&owner)?)).is_some() {
                        return Err(repeated(number, "shape"));
                    }
                }
                Line::Rule { kind, pattern } => {
                    let kind = match kind.as_str() {
                        "drop" => super::RuleKind::Drop,
                        "keep" => super::RuleKind::Keep,
                        other => return Err(damaged(number, format!("unknown rule kind {other:?}"))),
                    };
                    if !store.insert_rule(kind, &pattern)? {
                        return Err(repeated(number, "rule"));
                    }
                }
                Line::Meta { fetch_seq } => {
                    let old =
                        store.h().meta.insert(super::write::FETCH_SEQ_KEY, encode_record(&fetch_seq)).map_err(sto)?;
                    if old.is_some() {
                        return Err(repeated(number, "meta"));
                    }
                }
            }
            tally.add(&buf);
            if number > 1 {
                summary.records += 1;
            }
        }
    }
}

/// Builds a new store at `path` with `build`, in the folder `path.EXT` beside it, moved into
/// place only once `build` succeeds (and removed when it fails), so a failed build leaves
/// nothing behind. `path` must not exist; `verb` (`restore`, `merge`) names the command.
pub(super) fn build_beside<T>(
    path: &Path,
    ext: &str,
    verb: &'static str,
    build: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    let what = if verb == "merge" { "merge target" } else { "restore target" };
    if path.exists() {
        return Err(Error::Invalid { what, detail: format!("{} already exists", path.display()) });
    }
    let staging = path.with_extension(ext);
    // Another build's, under way or interrupted: not ours to delete. Made here, at once, so two
    // builds cannot both find the name free.
    if let Some(parent) = staging.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|source| Error::Write { name: parent.display().to_string(), source })?;
    }
    match std::fs::create_dir(&staging) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Invalid {
                what,
                detail: format!(
                    "{} already exists: another {verb} is under way, or one was interrupted (remove it and try \
                     again)",
                    staging.display()
                ),
            });
        }
        Err(source) => return Err(Error::Write { name: staging.display().to_string(), source }),
    }
    match build(&staging) {
        Ok(done) => {
            std::fs::rename(&staging, path)
                .map_err(|source| Error::Write { name: path.display().to_string(), source })?;
            Ok(done)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

/// A site's knowledge as a restore reads it: its page count, and each shape's count and first
/// article, by shape (the `site` and `shape` lines; written as one value after the last line).
type RestoredSite = (u32, BTreeMap<u64, (u32, u64)>);

/// Writes dump lines, hashing each, and closes the stream with the `end` manifest.
struct DumpWriter<'a, W: Write> {
    encoder: zstd::stream::write::Encoder<'static, W>,
    tally: Tally,
    name: &'a str,
}

impl<W: Write> DumpWriter<'_, W> {
    fn emit(&mut self, line: &Line) -> Result<()> {
        let mut bytes = serde_json::to_vec(line).map_err(|e| write_error(self.name, e.into()))?;
        bytes.push(b'\n');
        self.tally.add(&bytes);
        self.encoder.write_all(&bytes).map_err(|e| write_error(self.name, e))
    }

    fn finish(mut self) -> Result<()> {
        let end = Line::End { lines: self.tally.lines, blake3: self.tally.hasher.finalize().to_hex().to_string() };
        let mut bytes = serde_json::to_vec(&end).map_err(|e| write_error(self.name, e.into()))?;
        bytes.push(b'\n');
        self.encoder.write_all(&bytes).map_err(|e| write_error(self.name, e))?;
        let mut out = self.encoder.finish().map_err(|e| write_error(self.name, e))?;
        out.flush().map_err(|e| write_error(self.name, e))
    }
}

fn write_error(name: &str, source: std::io::Error) -> Error {
    Error::Write { name: name.to_owned(), source }
}

fn bad(what: &str) -> Error {
    Error::Corrupt { what: what.to_owned(), detail: "not a valid key".into() }
}
