//! `vellum compact`: sled's database rewritten without its garbage.

use std::io::Write;

use anyhow::Result;

use crate::cli::{Cli, CompactArgs, ListFormat};
use crate::exit;

pub fn run(cli: &Cli, args: &CompactArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    let report = store.compact()?;
    let size = |bytes: u64| {
        if bytes >= 1_000_000 {
            format!("{:.1} MB", bytes as f64 / 1e6)
        } else {
            format!("{} KB", bytes.div_ceil(1000))
        }
    };
    if args.format == ListFormat::Table && !report.replaced {
        writeln!(
            std::io::stderr(),
            "{} records: {}, already compact (a fresh copy was no smaller)",
            report.records,
            size(report.bytes_before)
        )?;
    } else if args.format == ListFormat::Table {
        writeln!(
            std::io::stderr(),
            "compacted {} records: {} to {}",
            report.records,
            size(report.bytes_before),
            size(report.bytes_after)
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
