//! The order of an article's stored revisions, as the storage spec fixes it.
//!
//! An article's history is its sightings in fetch-time order, cut into runs of one text under
//! one headline (where a new fetch goes is the archive's business: `archive::history`). Each
//! run is a stored revision, seen from its first to its last sighting. Stored revisions are
//! never renumbered; readers order them by the [`order_key`] of their first sighting: the
//! time, the text's hash and the headline's trivial form (`trivial_form`). Two
//! keys are equal only for one text under one headline at one instant.

use std::collections::HashMap;

use crate::id::trivial_form;
use crate::id::ArticleId;

/// Every article's sightings: (time in Unix ns, fetch, the stored revision the fetch names).
pub type SightingTimes = HashMap<ArticleId, Vec<(i128, u64, u32)>>;

/// Whether a stored revision has sightings. One whose every sighting was derived again to
/// another text has none (its times are `i128::MAX`, `i128::MIN`): it stays stored (later
/// texts and raw pages may be stored against it) and is no revision of the history.
pub fn has_sightings(first_seen: i128, last_seen: i128) -> bool {
    first_seen <= last_seen
}

/// The times a stored revision without sightings holds (see [`has_sightings`]).
pub const WITHDRAWN: (i128, i128) = (i128::MAX, i128::MIN);

/// The key that orders sightings: time (Unix ns), the text's hash, the headline's trivial form.
pub type Key = (i128, [u8; 32], Option<String>);

/// The [`Key`] of a text under a headline seen at `time`.
pub fn order_key(time: i128, hash: &[u8; 32], title: Option<&str>) -> Key {
    (time, *hash, title.map(trivial_form))
}
