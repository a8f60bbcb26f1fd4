//! `vellum compact`: sled's database rewritten without its garbage.

use std::io::Write;

use anyhow::Result;
use vellum::store::CompactReport;

use crate::cli::{Cli, CompactArgs, ListFormat};
use crate::exit;

pub fn run(cli: &Cli, args: &CompactArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    let report = store.compact()?;
    if args.format == ListFormat::Table {
        writeln!(std::io::stderr(), "{}", describe(&report))?;
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

/// One line on what a compaction did.
pub fn describe(report: &CompactReport) -> String {
    let size = |bytes: u64| {
        if bytes >= 1_000_000 {
            format!("{:.1} MB", bytes as f64 / 1e6)
        } else {
            format!("{} KB", bytes.div_ceil(1000))
        }
    };
    if report.replaced {
        format!("compacted {} records: {} to {}", report.records, size(report.bytes_before), size(report.bytes_after))
    } else {
        format!(
            "{} records: {}, already compact (a fresh copy was no smaller)",
            report.records,
            size(report.bytes_before)
        )
    }
}
