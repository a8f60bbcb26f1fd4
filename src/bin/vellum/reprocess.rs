//! `vellum reprocess`: derive the articles again from the stored raw pages.

use anyhow::Result;
use vellum::archive::Ingester;
use vellum::process::ProcessOptions;

use crate::cli::{Cli, ReprocessArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &ReprocessArgs) -> Result<u8> {
    let store = cli.open_store(false)?;
    let options = ProcessOptions { split: args.split.into(), ..ProcessOptions::default() };
    let mut ingester = Ingester::new(&store, options)?;
    let summary = ingester.reprocess(args.site.as_deref(), &mut |_, _| {})?;
    ingester.flush()?;
    println!("{summary}");
    Ok(exit::OK)
}
