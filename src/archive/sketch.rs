//! Sketches of article bodies, for finding an article again when its headline was edited.
//!
//! A body's words (its `trivial_form`: lower case, punctuation folded) are cut into
//! overlapping runs of [`SHINGLE_WORDS`] words (*shingles*). Two bodies are "mostly the same"
//! when the Jaccard similarity of their shingle sets reaches [`SAME_ARTICLE`]. To find
//! candidates without comparing against every article of a site, each body also gets a MinHash
//! signature of [`BANDS`] × [`ROWS`] values, cut into bands; two bodies that agree on all the
//! rows of any one band land in the same *bucket* (locality-sensitive hashing). Candidates are
//! then checked with the exact Jaccard similarity of their texts.
//!
//! Every hash here is spelled out (FNV-1a and SplitMix64), never a library's hasher, because
//! bucket keys are stored: the same text gives the same buckets on every build and platform.
//!
//! The threshold and its measurement are in `docs/splitting.md` ("Identity across edited
//! headlines").

use std::collections::BTreeSet;

use crate::id::trivial_form;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;

/// Bodies with fewer words are never sketched: short texts share shingles by chance (and a
/// teaser or a one-line note is not enough to say two pieces are one).
pub const MIN_WORDS: usize = 50;

/// Bands of the signature; a pair of bodies is a candidate when any band agrees. Each band is
/// one key per article in the store's index, written again at every revision, so few bands
/// keep the index small: 8 one-row bands find a pair at Jaccard 0.4 with probability 0.983
/// (0.5: 0.996), and the exact check weeds out the chance candidates.
pub const BANDS: usize = crate::store::BANDS;

/// The share of a stored text's shingles found in a new body at or above which the stored
/// text is a part of that body (see [`part_of`]).
pub const PART_OF: f64 = 0.9;

/// MinHash values per band.
pub const ROWS: usize = 1;

/// The Jaccard similarity of shingle sets at or above which a body with an unknown headline is
/// taken for an edited version of a stored article.
pub const SAME_ARTICLE: f64 = 0.4;

/// A body's shingles and its band buckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    /// The distinct shingle hashes, sorted.
    pub shingles: Vec<u64>,
    /// One bucket per band: band `b`'s bucket is `buckets[b]`.
    pub buckets: [u64; BANDS],
}

impl Sketch {
    /// The sketch of a body, or `None` when it has fewer than [`MIN_WORDS`] words.
    pub fn of(body: &str) -> Option<Sketch> {
        let shingles = shingles(body)?;
        let mut mins = [u64::MAX; BANDS * ROWS];
        let mut seeds = [0u64; BANDS * ROWS];
        for (i, seed) in seeds.iter_mut().enumerate() {
            *seed = splitmix(i as u64 + 1);
        }
        for &s in &shingles {
            for (min, seed) in mins.iter_mut().zip(seeds) {
                *min = (*min).min(splitmix(s ^ seed));
            }
        }
        let mut buckets = [0u64; BANDS];
        for (b, bucket) in buckets.iter_mut().enumerate() {
            *bucket = mins[b * ROWS..(b + 1) * ROWS].iter().fold(b as u64, |acc, &m| splitmix(acc ^ m));
        }
        Some(Sketch { shingles, buckets })
    }

    /// Jaccard similarity of two sketches' shingle sets (exact, not estimated).
    pub fn jaccard(&self, other: &Sketch) -> f64 {
        jaccard(&self.shingles, &other.shingles)
    }
}

/// Whether a headline fits a stored text: the headline's words of four letters or more that its
/// own body uses must (all but one of them, when there are four or more) occur in the stored
/// text too. An edited headline still names what the (mostly unchanged) text is about; a
/// templated sibling ("The old basin Gets Busier With ferries" beside "The north quay Gets
/// Busier With cranes") names what the stored text lacks, however alike the two bodies are.
/// Nor does a headline that stands as a line of the stored text.
pub fn title_fits(title: &str, body: &str, stored: &str) -> bool {
    // A headline that stood as a line of the stored text (a subheading there) names a part of
    // it: the stored "article" was two glued together, and this is the second coming apart.
    let headline = trivial_form(title);
    if !headline.is_empty() && stored.lines().any(|line| trivial_form(line) == headline) {
        return false;
    }
    let words = |text: &str| -> BTreeSet<String> {
        trivial_form(text).split(' ').filter(|w| w.chars().count() >= 4).map(str::to_owned).collect()
    };
    let (own, old) = (words(body), words(stored));
    let named: Vec<String> = words(title).into_iter().filter(|w| own.contains(w)).collect();
    let missing = named.iter().filter(|w| !old.contains(*w)).count();
    missing == 0 || (named.len() >= 4 && missing == 1)
}

/// The shingle hashes of a body: FNV-1a 64 over each run of [`SHINGLE_WORDS`] words of its
/// trivial form, joined by single spaces, sorted and each once. `None` below [`MIN_WORDS`] words.
pub fn shingles(body: &str) -> Option<Vec<u64>> {
    let folded = trivial_form(body);
    // The trivial form is its words joined by single spaces, so a run of words is one slice of
    // it: each word's start and end, in bytes.
    let bytes = folded.as_bytes();
    let mut words: Vec<(usize, usize)> = Vec::with_capacity(bytes.len() / 5 + 1);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b' ' {
            words.push((start, i));
            start = i + 1;
        }
    }
    if !bytes.is_empty() {
        words.push((start, bytes.len()));
    }
    if words.len() < MIN_WORDS {
        return None;
    }
    let mut hashes: Vec<u64> =
        words.windows(SHINGLE_WORDS).map(|w| fnv1a_from(FNV_OFFSET, &bytes[w[0].0..w[SHINGLE_WORDS - 1].1])).collect();
    hashes.sort_unstable();
    hashes.dedup();
    Some(hashes)
}

