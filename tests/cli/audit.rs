//! Auditing: `changes`, `export --as-of`, `export --all-revisions`, `show --sightings`, and
//! trivial revisions in `log`, `diff` and `changes`.

use crate::{Env, DAY1, DAY2, T1, T2};

const GRAIN: &str = "Grain Exports Through the Caspian Reach a Record";
const T3: &str = "2025-12-14T08:00:00Z";

/// Day 1, day 2 (one sentence changed), day 3 (only a hyphen added: a trivial revision).
fn audited() -> (Env, String) {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let day3 = std::fs::read_to_string(env.path(DAY2)).expect("fixture").replace("new rail links", "new rail-links");
    std::fs::write(env.path("fixtures/steppe-herald/2025-12-14.txt"), day3).expect("write");
    env.ingest(&["fixtures/steppe-herald/2025-12-14.txt"], T3);
    let id = env.id_of(GRAIN);
    (env, id)
}

fn jsonl(text: &str) -> Vec<serde_json::Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

#[test]
fn trivial_revisions_are_marked_and_can_be_ignored() {
    let (env, id) = audited();
    let log = env.run(&["log", &id]);
    assert_eq!(log.lines().count(), 4, "{log}");
    assert!(log.lines().nth(3).is_some_and(|l| l.ends_with("(trivial)")), "{log}");
    assert_eq!(env.run(&["log", &id, "--ignore-trivial"]).lines().count(), 3);
    // The default pair skips the trivial revision: 1 against 2.
    let out = env.cmd().args(["diff", &id, "--ignore-trivial"]).assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("{+more than +}"));
    // 2 against 3 differ only trivially.
    env.cmd().args(["diff", &id, "2", "3", "--ignore-trivial"]).assert().code(0);
    env.cmd().args(["diff", &id, "2", "3"]).assert().code(1);
}

#[test]
fn changes_lists_revisions_in_a_window() {
    let (env, id) = audited();
    let all = jsonl(&env.run(&["changes", "--since", T2, "--format", "jsonl"]));
    let grain: Vec<_> = all.iter().filter(|r| r["id"] == id.as_str()).collect();
    assert_eq!(grain.len(), 2);
    assert_eq!((grain[0]["revision"].as_u64(), grain[0]["words_added"].as_u64()), (Some(2), Some(2)));
    assert_eq!(grain[1]["trivial"], true);
    // `until` is exclusive, `since` inclusive.
    let window = jsonl(&env.run(&["changes", "--since", T2, "--until", T3, "--format", "jsonl"]));
    assert_eq!(window.len(), 1);
    let quiet = jsonl(&env.run(&["changes", "--since", T2, "--ignore-trivial", "--format", "jsonl"]));
    assert_eq!(quiet.len(), 1);
    let other_site = env.run(&["changes", "--since", T1, "--site", "elsewhere"]);
    assert_eq!(other_site, "");
    let table = env.run(&["changes", "--since", T2, "--until", T3]);
    assert!(table.contains(&format!("{T2}  {id}@2   +2 -0 words")), "{table}");
}

#[test]
fn export_as_of_a_time_and_every_revision() {
    let (env, id) = audited();
    let before = env.run(&["export", "--as-of", "2025-12-12T07:59:59Z"]);
    assert_eq!(before, "", "nothing was seen before the first fetch");
    let at_first = jsonl(&env.run(&["export", "--as-of", T1]));
    let grain = at_first.iter().find(|r| r["id"] == id.as_str()).expect("grain at T1");
    assert_eq!((grain["revision"].as_u64(), grain["last_seen"].as_str()), (Some(1), Some(T1)));
    let mid = jsonl(&env.run(&["export", "--as-of", "2025-12-13T12:00:00Z"]));
    let grain = mid.iter().find(|r| r["id"] == id.as_str()).expect("grain");
    assert_eq!((grain["revision"].as_u64(), grain["last_seen"].as_str()), (Some(2), Some(T2)));
    let every = jsonl(&env.run(&["export", "--all-revisions"]));
    let revs: Vec<u64> =
        every.iter().filter(|r| r["id"] == id.as_str()).filter_map(|r| r["revision"].as_u64()).collect();
    assert_eq!(revs, [1, 2, 3]);
    assert!(every.iter().all(|r| r["hash"] == crate::revision_hash(r).as_str()));
}

#[test]
fn sightings_show_where_and_when_a_text_was_seen() {
    let (env, id) = audited();
    let out = env.run(&["show", &id, "--sightings"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[1].starts_with(&format!("{T1}    1  fixtures/steppe-herald/2025-12-12.txt")), "{out}");
    assert!(lines[3].starts_with(&format!("{T3}    3  fixtures/steppe-herald/2025-12-14.txt")), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&env.run(&["show", &id, "--sightings", "--format", "json"])).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(3));
}

