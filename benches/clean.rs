//! Cleaning speed: the median time to clean (and split) one page of a folder of plain-text
//! pages, and the cleaner's throughput in MB of input per second on one core (each page's
//! fastest run of the cleaner alone, summed over the folder). A plain timer rather than
//! criterion, which is not vendored here.
//!
//! `cargo bench --bench clean -- DIR` (DIR defaults to `../shared/corpus/scrapinghub/text`).

use std::time::Instant;

use vellum::clean::clean;
use vellum::segment::{segment, Split};

/// Each page is cleaned this many times and its fastest run kept, to smooth out noise.
const RUNS: usize = 5;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "../shared/corpus/scrapinghub/text".into());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("clean bench: cannot read {dir}; pass a folder of .txt pages");
        return;
    };
    let mut pages: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    pages.sort();
    if pages.is_empty() {
        eprintln!("clean bench: no .txt pages in {dir}");
        return;
    }
    // The cleaner alone, which runs on one thread: seconds over the whole folder.
    let clean_secs: f64 = pages
        .iter()
        .map(|page| {
            (0..RUNS)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(clean(page, None));
                    start.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        })
        .sum();
    let mut ms: Vec<f64> = pages
        .iter()
        .map(|page| {
            (0..RUNS)
                .map(|_| {
                    let start = Instant::now();
                    let articles = segment(&clean(page, None), Split::Auto);
                    std::hint::black_box(articles);
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    let bytes: usize = pages.iter().map(String::len).sum();
    println!(
        "{} pages, {:.0} KiB: clean+segment median {:.3} ms/page, p90 {:.3}, max {:.3}",
        ms.len(),
        bytes as f64 / 1024.0,
        at(0.5),
        at(0.9),
        at(1.0)
    );
    println!(
        "clean alone: {:.1} MB/s of input per core ({:.2} s for {:.1} MB)",
        bytes as f64 / 1e6 / clean_secs,
        clean_secs,
        bytes as f64 / 1e6
    );
}
