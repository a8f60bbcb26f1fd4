//! Prints the main text vellum extracts from an HTML page (gzip allowed): what the cleaner reads.
//!
//! `cargo run --release --example extract_html -- page.html.gz`

use time::OffsetDateTime;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = vellum::input::InputOptions::new(OffsetDateTime::UNIX_EPOCH);
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    for page in vellum::input::pages(&paths, &options) {
        let page = page?;
        print!("{}", vellum::process::main_text(&page)?);
    }
    Ok(())
}
