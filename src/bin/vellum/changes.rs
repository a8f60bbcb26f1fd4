//! `vellum changes --since T`: what changed in a window, for auditors.

use anyhow::{Context, Result};

use crate::cli::{parse_time, print_rows, ChangesArgs, Cli};
use crate::exit;
use crate::output::printable;

pub fn run(cli: &Cli, args: &ChangesArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let since = parse_time(&args.since).context("--since")?;
    let until = args.until.as_deref().map(parse_time).transpose().context("--until")?;
    let rows = vellum::report::changes(&store, since, until, args.site.as_deref(), args.ignore_trivial)?;
    print_rows(args.format, &rows, |out, r| {
        let what = match (r.revision, r.headline_changed, r.words_added + r.words_removed) {
            (1, _, _) => "new".to_owned(),
            (_, true, 0) => "headline changed".to_owned(),
            (_, true, _) => format!("+{} -{} words, headline", r.words_added, r.words_removed),
            (_, false, _) => format!("+{} -{} words", r.words_added, r.words_removed),
        };
        let trivial = if r.trivial { " (trivial)" } else { "" };
        writeln!(
            out,
            "{}  {}@{:<3} {:<18} {}{trivial}",
            r.seen,
            r.id,
            r.revision,
            what,
            printable(r.title.as_deref().unwrap_or("(untitled)"))
        )
    })?;
    Ok(exit::OK)
}
