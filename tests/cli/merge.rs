//! `vellum merge`: stores ingested apart, by site, combined into the store that one ingest of
//! all their pages makes.

use predicates::prelude::*;

use crate::generated::generated_day;
use crate::Env;

/// Writes page `i` of a generated site into `sites/SITE/`: its front page as scraped on day
/// `i` at 06:00 (the file's modification time, the fetch time ingest takes), showing the
/// site's day `first + i`. Returns its path.
fn page(env: &Env, site: &str, first: usize, i: usize) -> String {
    let rel = format!("sites/{site}/{i:04}.txt");
    let path = env.path(&rel);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    // A promotion under the newest article: chrome once the site's pages have shown it enough,
    // so when each page is cleaned with what chrome decides what its articles hold.
    let promo = "\nOur newsroom relies on readers like you, so please consider a subscription today.\n";
    let day = generated_day(first + i).replacen("\n \n\n", &format!("{promo}\n \n\n"), 1);
    std::fs::write(&path, day).expect("write");
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_735_711_200 + i as u64 * 86_400);
    std::fs::File::options().write(true).open(&path).and_then(|f| f.set_modified(at)).expect("mtime");
    rel
}

/// Site A's pages (45: a batch and a half) and site B's (70).
fn sites(env: &Env) -> (Vec<String>, Vec<String>) {
    let a = (0..45).map(|i| page(env, "gazette-a", 0, i)).collect();
    let b = (0..70).map(|i| page(env, "gazette-b", 500, i)).collect();
    (a, b)
}

/// Runs each ingest (arguments after `ingest`) into `store`, as its own process.
fn ingest_runs(env: &Env, store: &str, runs: &[&[&str]]) {
    for run in runs {
        env.cmd().args(["--store", store, "ingest", "--no-compact"]).args(*run).assert().success();
    }
}

/// What the store shows: its export of every revision, listing, changes, every article's log,
/// `stats` (less sled's own file sizes) and `verify`.
fn history(env: &Env, store: &str) -> Vec<(String, String)> {
    let run = |args: &[&str]| env.run(&[&["--store", store][..], args].concat());
    let mut out = vec![
        ("export --all-revisions".to_owned(), run(&["export", "--all-revisions"])),
        ("list".to_owned(), run(&["list"])),
        ("changes".to_owned(), run(&["changes", "--since", "2024-01-01"])),
        ("verify".to_owned(), run(&["verify"])),
    ];
    let stats = run(&["stats"]).lines().filter(|l| !l.starts_with("disk_")).collect::<Vec<_>>().join("\n");
    out.push(("stats".to_owned(), stats));
    for line in run(&["list"]).lines() {
        let id = line.split_whitespace().next().expect("id");
        out.push((format!("log {id}"), run(&["log", id])));
    }
    out
}

