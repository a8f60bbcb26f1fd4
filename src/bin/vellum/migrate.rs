//! `vellum migrate`: a store taken to this build's format, in place.

use std::io::Write;

use anyhow::Result;
use vellum::store::{OpenOptions, Store};

use crate::cli::{Cli, MigrateArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &MigrateArgs) -> Result<u8> {
    let path = args.store.as_ref().unwrap_or(&cli.store);
    let options = OpenOptions { lock_timeout: cli.lock_timeout, ..OpenOptions::default() };
    let report = Store::migrate(path, &options)?;
    let line = match report.steps.last() {
        None => format!("{}: format {}, this vellum's; nothing to migrate", path.display(), report.found),
        Some(to) => format!("{}: migrated from format {} to format {to}", path.display(), report.found),
    };
    writeln!(std::io::stdout(), "{line}")?;
    Ok(exit::OK)
}
