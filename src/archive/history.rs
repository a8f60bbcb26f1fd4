//! Where a fetch's text goes in an article's history.
//!
//! An article's history is its sightings in fetch-time order, cut into runs of one text under
//! one headline: each run is a revision, seen from its first to its last sighting. Runs never
//! overlap in time and two runs side by side never share a text, so the history is a function
//! of the set of fetches, not of the order they were ingested in. A fetch is placed by its time
//! alone: in a run (or at its edge) with its text, a sighting of that run; between runs, a new
//! run, unless the run just before or just after it has its text; strictly inside a run with
//! another text, the run is cut in two around it (the later part a new stored revision with the
//! run's text). Stored revisions are never renumbered; readers order them by time (see
//! [`crate::store::Store::revisions`] and [`crate::store::history`]).
//!
//! One rule comes before placement and depends on what is stored: a text new to the history
//! that differs from its neighbouring run's only in lines both pages print is that run's text
//! as the cleaner cut it another day, not an edit; the fetch is a sighting of that run (see
//! [`super::printed`]), whichever of the two texts was stored first.
//!
//! Time orders fetches; fetches made at the very same instant with different texts are ordered
//! by text hash, then headline, so every comparison here is of an [`order_key`]: the time,
//! the text's hash and the headline's trivial form. Two keys are equal only for one text under
//! one headline at one instant, a sighting of one run.

pub(crate) use crate::store::history::{has_sightings, order_key, Key, WITHDRAWN};

/// A stored revision as placement sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    /// Its stored number.
    pub number: u32,
    /// Its first and last sightings' keys.
    pub first: Key,
    pub last: Key,
    /// Its text and headline are the fetch's.
    pub same: bool,
}

/// Where a fetch goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A sighting of this stored revision (its seen-times widen to the fetch's).
    Sighting(u32),
    /// A new revision between these stored ones (either may be absent: before the first, after
    /// the last).
    Between { before: Option<u32>, after: Option<u32> },
    /// Strictly inside this stored revision's run, with another text: the run is cut.
    Inside(u32),
}

/// Puts `runs` in time order (by first sighting's key, then stored number).
pub(crate) fn sort(runs: &mut [Run]) {
    runs.sort_by(|a, b| a.first.cmp(&b.first).then(a.number.cmp(&b.number)));
}

/// Where a fetch with key `seen` goes among `runs`, which are in time order (see [`sort`]).
pub(crate) fn place(runs: &[Run], seen: &Key) -> Place {
    // The last run that began at or before the fetch.
    let at = runs.partition_point(|r| r.first <= *seen);
    let before = match at.checked_sub(1).map(|i| &runs[i]) {
        Some(run) if *seen <= run.last && run.same => return Place::Sighting(run.number),
        Some(run) if *seen < run.last => return Place::Inside(run.number),
        before => before,
    };
    match (before, runs.get(at)) {
        (Some(b), _) if b.same => Place::Sighting(b.number),
        (_, Some(a)) if a.same => Place::Sighting(a.number),
        (b, a) => Place::Between { before: b.map(|r| r.number), after: a.map(|r| r.number) },
    }
}

/// Where a run is cut around a fetch with key `seen` (see [`Place::Inside`]), from the keys
/// of the article's other sightings, with their fetches: the run's last sighting before the
/// fetch, and its first after it with that sighting's fetch. A store whose sightings disagree
/// with the run (damage, or a store written before histories were kept in time order) falls
/// back to the run's own ends.
pub(crate) fn cut(run: &Run, seen: &Key, sightings: &[(Key, u64)]) -> (Key, (Key, Option<u64>)) {
    let inside = || sightings.iter().filter(|(k, _)| run.first <= *k && *k <= run.last);
    let before = inside().map(|(k, _)| k).filter(|k| *k < seen).max().cloned().unwrap_or_else(|| run.first.clone());
    let after = inside()
        .filter(|(k, _)| k > seen)
        .min()
        .map_or_else(|| (run.last.clone(), None), |(k, f)| (k.clone(), Some(*f)));
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(t: i128) -> Key {
        (t, [0; 32], None)
    }

    fn run(number: u32, first: i128, last: i128, same: bool) -> Run {
        Run { number, first: key(first), last: key(last), same }
    }

    /// A key of another text at `t`, ordered after this module's test runs' at the same time.
    fn other(t: i128) -> Key {
        (t, [1; 32], None)
    }

    #[test]
    fn a_fetch_in_or_beside_a_run_with_its_text_is_a_sighting() {
        let runs = [run(1, 10, 20, true), run(2, 30, 40, false)];
        for seen in [5, 10, 15, 20, 25] {
            assert_eq!(place(&runs, &key(seen)), Place::Sighting(1), "at {seen}");
        }
        let runs = [run(1, 10, 20, false), run(2, 30, 40, true)];
        for seen in [25, 30, 35, 40, 50] {
            assert_eq!(place(&runs, &key(seen)), Place::Sighting(2), "at {seen}");
        }
    }

    #[test]
    fn a_fetch_with_a_new_text_goes_between_runs_or_cuts_one() {
        let runs = [run(1, 10, 20, false), run(2, 30, 40, false)];
        assert_eq!(place(&runs, &other(5)), Place::Between { before: None, after: Some(1) });
        assert_eq!(place(&runs, &other(15)), Place::Inside(1));
        assert_eq!(place(&runs, &other(10)), Place::Inside(1));
        assert_eq!(place(&runs, &other(20)), Place::Between { before: Some(1), after: Some(2) });
        assert_eq!(place(&runs, &other(25)), Place::Between { before: Some(1), after: Some(2) });
        assert_eq!(place(&runs, &other(45)), Place::Between { before: Some(2), after: None });
        assert_eq!(place(&[], &other(45)), Place::Between { before: None, after: None });
        // At one instant, texts go in hash order.
        let runs = [run(1, 10, 10, false)];
        assert_eq!(place(&runs, &other(10)), Place::Between { before: Some(1), after: None });
        let early = (10, [0; 32], Some(String::new()));
        assert_eq!(place(&[run(1, 10, 10, false)], &early), Place::Between { before: Some(1), after: None });
        let runs = [Run { number: 1, first: other(10), last: other(10), same: false }];
        assert_eq!(place(&runs, &key(10)), Place::Between { before: None, after: Some(1) });
    }

    #[test]
    fn a_cut_falls_between_the_sightings_around_the_fetch() {
        let r = run(1, 10, 40, false);
        let sightings: Vec<(Key, u64)> = [10, 20, 30, 40, 99].iter().zip(1..).map(|(&t, f)| (key(t), f)).collect();
        assert_eq!(cut(&r, &other(25), &sightings), (key(20), (key(30), Some(3))));
        assert_eq!(cut(&r, &other(20), &sightings), (key(20), (key(30), Some(3))));
        assert_eq!(cut(&r, &other(25), &[]), (key(10), (key(40), None)));
    }
}
