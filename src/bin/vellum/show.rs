//! `vellum show ID[@REV]`: one article.

use std::io::Write;

use anyhow::Result;
use vellum::export::{stored_record, Format, Writer};
use vellum::id::RevisionNo;

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
    let article = store.article(id)?;
    let revision = match rev {
        Some(rev) => store.revision(id, RevisionNo(rev))?,
        None => store.latest_revision(id)?,
    };
    let text = store.text(&revision)?;
    let mut record = stored_record(&article, &revision, text, store.is_listing(&revision)?);
    if rev.is_some() {
        // A revision named is the record's subject: its own sightings (as `export --all-revisions`).
        record.first_seen = Some(vellum::export::rfc3339(revision.first_seen));
        record.last_seen = Some(vellum::export::rfc3339(revision.last_seen));
    }
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
    let rows: Vec<serde_json::Value> = store
        .sightings(id)?
        .into_iter()
        .map(|(fetch, rev)| {
            serde_json::json!({
                "fetched_at": vellum::export::rfc3339(fetch.fetched_at),
                "revision": rev.0,
                "fetch": fetch.seq,
                "url": fetch.url,
                "source": fetch.source,
                "page": fetch.raw.to_hex(),
            })
        })
        .collect();
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
