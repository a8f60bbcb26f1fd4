//! Prints why a plain-text page was split as it was: the blocks' fates from the cleaner, then
//! every candidate heading after the page's first title with the evidence weighed for it.
//!
//! ```text
//! cargo run --release --example split_why -- PAGE.txt [--all]
//! ```
//!
//! Without `--all`, only candidates with a non-zero term are listed with their terms.

use std::error::Error;

use vellum::clean::clean;
use vellum::segment::{explain, segment_page, Split};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: split_why PAGE.txt")?;
    let text = std::fs::read_to_string(&path)?;
    let cleaned = clean(&text, None);
    let seg = segment_page(&cleaned, Split::Auto);
    for w in explain(&cleaned) {
        let score: f64 = w.terms.iter().map(|t| t.1).sum();
        let terms: Vec<String> = w.terms.iter().filter(|t| t.1 != 0.0).map(|(n, v)| format!("{n} {v:+}")).collect();
        println!("{}\t{score:+5.1}\t{}\t{}", if w.started { "+" } else { "-" }, w.text, terms.join(", "));
    }
    println!("--- {} articles{}", seg.articles.len(), if seg.listing { " (listing)" } else { "" });
    for a in &seg.articles {
        println!("  {:?} {:?} {} words", a.title, a.date, a.body.split_whitespace().count());
    }
    Ok(())
}
