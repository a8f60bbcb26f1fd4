//! Where ingest time goes: per-stage counters of the time threads spent in each stage (clock
//! time from entering to leaving it, summed over threads: on a machine with fewer free cores
//! than threads, time spent waiting for a core counts too), for `vellum ingest --timings` and
//! the benchmark suite.
//!
//! Counting is off until [`enable`] is called; then each timed stage costs two clock reads.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A stage of the ingest pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading inputs: files, folders, decompression, WARC and JSON Lines records.
    Read,
    /// Decoding a page's text, and rendering HTML as text.
    Text,
    /// Cleaning (boilerplate removal).
    Clean,
    /// Splitting into articles.
    Split,
    /// Counting the page's line shapes toward its site's chrome.
    Learn,
    /// BLAKE3 content hashes (part of `Store`).
    Hash,
    /// zstd compression of raw pages and texts, deltas included (part of `Store`).
    Compress,
    /// Training zstd dictionaries (part of `Store`).
    Train,
    /// Storing a page: records, hashing, compressing, the sled transaction.
    Store,
    /// Making the store durable.
    Flush,
}

impl Stage {
    /// Every stage, in pipeline order (the parts of `Store` after it).
    pub const ALL: [Stage; 10] = [
        Stage::Read,
        Stage::Text,
        Stage::Clean,
        Stage::Split,
        Stage::Learn,
        Stage::Store,
        Stage::Hash,
        Stage::Compress,
        Stage::Train,
        Stage::Flush,
    ];

    /// The stage's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Text => "text",
            Stage::Clean => "clean",
            Stage::Split => "split",
            Stage::Learn => "learn",
            Stage::Hash => "hash",
            Stage::Compress => "compress",
            Stage::Train => "train",
            Stage::Store => "store",
            Stage::Flush => "flush",
        }
    }

    /// Whether the stage's time is also counted in [`Stage::Store`].
    pub fn within_store(self) -> bool {
        matches!(self, Stage::Hash | Stage::Compress | Stage::Train)
    }
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; Stage::ALL.len()] = [const { AtomicU64::new(0) }; Stage::ALL.len()];

/// Starts counting.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Runs `f`, counting its time toward `stage` when counting is on.
#[inline]
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return f();
    }
    let started = Instant::now();
    let out = f();
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    NANOS[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    out
}

/// The time counted so far in each stage, in pipeline order.
pub fn totals() -> Vec<(Stage, Duration)> {
    Stage::ALL.iter().map(|&s| (s, Duration::from_nanos(NANOS[s as usize].load(Ordering::Relaxed)))).collect()
}
