//! `vellum export`: the latest revision of every article, the archive as of a time, or every
//! revision.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result};
use vellum::export::{sink, with_read_ahead, Compression, Format, Record, RecordSink, Selection, Shards, Writer};
use vellum::store::OpenOptions;

use crate::cli::{parse_time, Cli, ExportArgs};
use crate::exit;
use crate::output::Staged;

pub fn run(cli: &Cli, args: &ExportArgs) -> Result<u8> {
    let store =
        cli.open_store_with(&OpenOptions { cache_bytes: CACHE_BYTES, read_only: true, ..Default::default() })?;
    let format: Format = args.format.into();
    let compression = match (args.compress, &args.out) {
        (Some(c), _) => c.into(),
        // `--out corpus.jsonl.gz` is a gzip file, as its name says.
        (None, Some(path)) if args.shard_size.is_none() && !matches!(format, Format::Parquet) => {
            Compression::for_file_name(path)
        }
        (None, _) => Compression::None,
    };
    let to_stdout = args.out_dir.is_none() && args.out.as_ref().is_none_or(|p| p.as_os_str() == "-");
    if to_stdout
        && (matches!(format, Format::Parquet) || compression != Compression::None)
        && std::io::stdout().is_terminal()
    {
        anyhow::bail!("the output is binary and stdout is a terminal: write it to a file with --out, or redirect");
    }
    let as_of = args.as_of.as_deref().map(parse_time).transpose().context("--as-of")?;
    // `--out FILE` is staged: a failed or killed export leaves no file under its name.
    let mut staged = None;
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
            let file = staged.insert(Staged::create(path)?).file()?;
            Some(sink(
                std::io::BufWriter::with_capacity(OUT_BUFFER, file),
                format,
                compression,
                &path.display().to_string(),
            )?)
        }
        _ => Some(sink(std::io::BufWriter::with_capacity(OUT_BUFFER, stdout()), format, compression, "-")?),
    };
    let selection = match (as_of, args.all_revisions) {
        (Some(t), _) => Selection::AsOf(t),
        (None, true) => Selection::AllRevisions,
        (None, false) => Selection::Latest,
    };
    // Records are read (store lookups, texts decoded on every core) while earlier ones are
    // encoded and written here.
    let mut damaged = 0u64;
    with_read_ahead(&store, selection, |records| -> Result<()> {
        for record in records {
            let record = match record {
                Ok(record) => record,
                // One damaged value costs its article's record, not the export.
                Err(e) if e.is_damage() => {
                    eprintln!("vellum: export: left out: {e}");
                    damaged += 1;
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            match (&mut out, &args.out_dir) {
                (Some(out), _) => out.write(&record)?,
                (None, Some(dir)) => write_file(dir, format, &record, args.all_revisions)?,
                (None, None) => unreachable!("either an output or a folder"),
            }
        }
        Ok(())
    })?;
    if let Some(out) = out {
        out.finish()?;
    }
    if let Some(staged) = staged {
        staged.commit()?;
    }
    // The export only read, and the process ends next. sled's teardown would flush nothing and
    // free its page table piece by piece (6-15 ms after an export of the 100 MB store, a
    // twentieth of it); the exit frees it at once and releases the lock. The store is left as
    // it was, as a killed reader leaves it. A store read from a private copy is closed, which
    // removes the copy.
    if store.is_read_copy() {
        drop(store);
    } else {
        std::mem::forget(store);
    }
    if damaged > 0 {
        eprintln!("vellum: export: {damaged} article(s) left out for damage; `vellum verify` says more");
        return Ok(exit::PARTIAL);
    }
    Ok(exit::OK)
}

/// One file per article (per revision with `--all-revisions`), named by its id, so repeated
/// exports overwrite the same files.
fn write_file(dir: &Path, format: Format, record: &Record, with_revision: bool) -> Result<()> {
    let mut stem = record.id.to_string();
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

/// sled's cache for an export. Every article's record looks up the fetch that brought its text
/// (was it a listing page?), in no order, so with ingest's 16 MiB a large store's fetch records
/// are read from disk again and again: on the 1 GB corpus (73,470 fetches) 64 MiB took the
/// export from 1.25-1.40 s to 1.12-1.20 s (peak RSS 97 to 163 MB; the 100 MB corpus fits
/// either way).
const CACHE_BYTES: u64 = 64 << 20;

/// Bytes written to the output at once.
const OUT_BUFFER: usize = 256 << 10;

/// Standard output as a file of its own: `std::io::Stdout` takes a lock and looks for line
/// ends on every write, which an export of many megabytes does not need. Falls back to
/// `Stdout` where the descriptor cannot be duplicated.
#[cfg(unix)]
fn stdout() -> Box<dyn std::io::Write + Send> {
    use std::os::fd::AsFd;
    match std::io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::fs::File::from(fd)),
        Err(_) => Box::new(std::io::stdout()),
    }
}

#[cfg(not(unix))]
fn stdout() -> Box<dyn std::io::Write + Send> {
    Box::new(std::io::stdout())
}