/// The share of `part`'s shingles (sorted, distinct) that `whole` holds: 1 when `part` is
/// wholly inside `whole`, 0 for an empty `part`. A stored text nearly all inside a new body is
/// that article seen cut on an earlier day (its start and headline lost to what stood above
/// it, or its first line taken for a headline): the new headline may name what the part
/// lacks, so [`title_fits`] is not asked.
pub fn part_of(part: &[u64], whole: &[u64]) -> f64 {
    if part.is_empty() {
        0.0
    } else {
        common(part, whole) as f64 / part.len() as f64
    }
}

/// How many values two sorted, distinct lists share.
fn common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// Jaccard similarity of two sorted, distinct lists.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let common = common(a, b);
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

/// FNV-1a, 64 bits.
#[cfg(test)]
fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, 64 bits, continued from state `h` over more bytes.
fn fnv1a_from(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// SplitMix64's finaliser: a fixed, well-mixed permutation of 64-bit values.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The shingles as first written: the trivial form's words, FNV-1a over each run of them
    /// joined by single spaces (stored sketches hold these values).
    fn shingles_by_words(body: &str) -> Option<Vec<u64>> {
        let folded = trivial_form(body);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        if words.len() < MIN_WORDS {
            return None;
        }
        let mut hashes: Vec<u64> = words
            .windows(SHINGLE_WORDS)
            .map(|w| {
                w.iter().enumerate().fold(FNV_OFFSET, |h, (i, word)| {
                    let h = if i > 0 { fnv1a_from(h, b" ") } else { h };
                    fnv1a_from(h, word.as_bytes())
                })
            })
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        Some(hashes)
    }

    proptest! {
        #[test]
        fn shingles_are_those_of_the_words_joined_by_single_spaces(
            text in "([A-Za-z0-9]{1,6}[ ,.;İßé東\u{a0}-]{1,3}){0,80}"
        ) {
            prop_assert_eq!(shingles(&text), shingles_by_words(&text));
        }
    }

    fn words(n: usize, salt: &str) -> String {
        (0..n).map(|i| format!("{salt}{i}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_part_is_measured_against_what_holds_it() {
        let whole = [2u64, 3, 5, 7, 11, 13];
        let part = [3u64, 7, 13];
        assert!((part_of(&part, &whole) - 1.0).abs() < 1e-9);
        assert!((part_of(&whole, &part) - 0.5).abs() < 1e-9);
        assert!((part_of(&[3, 4, 7, 8], &whole) - 0.5).abs() < 1e-9);
        assert_eq!(part_of(&[], &whole), 0.0);
    }

    #[test]
    fn short_bodies_have_no_sketch() {
        assert!(Sketch::of(&words(MIN_WORDS - 1, "w")).is_none());
        assert!(Sketch::of(&words(MIN_WORDS, "w")).is_some());
    }

    #[test]
    fn hashes_are_pinned() {
        // Bucket keys are stored: a change here would orphan every store's index.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(splitmix(0), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn an_edited_body_shares_buckets_and_passes_the_threshold() {
        let body = words(200, "w");
        let edited = format!("{} changed words here {}", words(180, "w"), words(30, "x"));
        let (a, b) = (Sketch::of(&body).expect("sketch"), Sketch::of(&edited).expect("sketch"));
        assert_eq!(a.jaccard(&b), jaccard(&a.shingles, &shingles(&edited).expect("shingles")));
        assert!(a.jaccard(&b) >= SAME_ARTICLE, "{}", a.jaccard(&b));
        assert!(a.buckets.iter().zip(&b.buckets).any(|(x, y)| x == y));
        let other = Sketch::of(&words(200, "z")).expect("sketch");
        assert_eq!(a.jaccard(&other), 0.0);
        assert!(a.buckets.iter().zip(&other.buckets).all(|(x, y)| x != y));
    }

    #[test]
    fn a_templated_sibling_does_not_fit_an_edited_headline_does() {
        let body = |place: &str, who: &str| {
            format!("Along the {place}, the {who} worked through the night. Residents near the {place} said so.")
        };
        let old = body("north quay", "cranes");
        assert!(!title_fits("The Old Basin Gets Busier With Ferries", &body("old basin", "ferries"), &old));
        assert!(title_fits("Cranes Keep the North Quay Awake", &body("north quay", "cranes"), &old));
        let glued = format!("{old}\n\nCranes keep the north quay awake\n\n{}", body("north quay", "cranes"));
        assert!(!title_fits("Cranes Keep the North Quay Awake", &body("north quay", "cranes"), &glued));
    }

    #[test]
    fn shingles_hash_the_words_joined_by_spaces() {
        let body = words(60, "w");
        let folded = trivial_form(&body);
        let list: Vec<&str> = folded.split(' ').collect();
        let joined: BTreeSet<u64> = list.windows(SHINGLE_WORDS).map(|w| fnv1a(w.join(" ").as_bytes())).collect();
        assert_eq!(shingles(&body), Some(joined.into_iter().collect()));
    }

    #[test]
    fn case_and_punctuation_do_not_matter() {
        let body = words(60, "w");
        assert_eq!(Sketch::of(&body), Sketch::of(&body.to_uppercase().replace(' ', ", ")));
    }
}
