//! What each page shows, read from a snapshot: the one place `serve` reads the store. The rows
//! and documents are the library's (`vellum::report`), the ones the command line prints, so a
//! page's JSON is the JSON of the command it stands for.

use serde::Serialize;
use time::OffsetDateTime;
use vellum::diff::{word_counts, word_diff, Op};
use vellum::export::{rfc3339, Record};
use vellum::id::{ArticleId, RevisionNo};
use vellum::report::{self, ChangeRow, ListRow, LogRow};
use vellum::store::{ArticleInfo, RevisionInfo};
use vellum::Result;

use super::archive::Snapshot;

/// One site on the sites page (and in its JSON).
#[derive(Debug, Serialize)]
pub struct SiteRow {
    /// The site.
    pub site: String,
    /// Its articles.
    pub articles: u64,
    /// Their revisions.
    pub revisions: u64,
    /// Its articles whose latest revision was first seen in the last 7 days.
    pub changed_7d: u64,
    /// When its latest change was first seen, RFC 3339.
    pub last_changed: String,
}

/// Every site, by name, with counts; and how many articles were left out for damage.
pub fn sites(snapshot: &Snapshot, now: OffsetDateTime) -> Result<(Vec<SiteRow>, u64)> {
    let catalog = &snapshot.catalog;
    let recent = rfc3339(now - time::Duration::days(7));
    let mut sites: std::collections::BTreeMap<&str, SiteRow> = std::collections::BTreeMap::new();
    for row in &catalog.rows {
        let site = sites.entry(&row.site).or_insert_with(|| SiteRow {
            site: row.site.clone(),
            articles: 0,
            revisions: 0,
            changed_7d: 0,
            last_changed: String::new(),
        });
        site.articles += 1;
        site.revisions += u64::from(row.revision);
        // RFC 3339 in UTC to the second: text order is time order.
        if row.last_changed >= recent {
            site.changed_7d += 1;
        }
        if row.last_changed > site.last_changed {
            site.last_changed.clone_from(&row.last_changed);
        }
    }
    Ok((sites.into_values().collect(), catalog.damaged))
}

/// How a site's articles are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// By headline.
    Title,
    /// By the article's date.
    Date,
    /// By number of revisions.
    Revisions,
    /// By last change.
    Changed,
    /// By first sighting.
    Seen,
}

impl Sort {
    /// Every order, with its name in URLs and its column heading.
    pub const ALL: [(Sort, &'static str, &'static str); 5] = [
        (Sort::Title, "title", "Title"),
        (Sort::Date, "date", "Date"),
        (Sort::Revisions, "revisions", "Revisions"),
        (Sort::Changed, "changed", "Last change"),
        (Sort::Seen, "seen", "First seen"),
    ];

    /// The order named `name`.
    pub fn parse(name: &str) -> Option<Sort> {
        Sort::ALL.iter().find(|(_, n, _)| *n == name).map(|(s, _, _)| *s)
    }

    /// Its name in URLs.
    pub fn name(self) -> &'static str {
        Sort::ALL.iter().find(|(s, _, _)| *s == self).map_or("changed", |(_, n, _)| n)
    }
}

/// A site's articles whose headline holds `search` (ignoring case), in `sort` order; `None`
/// when the store has no such site.
pub fn site_articles(
    snapshot: &Snapshot,
    site: &str,
    search: Option<&str>,
    sort: Sort,
    descending: bool,
) -> Result<Option<Vec<ListRow>>> {
    let mut found = false;
    let needle = search.map(str::to_lowercase).filter(|s| !s.trim().is_empty());
    let mut out: Vec<ListRow> = Vec::new();
    for row in snapshot.catalog.rows.iter().filter(|r| r.site == site) {
        found = true;
        let title = row.title.as_deref().unwrap_or("");
        if needle.as_ref().is_none_or(|n| title.to_lowercase().contains(n.trim())) {
            out.push(row.clone());
        }
    }
    if !found {
        return Ok(None);
    }
    // Every order ends in id order, so equal keys keep one order.
    match sort {
        Sort::Title => out.sort_by(|a, b| {
            (a.title.as_deref().map(str::to_lowercase), &a.id).cmp(&(b.title.as_deref().map(str::to_lowercase), &b.id))
        }),
        Sort::Date => out.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id))),
        Sort::Revisions => out.sort_by(|a, b| (a.revision, &a.id).cmp(&(b.revision, &b.id))),
        Sort::Changed => out.sort_by(|a, b| (&a.last_changed, &a.id).cmp(&(&b.last_changed, &b.id))),
        Sort::Seen => out.sort_by(|a, b| (&a.first_seen, &a.id).cmp(&(&b.first_seen, &b.id))),
    }
    if descending {
        out.reverse();
    }
    Ok(Some(out))
}

