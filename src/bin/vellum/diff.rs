//! `vellum diff ID [REV_A [REV_B]]`: what changed between two revisions.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use anyhow::{bail, Result};
use vellum::diff::{has_changes, render_unified, render_words, word_diff};
use vellum::id::RevisionNo;

use crate::cli::{Cli, ColorArg, DiffArgs, DiffFormat};
use crate::exit;
use crate::output::printable_lines;

pub fn run(cli: &Cli, args: &DiffArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let id = store.resolve(&args.id)?;
    let revisions = store.revisions(id)?;
    // With --ignore-trivial, the default pair skips revisions that changed only white space,
    // punctuation or case (revision 1 always counts).
    let counted: Vec<u32> =
        revisions.iter().filter(|r| !(args.ignore_trivial && r.trivial)).map(|r| r.number.0).collect();
    let new = args.rev_b.unwrap_or(counted.last().copied().unwrap_or(1));
    let old = args.rev_a.unwrap_or_else(|| counted.iter().copied().filter(|&n| n < new).max().unwrap_or(new));
    if old == 0 || new == 0 {
        bail!("revisions count from 1");
    }
    let old_rev = store.revision(id, RevisionNo(old))?;
    let new_rev = store.revision(id, RevisionNo(new))?;
    let (old_text, new_text) = (store.text(&old_rev)?, store.text(&new_rev)?);
    let ops = word_diff(&old_text, &new_text);
    let mut out = std::io::stdout().lock();
    match args.format {
        DiffFormat::Word => {
            let color = match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                // https://no-color.org: a NO_COLOR that is set and not empty turns colour off.
                ColorArg::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            // Diffed again only when the texts hold characters a terminal must not be sent.
            let (old_shown, new_shown) = (printable_lines(&old_text), printable_lines(&new_text));
            let escaped;
            let shown = if matches!((&old_shown, &new_shown), (Cow::Borrowed(_), Cow::Borrowed(_))) {
                &ops
            } else {
                escaped = word_diff(&old_shown, &new_shown);
                &escaped
            };
            out.write_all(render_words(shown, color).as_bytes())?;
        }
        DiffFormat::Unified => {
            let label = |n: u32| format!("{id}@{n}");
            let (old_shown, new_shown) = (printable_lines(&old_text), printable_lines(&new_text));
            out.write_all(render_unified(&old_shown, &new_shown, &label(old), &label(new)).as_bytes())?;
        }
        DiffFormat::Json => {
            let doc = serde_json::json!({ "id": id.to_string(), "old": old, "new": new, "ops": ops });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
    }
    out.flush()?;
    let differ =
        has_changes(&ops) && !(args.ignore_trivial && vellum::trivial::is_trivial_change(&old_text, &new_text));
    Ok(if differ { exit::PARTIAL } else { exit::OK })
}
