//! `vellum dump` and `vellum restore`.

use predicates::prelude::*;

use crate::{Env, DAY1, DAY2, T1, T2};

fn dumped_env() -> Env {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    env.cmd().args(["dump", "archive.vellum.zst"]).assert().success().stderr(predicate::str::starts_with("dumped "));
    env
}

#[test]
fn a_restored_store_has_the_same_ids_exports_and_dump() {
    let env = dumped_env();
    env.cmd().args(["--store", "copy", "restore", "archive.vellum.zst"]).assert().success();
    assert_eq!(env.run(&["export"]), env.run(&["--store", "copy", "export"]));
    assert_eq!(env.run(&["list"]), env.run(&["--store", "copy", "list"]));
    env.cmd().args(["--store", "copy", "verify"]).assert().success();
    env.cmd().args(["--store", "copy", "dump", "again.vellum.zst"]).assert().success();
    let a = std::fs::read(env.path("archive.vellum.zst")).expect("dump");
    let b = std::fs::read(env.path("again.vellum.zst")).expect("dump");
    assert_eq!(a, b, "a restored store dumps to the same bytes");
}

#[test]
fn dump_to_stdout_and_restore_from_stdin() {
    let env = dumped_env();
    let out = env.cmd().args(["dump", "-"]).assert().success();
    let bytes = out.get_output().stdout.clone();
    env.cmd().args(["--store", "copy", "restore", "-"]).write_stdin(bytes).assert().success();
    assert_eq!(env.run(&["export"]), env.run(&["--store", "copy", "export"]));
}

#[test]
fn a_damaged_or_truncated_dump_is_refused_and_leaves_nothing() {
    let env = dumped_env();
    let packed = std::fs::read(env.path("archive.vellum.zst")).expect("dump");
    let text = String::from_utf8(zstd::decode_all(&packed[..]).expect("zstd")).expect("utf-8");

    let tampered = text.replacen("Grain shipments", "Grain shipment", 1);
    std::fs::write(env.path("tampered.zst"), zstd::encode_all(tampered.as_bytes(), 3).expect("zstd")).expect("write");
    env.cmd()
        .args(["--store", "t1", "restore", "tampered.zst"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not hash to its name"));
    assert!(!env.path("t1").exists() && !env.path("t1.restoring").exists());

    let cut = &text[..text.len() / 2];
    let cut = &cut[..cut.rfind('\n').map_or(0, |i| i + 1)];
    std::fs::write(env.path("cut.zst"), zstd::encode_all(cut.as_bytes(), 3).expect("zstd")).expect("write");
    env.cmd()
        .args(["--store", "t2", "restore", "cut.zst"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("truncated"));
    assert!(!env.path("t2").exists());
}

#[test]
fn restore_never_overwrites_a_store() {
    let env = dumped_env();
    env.cmd()
        .args(["restore", "archive.vellum.zst"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn dumps_to_names_that_differ_only_in_extension_do_not_share_a_temporary_file() {
    let env = dumped_env();
    // What another dump, to `backup.2025-12-06`, is still writing.
    std::fs::write(env.path("backup.partial"), "another dump in progress").expect("write");
    env.cmd().args(["dump", "backup.2025-12-05"]).assert().success();
    assert_eq!(std::fs::read_to_string(env.path("backup.partial")).expect("read"), "another dump in progress");
    let dumped = std::fs::read(env.path("backup.2025-12-05")).expect("dump");
    assert_eq!(dumped, std::fs::read(env.path("archive.vellum.zst")).expect("dump"));
    std::fs::remove_file(env.path("backup.partial")).expect("remove");
    assert_eq!(crate::export::partial_files(&env), Vec::<String>::new());
}

/// The dump's lines, decompressed.
fn dump_lines(env: &Env) -> Vec<String> {
    let packed = std::fs::read(env.path("archive.vellum.zst")).expect("dump");
    let text = String::from_utf8(zstd::decode_all(&packed[..]).expect("zstd")).expect("utf-8");
    text.lines().map(str::to_owned).collect()
}

/// `lines` (without an end line) with a fresh, matching manifest, compressed.
fn with_manifest(lines: &[String]) -> Vec<u8> {
    let mut text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let blake3 = blake3::hash(text.as_bytes()).to_hex();
    text.push_str(&format!("{{\"type\":\"end\",\"lines\":{},\"blake3\":\"{blake3}\"}}\n", lines.len()));
    zstd::encode_all(text.as_bytes(), 3).expect("zstd")
}

#[test]
fn a_restore_refuses_joined_dumps_trailing_data_and_repeated_lines() {
    let env = dumped_env();
    let packed = std::fs::read(env.path("archive.vellum.zst")).expect("dump");
    let lines = dump_lines(&env);
    let body = &lines[..lines.len() - 1];
    // The manifest rebuilt over the same lines restores: the edits below are the only change.
    std::fs::write(env.path("same.zst"), with_manifest(body)).expect("write");
    env.cmd().args(["--store", "same", "restore", "same.zst"]).assert().success();

    let joined = [packed.clone(), packed.clone()].concat();
    let trailing = [packed, b"trailing bytes".to_vec()].concat();
    let mut cases = vec![("joined", joined, "data follows the end line"), ("trailing", trailing, "data follows")];
    for kind in ["blob", "fetch", "article", "revision", "rule"] {
        let Some(at) = body.iter().position(|l| l.contains(&format!("\"type\":\"{kind}\""))) else { continue };
        let mut repeated = body.to_vec();
        repeated.insert(at + 1, body[at].clone());
        cases.push((kind, with_manifest(&repeated), "repeats an earlier"));
    }
    assert!(cases.len() >= 6, "the dump holds blob, fetch, article and revision lines");
    for (what, bytes, message) in cases {
        let file = format!("{what}.zst");
        std::fs::write(env.path(&file), bytes).expect("write");
        let store = format!("s-{what}");
        env.cmd()
            .args(["--store", &store, "restore", &file])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert!(!env.path(&store).exists() && !env.path(&format!("{store}.restoring")).exists(), "{what}");
    }
}

#[test]
fn a_restore_leaves_another_restores_folder_alone() {
    let env = dumped_env();
    std::fs::create_dir_all(env.path("copy.restoring")).expect("mkdir");
    std::fs::write(env.path("copy.restoring/keep"), "another restore's").expect("write");
    env.cmd()
        .args(["--store", "copy", "restore", "archive.vellum.zst"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("copy.restoring already exists"));
    assert!(env.path("copy.restoring/keep").exists());
    assert!(!env.path("copy").exists());
}