/// One revision on an article's timeline.
#[derive(Debug)]
pub struct TimelineRow {
    /// The revision as `log` gives it.
    pub log: LogRow,
    /// Words in its text.
    pub words: usize,
    /// Words added and removed against the revision before.
    pub added: usize,
    /// Words removed against the revision before.
    pub removed: usize,
    /// Pages it was seen in.
    pub sightings: usize,
    /// Its headline differs from the revision before's.
    pub headline_changed: bool,
}

/// An article's page: a revision's record, the timeline, the sightings.
pub struct ArticleView {
    /// The shown revision's record, as `show ID[@REV] --format json` prints it.
    pub record: Record,
    /// Every revision, oldest first.
    pub timeline: Vec<TimelineRow>,
    /// Every page it was seen in, as `show --sightings --format json` prints them.
    pub sightings: Vec<serde_json::Value>,
}

/// The article's JSON: its record, its revisions as `log` prints them, its sightings.
#[derive(Serialize)]
pub struct ArticleJson<'a> {
    /// As `show ID --format json`.
    pub article: &'a Record,
    /// As `log ID --format json`.
    pub revisions: Vec<&'a LogRow>,
    /// As `show ID --sightings --format json`.
    pub sightings: &'a [serde_json::Value],
}

impl ArticleView {
    /// The page's JSON.
    pub fn json(&self) -> ArticleJson<'_> {
        ArticleJson {
            article: &self.record,
            revisions: self.timeline.iter().map(|t| &t.log).collect(),
            sightings: &self.sightings,
        }
    }
}

/// Article `id` (an id or a unique prefix) with revision `rev` shown (default: the latest).
pub fn article(snapshot: &Snapshot, id: &str, rev: Option<u32>) -> Result<ArticleView> {
    let store = &snapshot.store;
    let id = store.resolve(id)?;
    let record = report::show_record(store, id, rev)?;
    let revisions = store.revisions(id)?;
    let sightings = report::sightings(store, id)?;
    let logs = report::log_rows(store, &revisions, false)?;
    let mut timeline = Vec::with_capacity(revisions.len());
    let mut previous: Option<(&RevisionInfo, String)> = None;
    for (revision, log) in revisions.iter().zip(logs) {
        let text = store.text(revision)?;
        let (added, removed, headline_changed) = match &previous {
            Some((before, old)) => {
                let (added, removed) = word_counts(&word_diff(old, &text));
                (added, removed, before.title != revision.title)
            }
            None => (text.split_whitespace().count(), 0, false),
        };
        let seen = sightings.iter().filter(|s| s["revision"].as_u64() == Some(u64::from(revision.number.0))).count();
        timeline.push(TimelineRow {
            log,
            words: text.split_whitespace().count(),
            added,
            removed,
            sightings: seen,
            headline_changed,
        });
        previous = Some((revision, text));
    }
    Ok(ArticleView { record, timeline, sightings })
}

/// Revision `rev` of article `id`, as `show ID@REV --format json` prints it.
pub fn revision(snapshot: &Snapshot, id: &str, rev: u32) -> Result<Record> {
    let id = snapshot.store.resolve(id)?;
    report::show_record(&snapshot.store, id, Some(rev))
}

/// A diff of two revisions of one article.
pub struct DiffView {
    /// The article.
    pub id: ArticleId,
    /// Its site.
    pub site: String,
    /// The older revision (as asked: it may be the newer one).
    pub old: RevisionInfo,
    /// The newer one.
    pub new: RevisionInfo,
    /// Every revision number, for choosing another pair.
    pub numbers: Vec<u32>,
    /// The word operations from the old text to the new.
    pub ops: Vec<Op>,
    /// The two headlines, when they differ.
    pub headline: Option<(Option<String>, Option<String>)>,
}

