//! The command-line definitions (clap), and turning them into library options.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Keep archives of the web's text: ingest raw scrapes, strip boilerplate, split pages into
/// articles, and store every article's revisions, content-addressed and compressed.
#[derive(Debug, Parser)]
#[command(name = "vellum", version, max_term_width = 100)]
pub struct Cli {
    /// The store's folder.
    #[arg(long, global = true, env = "VELLUM_STORE", default_value = "vellum-store")]
    pub store: PathBuf,

    /// Seconds to wait while another vellum process holds the store (at most a day).
    #[arg(
        long,
        global = true,
        env = "VELLUM_LOCK_TIMEOUT",
        default_value = "2",
        value_name = "SECONDS",
        value_parser = parse_lock_timeout
    )]
    pub lock_timeout: std::time::Duration,

    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Opens the store; only `ingest` creates one.
    pub fn open_store(&self, create: bool) -> Result<vellum::store::Store> {
        self.open_store_with(&vellum::store::OpenOptions { create, ..Default::default() })
    }

    /// Opens the store only to read it: a store the user cannot write is read from a private
    /// copy of sled's files (see `OpenOptions::read_only`).
    pub fn read_store(&self) -> Result<vellum::store::Store> {
        self.open_store_with(&vellum::store::OpenOptions { read_only: true, ..Default::default() })
    }

    /// Opens the store with `options`, waiting for a lock as `--lock-timeout` says.
    pub fn open_store_with(&self, options: &vellum::store::OpenOptions) -> Result<vellum::store::Store> {
        let options = vellum::store::OpenOptions { lock_timeout: self.lock_timeout, ..options.clone() };
        Ok(vellum::store::Store::open(&self.store, &options)?)
    }
}

/// vellum's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read pages into the store: clean them, split them into articles, and keep a new
    /// revision of every article whose text changed.
    Ingest(IngestArgs),
    /// Clean and split pages without a store, printing the articles.
    Clean(CleanArgs),
    /// List the stored articles: id, latest revision, date, title.
    List(ListArgs),
    /// Show one article (its latest revision, or ID@REV).
    Show(ShowArgs),
    /// List an article's revisions with their times, sizes and hashes.
    Log(LogArgs),
    /// Word-level diff of two revisions of an article (default: the last two).
    /// Exits 0 when they are equal, 1 when they differ.
    Diff(DiffArgs),
    /// Export the latest revision of every article.
    Export(ExportArgs),
    /// List every article with a new revision in a time window, with words added and removed.
    Changes(ChangesArgs),
    /// Re-read every stored value, re-hash every blob and check every reference.
    /// Exits 0 only when all is sound.
    Verify(VerifyArgs),
    /// Count pages, articles, revisions and bytes.
    Stats(StatsArgs),
    /// Rewrite the storage engine's database without the space it holds for rewritten records,
    /// as `git gc` repacks (the value file is kept as it is). Needs room for the copy.
    Compact(CompactArgs),
    /// Write the whole store as a portable stream (zstd-compressed JSON Lines with a BLAKE3
    /// manifest; see ARCHITECTURE.md) that does not depend on the storage engine.
    Dump(DumpArgs),
    /// Build a new store (at --store, which must not exist) from a dump.
    Restore(RestoreArgs),
    /// Build a new store (at --store, which must not exist) holding everything the stores
    /// given hold: stores of different sites, ingested apart (see ARCHITECTURE.md, "Shards").
    Merge(MergeArgs),
    /// Take a store written by an older vellum to this vellum's store format, in place (see
    /// ARCHITECTURE.md, "Format versions"). A store of this format is left as it is.
    Migrate(MigrateArgs),
    /// Derive every page's articles again from its stored raw bytes with the current cleaner,
    /// rules and learned site chrome; articles whose text changes get a new revision.
    Reprocess(ReprocessArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout: `vellum man > vellum.1`.
    Man,
    /// Serve a read-only web view of the store (articles, revision timelines, diffs, the change
    /// feed, each page also as JSON) on this machine. An ingest into the store can run meanwhile:
    /// the view reads a snapshot and takes a newer one when the store has changed.
    Serve(ServeArgs),
    /// The store's own cleaning rules: line patterns to always drop or always keep. A pattern
    /// matches a line when its folded form (lower case, digits as 0, no punctuation) is part of
    /// the line's folded form.
    Rules(RulesArgs),
}

