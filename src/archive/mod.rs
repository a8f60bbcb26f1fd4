//! The archive: what the pipeline's articles become in the store. This layer holds the
//! domain's rules (which stored article a page's article is, where its text goes in that
//! article's history, what a site's pages teach about its chrome) and drives the ingest; the
//! store below it only keeps what it is given.

pub(crate) mod history;
pub(crate) mod identity;
pub(crate) mod index;
pub(crate) mod ingest;
mod printed;
pub mod sketch;
mod write;

pub use identity::{id_of, identities, identity, unique};
pub use index::{restore, verify, verify_with, RULE};
pub use ingest::{compact_after, Event, Ingester, Summary, CACHED_SITES};
pub use write::{store_page, store_pages, ToStore};

use rustc_hash::FxHashMap;

use crate::clean::{Rules, SiteChrome};
use crate::store::{SiteShapes, Store};
use crate::Result;

/// The store's user rules, as the cleaner takes them.
pub fn rules(store: &Store) -> Result<Rules> {
    let rules = store.rules()?;
    Ok(Rules { drop: rules.drop, keep: rules.keep })
}

/// A site's learned chrome, as the cleaner takes it: how many of its pages were counted, and
/// on how many each line shape appeared.
pub fn site_chrome(store: &Store, site: &str) -> Result<SiteChrome> {
    Ok(chrome_of(store.site_shapes(site)?).0)
}

/// A site's chrome from its stored knowledge, and for each line shape the article it was first
/// seen in (0: outside or across articles).
pub(crate) fn chrome_of((pages, shapes): SiteShapes) -> (SiteChrome, FxHashMap<u64, u64>) {
    let counted = shapes.iter().filter(|&&(_, pages, _)| pages > 0).count();
    let shape_pages = FxHashMap::with_capacity_and_hasher(counted, Default::default());
    let mut chrome = SiteChrome { pages, shape_pages };
    let mut owners = FxHashMap::with_capacity_and_hasher(shapes.len(), Default::default());
    for (shape, pages, owner) in shapes {
        if pages > 0 {
            chrome.shape_pages.insert(shape, pages);
        }
        owners.insert(shape, owner);
    }
    (chrome, owners)
}
