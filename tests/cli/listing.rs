//! A listing page (a front page of teasers) is stored as one document, and says so in exports.

use crate::{Env, DAY1, T1};

#[test]
fn a_listing_pages_document_is_exported_with_listing_true() {
    let env = Env::new();
    let listing = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/segment/listing.txt");
    std::fs::create_dir_all(env.path("front")).expect("mkdir");
    std::fs::copy(listing, env.path("front/index.txt")).expect("copy");
    env.ingest(&["front/index.txt", DAY1], T1);
    let records = env.export();
    let flagged: Vec<&serde_json::Value> = records.iter().filter(|r| r["listing"] == true).collect();
    assert_eq!(flagged.len(), 1, "{records:?}");
    assert_eq!(flagged[0]["site"], "front");
    assert_eq!(flagged[0]["title"], serde_json::Value::Null);
    // Articles carry no listing field at all, so their records are as before.
    assert!(records.iter().filter(|r| r["site"] != "front").all(|r| r.get("listing").is_none()));
    let id = flagged[0]["id"].as_str().expect("id");
    let shown: serde_json::Value = serde_json::from_str(&env.run(&["show", id, "--format", "json"])).expect("json");
    assert_eq!(shown["listing"], true);
}