/// Arguments of `vellum serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: a free one; the address served is printed on start).
    #[arg(long, default_value = "8080")]
    pub port: u16,

    /// The address to listen on. The default is reachable from this machine only; any other
    /// lets whoever reaches it read the whole archive (a warning says so).
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,

    /// Seconds between looks at whether the store has changed (a newer snapshot is then taken).
    #[arg(long, default_value = "5", value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub refresh: u64,
}

/// Arguments of `vellum reprocess`.
#[derive(Debug, Args)]
pub struct ReprocessArgs {
    /// Only pages of this site.
    #[arg(long)]
    pub site: Option<String>,

    /// How to split pages into articles.
    #[arg(long, value_enum, default_value = "auto")]
    pub split: SplitArg,
}

/// Arguments of `vellum completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `vellum rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// What to do with the rules.
    #[command(subcommand)]
    pub command: RulesCommand,
}

/// `vellum rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules.
    List(RulesListArgs),
    /// Add a rule (creates the store if there is none).
    Add(RuleArgs),
    /// Remove a rule.
    Remove(RuleArgs),
}

/// Arguments of `vellum rules list`.
#[derive(Debug, Args)]
pub struct RulesListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// One rule.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct RuleArgs {
    /// Always drop lines matching this pattern.
    #[arg(long, value_name = "PATTERN")]
    pub drop: Option<String>,
    /// Always keep lines matching this pattern (beats every other rule).
    #[arg(long, value_name = "PATTERN")]
    pub keep: Option<String>,
}

/// Arguments of `vellum dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The file to write (`-` for stdout). By convention it ends in `.vellum.zst`.
    pub out: PathBuf,
    /// For a damaged store: write everything that can be read, leave out each value that
    /// cannot and name it on stderr (exit 1 when anything was left out)
    #[arg(long)]
    pub salvage: bool,
}

/// Arguments of `vellum restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The dump to read (`-` for stdin).
    #[arg(value_name = "IN")]
    pub input: PathBuf,
}

/// Arguments of `vellum merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The stores to combine, each of its own sites; their fetches are numbered in this order.
    #[arg(value_name = "STORE", required = true, num_args = 1..)]
    pub stores: Vec<PathBuf>,
}

/// Arguments of `vellum ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Where pages come from.
    #[command(flatten)]
    pub input: InputArgs,

    /// Print a line for every page once it is durable: `stored SOURCE: fetch N, K articles`.
    #[arg(short, long)]
    pub verbose: bool,

    /// No progress line on a terminal, no note of the sites read or the compaction; only the
    /// summary (and warnings).
    #[arg(short, long)]
    pub quiet: bool,

    /// Threads that clean and split pages (default: the number of cores). Pages are stored in
    /// input order whatever the number, so the store and exports are the same.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Make the store durable after this many pages (and always at the end). Lower loses less
    /// work to a crash; higher is faster.
    #[arg(long, default_value = "256", value_name = "PAGES", value_parser = clap::value_parser!(u64).range(1..))]
    pub flush_every: u64,
    /// Print where the time went, per pipeline stage, on stderr when done
    #[arg(long)]
    pub timings: bool,
    /// Do not compact the store at the end. By default an ingest compacts it (as `vellum
    /// compact` does) when sled's files have grown by a quarter since the last compaction, as git
    /// runs `gc --auto` after a commit.
    #[arg(long)]
    pub no_compact: bool,
}

/// Formats for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people.
    Table,
    /// One JSON object per line, for scripts.
    Jsonl,
    /// One JSON array.
    Json,
}

/// Prints `rows` in `format`: `table` with `line` per row, `jsonl` an object a line, `json` one
/// array.
pub fn print_rows<T: serde::Serialize>(
    format: ListFormat,
    rows: &[T],
    mut line: impl FnMut(&mut dyn std::io::Write, &T) -> std::io::Result<()>,
) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ListFormat::Table => {
            for row in rows {
                line(&mut out, row)?;
            }
        }
        ListFormat::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut out, row)?;
                out.write_all(b"\n")?;
            }
        }
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, rows)?;
            out.write_all(b"\n")?;
        }
    }
    std::io::Write::flush(&mut out)?;
    Ok(())
}

/// Arguments of `vellum list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Only the articles of this site.
    #[arg(long, value_name = "SITE")]
    pub site: Option<String>,
}

/// Formats for `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// Title, date and body.
    Text,
    /// The export record as JSON.
    Json,
}

/// Arguments of `vellum show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's id (or a unique prefix of at least 4 characters), optionally @REVISION.
    #[arg(value_name = "ID[@REV]")]
    pub target: String,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,

    /// List every page the article was seen in (time, revision, URL or source) instead of its text.
    #[arg(long)]
    pub sightings: bool,
}

