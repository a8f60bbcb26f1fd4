//! `vellum dump OUT` and `vellum restore IN`: the store as a portable stream, and back.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};

use crate::cli::{Cli, DumpArgs, RestoreArgs};
use crate::exit;
use crate::output::Staged;

pub fn run_dump(cli: &Cli, args: &DumpArgs) -> Result<u8> {
    let store = cli.read_store()?;
    let dump = |out: &mut dyn Write, name: &str| {
        if args.salvage {
            store.dump_salvaging(out, name)
        } else {
            store.dump(out, name)
        }
    };
    let summary = if args.out.as_os_str() == "-" {
        if std::io::stdout().is_terminal() {
            anyhow::bail!("a dump is binary (zstd) and stdout is a terminal: give a file name, or redirect");
        }
        dump(&mut std::io::stdout().lock(), "-")?
    } else {
        // Staged, so a failed dump never leaves a partial file under the name a user would
        // restore from.
        let staged = Staged::create(&args.out)?;
        let mut out = std::io::BufWriter::new(staged.file()?);
        let summary = dump(&mut out, &args.out.display().to_string())?;
        out.into_inner().context("flushing the dump")?;
        staged.commit()?;
        summary
    };
    writeln!(
        std::io::stderr(),
        "dumped {} records ({} blobs) to {}",
        summary.records,
        summary.blobs,
        args.out.display()
    )?;
    if !summary.left_out.is_empty() {
        for what in &summary.left_out {
            writeln!(std::io::stderr(), "vellum: dump: left out: {what}")?;
        }
        writeln!(std::io::stderr(), "vellum: dump: {} damaged value(s) left out", summary.left_out.len())?;
        return Ok(exit::PARTIAL);
    }
    Ok(exit::OK)
}

pub fn run_restore(cli: &Cli, args: &RestoreArgs) -> Result<u8> {
    let name = args.input.display().to_string();
    let input: Box<dyn std::io::Read> = if args.input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&args.input).with_context(|| format!("cannot open {name}"))?;
        Box::new(std::io::BufReader::new(file))
    };
    let summary = vellum::archive::restore(&cli.store, input, &name)?;
    writeln!(
        std::io::stderr(),
        "restored {} records ({} blobs) into {}",
        summary.records,
        summary.blobs,
        cli.store.display()
    )?;
    Ok(exit::OK)
}
