//! `vellum merge STORE...`: stores of different sites, ingested apart, combined into one.

use std::io::Write;

use anyhow::Result;
use vellum::store::{OpenOptions, Store};

use crate::cli::{Cli, MergeArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &MergeArgs) -> Result<u8> {
    // Only read: a store shipped read-only is read from a private copy of sled's files.
    // A store given twice would wait for its own lock.
    let mut seen = std::collections::HashSet::new();
    for path in &args.stores {
        if !seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())) {
            anyhow::bail!("cannot merge these stores: {} is given more than once", path.display());
        }
    }
    let options = OpenOptions { read_only: true, lock_timeout: cli.lock_timeout, ..OpenOptions::default() };
    let shards = args.stores.iter().map(|path| Store::open(path, &options)).collect::<vellum::Result<Vec<Store>>>()?;
    let refs: Vec<&Store> = shards.iter().collect();
    let summary = Store::merge(&cli.store, &refs)?;
    let plural = |n: u64, what: &str| {
        format!(
            "{n} {what}{}",
            if n == 1 {
                ""
            } else if what == "fetch" {
                "es"
            } else {
                "s"
            }
        )
    };
    writeln!(
        std::io::stderr(),
        "merged {} stores into {}: {}, {}, {}, {}",
        summary.stores,
        cli.store.display(),
        plural(summary.sites as u64, "site"),
        plural(summary.fetches, "fetch"),
        plural(summary.articles, "article"),
        plural(summary.revisions, "revision"),
    )?;
    Ok(exit::OK)
}
