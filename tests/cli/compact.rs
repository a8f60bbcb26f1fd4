//! `vellum compact`.

use crate::{Env, DAY1, DAY2, T1, T2};

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

/// sled's files are what an ingest measures to decide on compacting: a megabyte of them (here
/// a stand-in file beside sled's, which a compaction does not carry over) makes the next ingest
/// compact the store, unless told not to.
#[test]
fn an_ingest_compacts_a_store_that_has_grown_unless_told_not_to() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let conf = || String::from_utf8_lossy(&std::fs::read(env.store().join("conf")).unwrap_or_default()).into_owned();
    assert!(conf().contains("segment_size: 262144"), "a small store is not compacted: {}", conf());
    let padding = env.store().join("padding");
    std::fs::write(&padding, vec![0u8; 1 << 20]).expect("padding");

    env.cmd().args(["ingest", DAY2, "--fetched-at", T2, "--no-compact"]).assert().success();
    assert!(padding.exists(), "--no-compact leaves the store as it is");
    // The same page again stores nothing (it is the stored fetch), but the ingest still compacts.
    let out = env.cmd().args(["ingest", DAY2, "--fetched-at", T2]).assert().success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).expect("utf-8");
    assert!(stderr.contains("vellum: compacted"), "{stderr}");
    assert!(!padding.exists() && conf().contains("segment_size: 65536"), "compacted: {}", conf());
    assert_eq!(env.run(&["verify"]), "checked 2 blobs, 4 articles, 5 revisions, 2 fetches: all sound\n");

    // Compacted, the store is not compacted again until it grows by half.
    let out = env.cmd().args(["ingest", DAY1, "--fetched-at", T2]).assert().success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).expect("utf-8");
    assert!(!stderr.contains("compacted"), "{stderr}");
}
