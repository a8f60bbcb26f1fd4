//! `vellum changes --since T`: what changed in a window, for auditors.

use anyhow::{Context, Result};
use serde::Serialize;
use vellum::diff::{word_counts, word_diff};
use vellum::export::rfc3339;
use vellum::id::RevisionNo;

use crate::cli::{parse_time, print_rows, ChangesArgs, Cli};
use crate::exit;
use crate::output::printable;

#[derive(Serialize)]
struct Row {
    id: String,
    revision: u32,
    seen: String,
    site: String,
    title: Option<String>,
    words_added: usize,
    words_removed: usize,
    trivial: bool,
}

pub fn run(cli: &Cli, args: &ChangesArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let since = parse_time(&args.since).context("--since")?;
    let until = args.until.as_deref().map(parse_time).transpose().context("--until")?;
    let mut rows = Vec::new();
    for (article, revision) in store.changes(since, until, args.site.as_deref())? {
        if args.ignore_trivial && revision.trivial {
            continue;
        }
        let new = store.text(&revision)?;
        let (added, removed) = match revision.number.0.checked_sub(1).filter(|&n| n > 0) {
            Some(previous) => {
                word_counts(&word_diff(&store.text(&store.revision(article.id, RevisionNo(previous))?)?, &new))
            }
            None => (new.split_whitespace().count(), 0),
        };
        rows.push(Row {
            id: article.id.to_string(),
            revision: revision.number.0,
            seen: rfc3339(revision.first_seen),
            site: article.site,
            title: revision.title,
            words_added: added,
            words_removed: removed,
            trivial: revision.trivial,
        });
    }
    print_rows(args.format, &rows, |out, r| {
        let what =
            if r.revision == 1 { "new".to_owned() } else { format!("+{} -{} words", r.words_added, r.words_removed) };
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
