//! `vellum log ID`: an article's revisions.

use anyhow::Result;
use vellum::report::log_rows;

use crate::cli::{print_rows, Cli, ListFormat, LogArgs};
use crate::exit;
use crate::output::printable;

pub fn run(cli: &Cli, args: &LogArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let id = store.resolve(&args.id)?;
    let revisions = store.revisions(id)?;
    let rows = log_rows(&store, &revisions, args.ignore_trivial)?;
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
