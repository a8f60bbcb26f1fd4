//! `vellum list` and `vellum stats`.

use crate::{Env, DAY1, T1};

#[test]
fn table_and_jsonl() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let table = env.run(&["list"]);
    assert_eq!(table.lines().count(), 4);
    let id = env.id_of("Rail Freight Tariffs to Rise in January");
    let row = format!("{id}    1  2025-12-12  steppe-herald     Rail Freight Tariffs to Rise in January\n");
    assert!(table.contains(&row), "{table}");
    assert_eq!(env.run(&["list", "--site", "steppe-herald"]), table);
    assert_eq!(env.run(&["list", "--site", "elsewhere"]), "");
    let jsonl = env.run(&["list", "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = jsonl.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r["revision"] == 1 && r["site"] == "steppe-herald"));
}

#[test]
fn stats_count_what_is_stored() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let stats = env.run(&["stats"]);
    for line in ["fetches            1", "pages              1", "articles           4", "revisions          4"] {
        assert!(stats.contains(line), "{line} not in {stats}");
    }
    assert!(stats.contains("compression_ratio"));
}
