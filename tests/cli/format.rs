//! The frozen store format: a store written by this format is checked in
//! (`fixtures/stores/format-5`) with what it exports, and every build must read it to the same
//! bytes and write the same history from the same fetches. `VELLUM_FIXTURE_BLESS=1 cargo test
//! --test cli format` writes both again: only for a deliberate format change, with a migration.

use std::path::{Path, PathBuf};

use crate::{common, Env};

/// The fixture store and its export of every revision.
fn fixture() -> (PathBuf, PathBuf) {
    let stores = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stores");
    (stores.join("format-5"), stores.join("format-5.export.jsonl"))
}

/// How the fixture store is made: out-of-order fetches (a backfill, a text seen again after an
/// edit), a gzip page, a rule, a reprocess that withdraws texts, and a compaction.
const STEPS: &[&[&str]] = &[
    &["ingest", "--fetched-at", "2025-12-13T08:00:00Z", "fixtures/steppe-herald/2025-12-13.txt"],
    &["ingest", "--fetched-at", "2025-12-12T08:00:00Z", "fixtures/steppe-herald/2025-12-12.txt"],
    &["ingest", "--fetched-at", "2025-12-14T08:00:00Z", "fixtures/steppe-herald/2025-12-12.txt"],
    &["ingest", "--fetched-at", "2025-11-02T07:00:00Z", "fixtures/lakeside-notes/2025-11-02.txt.gz"],
    &["rules", "add", "--drop", "great crested grebes returned"],
    &["reprocess"],
    &["compact"],
];

fn every_revision(env: &Env, store: &Path) -> String {
    let store = store.to_str().expect("utf-8 path");
    env.run(&["--store", store, "export", "--all-revisions", "--format", "jsonl"])
}

#[test]
fn this_build_writes_the_fixture_stores_history() {
    let env = Env::new();
    for step in STEPS {
        env.run(step);
    }
    env.cmd().arg("verify").assert().success();
    let export = every_revision(&env, &env.store());
    let (store, golden) = fixture();
    if std::env::var_os("VELLUM_FIXTURE_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&store);
        common::copy_dir(&env.store(), &store);
        std::fs::write(&golden, &export).expect("write golden export");
    }
    let want = std::fs::read_to_string(&golden).expect("golden export");
    assert_eq!(export, want, "the history written from the fixture's fetches changed");
}

#[test]
fn the_fixture_store_reads_as_it_was_written() {
    let env = Env::new();
    let (store, golden) = fixture();
    let copy = env.path("format-5");
    common::copy_dir(&store, &copy);
    let path = copy.to_str().expect("utf-8 path");
    env.cmd().args(["--store", path, "verify"]).assert().success();
    let want = std::fs::read_to_string(&golden).expect("golden export");
    assert_eq!(every_revision(&env, &copy), want);
    // And it takes new pages.
    env.cmd()
        .args([
            "--store",
            path,
            "ingest",
            "--fetched-at",
            "2025-12-15T08:00:00Z",
            "fixtures/steppe-herald/2025-12-13.txt",
        ])
        .assert()
        .success();
    env.cmd().args(["--store", path, "verify"]).assert().success();
}
