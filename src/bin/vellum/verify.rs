//! `vellum verify`: is everything in the store sound?

use std::io::{IsTerminal, Write};

use anyhow::Result;
use vellum::store::Sample;

use crate::cli::{now, Cli, ListFormat, VerifyArgs};
use crate::exit;
use crate::output::{printable, printable_lines};

pub fn run(cli: &Cli, args: &VerifyArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    // A sample is drawn afresh each run (seeded by the clock) so repeated runs cover the store.
    let seed = now()?.unix_timestamp_nanos() as u64;
    let sample = args.sample.map(|pct| Sample { fraction: pct / 100.0, seed });
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("verifying {bar:40} {pos}/{len} blobs, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let report = store.verify_with(sample, &mut |done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let code = if report.problems.is_empty() { exit::OK } else { exit::PARTIAL };
    if args.format != ListFormat::Table {
        // One object either way: a report is a whole, not a stream of rows.
        writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(code);
    }
    for problem in &report.problems {
        println!("damaged: {}: {}", printable(&problem.what), printable_lines(&problem.detail));
    }
    let verdict = if report.problems.is_empty() {
        "all sound".to_owned()
    } else {
        format!("{} problem{} found", report.problems.len(), if report.problems.len() == 1 { "" } else { "s" })
    };
    let hashed = if report.blobs_hashed < report.blobs {
        format!(" ({} re-hashed)", report.blobs_hashed)
    } else {
        String::new()
    };
    println!(
        "checked {} blobs{hashed}, {} articles, {} revisions, {} fetches: {verdict}",
        report.blobs, report.articles, report.revisions, report.fetches
    );
    Ok(code)
}
