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
    /// The headline differs from the revision before's.
    headline_changed: bool,
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
        let (added, removed, headline_changed) = match revision.number.0.checked_sub(1).filter(|&n| n > 0) {
            Some(previous) => {
                let previous = store.revision(article.id, RevisionNo(previous))?;
                let (added, removed) = word_counts(&word_diff(&store.text(&previous)?, &new));
                (added, removed, previous.title != revision.title)
            }
            None => (new.split_whitespace().count(), 0, false),
        };
        rows.push(Row {
            id: article.id.to_string(),
            revision: revision.number.0,
            seen: rfc3339(revision.first_seen),
            site: article.site,
            title: revision.title,
            words_added: added,
            words_removed: removed,
            headline_changed,
            trivial: revision.trivial,
        });
    }
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
