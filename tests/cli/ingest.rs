//! `vellum ingest`.

use predicates::prelude::*;

use crate::{Env, DAY1, DAY2, T1, T2};

#[test]
fn first_ingest_finds_every_article() {
    let env = Env::new();
    let out = env.ingest(&[DAY1], T1);
    assert_eq!(out, "1 page read: 4 new articles, 0 revised, 0 unchanged; 0 failures\n");
    let titles: Vec<String> = env.export().iter().map(|r| r["title"].as_str().unwrap_or("").to_owned()).collect();
    for title in crate::DAY1_TITLES {
        assert!(titles.iter().any(|t| t == title), "{title} missing from {titles:?}");
    }
}

#[test]
fn the_same_page_twice_changes_only_sightings() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let before = env.export();
    let out = env.ingest(&[DAY1], T2);
    assert_eq!(out, "1 page read: 0 new articles, 0 revised, 4 unchanged; 0 failures\n");
    let after = env.export();
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a["revision"], b["revision"]);
        assert_eq!(a["hash"], b["hash"]);
        assert_eq!(b["last_seen"], T2);
        assert_eq!(b["first_seen"], T1);
    }
    let stats = env.run(&["stats", "--format", "json"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).expect("json");
    assert_eq!(
        (stats["fetches"].as_u64(), stats["pages"].as_u64(), stats["revisions"].as_u64()),
        (Some(2), Some(1), Some(4))
    );
}

#[test]
fn a_changed_sentence_and_new_ticker_numbers_make_exactly_one_revision() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let out = env.ingest(&[DAY2], T2);
    assert_eq!(out, "1 page read: 0 new articles, 1 revised, 3 unchanged; 0 failures\n");
    let revised: Vec<_> = env.export().into_iter().filter(|r| r["revision"] == 2).collect();
    assert_eq!(revised.len(), 1);
    assert_eq!(revised[0]["title"], "Grain Exports Through the Caspian Reach a Record");
}

#[test]
fn folders_are_walked_recursively_and_compressed_files_read() {
    let env = Env::new();
    let out = env.ingest(&["fixtures/steppe-herald", "fixtures/lakeside-notes"], T1);
    assert!(out.starts_with("3 pages read:"), "{out}");
    assert!(out.ends_with("; 0 failures\n"), "{out}");
    let sites: Vec<String> = env.export().iter().map(|r| r["site"].as_str().unwrap_or("").to_owned()).collect();
    assert!(sites.iter().any(|s| s == "lakeside-notes"), "the .txt.gz page went in: {sites:?}");
}

#[test]
fn stdin_with_a_url_takes_the_host_as_site() {
    let env = Env::new();
    let page = std::fs::read(env.path(DAY1)).expect("fixture");
    env.cmd()
        .args(["ingest", "-", "--url", "https://news.example.org/today"])
        .write_stdin(page)
        .assert()
        .success()
        .stdout("1 page read: 4 new articles, 0 revised, 0 unchanged; 0 failures\n");
    let records = env.export();
    assert!(records.iter().all(|r| r["site"] == "news.example.org" && r["url"] == "https://news.example.org/today"));
    assert!(records.iter().all(|r| r["first_seen"] == crate::NOW), "stdin defaults to now");
}

#[test]
fn bad_inputs_are_named_and_the_rest_still_go_in() {
    let env = Env::new();
    let bad = env.path("bad");
    std::fs::create_dir_all(bad.join("binaries")).expect("mkdir");
    std::fs::write(bad.join("binaries/blob.bin"), [0u8, 159, 146, 150, 1, 2, 3, 0, 0]).expect("write");
    std::fs::write(bad.join("empty.txt"), "").expect("write");
    let gz = std::fs::read(env.path("fixtures/lakeside-notes/2025-11-02.txt.gz")).expect("gz");
    std::fs::write(bad.join("truncated.txt.gz"), &gz[..gz.len() / 2]).expect("write");
    let assert = env
        .cmd()
        .args(["ingest", "bad", DAY1, "does-not-exist.txt", "--fetched-at", crate::T1])
        .assert()
        .code(1)
        .stdout("1 page read: 4 new articles, 0 revised, 0 unchanged; 4 failures\n");
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).expect("utf-8");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{stderr}");
    for (name, cause) in [
        ("bad/binaries/blob.bin", "binary data"),
        ("bad/empty.txt", "empty page"),
        ("bad/truncated.txt.gz", "gzip data is damaged or truncated"),
        ("does-not-exist.txt", "cannot read"),
    ] {
        assert!(lines.iter().any(|l| l.contains(name) && l.contains(cause)), "{name}: {cause} not in {stderr}");
    }
    env.cmd().arg("verify").assert().success();
    let stats: serde_json::Value = serde_json::from_str(&env.run(&["stats", "--format", "json"])).expect("json");
    assert_eq!(stats["fetches"], 1, "nothing of a failed page is kept");
}

#[test]
fn a_run_where_every_input_fails_creates_no_store() {
    let env = Env::new();
    env.cmd()
        .args(["ingest", "nothing-here.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing-here.txt"));
    assert!(!env.store().exists());
}

