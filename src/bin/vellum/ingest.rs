//! `vellum ingest`: pages into the store.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use vellum::archive::{compact_after, Event, Ingester, Summary};
use vellum::process::ProcessOptions;
use vellum::timings::{self, Stage};

use crate::cli::{now, Cli, IngestArgs};
use crate::exit;
use crate::output::{printable, printable_lines};

pub fn run(cli: &Cli, args: &IngestArgs) -> Result<u8> {
    let started = std::time::Instant::now();
    if args.timings {
        vellum::timings::enable();
    }
    let mut input = args.input.input_options(now()?)?;
    input.exclude.push(cli.store.clone());
    let options = ProcessOptions { split: args.input.split.into(), ..ProcessOptions::default() };
    let jobs = args.jobs.map_or_else(|| std::thread::available_parallelism().map_or(1, usize::from), usize::from);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().context("starting worker threads")?;
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    // The bytes to read, when they can be known ahead (files and folders; not stdin or pipes),
    // for a bar with a percentage and a time left.
    let total = show_progress.then(|| input_bytes(&args.input.paths, args.input.jsonl.as_deref())).flatten();
    let progress = Progress::new(show_progress, total);
    let mut pages = args.input.pages(&input);
    let mut tally = Tally { verbose: args.verbose, ..Tally::default() };
    // The store is opened at the first page that reads (a busy store fails fast), so that a
    // run whose every input fails creates nothing.
    let mut first = None;
    while let Some(page) = timings::time(Stage::Read, || pages.next()) {
        match page {
            Ok(page) => {
                first = Some(page);
                break;
            }
            Err(err) => tally.failed(&err, &progress),
        }
    }
    let mut store = None;
    if let Some(first) = first {
        let opened = timings::time(Stage::Open, || cli.open_store(true))?;
        let mut ingester = timings::time(Stage::Open, || Ingester::new(&opened, options))?;
        let rest = std::iter::once(Ok(first)).chain(&mut pages);
        let stored = ingester.ingest_all(rest, &pool, args.flush_every, &mut |event| tally.take(event, &progress))?;
        // The pipeline's totals, and the inputs that failed before the store was opened.
        tally.summary = Summary { failures: stored.failures + tally.summary.failures, ..stored };
        drop(ingester);
        store = Some(opened);
    }
    if let Some(e) = tally.report_failed {
        return Err(e).context("writing the pages stored");
    }
    let (summary, sites) = (tally.summary, tally.sites);
    progress.finish();
    if let Some(store) = store.filter(|_| !args.no_compact) {
        // Everything is durable by now: a compaction that fails leaves the store as it was,
        // and the pages stored, so it warns (as git's automatic gc does) and changes no exit code.
        match timings::time(Stage::Compact, || compact_after(store, || cli.open_store(false))) {
            Ok(Some(report)) if !args.quiet => eprintln!("vellum: {}", crate::compact::describe(&report)),
            Ok(_) => {}
            Err(e) => eprintln!("vellum: warning: the store was not compacted: {}", printable_lines(&format!("{e:#}"))),
        }
    }
    if pages.skipped_records() > 0 {
        eprintln!("vellum: note: {} WARC records skipped (no HTML or text response)", pages.skipped_records());
    }
    println!("{summary}");
    if sites.len() > 1 && !args.quiet {
        // Site names come from URLs, --site or where the files lie: say which were used, so a
        // layout that names sites wrongly shows at once.
        let shown: Vec<String> =
            sites.iter().take(SITES_SHOWN).map(|(site, n)| format!("{} ({n})", printable(site))).collect();
        let more = sites.len().saturating_sub(SITES_SHOWN);
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        eprintln!("vellum: sites (pages): {}{more}", shown.join(", "));
    }
    if args.timings {
        print_timings(started.elapsed());
    }
    Ok(if summary.failures > 0 { exit::PARTIAL } else { exit::OK })
}

/// Prints the CPU time spent in each stage (summed over threads), the process's CPU time and
/// the part of it outside every stage (starting, sled's own threads, closing), and the wall
/// time, on stderr.
fn print_timings(wall: std::time::Duration) {
    let mut lines = vec![format!("{:<10} {:>9}", "stage", "cpu s")];
    let mut staged = std::time::Duration::ZERO;
    for (stage, spent) in timings::totals() {
        let name = if stage.within_store() { format!("  {}", stage.name()) } else { stage.name().to_owned() };
        if !stage.within_store() {
            staged += spent;
        }
        lines.push(format!("{name:<10} {:>9.3}", spent.as_secs_f64()));
    }
    if let Some(cpu) = timings::process_cpu() {
        lines.push(format!("{:<10} {:>9.3}", "other", cpu.saturating_sub(staged).as_secs_f64()));
        lines.push(format!("{:<10} {:>9.3}", "cpu", cpu.as_secs_f64()));
    }
    lines.push(format!("{:<10} {:>9.3}", "wall", wall.as_secs_f64()));
    eprintln!("{}", lines.join("\n"));
}

