//! Measures article splitting on generated pages.
//!
//! Builds multi-article pages from fixture articles (`fixtures/articles/`, format in its
//! README), arranged the way scraped pages arrive: ticker blocks or menus, a page date, two to
//! six articles with date lines in assorted forms, bylines, no-break-space lines, separators and
//! "Advertisement" lines; plus listing pages of teasers. Runs clean and segment on each page and
//! prints the share of pages whose article count is exact, title precision and recall, body F1
//! over word 4-shingles, date accuracy, and listing detection.
//!
//! ```text
//! cargo run --release --example split_eval [-- --articles DIR] [--pages N] [--seed S] [--show N] [--dump K]
//!     [--cleaner vellum|oracle] [--candidates]
//! ```
//!
//! `--cleaner oracle` measures the splitter alone: the page reaches it as a perfect cleaner
//! would leave it (the generated chrome dropped, everything else kept).
//!
//! `--show N` prints the first N wrongly split pages with their titles, the false and missed
//! titles, and the evidence weighed for each candidate decided wrongly; `--dump K` prints page K
//! as generated and stops. `--candidates` prints a tab-separated line for every candidate after
//! a page's first title: `candidate`, whether it is a gold title, whether it started an article,
//! its score, its evidence (`name=weight;...`) and its text.
//!
//! ```text
//! ```

use std::collections::HashSet;
use std::error::Error;
use std::path::PathBuf;

use time::{Date, Duration, OffsetDateTime, Time};
use vellum::clean::{clean, Cleaned, Fate, Line};
use vellum::segment::{segment_page, Split};

/// One fixture article: what the page prints and what the splitter should return.
#[derive(Debug, Clone)]
struct Fixture {
    title: String,
    date: Option<Date>,
    body: String,
}

/// What one generated page should give.
struct Gold {
    titles: Vec<String>,
    dates: Vec<Option<Date>>,
    bodies: Vec<String>,
    /// Lines of page chrome (and the page date) above the first article.
    head: usize,
    /// Lines of page chrome below the last article.
    tail: usize,
}

#[path = "common/rng.rs"]
#[allow(dead_code)]
mod rng;
use rng::Rng;

fn main() -> Result<(), Box<dyn Error>> {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/articles");
    let (mut pages, mut seed, mut show, mut dump, mut oracle) = (300usize, 7u64, 0usize, None, false);
    let mut candidates = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--candidates" {
            candidates = true;
            continue;
        }
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--articles" => dir = PathBuf::from(value),
            "--pages" => pages = value.parse()?,
            "--seed" => seed = value.parse()?,
            "--show" => show = value.parse()?,
            "--dump" => dump = Some(value.parse::<usize>()?),
            "--cleaner" => {
                oracle = match value.as_str() {
                    "vellum" => false,
                    "oracle" => true,
                    _ => return Err("--cleaner takes vellum or oracle".into()),
                }
            }
            _ => return Err(format!("unknown option {arg}").into()),
        }
    }
    let fixtures = load(&dir)?;
    if fixtures.len() < 6 {
        return Err(format!("{}: need at least 6 articles, found {}", dir.display(), fixtures.len()).into());
    }
    let mut rng = Rng(seed);
    let mut score = Score::default();
    for p in 0..pages {
        let (text, fetched, gold) = article_page(&fixtures, &mut rng);
        if dump == Some(p) {
            println!("{text}");
            return Ok(());
        }
        let cleaned = if oracle { oracle_clean(&text, fetched, &gold) } else { clean(&text, Some(fetched)) };
        let seg = segment_page(&cleaned, Split::Auto);
        score.titles_dropped += titles_dropped(&cleaned, &gold);
        if candidates {
            for w in vellum::segment::explain(&cleaned) {
                let score: f64 = w.terms.iter().map(|t| t.1).sum();
                let terms: Vec<String> = w.terms.iter().map(|(n, v)| format!("{n}={v}")).collect();
                println!(
                    "candidate\t{}\t{}\t{score}\t{}\t{}",
                    gold.titles.contains(&w.text),
                    w.started,
                    terms.join(";"),
                    w.text
                );
            }
        }
        let ok = score.add(&gold, &seg.articles, seg.listing);
        if !ok && show > 0 {
            show -= 1;
            eprintln!("=== page {p}: gold {} articles, got {}", gold.titles.len(), seg.articles.len());
            eprintln!("gold titles: {:?}", gold.titles);
            let got: Vec<_> = seg.articles.iter().map(|a| a.title.clone()).collect();
            eprintln!("got titles:  {got:?}");
            for t in got.iter().flatten().filter(|t| !gold.titles.contains(t)) {
                eprintln!("  false title: {t}");
            }
            for t in gold.titles.iter().filter(|t| !got.iter().flatten().any(|g| g == *t)) {
                eprintln!("  missed title: {t}");
            }
            // The evidence weighed for each candidate the splitter got wrong.
            for w in vellum::segment::explain(&cleaned) {
                if w.started != gold.titles.contains(&w.text) {
                    let score: f64 = w.terms.iter().map(|t| t.1).sum();
                    let terms: Vec<String> =
                        w.terms.iter().filter(|t| t.1 != 0.0).map(|(n, v)| format!("{n} {v:+}")).collect();
                    eprintln!("  {} {score:+.1} {:?}: {}", if w.started { "+" } else { "-" }, w.text, terms.join(", "));
                }
            }
        }
    }
    let mut listing_ok = 0;
    let listing_pages = pages / 10;
    for _ in 0..listing_pages {
        let (text, fetched) = listing_page(&fixtures, &mut rng);
        let seg = segment_page(&clean(&text, Some(fetched)), Split::Auto);
        listing_ok += usize::from(seg.listing && seg.articles.len() == 1);
    }
    score.print(pages);
    println!("listing pages recognised:    {listing_ok}/{listing_pages}");
    Ok(())
}

