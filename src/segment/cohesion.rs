//! Lexical cohesion, in the manner of TextTiling (Hearst 1997): text that continues one article
//! keeps reusing its words; a new article's vocabulary departs from the previous one's.
//!
//! Words are folded (lower case, stop words dropped, cut to a six-letter stem so "election" and
//! "elections" meet) and weighted by how rare they are on the page: a word every article uses
//! ("Kazakhstan" on a page about Kazakhstan) says nothing about where one article ends.
//!
//! Stems are interned per page as small integers, and a bag of words is a vector sorted by
//! stem: the splitter compares hundreds of windows per page, and merging two sorted vectors
//! costs a fraction of hashing strings.

use rustc_hash::FxHashMap as HashMap;

/// A stem interned for one page.
pub type Stem = u32;

/// Inverse block frequency of each of a page's stems, indexed by [`Stem`].
pub type Idf = Vec<f64>;

/// A bag of stems: `(stem, weight)` sorted by stem, each stem once.
pub type Bag = Vec<(Stem, f64)>;

/// Words too common to tell one piece from another (looked up in [`stop_words`]), sorted.
const STOP: &[&str] = &[
    "about", "after", "again", "against", "also", "although", "among", "another", "because", "been", "before", "being",
    "between", "both", "came", "come", "could", "does", "doing", "during", "each", "either", "even", "every", "first",
    "from", "further", "have", "having", "here", "into", "itself", "just", "last", "like", "made", "make", "many",
    "more", "most", "much", "must", "neither", "only", "other", "over", "people", "said", "same", "says", "should",
    "since", "some", "still", "such", "than", "that", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "time", "under", "until", "upon", "very", "well", "went", "were", "what", "when", "where",
    "which", "while", "whom", "will", "with", "would", "year", "years", "your", "yours",
];

/// Bytes in the longest of [`STOP`]: a longer word is no stop word.
const STOP_LONGEST: usize = 8;

/// [`STOP`] as a set.
fn stop_words() -> &'static rustc_hash::FxHashSet<&'static str> {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP.iter().copied().collect())
}

/// Gives each distinct stem of a page its number.
#[derive(Debug, Default)]
pub struct Interner {
    ids: HashMap<String, Stem>,
}

impl Interner {
    /// The stems of one line's content words, interned.
    pub fn stems(&mut self, line: &str) -> Vec<Stem> {
        // One buffer for every word's lower case, and a hashed stop list: a fresh string per
        // word and a binary search of string comparisons were a twentieth of an ingest's
        // instructions.
        let mut lower = String::new();
        let mut out = Vec::new();
        for w in line.split(|c: char| !c.is_alphanumeric()) {
            let ascii = w.is_ascii();
            let short = if ascii { w.len() < 4 } else { w.chars().count() < 4 };
            if short || w.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            lower.clear();
            if ascii {
                lower.push_str(w);
                lower.make_ascii_lowercase();
            } else {
                lower.push_str(&w.to_lowercase());
            }
            if lower.len() > STOP_LONGEST || !stop_words().contains(lower.as_str()) {
                out.push(self.intern(stem(&lower)));
            }
        }
        out
    }

    fn intern(&mut self, stem: &str) -> Stem {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        // More than four billion stems on one page cannot happen; saturate rather than panic.
        let id = Stem::try_from(self.ids.len()).unwrap_or(Stem::MAX);
        self.ids.insert(stem.to_owned(), id);
        id
    }
}

/// A light stem: plural and verb endings cut ("passes", "passed", "passing" give "pass"), then
/// the first six letters, so "election" and "elections" meet.
fn stem(word: &str) -> &str {
    let w = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
    // Letters counted as bytes in an ASCII word (most words), its parts being ASCII too.
    let ascii = w.is_ascii();
    let letters = |s: &str| if ascii { s.len() } else { s.chars().count() };
    let cut = ["ies", "es", "ing", "ed", "s"].iter().find_map(|suffix| {
        let rest = w.strip_suffix(suffix)?;
        (letters(rest) >= 3 && !w.ends_with("ss")).then_some(rest)
    });
    let w = cut.unwrap_or(w);
    if ascii {
        &w[..w.len().min(6)]
    } else {
        w.char_indices().nth(6).map_or(w, |(at, _)| &w[..at])
    }
}

