//! `vellum rules add|list|remove`: the store's own line patterns to always drop or keep.

use anyhow::Result;
use vellum::store::RuleKind;

use crate::cli::{Cli, RuleArgs, RulesArgs, RulesCommand};
use crate::exit;

pub fn run(cli: &Cli, args: &RulesArgs) -> Result<u8> {
    match &args.command {
        RulesCommand::List => {
            let rules = cli.open_store(false)?.rules()?;
            for pattern in &rules.drop {
                println!("drop  {pattern}");
            }
            for pattern in &rules.keep {
                println!("keep  {pattern}");
            }
        }
        RulesCommand::Add(rule) => {
            let store = cli.open_store(true)?;
            let (kind, pattern) = kind_of(rule);
            if !store.add_rule(kind, pattern)? {
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
        }
    }
    Ok(exit::OK)
}

fn kind_of(rule: &RuleArgs) -> (RuleKind, &str) {
    match (&rule.drop, &rule.keep) {
        (Some(p), _) => (RuleKind::Drop, p.as_str()),
        (None, Some(p)) => (RuleKind::Keep, p.as_str()),
        (None, None) => unreachable!("clap requires --drop or --keep"),
    }
}