/// Arguments of `vellum log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The article's id (or a unique prefix).
    pub id: String,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,

    /// Hide revisions that changed only white space, punctuation or case.
    #[arg(long)]
    pub ignore_trivial: bool,
}

/// Formats for `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Changed paragraphs with words marked: [-removed-] {+added+}, or coloured on a terminal.
    Word,
    /// A unified line diff.
    Unified,
    /// The word operations as JSON, with byte offsets, for scripts.
    Json,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `vellum diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The article's id (or a unique prefix), as ID or ID@REV (the old revision).
    pub id: String,
    /// The old revision, as REV or ID@REV (default: the one before the latest, or before the new
    /// one); with ID@REV first, the new revision.
    pub rev_a: Option<String>,
    /// The new revision, as REV or ID@REV (default: the latest).
    pub rev_b: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "word")]
    pub format: DiffFormat,

    /// When to colour the word diff.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,

    /// Skip revisions that changed only white space, punctuation or case when choosing the
    /// default pair, and exit 0 when only such changes separate the two.
    #[arg(long)]
    pub ignore_trivial: bool,
}

/// Arguments of `vellum changes`.
#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// Start of the window, inclusive: a date (2025-12-13), a time (2025-12-13T07:30, UTC
    /// unless a zone follows), or a span before now (24h, 7d).
    #[arg(long, value_name = "TIME")]
    pub since: String,

    /// End of the window, exclusive (default: no end); written as --since is.
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// Only articles of this site.
    #[arg(long)]
    pub site: Option<String>,

    /// Leave out revisions that changed only white space, punctuation or case.
    #[arg(long)]
    pub ignore_trivial: bool,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// Arguments of `vellum export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,

    /// Write to this file instead of stdout (`-` is stdout); with --shard-size, the folder the
    /// shards go into.
    #[arg(long, value_name = "FILE", conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,

    /// Write one file per article into this folder (named ID.txt or ID.json, or ID@REV with
    /// --all-revisions).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["compress", "shard_size"])]
    pub out_dir: Option<PathBuf>,

    /// Compress the output (.zst, .gz); Parquet compresses its own pages. Default: as --out's
    /// name ends (`.zst`, `.gz`), else none.
    #[arg(long, value_enum)]
    pub compress: Option<CompressArg>,

    /// Split the output into files of N records each, part-00000-of-000NN.jsonl[.zst], in the
    /// --out folder.
    #[arg(long, value_name = "N", requires = "out", value_parser = clap::value_parser!(u64).range(1..))]
    pub shard_size: Option<u64>,

    /// Export the archive as it stood at this time (a date, a time, or a span before now, as
    /// `changes --since` takes): each article at its newest
    /// revision first seen by then; articles not yet seen are left out.
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,

    /// Export every revision of every article, oldest first, each with its number.
    #[arg(long, conflicts_with = "as_of")]
    pub all_revisions: bool,
}

/// Output formats for `export`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line.
    Jsonl,
    /// One JSON array.
    Json,
    /// Plain text.
    Text,
    /// Apache Parquet, zstd-compressed pages.
    Parquet,
}

impl From<ExportFormat> for vellum::export::Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Jsonl => vellum::export::Format::Jsonl,
            ExportFormat::Json => vellum::export::Format::Json,
            ExportFormat::Text => vellum::export::Format::Text,
            ExportFormat::Parquet => vellum::export::Format::Parquet,
        }
    }
}

/// Compression of an export.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CompressArg {
    /// None.
    None,
    /// zstd (.zst).
    Zstd,
    /// gzip (.gz).
    Gzip,
}

impl From<CompressArg> for vellum::export::Compression {
    fn from(c: CompressArg) -> Self {
        match c {
            CompressArg::None => vellum::export::Compression::None,
            CompressArg::Zstd => vellum::export::Compression::Zstd,
            CompressArg::Gzip => vellum::export::Compression::Gzip,
        }
    }
}

/// Arguments of `vellum verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Re-hash only this percentage of the blobs, picked at random (every record and reference
    /// is still checked).
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub sample: Option<f64>,

    /// Output format: `table` prints each problem and a summary; `json` one object with the
    /// counts and the problems.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// A number of seconds, 0 or more; longer than a day is a day. NaN and infinities are refused
