//! `vellum ingest`: pages into the store.

use std::io::Write;

use anyhow::Result;
use vellum::ingest::{Ingester, Summary};
use vellum::process::ProcessOptions;

use crate::cli::{now, Cli, IngestArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &IngestArgs) -> Result<u8> {
    let mut input = args.input.input_options(now()?)?;
    input.exclude.push(cli.store.clone());
    let options = ProcessOptions { split: args.input.split.into(), ..ProcessOptions::default() };
    let mut summary = Summary::default();
    let mut pages = args.input.pages(&input);
    // The store is opened at the first page that reads, so that a run whose every input
    // fails creates nothing.
    let first = loop {
        match pages.next() {
            None => break None,
            Some(Ok(page)) => break Some(page),
            Some(Err(err)) => {
                eprintln!("vellum: {err}");
                summary.failures += 1;
            }
        }
    };
    if let Some(first) = first {
        let store = cli.open_store(true)?;
        let mut ingester = Ingester::new(&store, options)?;
        // Pages stored since the last flush, reported (with --verbose) once they are durable.
        let mut unflushed: Vec<String> = Vec::new();
        for page in std::iter::once(Ok(first)).chain(pages.by_ref()) {
            let outcome = page.and_then(|page| ingester.ingest(&page).map(|outcome| (page, outcome)));
            match outcome {
                Ok((page, outcome)) => {
                    summary.add(&outcome);
                    if args.verbose {
                        let line = format!(
                            "stored {}: fetch {}, {} articles",
                            page.source,
                            outcome.fetch,
                            outcome.articles.len()
                        );
                        unflushed.push(line);
                    }
                    if summary.pages % args.flush_every == 0 {
                        ingester.flush()?;
                        report(&mut unflushed)?;
                    }
                }
                Err(err @ (vellum::Error::Storage { .. } | vellum::Error::Corrupt { .. })) => return Err(err.into()),
                Err(err) => {
                    eprintln!("vellum: {err}");
                    summary.failures += 1;
                }
            }
        }
        ingester.flush()?;
        report(&mut unflushed)?;
    }
    if pages.skipped_records() > 0 {
        eprintln!("vellum: note: {} WARC records skipped (no HTML or text response)", pages.skipped_records());
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
