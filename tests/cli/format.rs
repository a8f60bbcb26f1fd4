//! The frozen store formats: a store of each format is checked in (`fixtures/stores/format-N`)
//! with what it exports. Every build must read the store of its own format to the same bytes
//! and write the same history from the same fetches, and take the older ones to its format
//! with `vellum migrate`. `VELLUM_FIXTURE_BLESS=1 cargo test --test cli format` writes this
//! format's store and export again: never for a released format.

use std::path::{Path, PathBuf};

use crate::{common, Env};

/// The fixture store of `format` and its export of every revision.
fn fixture_of(format: u32) -> (PathBuf, PathBuf) {
    let stores = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stores");
    (stores.join(format!("format-{format}")), stores.join(format!("format-{format}.export.jsonl")))
}

/// The fixture store of this build's format and its export.
fn fixture() -> (PathBuf, PathBuf) {
    fixture_of(vellum::store::FORMAT)
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
    let copy = env.path("this-format");
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

/// A copy of the fixture store whose `meta` `schema` record says `mark` (format n is mark n + 4;
/// marks 1 to 4 were pre-release layouts).
fn marked(env: &Env, mark: u32) -> PathBuf {
    let copy = env.path(&format!("marked-{mark}"));
    common::copy_dir(&fixture().0, &copy);
    let conf = std::fs::read_to_string(copy.join("conf.vellum")).expect("conf copy");
    let size = conf.trim().strip_prefix("segment_size: ").and_then(|s| s.parse().ok()).expect("segment size");
    let db = sled::Config::new().path(&copy).segment_size(size).open().expect("sled");
    // A record: version 1, the bincode varint, the first 4 bytes of BLAKE3 over both.
    assert!(mark < 251, "one varint byte");
    let body = [1, mark as u8];
    let value = [&body[..], &blake3::hash(&body).as_bytes()[..4]].concat();
    db.open_tree("meta").expect("meta").insert("schema", value).expect("mark");
    db.flush().expect("flush");
    copy
}

#[test]
fn migrate_finds_nothing_to_do_on_the_fixture_store() {
    let env = Env::new();
    let copy = env.path("this-format");
    common::copy_dir(&fixture().0, &copy);
    let path = copy.to_str().expect("utf-8 path");
    let out = env.run(&["migrate", path]);
    assert_eq!(out, format!("{path}: format 4, this vellum's; nothing to migrate\n"));
    env.cmd().args(["--store", path, "verify"]).assert().success();
}

#[test]
fn an_older_store_is_refused_until_migrated_then_reads_as_it_was_written() {
    let env = Env::new();
    for format in [1, 2, 3] {
        let (store, golden) = fixture_of(format);
        let copy = env.path(&format!("format-{format}"));
        common::copy_dir(&store, &copy);
        let path = copy.to_str().expect("utf-8 path");
        let out = env.cmd().args(["--store", path, "list"]).assert().code(2).get_output().clone();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            stderr.contains(path)
                && stderr.contains(&format!("has format {format}"))
                && stderr.contains("vellum migrate"),
            "{stderr}"
        );
        assert_eq!(env.run(&["migrate", path]), format!("{path}: migrated from format {format} to format 4\n"));
        env.cmd().args(["--store", path, "verify"]).assert().success();
        let want = std::fs::read_to_string(&golden).expect("the older format's export");
        assert_eq!(every_revision(&env, &copy), want, "the history is the same in the new format");
        assert_eq!(want, std::fs::read_to_string(fixture().1).expect("this format's export"));
        assert_eq!(env.run(&["migrate", path]), format!("{path}: format 4, this vellum's; nothing to migrate\n"));
    }
}

#[test]
fn a_store_of_a_pre_release_layout_or_a_newer_format_is_refused_with_what_to_do() {
    let env = Env::new();
    for (mark, says) in [
        (4, "written by a pre-release vellum (schema 4, before format 1): dump it with that vellum"),
        (9, "has format 5; this vellum reads format 4: upgrade vellum"),
    ] {
        let store = marked(&env, mark);
        let path = store.to_str().expect("utf-8 path");
        for args in [&["--store", path, "list"][..], &["migrate", path][..]] {
            let out = env.cmd().args(args).assert().code(2).get_output().clone();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(stderr.contains(path) && stderr.contains(says), "{args:?}: {stderr}");
        }
    }
}
