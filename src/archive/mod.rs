//! The archive: what the pipeline's articles become in the store. This layer holds the
//! domain's rules (which stored article a page's article is, where its text goes in that
//! article's history, what a site's pages teach about its chrome) and drives the ingest; the
//! store below it only keeps what it is given.

pub mod history;
pub mod identity;
pub mod ingest;
pub mod sketch;
mod write;

pub use write::{store_page, MAX_CANDIDATES};
