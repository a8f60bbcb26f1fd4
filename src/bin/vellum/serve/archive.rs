//! The store as `serve` reads it: a read snapshot (`Store::open_snapshot`), replaced by a newer
//! one when the store's files have changed and nobody holds its lock. The store's lock is held
//! only while a snapshot's files are copied, so an ingest (cron's, say) into the same store
//! never finds it in use for longer than that; while an ingest runs, pages show the snapshot
//! taken before it, and the next look after it ends takes a new one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use time::OffsetDateTime;
use vellum::report::{list_row, ListRow};
use vellum::store::{OpenOptions, Store, StoreStamp};

/// One snapshot of the store, shared by the requests that read it; its files go when the last
/// of them is done.
pub struct Snapshot {
    /// The store as it was when the snapshot was taken.
    pub store: Store,
    /// When it was taken.
    pub taken: OffsetDateTime,
    /// The store's files as they were just before.
    stamp: StoreStamp,
    /// Every article as `list` gives it, read once per snapshot: the sites and site pages are
    /// made from it.
    rows: Mutex<Option<Arc<Rows>>>,
}

/// Every readable article's list row, in id order, and how many were left out for damage.
pub struct Rows {
    /// The rows.
    pub rows: Vec<ListRow>,
    /// Articles left out because their records are damaged (`vellum verify` says more).
    pub damaged: u64,
}

impl Snapshot {
    /// Every article's list row (read on first use, then kept with the snapshot).
    pub fn rows(&self) -> vellum::Result<Arc<Rows>> {
        let mut kept = self.rows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(rows) = kept.as_ref() {
            return Ok(Arc::clone(rows));
        }
        let mut rows = Vec::new();
        let mut damaged = 0;
        for article in self.store.articles() {
            match article.and_then(|a| list_row(&self.store, a)) {
                Ok(row) => rows.push(row),
                Err(e) if e.is_damage() => damaged += 1,
                Err(e) => return Err(e),
            }
        }
        damaged += self.store.articles_without_record()?.len() as u64;
        let rows = Arc::new(Rows { rows, damaged });
        *kept = Some(Arc::clone(&rows));
        Ok(rows)
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
        let snapshot = take(path, lock_timeout, now)?;
        Ok(Archive { path: path.to_owned(), current: RwLock::new(Arc::new(snapshot)), refreshing: Mutex::new(()), now })
    }

    /// The newest snapshot.
    pub fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Takes a new snapshot if the store's files have changed since the current one was taken
    /// and nobody holds the store's lock; whether it did. A store being written (its lock held)
    /// is left alone: the next look tries again.
    pub fn refresh(&self) -> anyhow::Result<bool> {
        let _one = self.refreshing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if StoreStamp::of(&self.path) == self.current().stamp {
            return Ok(false);
        }
        match take(&self.path, Duration::ZERO, self.now) {
            Ok(snapshot) => {
                *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(snapshot);
                Ok(true)
            }
            Err(e) if matches!(e.downcast_ref(), Some(vellum::Error::StoreInUse { .. })) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

fn take(path: &Path, lock_timeout: Duration, now: fn() -> anyhow::Result<OffsetDateTime>) -> anyhow::Result<Snapshot> {
    let stamp = StoreStamp::of(path);
    let store = Store::open_snapshot(path, &OpenOptions { lock_timeout, ..Default::default() })?;
    Ok(Snapshot { store, taken: now()?, stamp, rows: Mutex::new(None) })
}
