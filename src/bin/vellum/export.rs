//! `vellum export`: the latest revision of every article.

use std::path::Path;

use anyhow::{Context, Result};
use vellum::export::{stored_record, Format, Record, Writer};

use crate::cli::{Cli, ExportArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &ExportArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    let format: Format = args.format.into();
    let mut stdout = match &args.out {
        None => Some(Writer::new(std::io::BufWriter::new(std::io::stdout().lock()), format, "-")),
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            None
        }
    };
    for article in store.articles() {
        let article = article?;
        let revision = store.revision(article.id, article.latest)?;
        let text = store.text(&revision)?;
        let record = stored_record(&article, &revision, text);
        match (&mut stdout, &args.out) {
            (Some(writer), _) => writer.write(&record)?,
            (None, Some(dir)) => write_file(dir, format, &record)?,
            (None, None) => unreachable!("either stdout or a folder"),
        }
    }
    if let Some(writer) = stdout {
        writer.finish()?;
    }
    Ok(exit::OK)
}

/// One file per article, named by its id, so repeated exports overwrite the same files.
fn write_file(dir: &Path, format: Format, record: &Record) -> Result<()> {
    let id = record.id.as_deref().unwrap_or("untitled");
    let (name, format) = match format {
        Format::Text => (format!("{id}.txt"), Format::Text),
        Format::Json | Format::Jsonl => (format!("{id}.json"), Format::Jsonl),
    };
    let path = dir.join(name);
    let file = std::fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut writer = Writer::new(std::io::BufWriter::new(file), format, path.display().to_string());
    writer.write(record)?;
    writer.finish()?;
    Ok(())
}