#[test]
fn a_store_in_use_is_a_clear_error() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let held = vellum::store::Store::open(&env.store(), &vellum::store::OpenOptions::default()).expect("open");
    env.cmd()
        .args(["list", "--lock-timeout", "0.2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("store is in use by another process").and(predicate::str::contains("store")));
    drop(held);
    env.cmd().arg("list").assert().success();
}

#[test]
fn read_commands_never_create_a_store() {
    let env = Env::new();
    env.cmd().arg("list").assert().code(2).stderr(predicate::str::contains("no vellum store at"));
    assert!(!env.store().exists());
}

#[test]
fn one_or_two_jobs_give_the_same_store_and_export() {
    let a = Env::new();
    let b = Env::new();
    // Every fixture of the repository: more pages than one parallel batch holds.
    let all = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    a.cmd().args(["ingest", "--jobs", "1", all, "--fetched-at", T1]).assert().code(predicate::in_iter([0, 1]));
    b.cmd().args(["ingest", "--jobs", "2", all, "--fetched-at", T1]).assert().code(predicate::in_iter([0, 1]));
    assert_eq!(a.run(&["export"]), b.run(&["export"]));
    a.run(&["dump", "d.zst"]);
    b.run(&["dump", "d.zst"]);
    assert_eq!(std::fs::read(a.path("d.zst")).expect("dump"), std::fs::read(b.path("d.zst")).expect("dump"));
}

#[test]
fn timings_split_the_ingest_by_stage() {
    let env = Env::new();
    let assert = env.cmd().args(["ingest", "--timings", "--fetched-at", T1, DAY1]).assert().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for stage in [
        "open",
        "read",
        "text",
        "clean",
        "split",
        "learn",
        "store",
        "  hash",
        "  compress",
        "  train",
        "flush",
        "compact",
        "other",
        "cpu",
        "wall",
    ] {
        assert!(stderr.lines().any(|l| l.starts_with(stage)), "{stage} missing from:\n{stderr}");
    }
}

/// The cron job's workflow: one `vellum ingest` a day, each a new process. A site's texts are
/// compressed with its dictionary after its first few, and a new process must read that
/// dictionary while it matches a page's articles inside the page's transaction: that read
/// once waited forever on the transaction's own lock.
#[test]
fn eighty_daily_ingests_of_one_site_each_finish() {
    let env = Env::new();
    let dir = env.path("daily");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for day in 0..80 {
        let file = dir.join(format!("day{day:04}.txt"));
        std::fs::write(&file, crate::generated::generated_day(day)).expect("write");
        let at = format!("2025-{:02}-{:02}T06:00:00Z", 1 + day / 28, 1 + day % 28);
        env.cmd()
            .arg("ingest")
            .arg(&file)
            .args(["--site", "gazette", "--fetched-at", &at, "--no-compact"])
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .success();
    }
    let verify = env.run(&["verify"]);
    assert!(verify.contains("all sound"), "{verify}");
}

#[test]
fn a_lock_timeout_that_is_not_a_number_of_seconds_is_a_clear_error() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    for bad in ["NaN", "inf", "-1", "soon"] {
        env.cmd().args(["list", &format!("--lock-timeout={bad}")]).assert().code(2).stderr(
            predicate::str::contains("is not a number of seconds").and(predicate::str::contains("panicked").not()),
        );
    }
    env.cmd().args(["list", "--lock-timeout", "1e9"]).assert().success();
}

#[test]
fn sites_are_named_as_scrapes_are_laid_out_whatever_the_path_given() {
    let env = Env::new();
    let page = std::fs::read(env.path(DAY1)).expect("fixture");
    for rel in
        ["harbour-gazette/2025-12-05.txt", "scrapes/2025-12-06/lakeside-notes.txt", "river-post/2025-12-07/index.html"]
    {
        let path = env.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &page).expect("write");
    }
    // Inside the site's folder, a bare file name: the folder's real name, never ".".
    let inside = env.dir.path().join("harbour-gazette");
    env.cmd().current_dir(&inside).args(["ingest", "2025-12-05.txt", "--fetched-at", T1]).assert().success();
    // `.` as the input, the same page at another time: the same site.
    env.cmd().current_dir(&inside).args(["ingest", ".", "--fetched-at", T2]).assert().success();
    let out = env.cmd().args(["ingest", "scrapes", "river-post", "--fetched-at", T2]).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("sites (pages): lakeside-notes (1), river-post (1)"), "{stderr}");
    let sites: std::collections::BTreeSet<String> =
        env.export().iter().map(|r| r["site"].as_str().unwrap_or("").to_owned()).collect();
    let expected: std::collections::BTreeSet<String> =
        ["harbour-gazette", "lakeside-notes", "river-post"].iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(sites, expected);
}

#[test]
fn an_html_file_with_no_url_given_is_named_by_its_canonical_link() {
    let env = Env::new();
    let html = concat!(
        "<html><head><title>Ferry</title><link rel=\"canonical\" href=\"https://News.Example.org/ferry\"></head>",
        "<body><article><h1>Winter ferries</h1><p>The ferry will run four crossings a day from January, ",
        "the harbour board said on Monday, and a fifth at weekends.</p></article></body></html>"
    );
    std::fs::create_dir_all(env.path("downloads")).expect("mkdir");
    std::fs::write(env.path("downloads/page.html"), html).expect("write");
    env.ingest(&["downloads/page.html"], T1);
    let record = env.export().into_iter().next().expect("a record");
    assert_eq!(
        (record["site"].as_str(), record["url"].as_str()),
        (Some("news.example.org"), Some("https://News.Example.org/ferry"))
    );
    // --site names the site all the same; the URL stays the page's.
    env.cmd()
        .args(["--store", "other", "ingest", "downloads/page.html", "--site", "ferries", "--fetched-at", T1])
        .assert()
        .success();
    let other = env.run(&["--store", "other", "export"]);
    assert!(
        other.contains("\"site\":\"ferries\"") && other.contains("\"url\":\"https://News.Example.org/ferry\""),
        "{other}"
    );
}
