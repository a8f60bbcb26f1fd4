//! `vellum show ID[@REV]`: one article.

use std::io::Write;

use anyhow::{Context, Result};
use vellum::export::{stored_record, Format, Writer};
use vellum::id::RevisionNo;

use crate::cli::{Cli, ShowArgs, ShowFormat};
use crate::exit;

pub fn run(cli: &Cli, args: &ShowArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    let (id, rev) = match args.target.split_once('@') {
        Some((id, rev)) => (id, Some(rev.parse::<u32>().with_context(|| format!("revision {rev:?} is not a number"))?)),
        None => (args.target.as_str(), None),
    };
    let id = store.resolve(id)?;
    let article = store.article(id)?;
    let revision = store.revision(id, rev.map_or(article.latest, RevisionNo))?;
    let text = store.text(&revision)?;
    let record = stored_record(&article, &revision, text);
    let format = match args.format {
        ShowFormat::Text => Format::Text,
        ShowFormat::Json => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", serde_json::to_string_pretty(&record)?)?;
            return Ok(exit::OK);
        }
    };
    let mut writer = Writer::new(std::io::stdout().lock(), format, "-");
    writer.write(&record)?;
    writer.finish()?;
    Ok(exit::OK)
}
