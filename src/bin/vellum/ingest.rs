//! `vellum ingest`: pages into the store.

use std::io::Write;

use anyhow::Result;
use vellum::ingest::{ingest_page, Summary};
use vellum::process::ProcessOptions;

use crate::cli::{now, Cli, IngestArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &IngestArgs) -> Result<u8> {
    let mut input = args.input.input_options(now()?)?;
    input.exclude.push(cli.store.clone());
    let options = ProcessOptions { split: args.input.split.into() };
    let mut summary = Summary::default();
    // Pages stored since the last flush, reported (with --verbose) once they are durable.
    let mut unflushed: Vec<String> = Vec::new();
    // The store is opened at the first page that reads, so that a run whose every input
    // fails creates nothing.
    let mut store = None;
    for page in vellum::input::pages(&args.input.paths, &input) {
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
            Ok(outcome) => {
                summary.add(&outcome);
                if args.verbose {
                    unflushed.push(format!(
                        "stored {}: fetch {}, {} articles",
                        page.source,
                        outcome.fetch,
                        outcome.articles.len()
                    ));
                }
            }
            Err(err @ (vellum::Error::Storage { .. } | vellum::Error::Corrupt { .. })) => return Err(err.into()),
            Err(err) => {
                eprintln!("vellum: {err}");
                summary.failures += 1;
            }
        }
        if summary.pages % args.flush_every == 0 {
            store.flush()?;
            report(&mut unflushed)?;
        }
    }
    if let Some(store) = &store {
        store.flush()?;
        report(&mut unflushed)?;
    }
    println!("{summary}");
    Ok(if summary.failures > 0 { exit::PARTIAL } else { exit::OK })
}

fn report(lines: &mut Vec<String>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for line in lines.drain(..) {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}
