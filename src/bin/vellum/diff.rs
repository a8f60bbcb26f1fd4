//! `vellum diff ID [REV_A [REV_B]]`: what changed between two revisions.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use anyhow::{bail, Context, Result};
use vellum::diff::{has_changes, render_unified, render_words, render_words_with, word_diff};
use vellum::id::RevisionNo;

use crate::cli::{split_revision, Cli, ColorArg, DiffArgs, DiffFormat};
use crate::exit;
use crate::output::{printable, printable_lines};

pub fn run(cli: &Cli, args: &DiffArgs) -> Result<u8> {
    let store = cli.read_store()?;
    // `diff ID A B`, `diff ID@A B`, `diff ID@A ID@B`, `diff ID@A` (A against the latest).
    let (id_text, at) = split_revision(&args.id)?;
    let id = store.resolve(id_text)?;
    let mut given = Vec::new();
    given.extend(at);
    for rev in [&args.rev_a, &args.rev_b].into_iter().flatten() {
        let (other, number) = split_revision(rev)?;
        match number {
            // A bare number.
            None => given.push(other.parse::<u32>().with_context(|| format!("revision {other:?} is not a number"))?),
            Some(n) => {
                if store.resolve(other)? != id {
                    bail!("{rev} is another article's revision: diff compares revisions of one article");
                }
                given.push(n);
            }
        }
    }
    if given.len() > 2 {
        bail!("diff takes two revisions at most");
    }
    let revisions = store.revisions(id)?;
    // With --ignore-trivial, the default pair skips revisions that changed only white space,
    // punctuation or case (revision 1 always counts).
    let (before, latest) = vellum::report::default_pair(&revisions, args.ignore_trivial);
    let (old, new) = match given[..] {
        [a, b] => (a, b),
        // One revision given (`ID@A`, `ID A`): it against the latest.
        [a] => (a, latest),
        _ => (before, latest),
    };
    if old == 0 || new == 0 {
        bail!("revisions count from 1");
    }
    let old_rev = store.revision(id, RevisionNo(old))?;
    let new_rev = store.revision(id, RevisionNo(new))?;
    let (old_text, new_text) = (store.text(&old_rev)?, store.text(&new_rev)?);
    let ops = word_diff(&old_text, &new_text);
    // The headline is part of a revision: a revision that changed only its headline differs.
    let headline = vellum::report::headline_change(&old_rev, &new_rev);
    let untitled = |t: &Option<String>| t.clone().unwrap_or_else(|| "(untitled)".to_owned());
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
            if let Some((old_title, new_title)) = &headline {
                let ops = word_diff(&printable(&untitled(old_title)), &printable(&untitled(new_title)));
                write!(out, "headline: {}", render_words_with(&ops, color, false))?;
            }
            out.write_all(render_words(shown, color).as_bytes())?;
        }
        DiffFormat::Unified => {
            let label = |n: u32| format!("{id}@{n}");
            // The headline as the texts' first line, so a headline change is a changed line.
            let with_headline = |title: &Option<String>, text: &str| match &headline {
                Some(_) => format!("{}\n\n{text}", untitled(title)),
                None => text.to_owned(),
            };
            let (old_text, new_text) =
                (with_headline(&old_rev.title, &old_text), with_headline(&new_rev.title, &new_text));
            let (old_shown, new_shown) = (printable_lines(&old_text), printable_lines(&new_text));
            out.write_all(render_unified(&old_shown, &new_shown, &label(old), &label(new)).as_bytes())?;
        }
        DiffFormat::Json => {
            let doc = vellum::report::diff_json(id, old, new, &ops, headline.as_ref());
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
    }
    out.flush()?;
    let trivial = |old: &str, new: &str| args.ignore_trivial && vellum::trivial::is_trivial_change(old, new);
    let headline_differs = headline.as_ref().is_some_and(|(old, new)| !trivial(&untitled(old), &untitled(new)));
    let differ = headline_differs || has_changes(&ops) && !trivial(&old_text, &new_text);
    Ok(if differ { exit::PARTIAL } else { exit::OK })
}
