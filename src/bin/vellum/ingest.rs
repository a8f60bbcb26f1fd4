//! `vellum ingest`: pages into the store.

use anyhow::Result;
use vellum::ingest::{ingest_page, Summary};
use vellum::process::ProcessOptions;

use crate::cli::{now, Cli, IngestArgs};
use crate::exit;

/// Pages between flushes, so a long ingest keeps its progress if it is killed.
const FLUSH_EVERY: u64 = 256;

pub fn run(cli: &Cli, args: &IngestArgs) -> Result<u8> {
    let mut input = args.input.input_options(now()?)?;
    input.exclude.push(cli.store.clone());
    let options = ProcessOptions { split: args.input.split.into() };
    let mut summary = Summary::default();
    // The store is opened at the first page that reads, so that a run whose every input
    // fails creates nothing.
    let mut store = None;
    let mut pages = args.input.pages(&input);
    for page in pages.by_ref() {
        let page = match page {
            Ok(page) => page,
            Err(err) => {
                eprintln!("vellum: {err}");
                summary.failures += 1;
                continue;
            }
        };
        let store = match &mut store {
            Some(store) => store,
            None => store.insert(cli.open_store(true)?),
        };
        match ingest_page(store, &page, &options) {
            Ok(outcome) => summary.add(&outcome),
            Err(err @ (vellum::Error::Storage { .. } | vellum::Error::Corrupt { .. })) => return Err(err.into()),
            Err(err) => {
                eprintln!("vellum: {err}");
                summary.failures += 1;
            }
        }
        if summary.pages % FLUSH_EVERY == 0 {
            store.flush()?;
        }
    }
    if let Some(store) = &store {
        store.flush()?;
    }
    if pages.skipped_records() > 0 {
        eprintln!("vellum: note: {} WARC records skipped (no HTML or text response)", pages.skipped_records());
    }
    println!("{summary}");
    Ok(if summary.failures > 0 { exit::PARTIAL } else { exit::OK })
}
