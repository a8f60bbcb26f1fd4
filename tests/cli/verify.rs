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
