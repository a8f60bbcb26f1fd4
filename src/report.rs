//! What the reading commands report, built from a store: the rows `list`, `log`, `changes` and
//! `show --sightings` print and the document `diff --format json` prints. The command line and
//! `vellum serve` both build their JSON here, so the two always agree.

use serde::Serialize;

use crate::diff::{word_counts, word_diff, Op};
use crate::export::{rfc3339, stored_record, Record};
use crate::id::{ArticleId, RevisionNo};
use crate::store::{ArticleInfo, RevisionInfo, Store};
use crate::Result;

/// One article as `vellum list` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow {
    /// The article's id.
    pub id: String,
    /// Its latest revision's number (so also how many revisions it has).
    pub revision: u32,
    /// Its latest revision's date, ISO 8601.
    pub date: Option<String>,
    /// Its latest headline.
    pub title: Option<String>,
    /// Its site.
    pub site: String,
    /// When it was first seen, RFC 3339.
    pub first_seen: String,
    /// When it was last seen, RFC 3339.
    pub last_seen: String,
    /// When its latest revision was first seen (its last change), RFC 3339.
    pub last_changed: String,
}

/// `article` as `vellum list` prints it (its latest revision is read for the date).
pub fn list_row(store: &Store, article: &ArticleInfo) -> Result<ListRow> {
    let latest = store.latest_revision(article.id)?;
    Ok(list_row_with(article, &latest))
}

/// `article` as `vellum list` prints it, given its latest revision.
pub fn list_row_with(article: &ArticleInfo, latest: &RevisionInfo) -> ListRow {
    ListRow {
        id: article.id.to_string(),
        revision: latest.number.0,
        date: latest.date.map(|d| d.to_string()),
        title: article.title.clone(),
        site: article.site.clone(),
        first_seen: rfc3339(article.first_seen),
        last_seen: rfc3339(article.last_seen),
        last_changed: rfc3339(latest.first_seen),
    }
}

/// Article `id` as `vellum show ID[@REV] --format json` prints it: the export record of
/// revision `rev` (default: the latest). A revision named is the record's subject, so its own
/// sightings are the record's `first_seen` and `last_seen` (as `export --all-revisions` gives).
pub fn show_record(store: &Store, id: ArticleId, rev: Option<u32>) -> Result<Record> {
    let article = store.article(id)?;
    let revision = match rev {
        Some(rev) => store.revision(id, RevisionNo(rev))?,
        None => store.latest_revision(id)?,
    };
    let text = store.text(&revision)?;
    let mut record = stored_record(&article, &revision, text, store.is_listing(&revision)?);
    if rev.is_some() {
        record.first_seen = Some(rfc3339(revision.first_seen));
        record.last_seen = Some(rfc3339(revision.last_seen));
    }
    Ok(record)
}

/// One revision as `vellum log` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct LogRow {
    /// Its number.
    pub revision: u32,
    /// When it was first seen, RFC 3339.
    pub first_seen: String,
    /// When it was last seen, RFC 3339.
    pub last_seen: String,
    /// Its text's length in bytes.
    pub bytes: u64,
    /// Its revision hash (BLAKE3 of headline, NUL, text; see
    /// [`crate::id::ContentHash::of_revision`]), hex.
    pub hash: String,
    /// Its headline.
    pub title: Option<String>,
    /// Its date, ISO 8601.
    pub date: Option<String>,
    /// Only white space, punctuation or case changed since the revision before.
    pub trivial: bool,
}

/// `revisions` as `vellum log` prints them; with `ignore_trivial`, without the trivial ones.
/// Each text is read for its revision hash.
pub fn log_rows(store: &Store, revisions: &[RevisionInfo], ignore_trivial: bool) -> Result<Vec<LogRow>> {
    let mut rows = Vec::with_capacity(revisions.len());
    for r in revisions.iter().filter(|r| !(ignore_trivial && r.trivial)) {
        let text = store.text(r)?;
        rows.push(LogRow {
            revision: r.number.0,
            first_seen: rfc3339(r.first_seen),
            last_seen: rfc3339(r.last_seen),
            bytes: r.len,
            hash: crate::id::ContentHash::of_revision(r.title.as_deref(), &text).to_hex(),
            title: r.title.clone(),
            date: r.date.map(|d| d.to_string()),
            trivial: r.trivial,
        });
    }
    Ok(rows)
}