/// here, before they reach a `Duration`.
fn parse_lock_timeout(text: &str) -> Result<std::time::Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s >= 0.0 => Ok(std::time::Duration::from_secs_f64(s.min(86_400.0))),
        _ => Err(format!("{text:?} is not a number of seconds (0 or more)")),
    }
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("{text:?} is not a percentage from 0 to 100")),
    }
}

/// Arguments of `vellum migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The store (default: --store).
    #[arg(value_name = "STORE")]
    pub store: Option<PathBuf>,
}

/// Arguments of `vellum compact`.
#[derive(Debug, Args)]
pub struct CompactArgs {
    /// Output format: `table` prints a line to stderr; `json` one object on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// Arguments of `vellum stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// How pages are split into articles.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SplitArg {
    /// Find the articles on each page.
    Auto,
    /// Keep each page as one document.
    None,
}

impl From<SplitArg> for vellum::segment::Split {
    fn from(arg: SplitArg) -> Self {
        match arg {
            SplitArg::Auto => vellum::segment::Split::Auto,
            SplitArg::None => vellum::segment::Split::None,
        }
    }
}

/// Where pages come from, shared by `ingest` and `clean`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or folders to read (folders recursively, in sorted order); `-` reads stdin.
    /// gzip and zstd files are decompressed transparently; HTML and WARC files are told by
    /// their content.
    #[arg(required_unless_present = "jsonl", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read pages from a JSON Lines file (`-` for stdin): one object per line with `url`,
    /// `fetched_at` (RFC 3339) and `html` or `text`.
    #[arg(long, value_name = "FILE")]
    pub jsonl: Option<PathBuf>,

    /// The URL the pages were fetched from (its host becomes the site).
    #[arg(long)]
    pub url: Option<String>,

    /// The site the pages belong to, when there is no URL (default: named from where each file
    /// lies: its folder, or its name when the folder is a date).
    #[arg(long)]
    pub site: Option<String>,

    /// When the pages were fetched: a date, a time (UTC unless a zone follows) or a span before
    /// now, as `changes --since` takes (default: each file's modification time; now for stdin).
    #[arg(long, value_name = "TIME")]
    pub fetched_at: Option<String>,

    /// How to split pages into articles.
    #[arg(long, value_enum, default_value = "auto")]
    pub split: SplitArg,
}

impl InputArgs {
    /// The library's input options, with `now` as the current time.
    pub fn input_options(&self, now: OffsetDateTime) -> Result<vellum::input::InputOptions> {
        let mut options = vellum::input::InputOptions::new(now);
        options.url.clone_from(&self.url);
        options.site.clone_from(&self.site);
        options.fetched_at = self.fetched_at.as_deref().map(parse_time).transpose().context("--fetched-at")?;
        Ok(options)
    }
}

impl InputArgs {
    /// The pages to read: the `--jsonl` file's, then those under the paths.
    pub fn pages<'a>(&'a self, options: &'a vellum::input::InputOptions) -> Inputs<'a> {
        let (jsonl, failed) = match &self.jsonl {
            Some(path) => match vellum::input::jsonl_path(path, options) {
                Ok(lines) => (Some(lines), None),
                Err(err) => (None, Some(err)),
            },
            None => (None, None),
        };
        Inputs { failed, jsonl, files: vellum::input::pages(&self.paths, options) }
    }
}

/// The pages of `--jsonl` and of the paths, in that order.
pub struct Inputs<'a> {
    failed: Option<vellum::Error>,
    jsonl: Option<vellum::input::JsonlPages<'a, Box<dyn std::io::BufRead>>>,
    files: vellum::input::Pages<'a>,
}

impl Inputs<'_> {
    /// WARC records skipped so far because they hold no HTML or text response.
    pub fn skipped_records(&self) -> u64 {
        self.files.skipped_records()
    }
}

impl Iterator for Inputs<'_> {
    type Item = vellum::Result<vellum::Page>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(err) = self.failed.take() {
            return Some(Err(err));
        }
        self.jsonl.as_mut().and_then(Iterator::next).or_else(|| self.files.next())
    }
}

/// Output formats for articles.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ArticleFormat {
    /// One JSON object per line.
    Jsonl,
    /// One JSON array.
    Json,
    /// Plain text.
    Text,
}

impl From<ArticleFormat> for vellum::export::Format {
    fn from(f: ArticleFormat) -> Self {
        match f {
            ArticleFormat::Jsonl => vellum::export::Format::Jsonl,
            ArticleFormat::Json => vellum::export::Format::Json,
            ArticleFormat::Text => vellum::export::Format::Text,
        }
    }
}

