//! `vellum clean`: the cleaning and splitting of `ingest`, with no store.

use std::io::Write;

use anyhow::Result;
use vellum::export::Writer;
use vellum::process::{derive, record, ProcessOptions};

use crate::cli::{now, CleanArgs, Cli};
use crate::exit;

pub fn run(_cli: &Cli, args: &CleanArgs) -> Result<u8> {
    let input = args.input.input_options(now()?)?;
    let options = ProcessOptions { split: args.input.split.into() };
    let stdout = std::io::stdout().lock();
    let mut explain_out = std::io::BufWriter::new(std::io::stdout());
    let mut writer = Writer::new(std::io::BufWriter::new(stdout), args.format.into(), "-");
    let mut failures = 0;
    for page in args.input.pages(&input) {
        let derived = page.and_then(|page| derive(&page, &options).map(|d| (page, d)));
        let (page, derived) = match derived {
            Ok(pd) => pd,
            Err(err) => {
                eprintln!("vellum: {err}");
                failures += 1;
                continue;
            }
        };
        if args.explain {
            for line in &derived.cleaned.lines {
                writeln!(explain_out, "{:>6} {:<16} {}", line.number, line.fate.name(), line.text)?;
            }
            continue;
        }
        for article in &derived.articles {
            writer.write(&record(&page, article))?;
        }
    }
    explain_out.flush()?;
    if !args.explain {
        writer.finish()?;
    }
    Ok(if failures > 0 { exit::PARTIAL } else { exit::OK })
}
