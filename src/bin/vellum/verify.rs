//! `vellum verify`: is everything in the store sound?

use std::io::{IsTerminal, Write};

use anyhow::Result;
use vellum::store::Sample;

use crate::cli::{now, Cli, ListFormat, VerifyArgs};
use crate::exit;
use crate::output::{printable, printable_lines};

pub fn run(cli: &Cli, args: &VerifyArgs) -> Result<u8> {
    let store = cli.read_store()?;
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
    let report = vellum::archive::verify_with(&store, sample, &mut |done, total| {
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
    print_problems(&report.problems);
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

/// The most values named under one kind of problem; the rest are counted.
const NAMED_PER_KIND: usize = 5;

/// One line per damaged value, with where it comes from; problems of one kind (the same
/// detail) that repeat are grouped under one line, naming the first few.
fn print_problems(problems: &[vellum::store::Problem]) {
    // Kinds in the order they first appear.
    let mut kinds: Vec<(&str, Vec<&vellum::store::Problem>)> = Vec::new();
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for problem in problems {
        let i = *at.entry(&problem.detail).or_insert_with(|| {
            kinds.push((&problem.detail, Vec::new()));
            kinds.len() - 1
        });
        kinds[i].1.push(problem);
    }
    let named = |p: &vellum::store::Problem| match &p.context {
        Some(context) => format!("{} ({})", printable(&p.what), printable(context)),
        None => printable(&p.what).into_owned(),
    };
    for (detail, members) in kinds {
        if let [one] = members[..] {
            println!("damaged: {}: {}", named(one), printable_lines(detail));
            continue;
        }
        println!("damaged, {} values: {}", members.len(), printable_lines(detail));
        for p in members.iter().take(NAMED_PER_KIND) {
            println!("  {}", named(p));
        }
        if members.len() > NAMED_PER_KIND {
            println!("  and {} more", members.len() - NAMED_PER_KIND);
        }
    }
}
