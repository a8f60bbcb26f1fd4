//! What the store learns and keeps beyond articles: each site's chrome, and user rules.

use crate::Env;

const PROMO: &str =
    "Listen to the harbour hour on our radio station to hear the best stories of the week every Friday morning.";

const SUBJECTS: [&str; 7] = ["cranes", "ferries", "pilots", "tugboats", "customs officers", "fishermen", "welders"];
const PLACES: [&str; 7] =
    ["north quay", "old basin", "grain terminal", "ferry ramp", "dry dock", "fish market", "breakwater"];

/// Page `n` of a site: its own article, and the same promotional sentence under it.
fn write_pages(env: &Env, count: usize) {
    let dir = env.path("harbour-times");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for n in 0..count {
        let (who, place) = (SUBJECTS[n % 7], PLACES[n % 7]);
        let page = format!(
            "The {place} Gets Busier With {who}\n\n\
             Along the {place}, the {who} worked through the night as the season turned, and the harbour master \
             praised their patience with the weather.\n\n\
             Residents near the {place} said the noise of the {who} was a small price for the jobs that returned \
             with them this autumn.\n\n\
             {PROMO}\n"
        );
        std::fs::write(dir.join(format!("2025-11-{:02}.txt", n + 1)), page).expect("write page");
    }
}

fn fate_of_promo(explain: &str) -> String {
    let line = explain.lines().find(|l| l.contains("Listen to the harbour hour")).expect("promo line");
    line.split_whitespace().nth(1).expect("fate").to_owned()
}

#[test]
fn chrome_is_learned_after_enough_pages_of_a_site() {
    let env = Env::new();
    write_pages(&env, 7);
    let last = "harbour-times/2025-11-07.txt";
    let before = env.run(&["clean", "--explain", last]);
    assert_eq!(fate_of_promo(&before), "kept", "{before}");
    for n in 1..=6 {
        env.ingest(&[&format!("harbour-times/2025-11-{n:02}.txt")], crate::T1);
    }
    let after = env.run(&["clean", "--explain", "--use-store", last]);
    assert_eq!(fate_of_promo(&after), "site-chrome", "{after}");
    env.ingest(&[last], crate::T2);
    let export = env.run(&["export", "--format", "jsonl"]);
    let newest = export.lines().find(|l| l.contains("The breakwater Gets Busier")).expect("page 7's article");
    assert!(!newest.contains("Listen to the harbour hour"), "{newest}");
}

#[test]
fn user_rules_drop_and_keep_lines_and_survive_a_dump() {
    let env = Env::new();
    write_pages(&env, 1);
    env.run(&["rules", "add", "--drop", "listen to the harbour hour"]);
    env.run(&["rules", "add", "--keep", "Gets Busier"]);
    assert_eq!(env.run(&["rules", "list"]), "drop  listen to the harbour hour\nkeep  Gets Busier\n");
    assert_eq!(
        env.run(&["rules", "list", "--format", "jsonl"]),
        "{\"kind\":\"drop\",\"pattern\":\"listen to the harbour hour\"}\n{\"kind\":\"keep\",\"pattern\":\"Gets Busier\"}\n"
    );
    let explain = env.run(&["clean", "--explain", "--use-store", "harbour-times/2025-11-01.txt"]);
    assert_eq!(fate_of_promo(&explain), "user-drop", "{explain}");
    env.ingest(&["harbour-times"], crate::T1);
    assert!(!env.run(&["export"]).contains("Listen to the harbour hour"));
    env.run(&["dump", "d.vellum.zst"]);
    env.cmd().args(["--store", "copy", "restore", "d.vellum.zst"]).assert().success();
    assert_eq!(env.run(&["--store", "copy", "rules", "list"]), env.run(&["rules", "list"]));
    env.run(&["rules", "remove", "--drop", "listen to the harbour hour"]);
    assert_eq!(env.run(&["rules", "list"]), "keep  Gets Busier\n");
    env.cmd().args(["rules", "remove", "--drop", "nothing like this"]).assert().code(1);
}

#[test]
fn reprocess_rederives_stored_pages_with_what_was_learned_since() {
    let env = Env::new();
    write_pages(&env, 7);
    env.ingest(&["harbour-times"], crate::T1);
    let with_promo = env.run(&["export"]).lines().filter(|l| l.contains("Listen to the harbour hour")).count();
    // One ingest of seven pages is one parallel batch, cleaned with what was known before it.
    assert_eq!(with_promo, 7, "the chrome was learned only as the batch was stored");
    let out = env.run(&["reprocess"]);
    assert_eq!(out, "7 pages read: 0 new articles, 7 revised, 0 unchanged; 0 failures\n");
    assert!(!env.run(&["export"]).contains("Listen to the harbour hour"));
    let again = env.run(&["reprocess", "--site", "harbour-times"]);
    assert_eq!(again, "7 pages read: 0 new articles, 0 revised, 7 unchanged; 0 failures\n");
    assert_eq!(
        env.run(&["reprocess", "--site", "elsewhere"]),
        "0 pages read: 0 new articles, 0 revised, 0 unchanged; 0 failures\n"
    );
    env.cmd().arg("verify").assert().success();
    // Re-deriving adds no fetch and no sighting: the history is of the scrapes.
    let stats: serde_json::Value = serde_json::from_str(&env.run(&["stats", "--format", "json"])).expect("json");
    assert_eq!(stats["fetches"], 7);
    let id = env.export()[0]["id"].as_str().expect("id").to_owned();
    let sightings = env.run(&["show", &id, "--sightings"]);
    assert_eq!(sightings.lines().filter(|l| l.contains("2025-12-12T08:00:00Z")).count(), 1, "{sightings}");
    // The texts with the promotion are no revisions any more: each article has one.
    let every = env.run(&["export", "--all-revisions", "--format", "jsonl"]);
    assert_eq!(every.lines().count(), 7, "{every}");
    assert!(!every.contains("Listen to the harbour hour"));
    let log = env.run(&["log", &id]);
    assert_eq!(log.lines().count(), 3, "a header, one revision and a note: {log}");
    assert!(log.ends_with("(history re-derived by reprocess: 1 earlier text no longer seen on any page)\n"), "{log}");
    // A dump keeps them withdrawn.
    env.run(&["dump", "d.vellum.zst"]);
    env.cmd().args(["--store", "copy", "restore", "d.vellum.zst"]).assert().success();
    assert_eq!(env.run(&["--store", "copy", "export", "--all-revisions", "--format", "jsonl"]), every);
    env.cmd().args(["--store", "copy", "verify"]).assert().success();
}