/// Page-wide inverse block frequency of every stem: `ln(1 + blocks / blocks_with_stem)`.
pub fn idf<'a>(blocks: impl IntoIterator<Item = &'a [Stem]>) -> Idf {
    let mut n = 0usize;
    let mut df: Vec<usize> = Vec::new();
    let mut seen: Vec<Stem> = Vec::new();
    for block in blocks {
        n += 1;
        seen.clear();
        seen.extend_from_slice(block);
        seen.sort_unstable();
        seen.dedup();
        for &s in &seen {
            let s = s as usize;
            if s >= df.len() {
                df.resize(s + 1, 0);
            }
            df[s] += 1;
        }
    }
    let n = n.max(1) as f64;
    df.into_iter().map(|d| if d == 0 { 1.0 } else { (1.0 + n / d as f64).ln() }).collect()
}

/// The weighted bag of the given blocks: term counts times idf.
pub fn bag<'a>(blocks: impl IntoIterator<Item = &'a [Stem]>, idf: &Idf) -> Bag {
    // Each stem counted in a dense array (by its page-local number), then only the distinct
    // stems sorted: sorting every occurrence was a tenth of the splitter's time.
    thread_local! {
        static SCRATCH: std::cell::RefCell<(Vec<u32>, Vec<Stem>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    SCRATCH.with(|scratch| {
        let (counts, distinct) = &mut *scratch.borrow_mut();
        for &s in blocks.into_iter().flatten() {
            let i = s as usize;
            if i >= counts.len() {
                counts.resize(i + 1, 0);
            }
            if counts[i] == 0 {
                distinct.push(s);
            }
            counts[i] += 1;
        }
        distinct.sort_unstable();
        let bag = distinct.iter().map(|&s| (s, weight(idf, s, std::mem::take(&mut counts[s as usize])))).collect();
        distinct.clear();
        bag
    })
}

/// The bag of a run of items that moves forward along a page (a window of blocks), kept up to
/// date as items enter and leave it rather than counted and sorted afresh: [`bag`] of the same
/// items, weight for weight.
#[derive(Debug, Default)]
pub struct Sliding {
    /// The items the counts hold.
    range: std::ops::Range<usize>,
    /// Occurrences of each stem in the items, indexed by [`Stem`].
    counts: Vec<u32>,
    /// The stems whose count is not zero, as a set of bits (bit `s % 64` of word `s / 64`):
    /// a stem enters or leaves it in one step, and it is read in stem order.
    present: Vec<u64>,
    /// The last bag given.
    bag: Bag,
}

impl Sliding {
    /// The bag of items `range`, the stems of item `j` being `stems(j)`. A range that starts
    /// and ends no earlier than the last one's, and starts no later than it ends, is reached by
    /// counting only the items that entered and left; any other is counted whole.
    pub fn bag<'a>(&mut self, range: std::ops::Range<usize>, stems: impl Fn(usize) -> &'a [Stem], idf: &Idf) -> &Bag {
        let old = self.range.clone();
        if range.start < old.start || range.end < old.end || range.start > old.end {
            self.counts.fill(0);
            self.present.fill(0);
            self.range = range.start..range.start;
        }
        for j in self.range.start..range.start {
            for &s in stems(j) {
                let count = &mut self.counts[s as usize];
                *count -= 1;
                if *count == 0 {
                    self.present[s as usize / 64] &= !(1 << (s % 64));
                }
            }
        }
        for j in self.range.end.max(range.start)..range.end {
            for &s in stems(j) {
                let i = s as usize;
                if i >= self.counts.len() {
                    self.counts.resize(i + 1, 0);
                    self.present.resize(i / 64 + 1, 0);
                }
                self.counts[i] += 1;
                self.present[i / 64] |= 1 << (s % 64);
            }
        }
        self.range = range;
        self.bag.clear();
        for (at, &word) in self.present.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                // Stems are page-local numbers, far below four billion.
                let s = (at * 64) as Stem + bits.trailing_zeros();
                bits &= bits - 1;
                self.bag.push((s, weight(idf, s, self.counts[s as usize])));
            }
        }
        &self.bag
    }
}

/// The weight of `count` occurrences of stem `s`: its idf summed one occurrence at a time, so
/// that [`bag`] and [`Sliding`] weigh the same items alike, bit for bit.
fn weight(idf: &Idf, s: Stem, count: u32) -> f64 {
    let w = idf.get(s as usize).copied().unwrap_or(1.0);
    let mut total = w;
    for _ in 1..count {
        total += w;
    }
    total
}

/// Where each stem of a page occurs: for each stem, the items (blocks) holding it, in page
/// order, an item once per occurrence. Whether an item of a run holds a stem is then a binary
/// search, whatever the run's length.
#[derive(Debug, Default)]
pub struct Occurrences {
    /// Where each stem's items start in `items`, indexed by [`Stem`], with one past the last.
    starts: Vec<usize>,
    /// The items of each stem in turn.
    items: Vec<usize>,
}

