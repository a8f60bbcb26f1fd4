//! vellum keeps archives of the web's text.
//!
//! The pipeline runs one way, a module per stage:
//!
//! 1. [`input`] reads raw pages (files, folders, stdin, gzip and zstd, WARC, JSON Lines; any
//!    encoding) into [`Page`]s; [`extract`] renders an HTML page's main text as plain text;
//! 2. [`clean`] decides the fate of every line, dropping boilerplate;
//! 3. [`segment`] splits the kept lines into [`Article`]s (title, date, body);
//!    [`process::derive`] runs steps 1-3 on one page;
//! 4. [`archive`] decides what each article is in the store (identity, revisions, a site's
//!    learned chrome) and drives a whole ingest ([`Ingester`]); [`store`] keeps raw pages and
//!    revisions, content-addressed and compressed, and knows nothing of content;
//! 5. [`export`], [`diff`] and [`report`] bring them back out.
//!
//! Each module exposes what a caller of that stage needs; the rest is private to the crate.
//!
//! ```
//! use vellum::{clean::clean, segment::{segment, Split}};
//!
//! let page = "USD = 1.00 0%\nEUR = 0.92 0%\nUSD = 1.01 0%\nEUR = 0.93 0%\n\n\
//!             A Headline\n\n30 December 2022\n\nThe first paragraph of the story.\n";
//! let articles = segment(&clean(page, None), Split::Auto);
//! assert_eq!(articles.len(), 1);
//! assert_eq!(articles[0].title.as_deref(), Some("A Headline"));
//! assert_eq!(articles[0].body, "The first paragraph of the story.");
//! ```

#![warn(missing_docs)]

pub mod archive;
pub mod clean;
pub mod date;
pub mod diff;
mod error;
pub mod export;
pub mod extract;
pub mod id;
pub mod input;
pub mod page;
pub mod process;
pub mod report;
pub mod segment;
pub mod store;
pub mod timings;
pub mod trivial;

pub use archive::Ingester;
pub use error::{Error, Result};
pub use page::Page;
pub use segment::Article;
