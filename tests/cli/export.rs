//! `vellum export`.

use crate::{Env, DAY1, DAY2, T1, T2};

#[test]
fn jsonl_records_carry_every_field() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let records = env.export();
    assert_eq!(records.len(), 4);
    for r in &records {
        for field in ["id", "revision", "title", "date", "text", "hash", "url", "source", "first_seen", "last_seen"] {
            assert!(r.get(field).is_some(), "{field} missing in {r}");
        }
        let text = r["text"].as_str().expect("text");
        assert_eq!(r["hash"], blake3::hash(text.as_bytes()).to_hex().as_str());
        assert_eq!(r["source"], DAY1);
        assert_eq!(r["url"], serde_json::Value::Null);
    }
}

#[test]
fn the_same_inputs_give_the_same_export_byte_for_byte() {
    let a = Env::new();
    let b = Env::new();
    for env in [&a, &b] {
        env.ingest(&[DAY1], T1);
        env.ingest(&[DAY2], T2);
    }
    assert_eq!(a.run(&["export"]), b.run(&["export"]));
    assert_eq!(a.run(&["export", "--format", "text"]), b.run(&["export", "--format", "text"]));
}

#[test]
fn out_dir_writes_one_file_per_article() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.run(&["export", "--out", "corpus", "--format", "text"]);
    env.run(&["export", "--out", "corpus-json", "--format", "json"]);
    let mut names: Vec<String> = std::fs::read_dir(env.path("corpus"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let ids: Vec<String> = env.export().iter().map(|r| format!("{}.txt", r["id"].as_str().expect("id"))).collect();
    assert_eq!(names, ids);
    assert_eq!(std::fs::read_dir(env.path("corpus-json")).expect("dir").count(), 4);
}

#[test]
fn json_is_one_array() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let json: serde_json::Value = serde_json::from_str(&env.run(&["export", "--format", "json"])).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(4));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_exits_quietly() {
    let env = Env::new();
    env.ingest(&["fixtures"], T1);
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let script = format!("set -o pipefail; '{}' export | head -c 10 > /dev/null", vellum.display());
    let status = std::process::Command::new("bash")
        .args(["-c", &script])
        .env("VELLUM_STORE", env.store())
        .status()
        .expect("bash");
    assert!(status.success());
}
