//! `vellum compact`: sled's database rewritten without its garbage.

use std::io::Write;

use anyhow::Result;

use crate::cli::{Cli, CompactArgs, ListFormat};
use crate::exit;

pub fn run(cli: &Cli, args: &CompactArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    let report = store.compact()?;
    let mb = |bytes: u64| bytes as f64 / 1e6;
    if args.format == ListFormat::Table && !report.replaced {
        writeln!(
            std::io::stderr(),
            "{} records: {:.1} MB, already compact (a fresh copy was no smaller)",
            report.records,
            mb(report.bytes_before)
        )?;
    } else if args.format == ListFormat::Table {
        writeln!(
            std::io::stderr(),
            "compacted {} records: {:.1} MB to {:.1} MB",
            report.records,
            mb(report.bytes_before),
            mb(report.bytes_after)
        )?;
    } else {
        let json = serde_json::json!({
            "records": report.records,
            "bytes_before": report.bytes_before,
            "bytes_after": report.bytes_after,
            "replaced": report.replaced,
        });
        writeln!(std::io::stdout(), "{json}")?;
    }
    Ok(exit::OK)
}
