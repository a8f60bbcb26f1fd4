//! The command-line definitions (clap), and turning them into library options.

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

    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// vellum's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean and split pages without a store, printing the articles.
    Clean(CleanArgs),
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
    /// gzip and zstd files are decompressed transparently.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The URL the pages were fetched from (its host becomes the site).
    #[arg(long)]
    pub url: Option<String>,

    /// The site the pages belong to, when there is no URL (default: the file's folder name).
    #[arg(long)]
    pub site: Option<String>,

    /// When the pages were fetched, RFC 3339 (default: each file's modification time; now for stdin).
    #[arg(long, value_name = "RFC3339")]
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
}

/// Parses an RFC 3339 time.
pub fn parse_time(text: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).with_context(|| format!("not an RFC 3339 time: {text:?}"))
}

/// The current time, read once: `VELLUM_NOW` (RFC 3339) when set, for tests.
pub fn now() -> Result<OffsetDateTime> {
    match std::env::var("VELLUM_NOW") {
        Ok(text) => parse_time(&text).context("VELLUM_NOW"),
        Err(_) => Ok(OffsetDateTime::now_utc()),
    }
}
