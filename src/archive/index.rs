//! The identity index's rule: what the store's `bands` and `aliases` hold for an article (see
//! `store::index`). The store keeps the index; this is what decides its entries, when a page is
//! stored (`write`), and when the store builds it again or checks it.

use super::sketch::Sketch;
use crate::id::ArticleId;
use crate::store::{ArticleRecord, DumpSummary, IndexEntry, IndexRule, Sample, Store, VerifyReport};

/// The rule the archive indexes articles by. Version 2 indexes every article's latest text
/// (version 1 indexed titled articles only), so an untitled article is found again by its
/// body when its page's name changes (a scrape saved under each day's date).
pub const RULE: IndexRule = IndexRule { version: 2, entry };
use crate::Result;

/// What the index holds for a stored article: the buckets of its latest text's sketch (when
/// it is long enough for one), and as aliases the title identities of its revisions' headlines that are
/// not its own identity and from which no article derives its id (an alias several articles
/// carry names the lowest id of them).
pub fn entry(store: &Store, id: ArticleId, record: &ArticleRecord) -> Result<IndexEntry> {
    let mut aliases = Vec::new();
    let mut latest_text = None;
    for revision in store.stored_revisions(id)? {
        if let Some(title) = &revision.title {
            let alias = ArticleId::title_identity(&record.site, title);
            if alias != record.identity
                && !aliases.contains(&alias)
                && super::identity::stored(store, &Default::default(), &alias)?.1.is_none()
            {
                aliases.push(alias);
            }
        }
        if revision.stored.0 == record.latest {
            latest_text = Some(store.text(&revision)?);
        }
    }
    let buckets = latest_text.and_then(|text| Sketch::of(&text)).map(|s| s.buckets);
    Ok(IndexEntry { buckets, aliases })
}

/// Checks the whole store ([`Store::verify`]) and its identity index against `entry`.
pub fn verify(store: &Store) -> Result<VerifyReport> {
    verify_with(store, None, &mut |_, _| {})
}

/// [`verify`] with a sample of the blobs and progress, as [`Store::verify_with`] takes them.
pub fn verify_with(store: &Store, sample: Option<Sample>, progress: &mut dyn FnMut(u64, u64)) -> Result<VerifyReport> {
    let mut report = store.verify_with(sample, progress)?;
    store.verify_identity_index(RULE, &mut report.problems)?;
    Ok(report)
}

/// Makes a new store at `path` from a dump read from `input` (named `name` in errors), its
/// identity index built by [`RULE`] (see [`Store::restore`]).
pub fn restore(path: &std::path::Path, input: impl std::io::Read, name: &str) -> Result<DumpSummary> {
    Store::restore(path, input, name, RULE)
}
