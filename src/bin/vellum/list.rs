//! `vellum list`: one line per article.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use vellum::export::rfc3339;

use crate::cli::{Cli, ListArgs, ListFormat};
use crate::exit;
use crate::output::printable;

#[derive(Serialize)]
struct Row {
    id: String,
    revision: u32,
    date: Option<String>,
    title: Option<String>,
    site: String,
    first_seen: String,
    last_seen: String,
}

pub fn run(cli: &Cli, args: &ListArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut rows = Vec::new();
    for article in store.articles() {
        let article = article?;
        let latest = store.revision(article.id, article.latest)?;
        let row = Row {
            id: article.id.to_string(),
            revision: article.latest.0,
            date: latest.date.map(|d| d.to_string()),
            title: article.title,
            site: article.site,
            first_seen: rfc3339(article.first_seen),
            last_seen: rfc3339(article.last_seen),
        };
        match args.format {
            ListFormat::Table => writeln!(
                out,
                "{}  {:>3}  {:<10}  {}",
                row.id,
                row.revision,
                row.date.as_deref().unwrap_or("-"),
                printable(row.title.as_deref().unwrap_or("(untitled)"))
            )?,
            ListFormat::Jsonl => writeln!(out, "{}", serde_json::to_string(&row)?)?,
            ListFormat::Json => rows.push(row),
        }
    }
    if args.format == ListFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
    }
    out.flush()?;
    Ok(exit::OK)
}