impl Occurrences {
    /// The occurrences of the stems of `items`, in order.
    pub fn of<'a>(items: impl Iterator<Item = &'a [Stem]> + Clone) -> Self {
        let mut starts: Vec<usize> = Vec::new();
        for &s in items.clone().flatten() {
            let s = s as usize;
            if s + 1 >= starts.len() {
                starts.resize(s + 2, 0);
            }
            starts[s + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut out = vec![0; starts.last().copied().unwrap_or(0)];
        for (j, stems) in items.enumerate() {
            for &s in stems {
                let at = &mut next[s as usize];
                out[*at] = j;
                *at += 1;
            }
        }
        Occurrences { starts, items: out }
    }

    /// Whether an item in `range` other than `except` holds `stem`.
    pub fn any_in(&self, stem: Stem, range: std::ops::Range<usize>, except: Option<usize>) -> bool {
        let s = stem as usize;
        let Some(items) = self.starts.get(s + 1).map(|&end| &self.items[self.starts[s]..end]) else { return false };
        let from = items.partition_point(|&j| j < range.start);
        items[from..].iter().take_while(|&&j| j < range.end).any(|&j| Some(j) != except)
    }
}

/// Cosine similarity of two bags; 0 when either is empty.
pub fn cosine(a: &Bag, b: &Bag) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while let (Some(&(ka, x)), Some(&(kb, y))) = (a.get(i), b.get(j)) {
        match ka.cmp(&kb) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += x * y;
                i += 1;
                j += 1;
            }
        }
    }
    let na: f64 = a.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|(_, y)| y * y).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(STOP.iter().map(|w| w.len()).max(), Some(STOP_LONGEST));
    }

    #[test]
    fn sliding_bags_are_fresh_bags() {
        let blocks: Vec<Vec<Stem>> =
            vec![vec![0, 1, 2, 1], vec![3, 1], vec![], vec![4, 0, 0, 5], vec![2, 6], vec![6, 6, 7], vec![1, 8]];
        let idf = idf(blocks.iter().map(Vec::as_slice));
        let mut sliding = Sliding::default();
        let ranges = [0..0, 0..2, 0..3, 1..4, 3..4, 4..7, 5..7, 2..5, 6..6, 7..7, 0..7, 1..3];
        for range in ranges {
            let fresh = bag(blocks[range.clone()].iter().map(Vec::as_slice), &idf);
            let slid = sliding.bag(range.clone(), |j| &blocks[j], &idf);
            assert_eq!(slid.len(), fresh.len(), "{range:?}");
            for (a, b) in slid.iter().zip(&fresh) {
                assert_eq!((a.0, a.1.to_bits()), (b.0, b.1.to_bits()), "{range:?}");
            }
        }
    }

    #[test]
    fn occurrences_find_what_a_scan_finds() {
        let blocks: Vec<Vec<Stem>> =
            vec![vec![0, 1, 2, 1], vec![3, 1], vec![], vec![4, 0, 0, 5], vec![2, 6], vec![6, 6, 7], vec![1, 8]];
        let occurrences = Occurrences::of(blocks.iter().map(Vec::as_slice));
        for stem in 0..10 {
            for start in 0..=blocks.len() {
                for end in start..=blocks.len() {
                    for except in [None, Some(0), Some(1), Some(3), Some(5)] {
                        let scan = (start..end).any(|j| Some(j) != except && blocks[j].contains(&stem));
                        assert_eq!(
                            occurrences.any_in(stem, start..end, except),
                            scan,
                            "{stem} {start}..{end} {except:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn related_text_is_closer_than_unrelated() {
        let lines = [
            "The parliamentary elections in Kazakhstan drew observers from the OSCE.",
            "Observers said the elections were orderly and turnout was low.",
            "A recipe for sourdough bread needs flour, water, salt and patience.",
        ];
        let mut interner = Interner::default();
        let blocks: Vec<Vec<Stem>> = lines.iter().map(|l| interner.stems(l)).collect();
        let idf = idf(blocks.iter().map(Vec::as_slice));
        let a = bag([blocks[0].as_slice()], &idf);
        let b = bag([blocks[1].as_slice()], &idf);
        let c = bag([blocks[2].as_slice()], &idf);
        assert!(cosine(&a, &b) > cosine(&a, &c));
        assert_eq!(cosine(&a, &Bag::default()), 0.0);
        let mut fresh = Interner::default();
        let ids = fresh.stems("Trains passes elections trained");
        assert_eq!(ids, [0, 1, 2, 0]);
        assert_eq!(["trains", "passes", "elections", "ελληνικά's"].map(stem), ["train", "pass", "electi", "ελληνι"]);
    }
}
