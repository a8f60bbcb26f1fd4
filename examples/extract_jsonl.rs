//! Prints, for every HTML page under the given paths, one JSON line `{"file", "text"}` with
//! the main text vellum extracts, before cleaning: the extraction stage alone, for scoring.
//!
//! `cargo run --release --example extract_jsonl -- DIR`

use time::OffsetDateTime;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = vellum::input::InputOptions::new(OffsetDateTime::UNIX_EPOCH);
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    for page in vellum::input::pages(&paths, &options) {
        let page = page?;
        let text = vellum::process::main_text(&page)?;
        println!("{}", serde_json::json!({ "file_path": page.source, "text": text }));
    }
    Ok(())
}
