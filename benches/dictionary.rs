//! Trained zstd dictionaries: how much smaller small article texts get when compressed against
//! a dictionary trained on other texts, and what it costs in speed.
//!
//! `cargo bench --bench dictionary [-- FOLDER]` reads every `.txt` file under FOLDER (default
//! `fixtures/articles`), sorts them by name, trains on every other text and compresses the rest,
//! alone and against dictionaries of several sizes (the store trains
//! [`DICTIONARY_BYTES`]). Texts the dictionary never saw are measured,
//! so the gain is what a new article gets.

use std::path::PathBuf;
use std::time::Instant;

use vellum::store::DICTIONARY_BYTES;

fn main() {
    let folder = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(|| PathBuf::from("fixtures/articles"), PathBuf::from);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("read the texts folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let texts: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).expect("read a text")).collect();
    let (train, test): (Vec<_>, Vec<_>) = texts.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let train: Vec<&[u8]> = train.into_iter().map(|(_, t)| t.as_slice()).collect();
    let test: Vec<&[u8]> = test.into_iter().map(|(_, t)| t.as_slice()).collect();
    let train_bytes: usize = train.iter().map(|t| t.len()).sum();
    let test_bytes: usize = test.iter().map(|t| t.len()).sum();
    println!(
        "{}: {} texts; training on {} ({} KB), measuring {} ({} KB, median {} B)",
        folder.display(),
        texts.len(),
        train.len(),
        train_bytes / 1000,
        test.len(),
        test_bytes / 1000,
        median(test.iter().map(|t| t.len()).collect())
    );
    let alone: usize = test.iter().map(|t| zstd::bulk::compress(t, 3).expect("compress").len()).sum();
    println!("{:<28} {:>9} B", "zstd -3 alone", alone);
    for size in [DICTIONARY_BYTES / 4, DICTIONARY_BYTES, 4 * DICTIONARY_BYTES] {
        let started = Instant::now();
        let Ok(dict) = zstd::dict::from_samples(&train, size) else {
            println!("{:<28} too few samples", format!("dictionary {} KB", size / 1024));
            continue;
        };
        let trained = started.elapsed();
        let prepared = zstd::dict::EncoderDictionary::copy(&dict, 3);
        let mut compressor = zstd::bulk::Compressor::with_prepared_dictionary(&prepared).expect("compressor");
        let started = Instant::now();
        let with: usize = test.iter().map(|t| compressor.compress(t).expect("compress").len()).sum();
        let rate = test_bytes as f64 / started.elapsed().as_secs_f64() / 1e6;
        println!(
            "{:<28} {:>9} B  {:>5.1}% smaller  trained in {:>5.0} ms  {:>4.0} MB/s",
            format!("dictionary {} KB", dict.len() / 1024),
            with,
            100.0 * (1.0 - with as f64 / alone as f64),
            trained.as_secs_f64() * 1e3,
            rate
        );
    }
}

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}
