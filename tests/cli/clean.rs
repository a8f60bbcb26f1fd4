//! `vellum clean`.

use crate::{Env, DAY1};

#[test]
fn jsonl_has_one_record_per_article_without_store_fields() {
    let env = Env::new();
    let out = env.run(&["clean", DAY1]);
    let records: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(records.len(), 4);
    assert_eq!(records[1]["title"], "Mountain Schools Get Their First Science Laboratories");
    assert_eq!(records[1]["date"], "2025-12-03");
    assert_eq!(records[2]["date"], "2025-11-28");
    assert_eq!(records[0]["date"], "2025-12-12", "the page date is the fallback");
    for r in &records {
        assert!(r.get("id").is_none());
        let text = r["text"].as_str().expect("text");
        assert!(!text.contains("USD ="), "ticker left in: {text}");
        assert_eq!(r["hash"], blake3::hash(text.as_bytes()).to_hex().as_str());
    }
    assert!(records[0]["text"].as_str().is_some_and(|t| t.contains("\n\nConclusion\n\n")), "subheadings stay in");
    assert!(!env.store().exists());
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
