//! Measures the body similarity behind identity across edited headlines
//! (`vellum::archive::sketch`): between different articles, and between an article and edited versions
//! of it, so that the threshold `SAME_ARTICLE` stands between the two.
//!
//! ```text
//! cargo run --release --example ident_eval [-- DIR...]
//! ```
//!
//! Each DIR holds articles in the `fixtures/articles` format (default: `fixtures/articles`;
//! `scripts/real-articles.py` writes the scrapinghub corpus's real bodies that way). Each
//! folder is taken as one site. Edits are made with a fixed seed: one sentence reworded, a
//! fifth of the sentences reworded, a paragraph appended (an update), the last paragraph cut,
//! a correction note on top, half the length appended. Also measured: a templated site whose
//! pieces differ only in their subject (the kind of site the threshold must keep apart).

use std::error::Error;
use std::path::PathBuf;

use vellum::archive::sketch::{title_fits, Sketch, SAME_ARTICLE};

#[path = "common/rng.rs"]
#[allow(dead_code)]
mod rng;
use rng::Rng;

fn load(dir: &PathBuf) -> Result<Vec<(String, String)>, Box<dyn Error>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        if let Some((head, body)) = text.split_once("\n---\n") {
            let title = head.lines().find_map(|l| l.strip_prefix("title:")).unwrap_or_default().trim();
            out.push((title.to_owned(), body.trim().to_owned()));
        }
    }
    Ok(out)
}

/// Rewords a sentence: every third word replaced.
fn reword(sentence: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = sentence.split(' ').collect();
    let offset = rng.below(3);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| if i % 3 == offset { format!("x{}", rng.below(1000)) } else { (*w).to_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sentences, each with what follows it (a space or a paragraph break), so they rejoin whole.
fn sentences(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, para) in body.split("\n\n").enumerate() {
        let mut parts: Vec<String> = para.split_inclusive(". ").map(str::to_owned).collect();
        if i > 0 {
            parts[0].insert_str(0, "\n\n");
        }
        out.extend(parts);
    }
    out
}

/// The edits a newsroom makes, by name.
fn edits(body: &str, other: &str, rng: &mut Rng) -> Vec<(&'static str, String)> {
    let s = sentences(body);
    let mut one = s.clone();
    let k = rng.below(one.len());
    one[k] = reword(&one[k], rng);
    let mut fifth = s;
    for sentence in fifth.iter_mut() {
        if rng.below(5) == 0 {
            *sentence = reword(sentence, rng);
        }
    }
    let paras: Vec<&str> = body.split("\n\n").collect();
    let extra = other.split("\n\n").next().unwrap_or("");
    let half: String = other.chars().take(body.len() / 2).collect();
    vec![
        ("one sentence reworded", one.concat()),
        ("a fifth of sentences reworded", fifth.concat()),
        ("a paragraph appended", format!("{body}\n\n{extra}")),
        ("last paragraph cut", paras[..paras.len().saturating_sub(1).max(1)].join("\n\n")),
        (
            "correction note on top",
            format!("Correction: an earlier version of this article misstated a figure.\n\n{body}"),
        ),
        ("half its length appended", format!("{body}\n\n{half}")),
    ]
}

fn quantiles(mut v: Vec<f64>) -> String {
    if v.is_empty() {
        return "n=0".into();
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    let above = v.iter().filter(|&&x| x >= SAME_ARTICLE).count();
    format!(
        "n={:<5} min {:.3}  p5 {:.3}  median {:.3}  p95 {:.3}  max {:.3}  >= {SAME_ARTICLE}: {above}",
        v.len(),
        q(0.0),
        q(0.05),
        q(0.5),
        q(0.95),
        q(1.0)
    )
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        dirs.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/articles"));
    }
    for dir in &dirs {
        let (titles, bodies): (Vec<String>, Vec<String>) = load(dir)?.into_iter().unzip();
        let sketches: Vec<(usize, Sketch)> =
            bodies.iter().enumerate().filter_map(|(i, b)| Sketch::of(b).map(|s| (i, s))).collect();
        println!("== {} ({} articles, {} long enough to sketch)", dir.display(), bodies.len(), sketches.len());
        let mut different = Vec::new();
        let mut candidates = 0usize;
        for (a, (_, x)) in sketches.iter().enumerate() {
            for (_, y) in &sketches[a + 1..] {
                different.push(x.jaccard(y));
                candidates += usize::from(x.buckets.iter().zip(&y.buckets).any(|(p, q)| p == q));
            }
        }
        println!("different articles:             {}  (LSH candidates: {candidates})", quantiles(different));
        let mut rng = Rng(7);
        let (mut fitting, mut edited_total) = (0, 0);
        let mut by_kind: Vec<(&str, Vec<f64>, usize)> = Vec::new();
        for (k, (i, x)) in sketches.iter().enumerate() {
            let other = &bodies[sketches[(k + 1) % sketches.len()].0];
            for (name, edited) in edits(&bodies[*i], other, &mut rng) {
                let Some(y) = Sketch::of(&edited) else { continue };
                let slot = match by_kind.iter().position(|(n, ..)| *n == name) {
                    Some(p) => p,
                    None => {
                        by_kind.push((name, Vec::new(), 0));
                        by_kind.len() - 1
                    }
                };
                by_kind[slot].1.push(x.jaccard(&y));
                fitting += usize::from(title_fits(&titles[*i], &edited, &bodies[*i]));
                edited_total += 1;
                by_kind[slot].2 += usize::from(x.buckets.iter().zip(&y.buckets).any(|(p, q)| p == q));
            }
        }
        for (name, values, found) in by_kind {
            let n = values.len();
            println!("{name:<31} {}  (LSH finds {found}/{n})", quantiles(values));
        }
        println!("headline fits its edited text:  {fitting}/{edited_total}");
    }
    let subjects = ["cranes", "ferries", "pilots", "tugboats", "customs officers", "fishermen", "welders"];
    let places = ["north quay", "old basin", "grain terminal", "ferry ramp", "dry dock", "fish market", "breakwater"];
    let templated: Vec<(String, String)> = (0..7)
        .map(|n| {
            let (who, place) = (subjects[n], places[n]);
            (
                format!("The {place} Gets Busier With {who}"),
                format!(
                    "Along the {place}, the {who} worked through the night as the season turned, and the harbour \
                 master praised their patience with the weather.\n\nResidents near the {place} said the noise of \
                 the {who} was a small price for the jobs that returned with them this autumn.\n\nSign up for our \
                 newsletter to get the best stories of the week in your inbox every Friday morning."
                ),
            )
        })
        .collect();
    let mut values = Vec::new();
    let mut fits = 0;
    for (a, (_, x)) in templated.iter().enumerate() {
        for (title, y) in &templated[a + 1..] {
            let (sx, sy) = (Sketch::of(x).ok_or("short")?, Sketch::of(y).ok_or("short")?);
            values.push(sx.jaccard(&sy));
            fits += usize::from(title_fits(title, y, x));
        }
    }
    println!("== templated pieces (tests/cli/knowledge.rs's site)");
    println!("different articles:             {}  (headline fits: {fits})", quantiles(values));
    Ok(())
}
