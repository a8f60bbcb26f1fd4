//! Checking a store end to end, and counting what it holds.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::chain;
use super::pack::stored_len;
use super::read::bad_key;
use super::read::BlobCache;
use super::records::{decode_article, decode_record, decode_revision};
use super::wholes::{start_key, MIN_SHARED};
use super::{keys, Store};
use crate::id::{ArticleId, ContentHash};
use crate::{Error, Result};

/// One thing wrong with a store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// What is damaged: `blob <hash>`, `article <id>`, `article <id> revision <n>`, `fetch <n>`.
    pub what: String,
    /// What is wrong with it.
    pub detail: String,
    /// Where the damaged value comes from, when the store still says: the article's site,
    /// title and first source, or the fetch's site and source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

/// What `verify` checked and found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// Blobs seen.
    pub blobs: u64,
    /// Blobs decompressed and re-hashed (all of them unless sampling).
    pub blobs_hashed: u64,
    /// Fetch records decoded.
    pub fetches: u64,
    /// Article records decoded.
    pub articles: u64,
    /// Revision records decoded.
    pub revisions: u64,
    /// Everything found wrong, in the order found.
    pub problems: Vec<Problem>,
}

/// What a store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Fetches (pages read, counting re-reads).
    pub fetches: u64,
    /// Distinct raw pages.
    pub pages: u64,
    /// Articles.
    pub articles: u64,
    /// Revisions.
    pub revisions: u64,
    /// Bytes of the distinct raw pages.
    pub raw_bytes: u64,
    /// Bytes of all revision texts.
    pub text_bytes: u64,
    /// Bytes of all blob, text and dictionary values as stored (compressed).
    pub stored_bytes: u64,
    /// Of `stored_bytes`, the raw pages' (blob values).
    pub stored_raw_bytes: u64,
    /// Of `stored_bytes`, the revision texts'.
    pub stored_text_bytes: u64,
    /// Trained zstd dictionaries.
    pub dictionaries: u64,
    /// Their bytes (included in `stored_bytes`).
    pub dictionary_bytes: u64,
    /// The store's size on disk, every file included.
    pub disk_bytes: u64,
}

/// How thoroughly `verify` reads blobs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// The share of blobs to decompress and re-hash, from 0.0 to 1.0.
    pub fraction: f64,
    /// Picks which blobs: the same seed picks the same ones.
    pub seed: u64,
}

impl Sample {
    /// Whether the blob under `hash` is in the sample.
    fn picks(&self, hash: &ContentHash) -> bool {
        let mut hasher = blake3::Hasher::new();
        hasher.update(&self.seed.to_le_bytes());
        hasher.update(&hash.0);
        let mut first = [0u8; 8];
        first.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
        (u64::from_le_bytes(first) as f64) < self.fraction.clamp(0.0, 1.0) * (u64::MAX as f64)
    }
}

