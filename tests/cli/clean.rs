//! `vellum clean`.

use crate::{Env, DAY1, T1};

#[test]
fn jsonl_has_one_record_per_article_with_the_store_ids_but_no_store_fields() {
    let env = Env::new();
    let out = env.run(&["clean", "--fetched-at", T1, DAY1]);
    let records: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(records.len(), 4);
    assert_eq!(records[1]["title"], "Mountain Schools Get Their First Science Laboratories");
    assert_eq!(records[1]["date"], "2025-12-03");
    assert_eq!(records[2]["date"], "2025-11-28");
    assert_eq!(records[0]["date"], "2025-12-12", "the page date is the fallback");
    for r in &records {
        assert!(r.get("revision").is_none() && r.get("first_seen").is_none());
        assert_eq!(r["added"], T1, "Dolma's added is the fetch time");
        let text = r["text"].as_str().expect("text");
        assert!(!text.contains("USD ="), "ticker left in: {text}");
        assert_eq!(r["hash"], crate::revision_hash(r).as_str());
    }
    assert!(records[0]["text"].as_str().is_some_and(|t| t.contains("\n\nConclusion\n\n")), "subheadings stay in");
    assert!(!env.store().exists());
    env.ingest(&[DAY1], T1);
    let stored: Vec<serde_json::Value> = env.export();
    for r in &records {
        assert!(
            stored.iter().any(|s| s["id"] == r["id"] && s["title"] == r["title"]),
            "{} has the store's id",
            r["title"]
        );
    }
}

#[test]
fn json_and_text_formats() {
    let env = Env::new();
    let json: serde_json::Value = serde_json::from_str(&env.run(&["clean", "--format", "json", DAY1])).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(4));
    let text = env.run(&["clean", "--format", "text", DAY1]);
    assert!(
        text.starts_with("Grain Exports Through the Caspian Reach a Record\n2025-12-12\n\nGrain shipments"),
        "{text}"
    );
    assert_eq!(text.matches("\n---\n").count(), 3);
}

#[test]
fn split_none_keeps_the_page_whole() {
    let env = Env::new();
    let out = env.run(&["clean", "--split", "none", DAY1]);
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn explain_names_the_fate_of_every_line() {
    let env = Env::new();
    let out = env.run(&["clean", "--explain", DAY1]);
    let page = std::fs::read_to_string(env.path(DAY1)).expect("fixture");
    assert_eq!(out.lines().count(), page.lines().count());
    assert!(out.lines().next().is_some_and(|l| l.contains("repeated-block") && l.contains("KGS/USD")), "{out}");
    assert!(out.lines().any(|l| l.contains("kept") && l.contains("Grain Exports Through the Caspian")));
}

/// The mapper contract (Hadoop Streaming, Spark's RDD.pipe): records in on stdin, articles out
/// on stdout, a malformed line named with its number while the lines after it still go through.
#[test]
fn a_json_lines_stream_with_a_malformed_line_in_the_middle() {
    let env = Env::new();
    let page = |n: usize| {
        serde_json::json!({"url": format!("https://town.example/notes/{n}"), "fetched_at": "2025-12-12T07:30:00Z",
            "text": format!("Town Notes {n}\n\nThe library will close early on day {n} for the staff party.\n")})
        .to_string()
    };
    let mut lines: Vec<String> = (1..=5).map(page).collect();
    lines.insert(2, "{\"url\": \"https://broken.example/\", \"text\": ".to_owned());
    let out = env.cmd().args(["clean", "--jsonl", "-"]).write_stdin(lines.join("\n") + "\n").assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).expect("utf-8");
    assert!(stderr.contains("-: line 3: not a page record"), "{stderr}");
    let stdout = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    let records: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    let urls: Vec<&str> = records.iter().filter_map(|r| r["url"].as_str()).collect();
    assert_eq!(urls, (1..=5).map(|n| format!("https://town.example/notes/{n}")).collect::<Vec<_>>());
}

#[test]
fn a_page_of_millions_of_lines_is_cleaned_from_its_first_lines_with_a_warning() {
    let env = Env::new();
    let page = env.path("lines.txt");
    let mut text = String::from("A Headline About Many Lines\n\n");
    for i in 0..(vellum::process::MAX_LINES + 50_000) {
        text.push_str(&format!("w{}\n", i % 977));
    }
    std::fs::write(&page, text).expect("write");
    let out = env.cmd().args(["clean", "--format", "jsonl"]).arg(&page).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("warning") && stderr.contains("only its first 100000"), "{stderr}");
}

#[test]
fn a_url_given_as_a_file_says_vellum_reads_files() {
    let env = Env::new();
    let out = env.cmd().args(["clean", "https://news.example/today"]).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("vellum reads files, not URLs"), "{stderr}");
}

#[test]
fn split_none_gives_the_page_an_id_of_its_own_in_clean_and_ingest() {
    let env = Env::new();
    let whole = env.run(&["clean", "--split", "none", DAY1]);
    let whole: serde_json::Value = serde_json::from_str(whole.trim()).expect("json");
    let split = env.run(&["clean", DAY1]);
    for line in split.lines() {
        let article: serde_json::Value = serde_json::from_str(line).expect("json");
        assert_ne!(article["id"], whole["id"], "the page's id is not {}'s", article["title"]);
    }
    env.cmd().args(["ingest", "--split", "none", "--fetched-at", T1, DAY1]).assert().success();
    let stored = env.export();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["id"], whole["id"]);
}
