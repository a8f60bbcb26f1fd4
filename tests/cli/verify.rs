//! `vellum verify`.

use crate::{Env, DAY1, DAY2, T1, T2};

#[test]
fn a_sound_store_verifies() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let out = env.run(&["verify"]);
    assert_eq!(out, "checked 2 blobs, 4 articles, 5 revisions, 2 fetches: all sound\n");
}

#[test]
fn a_sample_rehashes_a_share_of_the_blobs() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let none = env.run(&["verify", "--sample", "0"]);
    assert_eq!(none, "checked 2 blobs (0 re-hashed), 4 articles, 5 revisions, 2 fetches: all sound\n");
    let all = env.run(&["verify", "--sample", "100%"]);
    assert_eq!(all, "checked 2 blobs, 4 articles, 5 revisions, 2 fetches: all sound\n");
    env.cmd().args(["verify", "--sample", "120"]).assert().code(2);
}

#[test]
fn json_reports_the_counts_and_problems() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let json: serde_json::Value = serde_json::from_str(&env.run(&["verify", "--format", "json"])).expect("json");
    assert_eq!(json["articles"], 4);
    assert_eq!(json["problems"], serde_json::json!([]));
}

#[test]
fn compact_keeps_every_record_and_reports_in_json() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let export = env.run(&["export"]);
    env.run(&["dump", "before.vellum.zst"]);
    let json: serde_json::Value = serde_json::from_str(&env.run(&["compact", "--format", "json"])).expect("json");
    assert!(json["records"].as_u64().is_some_and(|n| n > 0), "{json}");
    assert!(json["bytes_after"].as_u64() <= json["bytes_before"].as_u64(), "{json}");
    assert_eq!(env.run(&["export"]), export);
    env.run(&["dump", "after.vellum.zst"]);
    let read = |name: &str| std::fs::read(env.path(name)).expect("dump file");
    assert_eq!(read("after.vellum.zst"), read("before.vellum.zst"));
    assert_eq!(env.run(&["verify"]), "checked 2 blobs, 4 articles, 5 revisions, 2 fetches: all sound\n");
}

#[test]
fn compact_refuses_to_swap_the_folder_it_runs_in() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let out = env.cmd().current_dir(env.store()).env("VELLUM_STORE", ".").arg("compact").assert().code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).expect("utf-8");
    assert!(stderr.contains("compact from outside it"), "{stderr}");
    assert_eq!(env.run(&["verify"]), "checked 1 blobs, 4 articles, 4 revisions, 1 fetches: all sound\n");
}
