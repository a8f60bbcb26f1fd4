//! HTML extraction speed: the time [`vellum::extract::extract_page`] takes per page over a
//! folder of HTML pages (gzip or zstd allowed), in process, after reading and decoding. A plain
//! timer rather than criterion, which is not vendored here.
//!
//! `cargo bench --bench html -- DIR` (DIR defaults to `../shared/corpus/wcxb-dev/html`; the
//! bench says so and stops when it is absent).

use std::time::Instant;

use vellum::extract as html;
use vellum::input::{decode_html, decompress, looks_like_html};

/// Each page is extracted this many times and its fastest run kept, to smooth out noise.
const RUNS: usize = 3;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "../shared/corpus/wcxb-dev/html".into());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("html bench: cannot read {dir}; pass a folder of HTML pages");
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    paths.sort();
    let pages: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            let name = p.display().to_string();
            let bytes = decompress(&name, std::fs::read(p).ok()?, vellum::input::DEFAULT_PAGE_LIMIT).ok()?;
            looks_like_html(&bytes).then(|| decode_html(&name, &bytes, None).ok().map(|t| t.into_owned()))?
        })
        .collect();
    if pages.is_empty() {
        eprintln!("html bench: no HTML pages in {dir}");
        return;
    }
    let mut bounded = 0;
    let mut ms: Vec<f64> = pages
        .iter()
        .map(|page| {
            let mut best = f64::MAX;
            for _ in 0..RUNS {
                let start = Instant::now();
                let extracted = html::extract_page(page);
                best = best.min(start.elapsed().as_secs_f64() * 1000.0);
                if extracted.bounded {
                    bounded += 1;
                }
                std::hint::black_box(extracted);
            }
            best
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    let total: f64 = ms.iter().sum();
    let mb = pages.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!(
        "{} pages, {mb:.1} MB: median {:.2} ms, p95 {:.2} ms, max {:.1} ms, mean {:.2} ms; {} pages cut to bounds",
        ms.len(),
        at(0.5),
        at(0.95),
        at(1.0),
        total / ms.len() as f64,
        bounded / RUNS
    );
}