impl DiffView {
    /// The document `diff ID OLD NEW --format json` prints.
    pub fn json(&self) -> serde_json::Value {
        report::diff_json(self.id, self.old.number.0, self.new.number.0, &self.ops, self.headline.as_ref())
    }
}

/// Revisions `old` and `new` of article `id` compared (default: the pair `diff ID` compares).
pub fn diff(snapshot: &Snapshot, id: &str, old: Option<u32>, new: Option<u32>) -> Result<DiffView> {
    let store = &snapshot.store;
    let id = store.resolve(id)?;
    let article = store.article(id)?;
    let revisions = store.revisions(id)?;
    let (before, latest) = report::default_pair(&revisions, false);
    let (old, new) = match (old, new) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, latest),
        (None, Some(b)) => (b.saturating_sub(1).max(1), b),
        (None, None) => (before, latest),
    };
    let old_rev = store.revision(id, RevisionNo(old))?;
    let new_rev = store.revision(id, RevisionNo(new))?;
    let ops = word_diff(&store.text(&old_rev)?, &store.text(&new_rev)?);
    let headline = report::headline_change(&old_rev, &new_rev);
    Ok(DiffView {
        id,
        site: article.site,
        old: old_rev,
        new: new_rev,
        numbers: revisions.iter().map(|r| r.number.0).collect(),
        ops,
        headline,
    })
}

/// Every revision first seen in `[since, until)` (of one site, without the trivial ones, as
/// asked), in time order, then id, then number: the selection `Store::changes` makes (and so
/// `changes`), from the snapshot's catalog instead of the store.
fn in_window<'c>(
    snapshot: &'c Snapshot,
    since: OffsetDateTime,
    until: Option<OffsetDateTime>,
    site: Option<&str>,
    ignore_trivial: bool,
) -> Vec<(&'c ArticleInfo, &'c RevisionInfo)> {
    let articles = &snapshot.catalog.articles;
    let mut out: Vec<(&ArticleInfo, &RevisionInfo)> = snapshot
        .catalog
        .revisions
        .iter()
        .map(|(index, revision)| (&articles[*index], revision))
        .filter(|(article, revision)| {
            site.is_none_or(|s| s == article.site)
                && revision.first_seen >= since
                && until.is_none_or(|u| revision.first_seen < u)
                && !(ignore_trivial && revision.trivial)
        })
        .collect();
    out.sort_by_key(|(article, revision)| (revision.first_seen, article.id, revision.number));
    out
}

/// Every change in the window, as `changes --format json` prints them (oldest first).
pub fn changes(
    snapshot: &Snapshot,
    since: OffsetDateTime,
    until: Option<OffsetDateTime>,
    site: Option<&str>,
    ignore_trivial: bool,
) -> Result<Vec<ChangeRow>> {
    in_window(snapshot, since, until, site, ignore_trivial)
        .into_iter()
        .map(|(article, revision)| report::change_row(&snapshot.store, article.clone(), revision.clone()))
        .collect()
}

/// Page `page` (from 1) of the changes in the window, `per_page` to a page, newest first, and
/// how many there are in all: the words of only those shown are counted.
pub fn newest_changes(
    snapshot: &Snapshot,
    since: OffsetDateTime,
    until: Option<OffsetDateTime>,
    site: Option<&str>,
    ignore_trivial: bool,
    page: usize,
    per_page: usize,
) -> Result<(Vec<ChangeRow>, usize)> {
    let all = in_window(snapshot, since, until, site, ignore_trivial);
    let total = all.len();
    let skip = page.saturating_sub(1).saturating_mul(per_page);
    let rows = all
        .into_iter()
        .rev()
        .skip(skip)
        .take(per_page)
        .map(|(article, revision)| report::change_row(&snapshot.store, article.clone(), revision.clone()))
        .collect::<Result<_>>()?;
    Ok((rows, total))
}
