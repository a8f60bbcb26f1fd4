//! End-to-end tests of the `vellum` binary: one test binary, a file per subcommand.
//!
//! Every test runs hermetically: a cleared environment, a fixed clock (`VELLUM_NOW`), fixed
//! fetch times, and a store in a fresh temporary folder.

#![allow(missing_docs)]

mod access;
mod audit;
mod browser;
mod clean;
#[path = "../common/mod.rs"]
mod common;
mod compact;
mod diff;
mod dump;
mod escapes;
mod export;
mod format;
#[path = "../common/generated.rs"]
mod generated;
mod identity;
mod ingest;
mod inputs;
mod knowledge;
mod list;
mod listing;
mod merge;
mod readme;
mod serve;
mod shell;
mod show;
mod verify;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The clock every test runs at.
pub const NOW: &str = "2025-12-14T09:00:00Z";

/// A temporary workspace with a store path and copies of the fixtures.
pub struct Env {
    pub dir: TempDir,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        // The sites' pages only: the library's golden fixtures (`clean/`, `segment/`,
        // `articles/`) are not pages of a crawled site.
        let to = dir.path().join("fixtures");
        for site in SITES {
            common::copy_dir(&fixtures().join(site), &to.join(site));
        }
        Env { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn store(&self) -> PathBuf {
        self.path("store")
    }

    /// `vellum` with a cleared environment, run in the workspace, on the workspace's store.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("vellum").expect("vellum binary");
        cmd.env_clear().env("VELLUM_NOW", NOW).env("VELLUM_STORE", self.store()).current_dir(self.dir.path());
        cmd
    }

    /// Ingests `paths` at a fixed fetch time and returns stdout.
    pub fn ingest(&self, paths: &[&str], fetched_at: &str) -> String {
        let out = self.cmd().arg("ingest").args(paths).args(["--fetched-at", fetched_at]).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
    }

    /// Runs `vellum ARGS` and returns stdout, asserting success.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
    }

    /// The JSON Lines export, parsed.
    pub fn export(&self) -> Vec<serde_json::Value> {
        self.run(&["export"]).lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
    }

    /// The id of the article with `title`.
    pub fn id_of(&self, title: &str) -> String {
        let found = self.export().into_iter().find(|r| r["title"] == title);
        found.unwrap_or_else(|| panic!("no article titled {title:?}"))["id"].as_str().expect("id").to_owned()
    }
}

/// The fixture folders that hold crawled sites' pages.
const SITES: [&str; 4] = ["steppe-herald", "lakeside-notes", "encodings", "html"];

pub const DAY1: &str = "fixtures/steppe-herald/2025-12-12.txt";
pub const DAY2: &str = "fixtures/steppe-herald/2025-12-13.txt";
/// An export record's `hash` as documented: BLAKE3 of the headline, a NUL byte, and the text.
pub fn revision_hash(record: &serde_json::Value) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(record["title"].as_str().unwrap_or("").as_bytes());
    hasher.update(&[0]);
    hasher.update(record["text"].as_str().unwrap_or("").as_bytes());
    hasher.finalize().to_hex().to_string()
}

pub const T1: &str = "2025-12-12T08:00:00Z";
pub const T2: &str = "2025-12-13T08:00:00Z";

pub const DAY1_TITLES: [&str; 4] = [
    "Grain Exports Through the Caspian Reach a Record",
    "Mountain Schools Get Their First Science Laboratories",
    "Why the Old Silk Road Towns Are Emptying",
    "Rail Freight Tariffs to Rise in January",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}