#[test]
fn an_older_page_whose_text_is_known_adds_a_sighting_not_a_revision() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    // The first day's page again, as another scrape of it made later that day.
    let later = "2025-12-12T20:00:00Z";
    env.ingest(&[DAY1], later);
    let id = env.id_of(GRAIN);
    assert_eq!(env.run(&["log", &id]).lines().count(), 3, "two revisions");
    let sightings = env.run(&["show", &id, "--sightings"]);
    assert!(sightings.lines().nth(3).is_some_and(|l| l.starts_with(&format!("{later}    1  "))), "{sightings}");
}

/// Re-running an ingest over the same files (a cron job over a folder of every day's scrapes)
/// stores nothing again: a page with a stored fetch's bytes, time, source and site is that fetch.
#[test]
fn reading_the_same_pages_again_stores_nothing() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let again = env.ingest(&[DAY1, DAY2], T1);
    assert_eq!(again, "2 pages read (1 stored before): 0 new articles, 0 revised, 8 unchanged; 0 failures\n");
    let fetches = |env: &Env| env.run(&["stats"]).lines().find(|l| l.starts_with("fetches")).map(str::to_owned);
    assert_eq!(fetches(&env).as_deref(), Some("fetches            3"), "DAY1 at T1 was stored already");
    // DAY2 at T1 was a new fetch; from here on every page is one stored before.
    let export = env.run(&["export"]);
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    assert_eq!(fetches(&env).as_deref(), Some("fetches            3"));
    assert_eq!(env.run(&["export"]), export);
}

#[test]
fn times_are_taken_as_people_write_them() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    // DAY2 was fetched at 2025-12-13T08:00Z; the clock is 2025-12-14T09:00Z.
    let rfc = env.run(&["changes", "--since", T2]);
    assert!(!rfc.is_empty());
    for since in ["2025-12-13", "2025-12-13T07:30", "2025-12-13 07:30:00", "1d2h", "26h", "3d"] {
        if since == "1d2h" {
            env.cmd().args(["changes", "--since", since]).assert().code(2);
            continue;
        }
        let out = env.run(&["changes", "--since", since]);
        let wide = since == "3d";
        assert_eq!(out.lines().count() > rfc.lines().count(), wide, "{since}: {out}");
    }
    let bad = env.cmd().args(["changes", "--since", "last tuesday"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&bad.get_output().stderr).into_owned();
    assert!(stderr.contains("is not a time: give a date (2025-12-13)"), "{stderr}");
}

#[test]
fn every_output_gives_a_revision_the_same_times() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let id = env.id_of(GRAIN);
    let latest = env.export().into_iter().find(|r| r["id"] == id.as_str()).expect("latest");
    let all: Vec<serde_json::Value> =
        env.run(&["export", "--all-revisions"]).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    let second = all.iter().find(|r| r["id"] == id.as_str() && r["revision"] == 2).expect("revision 2");
    assert_eq!(latest["added"], second["added"], "added: when this text entered the archive");
    assert_eq!(latest["added"], T2);
    let first: serde_json::Value =
        serde_json::from_str(&env.run(&["show", &format!("{id}@1"), "--format", "json"])).expect("json");
    assert_eq!((first["first_seen"].as_str(), first["last_seen"].as_str()), (Some(T1), Some(T1)), "revision 1's own");
}

/// Every record of `export --all-revisions`.
fn every_revision(env: &Env) -> Vec<serde_json::Value> {
    jsonl(&env.run(&["export", "--all-revisions"]))
}

#[test]
fn a_backfill_takes_its_place_in_time() {
    // Day 2 first, then day 1: the history is still day 1, then day 2.
    let forward = Env::new();
    forward.ingest(&[DAY1], T1);
    forward.ingest(&[DAY2], T2);
    let backward = Env::new();
    backward.ingest(&[DAY2], T2);
    backward.ingest(&[DAY1], T1);
    assert_eq!(every_revision(&backward), every_revision(&forward));
    assert_eq!(backward.run(&["export"]), forward.run(&["export"]));
    let id = backward.id_of(GRAIN);
    assert_eq!(backward.run(&["log", &id]), forward.run(&["log", &id]));
    assert_eq!(backward.run(&["show", &id]), forward.run(&["show", &id]));
    let diff = backward.cmd().args(["diff", &id]).assert().code(1);
    let text = String::from_utf8_lossy(&diff.get_output().stdout).into_owned();
    assert!(text.contains("{+more than +}"), "the change reads forward in time: {text}");
    backward.cmd().arg("verify").assert().success();
    // Day 1 again, between day 2's two sightings: the history is 1, 2, 1.
    let aba = Env::new();
    aba.ingest(&[DAY1], T1);
    aba.ingest(&[DAY1], T3);
    aba.ingest(&[DAY2], T2);
    let revs: Vec<(u64, String)> = every_revision(&aba)
        .iter()
        .filter(|r| r["id"] == id.as_str())
        .map(|r| (r["revision"].as_u64().unwrap_or(0), r["first_seen"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(revs, [(1, T1.to_owned()), (2, T2.to_owned()), (3, T3.to_owned())]);
    aba.cmd().arg("verify").assert().success();
}
