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