/// The page as a perfect cleaner would leave it: the generated chrome dropped, the first date
/// line above the first article taken as the page date, blank (and no-break-space) lines blank,
/// every other line kept. Measures the splitter on its own.
fn oracle_clean(text: &str, fetched: OffsetDateTime, gold: &Gold) -> Cleaned {
    let count = text.lines().count();
    let mut page_date = None;
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, raw)| {
            let text = raw.trim().to_owned();
            let chrome = i < gold.head || i >= count - gold.tail;
            let fate = if text.is_empty() {
                Fate::Blank
            } else if chrome && page_date.is_none() && i < gold.head {
                match vellum::date::parse_date_line(&text, Some(fetched)) {
                    Some(d) => {
                        page_date = Some(d);
                        Fate::PageDate
                    }
                    None => Fate::RepeatedBlock,
                }
            } else if chrome {
                Fate::RepeatedBlock
            } else {
                Fate::Kept
            };
            Line { number: i + 1, text, fate }
        })
        .collect();
    Cleaned { lines, page_date, fetched_at: Some(fetched), shapes: Vec::new() }
}

fn load(dir: &PathBuf) -> Result<Vec<Fixture>, Box<dyn Error>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        let (head, body) = text.split_once("\n---\n").ok_or(format!("{}: no --- line", path.display()))?;
        let mut title = None;
        let mut date = None;
        for line in head.lines() {
            if let Some(t) = line.strip_prefix("title:") {
                title = Some(t.trim().to_owned());
            } else if let Some(d) = line.strip_prefix("date:") {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                date = Some(Date::parse(d.trim(), &format)?);
            }
        }
        let title = title.ok_or(format!("{}: no title", path.display()))?;
        let body = body.trim().split("\n\n").map(str::trim).collect::<Vec<_>>().join("\n\n");
        out.push(Fixture { title, date, body });
    }
    Ok(out)
}

const TICKER: &[&str] = &["  • KGS/USD = 0.01144 0%", "  • KZT/USD = 0.00191 -0%", "  • TJS/USD = 0.10866 0.18%"];
const MENU: &[&str] = &["Home", "World", "Business", "Culture", "Sport"];
const NBSP: &str = "\u{a0}";

