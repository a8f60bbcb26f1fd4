//! `vellum list`: one line per article.

use std::io::Write;

use anyhow::Result;
use vellum::report::list_row;

use crate::cli::{Cli, ListArgs, ListFormat};
use crate::exit;
use crate::output::printable;

pub fn run(cli: &Cli, args: &ListArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut rows = Vec::new();
    let mut damaged = 0u64;
    let mut note = |e: vellum::Error| -> Result<()> {
        if !e.is_damage() {
            return Err(e.into());
        }
        eprintln!("vellum: list: left out: {e}");
        damaged += 1;
        Ok(())
    };
    for article in store.articles() {
        if let (Ok(a), Some(site)) = (&article, &args.site) {
            if &a.site != site {
                continue;
            }
        }
        let row = match article.and_then(|a| list_row(&store, &a)) {
            Ok(row) => row,
            Err(e) => {
                note(e)?;
                continue;
            }
        };
        match args.format {
            ListFormat::Table => writeln!(
                out,
                "{}  {:>3}  {:<10}  {:<16}  {}",
                row.id,
                row.revision,
                row.date.as_deref().unwrap_or("-"),
                printable(&row.site),
                printable(row.title.as_deref().unwrap_or("(untitled)"))
            )?,
            ListFormat::Jsonl => writeln!(out, "{}", serde_json::to_string(&row)?)?,
            ListFormat::Json => rows.push(row),
        }
    }
    for (id, count) in store.articles_without_record()? {
        note(vellum::Error::record_missing(id, count))?;
    }
    if args.format == ListFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
    }
    out.flush()?;
    if damaged > 0 {
        eprintln!("vellum: list: {damaged} article(s) left out for damage; `vellum verify` says more");
        return Ok(exit::PARTIAL);
    }
    Ok(exit::OK)
}