#[test]
fn stores_ingested_by_site_merge_into_the_store_one_ingest_makes() {
    let env = Env::new();
    let (a, b) = sites(&env);
    // One store: site A's pages, then site B's (starting mid-batch), in one run. Another: the
    // two sites' pages day by day, as a crawl gives them.
    let a_then_b: Vec<&str> = a.iter().chain(&b).map(String::as_str).collect();
    let mut by_day: Vec<&str> = Vec::new();
    for (i, page) in b.iter().enumerate() {
        by_day.extend(a.get(i).map(String::as_str));
        by_day.push(page);
    }
    let at = |day| format!("--fetched-at=2025-12-{day}T08:00:00Z");
    let (day12, day13) = (at(12), at(13));
    let (herald12, herald13) = ("fixtures/steppe-herald/2025-12-12.txt", "fixtures/steppe-herald/2025-12-13.txt");
    // Three daily runs: the generated sites' backlog, then the fixtures' sites over two days.
    for (store, first) in [("one", &a_then_b), ("by-day", &by_day)] {
        let runs: [&[&str]; 3] =
            [first, &[herald12, "fixtures/lakeside-notes", &day12], &[herald13, "fixtures/html", &day13]];
        ingest_runs(&env, store, &runs);
    }
    // The shards: A with the Steppe Herald, B with the other two, on their own.
    ingest_runs(&env, "shard-a", &[&["sites/gazette-a"], &[herald12, &day12], &[herald13, &day13]]);
    ingest_runs(
        &env,
        "shard-b",
        &[&["sites/gazette-b"], &["fixtures/lakeside-notes", &day12], &["fixtures/html", &day13]],
    );
    env.cmd()
        .args(["--store", "merged", "merge", "shard-a", "shard-b"])
        .assert()
        .success()
        .stderr(predicate::str::starts_with("merged 2 stores into merged: 5 sites, "));

    let one = history(&env, "one");
    let export = &one[0].1;
    let promoted = export.lines().filter(|l| l.contains("Our newsroom relies on readers")).count();
    assert!(
        promoted > 0 && export.lines().filter(|l| l.contains("gazette-")).count() > promoted + 50,
        "the promotion is in the articles of the pages cleaned before it was learnt, not after ({promoted})"
    );
    let stats = &one.iter().find(|(name, _)| name == "stats").expect("stats").1;
    assert!(stats.contains("dictionaries       3"), "both generated sites made dictionaries:\n{stats}");
    assert!(one.len() > 100, "every article's log is compared");
    for store in ["by-day", "merged"] {
        for ((name, expected), (_, got)) in one.iter().zip(history(&env, store)) {
            assert!(expected == &got, "{store}: {name} differs from the one store's:\n{expected}\n---\n{got}");
        }
    }
    // A shard shipped as a dump and restored merges to the same history (its values are
    // encoded again by `restore`, so only the stored bytes differ).
    env.cmd().args(["--store", "shard-b", "dump", "shard-b.vellum.zst"]).assert().success();
    env.cmd().args(["--store", "shard-b2", "restore", "shard-b.vellum.zst"]).assert().success();
    env.cmd().args(["--store", "via-dump", "merge", "shard-a", "shard-b2"]).assert().success();
    for ((name, expected), (_, got)) in one.iter().zip(history(&env, "via-dump")) {
        if name != "stats" {
            assert!(expected == &got, "via a dump: {name} differs from the one store's");
        }
    }
    // The merged store goes on as the one store does.
    for store in ["one", "merged"] {
        ingest_runs(&env, store, &[&["sites"], &[herald13, "--fetched-at=2025-12-14T08:00:00Z"]]);
    }
    assert_eq!(history(&env, "one"), history(&env, "merged"));
}

#[test]
fn stores_sharing_a_site_are_refused_naming_it_and_nothing_is_left() {
    let env = Env::new();
    env.cmd()
        .args(["--store", "x", "ingest", "fixtures/steppe-herald/2025-12-12.txt", "fixtures/html"])
        .assert()
        .success();
    env.cmd()
        .args(["--store", "y", "ingest", "fixtures/steppe-herald/2025-12-13.txt", "fixtures/lakeside-notes"])
        .assert()
        .success();
    env.cmd()
        .args(["--store", "merged", "merge", "x", "y"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1 site(s) are in more than one store: steppe-herald (in x, y)"));
    assert!(!env.path("merged").exists() && !env.path("merged.merging").exists());
    env.cmd()
        .args(["--store", "merged", "merge", "x", "./x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot merge these stores: ./x is given more than once"));
}

#[test]
fn stores_with_different_rules_are_refused_and_an_existing_target_is_kept() {
    let env = Env::new();
    env.cmd().args(["--store", "x", "ingest", "fixtures/steppe-herald"]).assert().success();
    env.cmd().args(["--store", "y", "ingest", "fixtures/lakeside-notes"]).assert().success();
    env.cmd().args(["--store", "y", "rules", "add", "--drop", "share this post"]).assert().success();
    env.cmd()
        .args(["--store", "merged", "merge", "x", "y"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("x and y have different rules"));
    env.cmd().args(["--store", "x", "rules", "add", "--drop", "share this post"]).assert().success();
    env.cmd().args(["--store", "merged", "merge", "x", "y"]).assert().success();
    assert_eq!(env.run(&["--store", "merged", "rules", "list"]), "drop  share this post\n");
    env.cmd()
        .args(["--store", "merged", "merge", "x", "y"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("merged already exists"));
}
