//! `vellum clean`: the cleaning and splitting of `ingest`, with no store.

use std::io::Write;

use anyhow::Result;
use vellum::archive::identities;
use vellum::export::{cleaned_record, Writer};
use vellum::process::{derive_with, ProcessOptions};

use crate::cli::{now, CleanArgs, Cli};
use crate::exit;
use crate::output::{printable, printable_lines};

pub fn run(cli: &Cli, args: &CleanArgs) -> Result<u8> {
    let input = args.input.input_options(now()?)?;
    let mut options = ProcessOptions { split: args.input.split.into(), ..ProcessOptions::default() };
    // With --use-store, the store's rules and learned site chrome apply (read only).
    let store = if args.use_store { Some(cli.read_store()?) } else { None };
    if let Some(store) = &store {
        options.rules = vellum::archive::rules(store)?;
    }
    let mut chrome: std::collections::HashMap<String, vellum::clean::SiteChrome> = std::collections::HashMap::new();
    let stdout = std::io::stdout().lock();
    let mut explain_out = std::io::BufWriter::new(std::io::stdout());
    let mut writer = Writer::new(std::io::BufWriter::new(stdout), args.format.into(), "-");
    let mut failures = 0;
    for page in args.input.pages(&input) {
        let derived = page.and_then(|page| {
            let known = match &store {
                Some(store) => {
                    if !chrome.contains_key(&page.site) {
                        // Memory stays bounded however many sites a stream holds.
                        if chrome.len() >= vellum::archive::CACHED_SITES {
                            chrome.clear();
                        }
                        chrome.insert(page.site.clone(), vellum::archive::site_chrome(store, &page.site)?);
                    }
                    chrome.get(&page.site)
                }
                None => None,
            };
            derive_with(&page, &options, known).map(|d| (page, d))
        });
        let (page, derived) = match derived {
            Ok(pd) => pd,
            Err(err) => {
                eprintln!("vellum: {}", printable_lines(&err.to_string()));
                failures += 1;
                continue;
            }
        };
        for warning in &derived.warnings {
            eprintln!("vellum: warning: {}: {warning}", crate::output::printable(&page.source));
        }
        if args.explain {
            for line in &derived.cleaned.lines {
                writeln!(explain_out, "{:>6} {:<16} {}", line.number, line.fate.name(), printable(&line.text))?;
            }
            continue;
        }
        let identities = identities(&page, &derived.articles, options.split);
        for (article, identity) in derived.articles.iter().zip(&identities) {
            writer.write(&cleaned_record(&page, article, identity))?;
        }
    }
    explain_out.flush()?;
    if !args.explain {
        writer.finish()?;
    }
    Ok(if failures > 0 { exit::PARTIAL } else { exit::OK })
}