/// Arguments of `vellum clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Where pages come from.
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ArticleFormat,

    /// Print every input line with its fate (kept, or the rule that dropped it) instead of articles.
    #[arg(long)]
    pub explain: bool,

    /// Apply the store's user rules and each site's learned chrome (the store is only read).
    #[arg(long)]
    pub use_store: bool,
}

/// `ID@REV` as the id and the revision number; a plain `ID` (or a bare number) with none.
pub fn split_revision(text: &str) -> Result<(&str, Option<u32>)> {
    match text.split_once('@') {
        Some((id, rev)) => Ok((id, Some(rev.parse().with_context(|| format!("revision {rev:?} is not a number"))?))),
        None => Ok((text, None)),
    }
}

/// Parses a time as people write one: RFC 3339 (`2025-12-13T07:30:00Z`, `…+02:00`); a date
/// (`2025-12-13`, its midnight UTC); a date and time with no zone (`2025-12-13T07:30`,
/// `2025-12-13 07:30:00`, taken as UTC); or a span before now (`90s`, `30m`, `24h`, `7d`, `2w`).
pub fn parse_time(text: &str) -> Result<OffsetDateTime> {
    parse_time_with(text, &now)
}

/// [`parse_time`] with `now` giving the current time (read only for a span before now).
pub fn parse_time_with(text: &str, now: &dyn Fn() -> Result<OffsetDateTime>) -> Result<OffsetDateTime> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    let date = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = time::Date::parse(text, &date) {
        return Ok(d.midnight().assume_utc());
    }
    for format in [
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]"),
    ] {
        if let Ok(t) = time::PrimitiveDateTime::parse(text, format) {
            return Ok(t.assume_utc());
        }
    }
    if let Some(span) = span_before_now(text) {
        return now()?.checked_sub(span).context("that is too long ago");
    }
    anyhow::bail!(
        "{text:?} is not a time: give a date (2025-12-13), a date and time (2025-12-13T07:30, UTC unless a zone \
         such as Z or +02:00 follows), or a span before now (24h, 7d)"
    )
}

/// `90s`, `30m`, `24h`, `7d`, `2w` as a duration.
fn span_before_now(text: &str) -> Option<time::Duration> {
    let unit = text.chars().last()?;
    let count: i64 = text[..text.len() - unit.len_utf8()].parse().ok().filter(|&n| n >= 0)?;
    let seconds = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return None,
    };
    Some(time::Duration::seconds(count.checked_mul(seconds)?))
}

/// The current time, read again at every call (for a long-running `serve`): `VELLUM_NOW`
/// (RFC 3339) when set, for tests.
pub fn now_fresh() -> Result<OffsetDateTime> {
    read_now()
}

/// The current time, read once per process (so `--since 7d --until 1d` measure from one
/// instant): `VELLUM_NOW` (RFC 3339) when set, for tests.
pub fn now() -> Result<OffsetDateTime> {
    static NOW: std::sync::OnceLock<std::result::Result<OffsetDateTime, String>> = std::sync::OnceLock::new();
    NOW.get_or_init(|| read_now().map_err(|e| format!("{e:#}"))).clone().map_err(anyhow::Error::msg)
}

fn read_now() -> Result<OffsetDateTime> {
    match std::env::var("VELLUM_NOW") {
        Ok(text) => OffsetDateTime::parse(&text, &Rfc3339)
            .with_context(|| format!("VELLUM_NOW: not an RFC 3339 time: {text:?}")),
        Err(_) => Ok(OffsetDateTime::now_utc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn times_as_people_write_them_are_exact_instants() {
        let t = |text: &str| parse_time(text).expect(text);
        assert_eq!(t("2025-12-13T07:30:00Z"), datetime!(2025-12-13 07:30 UTC));
        assert_eq!(t("2025-12-13T09:30:00+02:00"), datetime!(2025-12-13 07:30 UTC));
        assert_eq!(t("2025-12-13"), datetime!(2025-12-13 00:00 UTC));
        assert_eq!(t("2025-12-13T07:30"), datetime!(2025-12-13 07:30 UTC));
        assert_eq!(t("2025-12-13 07:30:15"), datetime!(2025-12-13 07:30:15 UTC));
        assert_eq!(span_before_now("26h"), Some(time::Duration::hours(26)));
        assert_eq!(span_before_now("2w"), Some(time::Duration::weeks(2)));
        for bad in ["7", "7y", "-3d", "d", "yesterday", "2025-13-01"] {
            assert!(span_before_now(bad).is_none(), "{bad}");
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
