//! `vellum stats`: what the store holds.

use std::io::Write;

use anyhow::Result;

use crate::cli::{Cli, ListFormat, StatsArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &StatsArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let s = store.stats()?;
    let ratio = |stored: u64| if stored == 0 { 0.0 } else { (s.raw_bytes + s.text_bytes) as f64 / stored as f64 };
    let rows: [(&str, serde_json::Value); 14] = [
        ("fetches", s.fetches.into()),
        ("pages", s.pages.into()),
        ("articles", s.articles.into()),
        ("revisions", s.revisions.into()),
        ("raw_bytes", s.raw_bytes.into()),
        ("text_bytes", s.text_bytes.into()),
        ("stored_bytes", s.stored_bytes.into()),
        ("stored_raw_bytes", s.stored_raw_bytes.into()),
        ("stored_text_bytes", s.stored_text_bytes.into()),
        ("dictionaries", s.dictionaries.into()),
        ("dictionary_bytes", s.dictionary_bytes.into()),
        ("compression_ratio", ((ratio(s.stored_bytes) * 100.0).round() / 100.0).into()),
        ("disk_bytes", s.disk_bytes.into()),
        ("disk_ratio", ((ratio(s.disk_bytes) * 100.0).round() / 100.0).into()),
    ];
    if args.format == ListFormat::Table {
        for (name, value) in &rows {
            writeln!(std::io::stdout(), "{name:<18} {value}")?;
        }
    } else {
        let map: serde_json::Map<String, serde_json::Value> =
            rows.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        writeln!(std::io::stdout(), "{}", serde_json::Value::Object(map))?;
    }
    Ok(exit::OK)
}