/// Prints `date` in one of the forms pages use.
fn render_date(date: Date, fetched: OffsetDateTime, rng: &mut Rng) -> String {
    let m = date.month();
    let (d, y) = (date.day(), date.year());
    let short = &format!("{m}")[..3];
    let days_back = (fetched.date() - date).whole_days();
    if days_back == 0 && rng.chance(0.5) {
        return format!("Updated {} hours ago", (fetched.hour() as i64 - 1).max(1));
    }
    match rng.below(9) {
        0 => format!("{d} {m} {y}"),
        1 => format!("{m} {d}, {y}"),
        2 => date.to_string(),
        3 => format!("{d:02}.{:02}.{y}", m as u8),
        4 => format!("Published {d} {short} {y}, 10:45"),
        5 => format!("{}, {m} {d}, {y}", date.weekday()),
        6 => format!("Posted on {short}. {d}, {y}"),
        7 => format!("{date}T08:15:00Z"),
        _ => format!("Updated: {d} {m} {y} 4:12 PM"),
    }
}

fn article_page(fixtures: &[Fixture], rng: &mut Rng) -> (String, OffsetDateTime, Gold) {
    let n = 2 + rng.below(5);
    let mut order: Vec<usize> = (0..fixtures.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let chosen: Vec<&Fixture> = order[..n.min(order.len())].iter().map(|&i| &fixtures[i]).collect();
    let newest = chosen.iter().filter_map(|f| f.date).max().unwrap_or(Date::MIN);
    let page_day = newest.max(time::macros::date!(2025 - 12 - 12));
    let fetched = OffsetDateTime::new_utc(page_day, Time::MIDNIGHT) + Duration::hours(14);
    let mut lines: Vec<String> = Vec::new();
    let chrome_kind = rng.below(3);
    match chrome_kind {
        0 => (0..2 + rng.below(7)).for_each(|_| lines.extend(TICKER.iter().map(|s| (*s).to_owned()))),
        1 => (0..2).for_each(|_| lines.extend(MENU.iter().map(|s| (*s).to_owned()))),
        _ => lines.extend(MENU.iter().map(|s| (*s).to_owned())),
    }
    let page_date = rng.chance(0.7).then_some(page_day);
    if let Some(d) = page_date {
        lines.push(render_date(d, fetched, rng));
        lines.push(String::new());
    }
    let mut gold = Gold { titles: Vec::new(), dates: Vec::new(), bodies: Vec::new(), head: lines.len(), tail: 0 };
    for (k, f) in chosen.iter().enumerate() {
        if k > 0 {
            match rng.below(10) {
                0 => lines.extend(["* * *".to_owned(), String::new()]),
                1 => lines.extend(["---".to_owned(), String::new()]),
                2..=4 => lines.extend([NBSP.to_owned(), String::new()]),
                _ => {}
            }
        }
        let date_line = f.date.map(|d| render_date(d, fetched, rng));
        let above = rng.chance(0.15);
        if let (true, Some(d)) = (above, &date_line) {
            lines.extend([d.clone(), String::new()]);
        }
        lines.extend([f.title.clone(), String::new()]);
        let paras: Vec<&str> = f.body.split("\n\n").collect();
        let byline_first = paras.first().is_some_and(|p| p.starts_with("By "));
        let after_byline = byline_first && rng.chance(0.4);
        for (j, p) in paras.iter().enumerate() {
            if j == usize::from(after_byline) && !above {
                if let Some(d) = &date_line {
                    lines.extend([d.clone(), String::new()]);
                }
            }
            if j > 1 && rng.chance(0.05) {
                lines.extend([NBSP.to_owned(), String::new()]);
            }
            if j > 2 && rng.chance(0.04) {
                lines.extend(["Advertisement".to_owned(), String::new()]);
            }
            lines.extend([(*p).to_owned(), String::new()]);
        }
        gold.titles.push(f.title.clone());
        gold.dates.push(f.date.or(page_date));
        gold.bodies.push(f.body.clone());
    }
    if chrome_kind == 1 {
        lines.extend(MENU.iter().map(|s| (*s).to_owned()));
        gold.tail = MENU.len();
    }
    (lines.join("\n"), fetched, gold)
}

/// A page of teasers: headline, sometimes a date line, and the first sentence of the article.
fn listing_page(fixtures: &[Fixture], rng: &mut Rng) -> (String, OffsetDateTime) {
    let fetched = OffsetDateTime::new_utc(time::macros::date!(2025 - 12 - 12), Time::MIDNIGHT) + Duration::hours(9);
    let mut lines: Vec<String> = MENU.iter().map(|s| (*s).to_owned()).collect();
    lines.push(rng.pick(&["Latest news", "Most read", "Opinion"]).to_owned());
    let dated = rng.chance(0.5);
    let n = (5 + rng.below(10)).min(fixtures.len());
    let offset = rng.below(fixtures.len());
    for k in 0..n {
        let f = &fixtures[(k + offset) % fixtures.len()];
        lines.extend([String::new(), f.title.clone(), String::new()]);
        if let (true, Some(d)) = (dated, f.date) {
            lines.extend([render_date(d, fetched, rng), String::new()]);
        }
        let first = f.body.split("\n\n").find(|p| p.split_whitespace().count() > 12).unwrap_or(&f.body);
        let sentence = first.split_inclusive(". ").next().unwrap_or(first).trim();
        lines.push(sentence.to_owned());
    }
    (lines.join("\n"), fetched)
}

/// How many of the page's gold titles the cleaner left out (no kept line holds one).
fn titles_dropped(cleaned: &Cleaned, gold: &Gold) -> usize {
    let kept: HashSet<&str> = cleaned.lines.iter().filter(|l| l.fate == Fate::Kept).map(|l| l.text.as_str()).collect();
    gold.titles.iter().filter(|t| !kept.contains(t.trim())).count()
}

/// Word 4-shingles of a text, lower-cased.
fn shingles(text: &str) -> HashSet<Vec<String>> {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    if words.len() < 4 {
        return std::iter::once(words).collect();
    }
    words.windows(4).map(<[String]>::to_vec).collect()
}

fn f1(gold: &HashSet<Vec<String>>, got: &HashSet<Vec<String>>) -> f64 {
    let common = gold.intersection(got).count() as f64;
    if common == 0.0 {
        return 0.0;
    }
    let (p, r) = (common / got.len() as f64, common / gold.len() as f64);
    2.0 * p * r / (p + r)
}

#[derive(Default)]
struct Score {
    exact: usize,
    titles_got: usize,
    titles_gold: usize,
    /// Gold titles the cleaner did not keep: the splitter cannot find them.
    titles_dropped: usize,
    titles_hit: usize,
    body_f1: f64,
    bodies: usize,
    dates_hit: usize,
    wrongly_listing: usize,
}

impl Score {
    /// Adds one page; returns whether it was split exactly right.
    fn add(&mut self, gold: &Gold, got: &[vellum::Article], listing: bool) -> bool {
        self.wrongly_listing += usize::from(listing);
        let exact = got.len() == gold.titles.len();
        self.exact += usize::from(exact);
        let mut remaining: Vec<&str> = gold.titles.iter().map(String::as_str).collect();
        let mut hits = 0;
        for t in got.iter().filter_map(|a| a.title.as_deref()) {
            self.titles_got += 1;
            if let Some(pos) = remaining.iter().position(|g| *g == t) {
                remaining.swap_remove(pos);
                hits += 1;
            }
        }
        self.titles_hit += hits;
        self.titles_gold += gold.titles.len();
        let got_sh: Vec<_> = got.iter().map(|a| shingles(&a.body)).collect();
        for (k, body) in gold.bodies.iter().enumerate() {
            let g = shingles(body);
            let best = got_sh.iter().enumerate().map(|(j, s)| (f1(&g, s), j)).fold((0.0, None), |acc, (f, j)| {
                if f > acc.0 {
                    (f, Some(j))
                } else {
                    acc
                }
            });
            self.body_f1 += best.0;
            self.bodies += 1;
            if best.1.is_some_and(|j| got[j].date == gold.dates[k]) {
                self.dates_hit += 1;
            }
        }
        exact && hits == gold.titles.len()
    }

    fn print(&self, pages: usize) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        println!("pages:                       {pages}");
        println!("exact article count:         {:.3}", ratio(self.exact, pages));
        println!("title precision:             {:.3}", ratio(self.titles_hit, self.titles_got));
        println!("title recall:                {:.3}", ratio(self.titles_hit, self.titles_gold));
        println!("titles the cleaner dropped:  {:.3}", ratio(self.titles_dropped, self.titles_gold));
        println!("body F1 (4-shingle):         {:.3}", self.body_f1 / self.bodies.max(1) as f64);
        println!("date accuracy:               {:.3}", ratio(self.dates_hit, self.bodies));
        println!("article pages taken as listing: {}", self.wrongly_listing);
    }
}
