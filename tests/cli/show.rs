//! `vellum show` and `vellum log`.

use predicates::prelude::*;

use crate::{Env, DAY1, DAY2, T1, T2};

const GRAIN: &str = "Grain Exports Through the Caspian Reach a Record";

#[test]
fn show_prints_the_latest_or_a_given_revision() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let id = env.id_of(GRAIN);
    let latest = env.run(&["show", &id]);
    assert!(latest.starts_with(&format!("{GRAIN}\n2025-12-13\n\nGrain shipments")), "{latest}");
    assert!(latest.contains("rose by more than a third"));
    let first = env.run(&["show", &format!("{}@1", &id[..6])]);
    assert!(first.contains("rose by a third"));
    let json: serde_json::Value = serde_json::from_str(&env.run(&["show", &id, "--format", "json"])).expect("json");
    assert_eq!(json["revision"], 2);
    assert_eq!(json["id"], id.as_str());
}

#[test]
fn unknown_ids_and_revisions_are_clear_errors() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.cmd()
        .args(["show", "ffffffffffff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no article with id ffffffffffff"));
    env.cmd().args(["show", "xyz"]).assert().code(2).stderr(predicate::str::contains("not 4 to 12 hex characters"));
    let id = env.id_of(GRAIN);
    env.cmd().args(["show", &format!("{id}@7")]).assert().code(2).stderr(predicate::str::contains("has no revision 7"));
}

#[test]
fn log_lists_revisions_with_times_sizes_and_hashes() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    env.ingest(&[DAY2], "2025-12-14T08:00:00Z");
    let id = env.id_of(GRAIN);
    let log = env.run(&["log", &id]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(lines[1].starts_with(&format!("  1  {T1}  {T1}  ")), "{log}");
    assert!(lines[2].starts_with(&format!("  2  {T2}  2025-12-14T08:00:00Z  ")), "{log}");
    let rows: Vec<serde_json::Value> =
        env.run(&["log", &id, "--format", "jsonl"]).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["hash"].as_str().map(str::len), Some(64));
}
