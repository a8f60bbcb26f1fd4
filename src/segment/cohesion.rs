//! Lexical cohesion, in the manner of TextTiling (Hearst 1997): text that continues one article
//! keeps reusing its words; a new article's vocabulary departs from the previous one's.
//!
//! Words are folded (lower case, stop words dropped, cut to a six-letter stem so "election" and
//! "elections" meet) and weighted by how rare they are on the page: a word every article uses
//! ("Kazakhstan" on a page about Kazakhstan) says nothing about where one article ends.

use rustc_hash::FxHashMap as HashMap;

/// Inverse block frequencies of a page's stems.
pub type Idf = HashMap<String, f64>;

const STOP: &[&str] = &[
    "about", "after", "again", "against", "also", "although", "among", "another", "because", "been", "before", "being",
    "between", "both", "could", "does", "doing", "during", "each", "either", "every", "from", "further", "have",
    "having", "here", "into", "itself", "just", "many", "more", "most", "much", "must", "neither", "only", "other",
    "over", "same", "should", "since", "some", "such", "than", "that", "their", "them", "then", "there", "these",
    "they", "this", "those", "through", "under", "until", "upon", "very", "were", "what", "when", "where", "which",
    "while", "whom", "will", "with", "would", "your", "yours", "said", "says", "like", "make", "made", "even", "well",
    "still", "first", "last", "year", "years", "time", "people", "being", "went", "come", "came",
];

/// A bag of stemmed words, borrowing the stems of the blocks it was made from.
pub type Bag<'a> = HashMap<&'a str, f64>;

/// The stems of one line's content words.
pub fn stems(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect()
}

/// A light stem: plural and verb endings cut ("passes", "passed", "passing" give "pass"), then
/// the first six letters, so "election" and "elections" meet.
fn stem(word: &str) -> String {
    let w = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
    let cut = ["ies", "es", "ing", "ed", "s"].iter().find_map(|suffix| {
        let rest = w.strip_suffix(suffix)?;
        (rest.chars().count() >= 3 && !w.ends_with("ss")).then_some(rest)
    });
    cut.unwrap_or(w).chars().take(6).collect()
}

/// Page-wide inverse block frequency of every stem: `ln(1 + blocks / blocks_with_stem)`.
pub fn idf(blocks: &[Vec<String>]) -> Idf {
    let mut df: HashMap<&str, usize> = HashMap::default();
    for block in blocks {
        let mut seen: Vec<&str> = block.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for s in seen {
            *df.entry(s).or_default() += 1;
        }
    }
    let n = blocks.len().max(1) as f64;
    df.into_iter().map(|(s, d)| (s.to_owned(), (1.0 + n / d as f64).ln())).collect()
}

/// The weighted bag of the given blocks: term counts times idf.
pub fn bag<'a>(blocks: impl IntoIterator<Item = &'a Vec<String>>, idf: &Idf) -> Bag<'a> {
    let mut bag = Bag::default();
    for stem in blocks.into_iter().flatten() {
        *bag.entry(stem.as_str()).or_default() += idf.get(stem).copied().unwrap_or(1.0);
    }
    bag
}

/// Cosine similarity of two bags; 0 when either is empty.
pub fn cosine(a: &Bag<'_>, b: &Bag<'_>) -> f64 {
    let dot: f64 = a.iter().filter_map(|(k, x)| b.get(k).map(|y| x * y)).sum();
    let na: f64 = a.values().map(|x| x * x).sum::<f64>().sqrt();
    let nb: f64 = b.values().map(|x| x * x).sum::<f64>().sqrt();
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
    fn related_text_is_closer_than_unrelated() {
        let lines = [
            "The parliamentary elections in Kazakhstan drew observers from the OSCE.",
            "Observers said the elections were orderly and turnout was low.",
            "A recipe for sourdough bread needs flour, water, salt and patience.",
        ];
        let blocks: Vec<Vec<String>> = lines.iter().map(|l| stems(l)).collect();
        let idf = idf(&blocks);
        let a = bag([&blocks[0]], &idf);
        let b = bag([&blocks[1]], &idf);
        let c = bag([&blocks[2]], &idf);
        assert!(cosine(&a, &b) > cosine(&a, &c));
        assert_eq!(cosine(&a, &Bag::default()), 0.0);
        assert_eq!(stems("Trains passes elections"), ["train", "pass", "electi"]);
    }
}
