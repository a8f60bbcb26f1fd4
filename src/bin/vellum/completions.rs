//! `vellum completions SHELL` and `vellum man`: generated from the same clap definitions.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit;

pub fn run_completions(args: &CompletionsArgs) -> Result<u8> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "vellum", &mut std::io::stdout().lock());
    Ok(exit::OK)
}

pub fn run_man() -> Result<u8> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?;
    Ok(exit::OK)
}