impl Store {
    /// Re-reads every stored value, re-hashes every blob and checks every reference.
    /// Damage is reported as [`Problem`]s; only a failing storage engine is an `Err`.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.verify_with(None, &mut |_, _| {})
    }

    /// [`Store::verify`], re-hashing only a `sample` of the blobs when one is given (every
    /// record and reference is still checked), and calling `progress(done, total)` as blobs
    /// are read.
    pub fn verify_with(&self, sample: Option<Sample>, progress: &mut dyn FnMut(u64, u64)) -> Result<VerifyReport> {
        let mut report = VerifyReport::default();
        let total = self.h().blobs.len() as u64;
        let mut problems = Vec::new();
        let mut blobs = HashSet::new();
        let mut cache = BlobCache::default();
        for item in self.h().blobs.iter() {
            let (key, _) = item.map_err(|e| self.fail(e))?;
            report.blobs += 1;
            progress(report.blobs, total);
            match keys::fixed::<32>(&key).map(ContentHash) {
                None => problems.push(Problem::new("blobs key".into(), format!("{} bytes, not a hash", key.len()))),
                Some(hash) => {
                    blobs.insert(hash);
                    if sample.is_none_or(|s| s.picks(&hash)) {
                        report.blobs_hashed += 1;
                        if let Err(e) = self.blob_cached(&hash, &mut cache) {
                            problems.push(from_error(e));
                        }
                    }
                }
            }
        }
        self.verify_dicts(&mut problems)?;
        self.verify_sites(&mut problems)?;
        let mut referenced = HashSet::new();
        let mut latest: HashMap<ArticleId, u32> = HashMap::new();
        for item in self.h().articles.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            report.articles += 1;
            let Some(id) = keys::fixed::<6>(&key).map(ArticleId) else {
                problems.push(from_error(bad_key("articles", &key)));
                continue;
            };
            match decode_article(&|| format!("article {id}"), &value) {
                Ok(record) => {
                    // An id is derived from the identity (a format-2 record derives the identity
                    // from the title): a mismatch means the record, or the folding, changed.
                    if !(0..=u8::MAX).any(|attempt| ArticleId::derive(&record.identity, attempt) == id) {
                        problems.push(Problem::new(
                            format!("article {id}"),
                            format!("its identity {:?} does not derive its id", record.identity),
                        ));
                    }
                    latest.insert(id, record.latest);
                }
                Err(e) => problems.push(from_error(e)),
            }
        }
        let mut revisions_seen: HashMap<ArticleId, Vec<(u32, ContentHash)>> = HashMap::new();
        // Each revision's text value (a pointer).
        let mut revision_values: HashMap<(ArticleId, u32), Vec<u8>> = HashMap::new();
        // The first revision (in key order) holding each text value.
        let mut holders: HashMap<Vec<u8>, (ArticleId, u32)> = HashMap::new();
        for item in self.h().revisions.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            report.revisions += 1;
            let Some((id, number)) = keys::split_revision(&key) else {
                problems.push(from_error(bad_key("revisions", &key)));
                continue;
            };
            let what = format!("article {id} revision {number}");
            match decode_revision(&|| what.clone(), &value) {
                Ok((record, text)) => {
                    revision_values.insert((id, number), text.clone());
                    holders.entry(text).or_insert((id, number));
                    if !latest.contains_key(&id) {
                        problems.push(Problem::new(what, "belongs to no article".into()));
                    }
                    revisions_seen.entry(id).or_default().push((number, ContentHash(record.hash)));
                }
                Err(e) => problems.push(from_error(e)),
            }
        }
        let mut ids: Vec<&ArticleId> = latest.keys().collect();
        ids.sort();
        let texts = Texts { values: &revision_values, holders: &holders };
        for id in ids {
            let n = latest[id];
            let have = revisions_seen.get(id).map(Vec::as_slice).unwrap_or_default();
            let numbers: Vec<u32> = have.iter().map(|(number, _)| *number).collect();
            // The newest revision is stored last unless backfills were placed before it.
            let count = (numbers.len() as u32).max(n);
            if numbers != (1..=count).collect::<Vec<u32>>() {
                problems.push(Problem::new(
                    format!("article {id}"),
                    format!("has revisions {numbers:?}, expected 1..={count}"),
                ));
            }
            self.verify_texts(*id, have, &texts, &mut problems)?;
        }
        self.verify_wholes(&holders, &mut problems)?;
        let mut max_seq: Option<u64> = None;
        for item in self.h().fetches.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let (first, records) = match super::fetches::decode_pack(&key, &value) {
                Ok(pack) => pack,
                Err(e) => {
                    problems.push(from_error(e));
                    continue;
                }
            };
            if max_seq.is_some_and(|last| first <= last) {
                problems.push(Problem::new(
                    format!("fetches from {first}"),
                    format!("overlaps the pack before it, which ends at fetch {}", max_seq.unwrap_or(0)),
                ));
            }
            for (seq, record) in super::fetches::numbered(first, records) {
                report.fetches += 1;
                max_seq = max_seq.max(Some(seq));
                let what = format!("fetch {seq}");
                let raw = ContentHash(record.raw);
                referenced.insert(raw);
                if !blobs.contains(&raw) {
                    problems.push(Problem::new(what.clone(), format!("its raw page blob {raw} is missing")));
                }
                for (id, rev) in record.articles {
                    let id = ArticleId(id);
                    if !revisions_seen.get(&id).is_some_and(|revs| revs.iter().any(|(n, _)| *n == rev)) {
                        problems.push(Problem::new(
                            what.clone(),
                            format!("names article {id} revision {rev}, which is missing"),
                        ));
                    }
                }
            }
        }
        for item in self.h().heads.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let what = format!("head {}", String::from_utf8_lossy(&key).replace('\0', "/"));
            match decode_record::<[u8; 32]>(&|| what.clone(), &value) {
                Ok(hash) if blobs.contains(&ContentHash(hash)) => {}
                Ok(hash) => {
                    problems.push(Problem::new(what, format!("names blob {}, which is missing", ContentHash(hash))));
                }
                Err(e) => problems.push(from_error(e)),
            }
        }
        if let Err(e) = self.check_format(false) {
            problems.push(match e {
                Error::Corrupt { .. } => from_error(e),
                other => Problem::new("meta schema".into(), other.to_string()),
            });
        }
        match self.fetch_seq() {
            Ok(next) if report.fetches > 0 && max_seq.is_some_and(|m| m >= next) => {
                problems.push(Problem::new(
                    "meta fetch_seq".into(),
                    format!("is {next}, but fetch {} exists", max_seq.unwrap_or(0)),
                ));
            }
            Ok(_) => {}
            Err(e) => problems.push(from_error(e)),
        }
        let mut orphans: Vec<&ContentHash> = blobs.difference(&referenced).collect();
        orphans.sort();
        for hash in orphans {
            problems.push(Problem::new(format!("blob {hash}"), "referenced by no fetch or revision".into()));
        }
        self.add_context(&mut problems);
        report.problems = problems;
        Ok(report)
    }

    /// Checks every dictionary record, and that each site's dictionary exists.
    fn verify_dicts(&self, problems: &mut Vec<Problem>) -> Result<()> {
        let mut ids = HashSet::new();
        for item in self.dicts_all() {
            match item {
                Ok((id, _)) => {
                    ids.insert(id);
                }
                Err(e @ Error::Corrupt { .. }) => problems.push(from_error(e)),
                Err(e) => return Err(e),
            }
        }
        for item in self.site_dicts_all().chain(self.pending_all().map(|p| p.map(|(site, _)| (site, 0)))) {
            match item {
                Ok((site, id)) if id != 0 && !ids.contains(&id) => {
                    problems.push(Problem::new(
                        format!("site {site} dictionary"),
                        format!("names dictionary {id}, which is missing"),
                    ));
                }
                Ok(_) => {}
                Err(e @ Error::Corrupt { .. }) => problems.push(from_error(e)),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Checks every `wholes` entry: a revision holds its pointer, the value there is a text
    /// stored whole, and the entry's key is that text's start key (the revision's text is checked
    /// against its hash with the revision's).
    fn verify_wholes(&self, holders: &HashMap<Vec<u8>, (ArticleId, u32)>, problems: &mut Vec<Problem>) -> Result<()> {
        for item in self.h().wholes.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let start = keys::fixed::<32>(&key);
            let what =
                format!("wholes key {}", start.map_or_else(|| format!("{key:?}"), |h| ContentHash(h).to_string()));
            if start.is_none() || !holders.contains_key(value.as_ref()) {
                problems.push(Problem::new(what, "names a text value no revision holds".into()));
                continue;
            }
            match chain::decode_whole(&value, &|d| self.dict(d), &|p| self.base_value(p)) {
                Ok(text) if text.len() >= MIN_SHARED && start == Some(start_key(&text)) => {}
                Ok(_) => {
                    problems.push(Problem::new(what, "names a text value whose start it is not the key of".into()));
                }
                Err(Error::Corrupt { what: text, detail }) => {
                    problems.push(Problem::new(
                        what,
                        format!("names {text}, which does not read as a whole text: {detail}"),
                    ));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Decodes every site's learned chrome where its `sites` record points.
    fn verify_sites(&self, problems: &mut Vec<Problem>) -> Result<()> {
        problems.extend(self.check_site_files()?.into_iter().map(from_error));
        Ok(())
    }

    /// Decodes an article's texts newest first, each through what it refers to (a text decoded
    /// once serves every revision that refers to it), and checks every text against its
    /// revision's hash. A text stored as a delta against another article's (kind 5) that does
    /// not read back names that text too, and one whose base no revision holds is reported.
    fn verify_texts(
        &self,
        id: ArticleId,
        revisions: &[(u32, ContentHash)],
        texts: &Texts<'_>,
        problems: &mut Vec<Problem>,
    ) -> Result<()> {
        let mut known = BTreeMap::new();
        for (number, hash) in revisions.iter().rev() {
            let what = || format!("article {id} revision {number} text");
            let read = self.read_text(id, *number, &mut known).and_then(|text| chain::check(&what, text, hash));
            let base = texts.base(self, id, *number);
            let base_named = base.as_ref().map(|base| match texts.holders.get(base) {
                Some((holder, n)) => (true, format!("the text of article {holder} revision {n}")),
                None => (false, format!("{}, which no revision holds", chain::describe_base(base))),
            });
            match (read, base_named) {
                (Ok(()), None | Some((true, _))) => {}
                (Ok(()), Some((false, base))) => {
                    problems.push(Problem::new(what(), format!("is stored as a delta against {base}")));
                }
                (Err(Error::Corrupt { what, detail }), Some((_, base))) => {
                    problems.push(Problem::new(what, format!("{detail} (it is stored as a delta against {base})")));
                }
                (Err(e @ Error::Corrupt { .. }), None) => problems.push(from_error(e)),
                (Err(e), _) => return Err(e),
            }
        }
        Ok(())
    }

    /// Counts what the store holds.
    pub fn stats(&self) -> Result<Stats> {
        let mut stats = Stats::default();
        let mut raws = HashSet::new();
        for item in self.fetch_records() {
            let (_, record) = item?;
            stats.fetches += 1;
            if raws.insert(record.raw) {
                stats.raw_bytes += record.raw_len;
            }
        }
        stats.pages = raws.len() as u64;
        stats.articles = self.h().articles.len() as u64;
        let mut shared = HashSet::new();
        for item in self.h().revisions.iter() {
            let (key, value) = item.map_err(|e| self.fail(e))?;
            let (record, text) = decode_revision(&|| format!("revision key {key:?}"), &value)?;
            stats.revisions += 1;
            stats.text_bytes += record.len;
            // A text stored once for several revisions (`wholes`) counts once.
            if shared.insert(text.clone()) {
                stats.stored_text_bytes += stored_len(&text);
            }
        }
        for item in self.h().blobs.iter() {
            let (_, value) = item.map_err(|e| self.fail(e))?;
            stats.stored_raw_bytes += stored_len(&value);
        }
        (stats.dictionaries, stats.dictionary_bytes) = self.dictionary_stats()?;
        stats.stored_bytes = stats.stored_raw_bytes + stats.stored_text_bytes + self.dictionary_stored_bytes()?;
        stats.disk_bytes = self.h().db.size_on_disk().map_err(|e| self.fail(e))? + self.pack.mark();
        Ok(stats)
    }
}

impl Store {
    /// Names where each problem's value comes from, as far as the undamaged records say:
    /// an article's site, title and first source; a fetch's or a raw page's site and source;
    /// the article whose revision or text it is.
    fn add_context(&self, problems: &mut [Problem]) {
        let mut blobs: HashMap<ContentHash, Vec<usize>> = HashMap::new();
        let mut fetches: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, problem) in problems.iter_mut().enumerate() {
            let mut words = problem.what.split(' ');
            problem.context = match (words.next(), words.next()) {
                (Some("article"), Some(id)) => ArticleId::parse(id).and_then(|id| self.article(id).ok()).map(|a| {
                    let title = a.title.as_deref().unwrap_or("(untitled)");
                    format!("site {}, {title:?}, first from {}", a.site, a.source)
                }),
                (Some("fetch"), Some(seq)) => {
                    if let Ok(seq) = seq.parse::<u64>() {
                        fetches.entry(seq).or_default().push(i);
                    }
                    None
                }
                (Some("blob"), Some(hash)) => {
                    if let Some(hash) = ContentHash::from_hex(hash) {
                        blobs.entry(hash).or_default().push(i);
                    }
                    None
                }
                _ => None,
            };
        }
        if blobs.is_empty() && fetches.is_empty() {
            return;
        }
        // One pass over the fetches names every damaged raw page and fetch.
        for (seq, fetch) in self.fetch_records().flatten() {
            if let Some(at) = blobs.remove(&ContentHash(fetch.raw)) {
                for i in at {
                    problems[i].context = Some(format!("raw page of site {}, {}", fetch.site, fetch.source));
                }
            }
            if let Some(at) = fetches.remove(&seq) {
                for i in at {
                    problems[i].context = Some(format!("site {}, {}", fetch.site, fetch.source));
                }
            }
        }
    }
}

/// What [`Store::verify_texts`] needs to name the base of a text stored as a delta against
/// another article's (kind 5).
struct Texts<'a> {
    /// Each revision's text value (a pointer).
    values: &'a HashMap<(ArticleId, u32), Vec<u8>>,
    /// The first revision holding each text value.
    holders: &'a HashMap<Vec<u8>, (ArticleId, u32)>,
}

impl Texts<'_> {
    /// The pointer to the base of revision `number` of article `id`, when its text is stored as
    /// a delta against another article's (a value that does not read has none: its read fails).
    fn base(&self, store: &Store, id: ArticleId, number: u32) -> Option<Vec<u8>> {
        let pointer = self.values.get(&(id, number))?;
        let value = store.stored(&|| format!("article {id} revision {number} text"), pointer).ok()?;
        chain::shared_base(&value).map(<[u8]>::to_vec)
    }
}

impl Problem {
    pub(super) fn new(what: String, detail: String) -> Problem {
        Problem { what, detail, context: None }
    }
}

fn from_error(e: Error) -> Problem {
    match e {
        Error::Corrupt { what, detail } => Problem::new(what, detail),
        other => Problem::new("store".into(), other.to_string()),
    }
}