/// One revision in a time window, as `vellum changes` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    /// The article's id.
    pub id: String,
    /// The revision's number.
    pub revision: u32,
    /// When the revision was first seen, RFC 3339.
    pub seen: String,
    /// The article's site.
    pub site: String,
    /// The revision's headline.
    pub title: Option<String>,
    /// Words added since the revision before (every word, for a first revision).
    pub words_added: usize,
    /// Words removed since the revision before.
    pub words_removed: usize,
    /// The headline differs from the revision before's.
    pub headline_changed: bool,
    /// Only white space, punctuation or case changed.
    pub trivial: bool,
}

/// Every revision first seen in `[since, until)` (optionally of one site; with `ignore_trivial`,
/// not the trivial ones), in time order, with the words it added and removed, as `vellum
/// changes` prints them.
pub fn changes(
    store: &Store,
    since: time::OffsetDateTime,
    until: Option<time::OffsetDateTime>,
    site: Option<&str>,
    ignore_trivial: bool,
) -> Result<Vec<ChangeRow>> {
    let mut rows = Vec::new();
    for (article, revision) in store.changes(since, until, site)? {
        if ignore_trivial && revision.trivial {
            continue;
        }
        rows.push(change_row(store, article, revision)?);
    }
    Ok(rows)
}

/// One revision as `vellum changes` prints it: the words it added and removed against the
/// revision before, and whether it changed the headline.
pub fn change_row(store: &Store, article: ArticleInfo, revision: RevisionInfo) -> Result<ChangeRow> {
    let new = store.text(&revision)?;
    let (added, removed, headline_changed) = match revision.number.0.checked_sub(1).filter(|&n| n > 0) {
        Some(previous) => {
            let previous = store.revision(article.id, RevisionNo(previous))?;
            let (added, removed) = word_counts(&word_diff(&store.text(&previous)?, &new));
            (added, removed, previous.title != revision.title)
        }
        None => (new.split_whitespace().count(), 0, false),
    };
    Ok(ChangeRow {
        id: article.id.to_string(),
        revision: revision.number.0,
        seen: rfc3339(revision.first_seen),
        site: article.site,
        title: revision.title,
        words_added: added,
        words_removed: removed,
        headline_changed,
        trivial: revision.trivial,
    })
}

/// Every page article `id` was seen in, oldest first, as `vellum show --sightings` prints them:
/// when, at which revision, and where.
pub fn sightings(store: &Store, id: ArticleId) -> Result<Vec<serde_json::Value>> {
    Ok(store
        .sightings(id)?
        .into_iter()
        .map(|(fetch, rev)| {
            serde_json::json!({
                "fetched_at": rfc3339(fetch.fetched_at),
                "revision": rev.0,
                "fetch": fetch.seq,
                "url": fetch.url,
                "source": fetch.source,
                "page": fetch.raw.to_hex(),
            })
        })
        .collect())
}

/// The pair of revisions `vellum diff ID` compares when none is named: the latest and the one
/// before it (with `ignore_trivial`, skipping those that changed only white space, punctuation
/// or case; revision 1 always counts). One revision alone is compared with itself.
pub fn default_pair(revisions: &[RevisionInfo], ignore_trivial: bool) -> (u32, u32) {
    let counted: Vec<u32> = revisions.iter().filter(|r| !(ignore_trivial && r.trivial)).map(|r| r.number.0).collect();
    let latest = counted.last().copied().unwrap_or(1);
    (counted.iter().copied().filter(|&n| n < latest).max().unwrap_or(latest), latest)
}

/// The headlines of two revisions when they differ.
pub fn headline_change(old: &RevisionInfo, new: &RevisionInfo) -> Option<(Option<String>, Option<String>)> {
    (old.title != new.title).then(|| (old.title.clone(), new.title.clone()))
}

/// The document `vellum diff --format json` prints: the article, the two revision numbers, the
/// word operations, and the two headlines when they differ.
pub fn diff_json(
    id: ArticleId,
    old: u32,
    new: u32,
    ops: &[Op],
    headline: Option<&(Option<String>, Option<String>)>,
) -> serde_json::Value {
    let mut doc = serde_json::json!({ "id": id.to_string(), "old": old, "new": new, "ops": ops });
    if let Some((old_title, new_title)) = headline {
        doc["headline"] = serde_json::json!({ "old": old_title, "new": new_title });
    }
    doc
}
