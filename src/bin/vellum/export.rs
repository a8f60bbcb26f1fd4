//! `vellum export`: the latest revision of every article, the archive as of a time, or every
//! revision.

use std::path::Path;

use anyhow::{Context, Result};
use vellum::export::{rfc3339, sink, stored_record, Format, Record, RecordSink, Shards, Writer};

use crate::cli::{parse_time, Cli, ExportArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &ExportArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    let format: Format = args.format.into();
    let compression = args.compress.into();
    let as_of = args.as_of.as_deref().map(parse_time).transpose().context("--as-of")?;
    let mut out: Option<Box<dyn RecordSink>> = match (&args.out, args.shard_size, &args.out_dir) {
        (_, _, Some(dir)) => {
            if matches!(format, Format::Parquet) {
                anyhow::bail!("--out-dir writes JSON or text files; write Parquet with --out");
            }
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            None
        }
        (Some(dir), Some(n), None) => {
            Some(Box::new(Shards::create(dir, usize::try_from(n).unwrap_or(usize::MAX), format, compression)?))
        }
        (Some(path), None, None) if path.as_os_str() != "-" => {
            let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            Some(sink(std::io::BufWriter::new(file), format, compression, &path.display().to_string())?)
        }
        _ => Some(sink(std::io::BufWriter::new(std::io::stdout()), format, compression, "-")?),
    };
    for article in store.articles() {
        let article = article?;
        let revisions = if args.all_revisions {
            store.revisions(article.id)?
        } else if let Some(t) = as_of {
            store.revision_as_of(article.id, t)?.into_iter().collect()
        } else {
            vec![store.revision(article.id, article.latest)?]
        };
        for revision in revisions {
            let text = store.text(&revision)?;
            let mut record = stored_record(&article, &revision, text, store.is_listing(&revision)?);
            if let Some(t) = as_of {
                // What an export made at `t` would have said: the last sighting by then.
                let seen =
                    store.sightings(article.id)?.into_iter().map(|(f, _)| f.fetched_at).filter(|&f| f <= t).max();
                record.last_seen = Some(rfc3339(seen.unwrap_or(revision.first_seen)));
            } else if args.all_revisions {
                // The times of this revision's text, not of the article's whole life.
                record.first_seen = Some(rfc3339(revision.first_seen));
                record.last_seen = Some(rfc3339(revision.last_seen));
                record.added = rfc3339(revision.first_seen);
            }
            match (&mut out, &args.out_dir) {
                (Some(out), _) => out.write(&record)?,
                (None, Some(dir)) => write_file(dir, format, &record, args.all_revisions)?,
                (None, None) => unreachable!("either an output or a folder"),
            }
        }
    }
    if let Some(out) = out {
        out.finish()?;
    }
    Ok(exit::OK)
}

/// One file per article (per revision with `--all-revisions`), named by its id, so repeated
/// exports overwrite the same files.
fn write_file(dir: &Path, format: Format, record: &Record, with_revision: bool) -> Result<()> {
    let mut stem = record.id.clone();
    if with_revision {
        stem.push_str(&format!("@{}", record.revision.unwrap_or(0)));
    }
    let format = match format {
        Format::Json | Format::Jsonl | Format::Parquet => Format::Jsonl,
        Format::Text => Format::Text,
    };
    let path = dir.join(format!("{stem}.{}", if format == Format::Text { "txt" } else { "json" }));
    let file = std::fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut writer = Writer::new(std::io::BufWriter::new(file), format, path.display().to_string());
    writer.write(record)?;
    writer.finish()?;
    Ok(())
}
