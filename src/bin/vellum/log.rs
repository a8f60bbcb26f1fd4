//! `vellum log ID`: an article's revisions.

use anyhow::Result;
use serde::Serialize;
use vellum::export::rfc3339;
use vellum::id::ContentHash;

use crate::cli::{print_rows, Cli, ListFormat, LogArgs};
use crate::exit;
use crate::output::printable;

#[derive(Serialize)]
struct Row {
    revision: u32,
    first_seen: String,
    last_seen: String,
    bytes: u64,
    hash: String,
    title: Option<String>,
    date: Option<String>,
    trivial: bool,
}

pub fn run(cli: &Cli, args: &LogArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let id = store.resolve(&args.id)?;
    let revisions = store.revisions(id)?;
    let mut rows: Vec<Row> = Vec::new();
    for r in revisions.iter().filter(|r| !(args.ignore_trivial && r.trivial)) {
        let text = store.text(r)?;
        rows.push(Row {
            revision: r.number.0,
            first_seen: rfc3339(r.first_seen),
            last_seen: rfc3339(r.last_seen),
            bytes: r.len,
            hash: ContentHash::of_revision(r.title.as_deref(), &text).to_hex(),
            title: r.title.clone(),
            date: r.date.map(|d| d.to_string()),
            trivial: r.trivial,
        });
    }
    if args.format == ListFormat::Table {
        println!("REV  FIRST SEEN            LAST SEEN             BYTES  HASH          TITLE");
    }
    let mut previous_title: Option<Option<String>> = None;
    print_rows(args.format, &rows, |out, row| {
        let changed = previous_title.as_ref().is_some_and(|t| *t != row.title);
        let trivial = if row.trivial { "  (trivial)" } else { "" };
        previous_title = Some(row.title.clone());
        writeln!(
            out,
            "{:>3}  {:<20}  {:<20}  {:>5}  {}  {}{}{trivial}",
            row.revision,
            row.first_seen,
            row.last_seen,
            row.bytes,
            &row.hash[..12],
            printable(row.title.as_deref().unwrap_or("(untitled)")),
            if changed { "  (headline changed)" } else { "" }
        )
    })?;
    let withdrawn = store.withdrawn_texts(id)?;
    if args.format == ListFormat::Table && withdrawn > 0 {
        let texts = if withdrawn == 1 { "text" } else { "texts" };
        println!("(history re-derived by reprocess: {withdrawn} earlier {texts} no longer seen on any page)");
    }
    Ok(exit::OK)
}
