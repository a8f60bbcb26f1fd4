//! `vellum show ID[@REV]`: one article.

use std::io::Write;

use anyhow::Result;
use vellum::export::{Format, Writer};

use crate::cli::{split_revision, Cli, ShowArgs, ShowFormat};
use crate::exit;
use crate::output::{printable, printable_lines};

pub fn run(cli: &Cli, args: &ShowArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let (id, rev) = split_revision(&args.target)?;
    let id = store.resolve(id)?;
    if args.sightings {
        return sightings(&store, id, args.format);
    }
    let record = vellum::report::show_record(&store, id, rev)?;
    let format = match args.format {
        ShowFormat::Text => Format::Text,
        ShowFormat::Json => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", serde_json::to_string_pretty(&record)?)?;
            return Ok(exit::OK);
        }
    };
    let mut writer = Writer::new(Vec::new(), format, "-");
    writer.write(&record)?;
    let text = String::from_utf8(writer.finish()?)?;
    std::io::stdout().lock().write_all(printable_lines(&text).as_bytes())?;
    Ok(exit::OK)
}

/// Every page the article was seen in: when, at which revision, and where.
fn sightings(store: &vellum::store::Store, id: vellum::id::ArticleId, format: ShowFormat) -> Result<u8> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let rows = vellum::report::sightings(store, id)?;
    match format {
        ShowFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        ShowFormat::Text => {
            writeln!(out, "FETCHED AT            REV  WHERE")?;
            for r in &rows {
                let place = r["url"].as_str().or_else(|| r["source"].as_str()).unwrap_or("-");
                writeln!(
                    out,
                    "{:<20}  {:>3}  {}",
                    r["fetched_at"].as_str().unwrap_or("-"),
                    r["revision"].as_u64().unwrap_or(0),
                    printable(place)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(exit::OK)
}
