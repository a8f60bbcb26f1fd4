//! Revision storage: 100 revisions of a 10 KB article, one sentence changed in each, stored
//! through the real store. Prints how much the stored bytes grew and how long reading each
//! revision takes (median and worst), against the targets of 20 KB and 1 ms.
//!
//! `cargo bench --bench revisions`

use std::time::Instant;

use time::macros::datetime;
use time::Duration;
use vellum::segment::Article;
use vellum::store::{OpenOptions, Store};
use vellum::Page;

const REVISIONS: usize = 100;

/// A 10 KB article of sentences drawn from a 3,000-word vocabulary by a fixed generator, so
/// it compresses about as well as real prose does (zstd alone: about 4.5 KB).
fn article_text() -> Vec<String> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let syllables =
        ["ka", "ri", "to", "men", "sa", "lo", "ver", "an", "dit", "por", "el", "us", "zha", "qu", "ne", "bor"];
    let vocabulary: Vec<String> =
        (0..3000).map(|_| (0..1 + next() % 3).map(|_| syllables[(next() % 16) as usize]).collect::<String>()).collect();
    let mut sentences = Vec::new();
    while sentences.iter().map(|s: &String| s.len() + 1).sum::<usize>() < 10_000 {
        let words: Vec<&str> = (0..8 + next() % 14).map(|_| vocabulary[(next() % 3000) as usize].as_str()).collect();
        let mut sentence = words.join(" ");
        sentence.push('.');
        sentences.push(sentence);
    }
    sentences
}

fn body(sentences: &[String]) -> String {
    sentences.chunks(5).map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n")
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path(), &OpenOptions { create: true, ..OpenOptions::default() }).expect("store");
    let mut sentences = article_text();
    let page = |day: i64| Page {
        source: "bench.txt".into(),
        url: None,
        fetched_at: datetime!(2025-01-01 0:00 UTC) + Duration::days(day),
        site: "bench".into(),
        // One raw page for every revision, so only the revisions' cost is measured.
        raw: b"bench page".to_vec(),
        charset: None,
    };
    let mut article = Article { title: Some("A Ten Kilobyte Article".into()), date: None, body: body(&sentences) };
    let text_len = article.body.len();
    vellum::archive::store_page(&store, &page(0), &[("bench\0a ten kilobyte article".into(), &article)], false, None)
        .expect("first");
    store.flush().expect("flush");
    let first = store.stats().expect("stats");
    for r in 1..REVISIONS {
        let i = (r * 7) % sentences.len();
        sentences[i] = format!("In revision {r}, {}", sentences[i]);
        article.body = body(&sentences);
        vellum::archive::store_page(
            &store,
            &page(r as i64),
            &[("bench\0a ten kilobyte article".into(), &article)],
            false,
            None,
        )
        .expect("revise");
    }
    store.flush().expect("flush");
    let last = store.stats().expect("stats");
    let id = store.articles().next().expect("one article").expect("article").id;
    let revisions = store.revisions(id).expect("revisions");
    assert_eq!(revisions.len(), REVISIONS);
    let mut times = Vec::new();
    for revision in &revisions {
        let best = (0..5)
            .map(|_| {
                let start = Instant::now();
                let text = store.text(revision).expect("read");
                std::hint::black_box(text);
                start.elapsed()
            })
            .min()
            .unwrap_or_default();
        times.push((best, revision.number.0));
    }
    let newest = times.last().map(|t| t.0).unwrap_or_default();
    times.sort();
    let median = times[times.len() / 2].0;
    let (worst, worst_rev) = times[times.len() - 1];
    let growth = last.stored_bytes - first.stored_bytes;
    println!("article: {text_len} bytes; revision 1 stored in {} bytes", first.stored_bytes);
    println!(
        "{} more revisions, one sentence changed in each: stored bytes grew by {growth} ({:.1} KB; target <= 20 KB; git 41.6 KB)",
        REVISIONS - 1,
        growth as f64 / 1000.0
    );
    println!(
        "read one revision: newest {:.3} ms, median {:.3} ms, worst {:.3} ms (revision {worst_rev}); target < 1 ms",
        newest.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
}
