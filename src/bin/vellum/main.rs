//! The `vellum` command line: parse, dispatch, exit code. The work is in the library.

mod changes;
mod clean;
mod cli;
mod compact;
mod completions;
mod diff;
mod dump;
mod export;
mod ingest;
mod list;
mod log;
mod merge;
mod migrate;
mod output;
mod reprocess;
mod rules;
mod serve;
mod show;
mod stats;
mod verify;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// Exit codes, as the README documents them.
pub mod exit {
    /// Everything worked (or `diff` found no difference).
    pub const OK: u8 = 0;
    /// `diff` found differences, or some inputs failed while others went in.
    pub const PARTIAL: u8 = 1;
    /// Bad usage or a fatal error.
    pub const FATAL: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Ingest(args) => ingest::run(&cli, args),
        Command::Clean(args) => clean::run(&cli, args),
        Command::List(args) => list::run(&cli, args),
        Command::Show(args) => show::run(&cli, args),
        Command::Log(args) => log::run(&cli, args),
        Command::Diff(args) => diff::run(&cli, args),
        Command::Export(args) => export::run(&cli, args),
        Command::Changes(args) => changes::run(&cli, args),
        Command::Verify(args) => verify::run(&cli, args),
        Command::Stats(args) => stats::run(&cli, args),
        Command::Compact(args) => compact::run(&cli, args),
        Command::Dump(args) => dump::run_dump(&cli, args),
        Command::Restore(args) => dump::run_restore(&cli, args),
        Command::Merge(args) => merge::run(&cli, args),
        Command::Migrate(args) => migrate::run(&cli, args),
        Command::Rules(args) => rules::run(&cli, args),
        Command::Completions(args) => completions::run_completions(args),
        Command::Man => completions::run_man(),
        Command::Reprocess(args) => reprocess::run(&cli, args),
        Command::Serve(args) => serve::run(&cli, args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(exit::OK),
        Err(err) => {
            eprintln!("vellum: error: {}", output::printable_lines(&message(&err)));
            ExitCode::from(exit::FATAL)
        }
    }
}

/// The error and its causes, each cause left out when the text before already says it
/// (vellum's errors name their cause inline).
fn message(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
    }
    text
}

/// `vellum export | head` closes our stdout early: that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| match cause.downcast_ref::<vellum::Error>() {
            Some(vellum::Error::Write { source, .. }) => Some(source),
            _ => None,
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
