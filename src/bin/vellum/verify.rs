//! `vellum verify`: is everything in the store sound?

use anyhow::Result;

use crate::cli::Cli;
use crate::exit;

pub fn run(cli: &Cli) -> Result<u8> {
    let store = cli.open_store(false)?;
    let report = store.verify()?;
    for problem in &report.problems {
        println!("damaged: {}: {}", problem.what, problem.detail);
    }
    let verdict = if report.problems.is_empty() {
        "all sound".to_owned()
    } else {
        format!("{} problem{} found", report.problems.len(), if report.problems.len() == 1 { "" } else { "s" })
    };
    println!(
        "checked {} blobs, {} articles, {} revisions, {} fetches: {verdict}",
        report.blobs, report.articles, report.revisions, report.fetches
    );
    Ok(if report.problems.is_empty() { exit::OK } else { exit::PARTIAL })
}
