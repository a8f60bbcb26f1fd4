//! `vellum rules add|list|remove`: the store's own line patterns to always drop or keep.

use anyhow::Result;
use serde::Serialize;
use vellum::store::RuleKind;

use crate::cli::{print_rows, Cli, RuleArgs, RulesArgs, RulesCommand};
use crate::exit;
use crate::output::printable;

#[derive(Serialize)]
struct Rule<'a> {
    kind: &'static str,
    pattern: &'a str,
}

pub fn run(cli: &Cli, args: &RulesArgs) -> Result<u8> {
    match &args.command {
        RulesCommand::List(list) => {
            let rules = cli.read_store()?.rules()?;
            let rows: Vec<Rule> = (rules.drop.iter().map(|p| Rule { kind: "drop", pattern: p }))
                .chain(rules.keep.iter().map(|p| Rule { kind: "keep", pattern: p }))
                .collect();
            print_rows(list.format, &rows, |out, r| writeln!(out, "{}  {}", r.kind, printable(r.pattern)))?;
        }
        RulesCommand::Add(rule) => {
            let store = cli.open_store(true)?;
            let (kind, pattern) = kind_of(rule);
            if store.add_rule(kind, pattern)? {
                eprintln!("vellum: added: {} {}", kind_name(kind), printable(pattern));
            } else {
                eprintln!("vellum: that rule is there already");
            }
        }
        RulesCommand::Remove(rule) => {
            let store = cli.open_store(false)?;
            let (kind, pattern) = kind_of(rule);
            if !store.remove_rule(kind, pattern)? {
                eprintln!("vellum: no such rule");
                return Ok(exit::PARTIAL);
            }
            eprintln!("vellum: removed: {} {}", kind_name(kind), printable(pattern));
        }
    }
    Ok(exit::OK)
}

fn kind_name(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Drop => "drop",
        RuleKind::Keep => "keep",
    }
}

fn kind_of(rule: &RuleArgs) -> (RuleKind, &str) {
    match (&rule.drop, &rule.keep) {
        (Some(p), _) => (RuleKind::Drop, p.as_str()),
        (None, Some(p)) => (RuleKind::Keep, p.as_str()),
        (None, None) => unreachable!("clap requires --drop or --keep"),
    }
}
