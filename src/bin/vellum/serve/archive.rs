//! The store as `serve` reads it: a read snapshot (`Store::open_snapshot`), replaced by a newer
//! one when the store's files have changed and nobody holds its lock. The store's lock is held
//! only while a snapshot's files are copied, so an ingest (cron's, say) into the same store
//! never finds it in use for longer than that; while an ingest runs, pages show the snapshot
//! taken before it, and the next look after it ends takes a new one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use time::OffsetDateTime;
use vellum::report::{list_row_with, ListRow};
use vellum::store::{ArticleInfo, OpenOptions, RevisionInfo, Store, StoreStamp};

/// One snapshot of the store, shared by the requests that read it; its files go when the last
/// of them is done.
pub struct Snapshot {
    /// The store as it was when the snapshot was taken.
    pub store: Store,
    /// When it was taken.
    pub taken: OffsetDateTime,
    /// The store's files as they were just before.
    stamp: StoreStamp,
    /// Every article and revision record, read once when the snapshot is taken (before it is
    /// served): the sites, site and change pages are made from it without reading the store.
    pub catalog: Catalog,
}

/// Every readable article's records, in id order.
pub struct Catalog {
    /// Each article as `list` gives it.
    pub rows: Vec<ListRow>,
    /// Each article's record, in the order of `rows`.
    pub articles: Vec<ArticleInfo>,
    /// Every revision record, with the index of its article in `articles`; in id order, then
    /// number order.
    pub revisions: Vec<(usize, RevisionInfo)>,
    /// Articles left out because their records are damaged (`vellum verify` says more).
    pub damaged: u64,
}

impl Catalog {
    /// Reads every article and revision record of `store`: one pass, made while the previous
    /// snapshot goes on serving.
    fn read(store: &Store) -> vellum::Result<Catalog> {
        let mut catalog = Catalog { rows: Vec::new(), articles: Vec::new(), revisions: Vec::new(), damaged: 0 };
        for article in store.articles() {
            let read = article.and_then(|a| {
                let revisions = store.revisions(a.id)?;
                let row = match revisions.last() {
                    Some(latest) => list_row_with(&a, latest),
                    None => list_row_with(&a, &store.latest_revision(a.id)?),
                };
                Ok((a, revisions, row))
            });
            match read {
                Ok((article, revisions, row)) => {
                    let index = catalog.articles.len();
                    catalog.revisions.extend(revisions.into_iter().map(|r| (index, r)));
                    catalog.articles.push(article);
                    catalog.rows.push(row);
                }
                Err(e) if e.is_damage() => catalog.damaged += 1,
                Err(e) => return Err(e),
            }
        }
        catalog.damaged += store.articles_without_record()?.len() as u64;
        Ok(catalog)
    }
}

/// The store being served.
pub struct Archive {
    path: PathBuf,
    current: RwLock<Arc<Snapshot>>,
    /// Held while a new snapshot is taken, so that two are never taken at once.
    refreshing: Mutex<()>,
    now: fn() -> anyhow::Result<OffsetDateTime>,
}

impl Archive {
    /// Takes the first snapshot, waiting up to `lock_timeout` for the store's lock.
    pub fn open(
        path: &Path,
        lock_timeout: Duration,
        now: fn() -> anyhow::Result<OffsetDateTime>,
    ) -> anyhow::Result<Archive> {
        let (snapshot, _) = take(path, lock_timeout, now)?;
        Ok(Archive { path: path.to_owned(), current: RwLock::new(Arc::new(snapshot)), refreshing: Mutex::new(()), now })
    }

    /// The newest snapshot.
    pub fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Takes a new snapshot if the store's files have changed since the current one was taken
    /// and nobody holds the store's lock; if it did, how long it held the lock and how long the
    /// snapshot took. A store being written (its lock held) is left alone: the next look tries
    /// again.
    pub fn refresh(&self) -> anyhow::Result<Option<(Duration, Duration)>> {
        let _one = self.refreshing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if StoreStamp::of(&self.path) == self.current().stamp {
            return Ok(None);
        }
        let started = std::time::Instant::now();
        match take(&self.path, Duration::ZERO, self.now) {
            Ok((snapshot, held)) => {
                let old = {
                    let mut current = self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner);
                    std::mem::replace(&mut *current, Arc::new(snapshot))
                };
                let took = started.elapsed();
                // Closing the old snapshot (sled, its copied files) happens outside the lock, here
                // or after the last request still reading it.
                drop(old);
                Ok(Some((held, took)))
            }
            Err(e) if matches!(e.downcast_ref(), Some(vellum::Error::StoreInUse { .. })) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A new snapshot, and how long the store's lock was held for it.
fn take(
    path: &Path,
    lock_timeout: Duration,
    now: fn() -> anyhow::Result<OffsetDateTime>,
) -> anyhow::Result<(Snapshot, Duration)> {
    let stamp = StoreStamp::of(path);
    // sled's page cache as `export` has it: pages read whole records at random.
    let options = OpenOptions { lock_timeout, cache_bytes: 64 << 20, ..Default::default() };
    let (store, held) = Store::open_snapshot_timed(path, &options)?;
    let catalog = Catalog::read(&store)?;
    Ok((Snapshot { store, taken: now()?, stamp, catalog }, held))
}