/// The most site names the summary lists.
const SITES_SHOWN: usize = 12;

/// The run's totals (inputs that failed before the store opened, then the pipeline's), the
/// pages per site, and what is reported once it is durable.
#[derive(Default)]
struct Tally {
    summary: Summary,
    /// Pages read per site.
    sites: std::collections::BTreeMap<String, u64>,
    verbose: bool,
    /// Pages stored since the last flush, reported (with --verbose) once they are durable.
    unflushed: Vec<String>,
    /// Writing that report failed (stdout closed): said once the pages are in.
    report_failed: Option<std::io::Error>,
}

impl Tally {
    /// Counts what the pipeline reports, prints warnings and failures, and with --verbose the
    /// pages stored once they are durable.
    fn take(&mut self, event: Event, progress: &Progress) {
        match event {
            Event::Stored(page, outcome) => {
                for warning in &outcome.warnings {
                    progress.println(&format!("vellum: warning: {}: {warning}", printable(&page.source)));
                }
                *self.sites.entry(page.site.clone()).or_default() += 1;
                progress.page(page.raw.len() as u64);
                if self.verbose {
                    let line = format!(
                        "{} {}: fetch {}, {} articles",
                        if outcome.reread { "stored before" } else { "stored" },
                        printable(&page.source),
                        outcome.fetch,
                        outcome.articles.len()
                    );
                    self.unflushed.push(line);
                }
            }
            // Counted by the pipeline.
            Event::Failed(err) => progress.println(&format!("vellum: {}", printable_lines(&err.to_string()))),
            // stdout gone is no reason to stop storing pages.
            Event::Durable => {
                if let Err(e) = report(&mut self.unflushed) {
                    self.report_failed.get_or_insert(e);
                }
            }
        }
    }

    /// An input that failed before the store was opened: said on stderr, counted.
    fn failed(&mut self, err: &vellum::Error, progress: &Progress) {
        progress.println(&format!("vellum: {}", printable_lines(&err.to_string())));
        self.summary.failures += 1;
    }
}

fn report(lines: &mut Vec<String>) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for line in lines.drain(..) {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

/// The bytes of the files under `paths` (and the `--jsonl` file), or `None` when any is not a
/// file or folder whose size is known ahead (stdin, a pipe).
fn input_bytes(paths: &[std::path::PathBuf], jsonl: Option<&std::path::Path>) -> Option<u64> {
    let mut total = 0u64;
    for path in paths.iter().map(std::path::PathBuf::as_path).chain(jsonl) {
        if path.as_os_str() == "-" {
            return None;
        }
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() {
            let files = walkdir::WalkDir::new(path).follow_links(false).into_iter().flatten();
            total += files
                .filter_map(|e| e.metadata().ok())
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len())
                .sum::<u64>();
        } else if meta.is_file() {
            total += meta.len();
        } else {
            return None;
        }
    }
    Some(total)
}

/// A progress line on a terminal: pages, megabytes, rates, and with a known total a bar, its
/// percentage and the time left. Nothing when not a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    bytes: std::cell::Cell<u64>,
    pages: std::cell::Cell<u64>,
    started: std::time::Instant,
}

impl Progress {
    fn new(show: bool, total: Option<u64>) -> Self {
        let bar = show.then(|| {
            let (bar, template) = match total {
                Some(total) => {
                    (indicatif::ProgressBar::new(total), "{bar:30} {percent:>3}% {msg} [{elapsed} elapsed, {eta} left]")
                }
                None => (indicatif::ProgressBar::new_spinner(), "{spinner} {msg} [{elapsed}]"),
            };
            let style = indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            bytes: std::cell::Cell::new(0),
            pages: std::cell::Cell::new(0),
            started: std::time::Instant::now(),
        }
    }

    fn page(&self, bytes: u64) {
        self.bytes.set(self.bytes.get() + bytes);
        self.pages.set(self.pages.get() + 1);
        if let Some(bar) = &self.bar {
            let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
            let mb = self.bytes.get() as f64 / 1e6;
            bar.set_position(self.bytes.get());
            bar.set_message(format!(
                "{} pages, {mb:.1} MB read, {:.1} MB/s, {:.0} pages/s",
                self.pages.get(),
                mb / seconds,
                self.pages.get() as f64 / seconds
            ));
        }
    }

    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
