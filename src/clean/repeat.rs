//! Within-page repetition: blocks of lines that a page prints more than once.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{Fate, Line};

/// Drops the lines of every block that the page prints more than once: ticker blocks and
/// menus printed again and again, whose numbers may change between copies. A line belongs to
/// such a block when the pair it forms with the content line before or after it occurs more
/// than once on the page (compared by folded shape). A single repeated line (a "Conclusion"
/// subheading in every article, a refrain) forms no repeated pair and is left alone. The first
/// copy of a prose line inside a repeated block (a pull quote with its attribution, an article
/// printed twice) is left to the other rules. `shapes` and `folded` hold each line's folded
/// shape and folded text.
pub(super) fn drop_repeated_blocks(lines: &mut [Line], shapes: &[u64], folded: &[String]) {
    let content: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].fate == Fate::Kept).collect();
    let shapes: Vec<u64> = content.iter().map(|&i| shapes[i]).collect();
    let mut pairs: HashMap<(u64, u64), usize> = HashMap::default();
    for w in shapes.windows(2) {
        *pairs.entry((w[0], w[1])).or_default() += 1;
    }
    let repeated_pair = |k: usize| pairs.get(&(shapes[k], shapes[k + 1])).is_some_and(|&n| n > 1);
    let mut drop = vec![false; content.len()];
    for k in 0..content.len().saturating_sub(1) {
        if repeated_pair(k) {
            drop[k] = true;
            drop[k + 1] = true;
        }
    }
    // The first copy of a paragraph of prose is left to the other rules: a page that prints its
    // whole article twice (a print copy, a hidden duplicate) keeps it once, a forum the post a
    // reply quotes. Not when the page prints its text elsewhere in another layout (a caption
    // over its slide, an article's text run together in the page's metadata): most of its runs
    // of four words stand in lines no repeated block took.
    let mut seen: HashSet<u64> = HashSet::default();
    let mut first_copies = Vec::new();
    for k in 0..content.len() {
        if drop[k] && seen.insert(shapes[k]) {
            first_copies.push(k);
        }
    }
    if !first_copies.is_empty() {
        let mut grams: HashSet<u64> = HashSet::default();
        for (k, &i) in content.iter().enumerate() {
            if !drop[k] {
                grams.extend(word_grams(&folded[i]));
            }
        }
        for k in first_copies {
            let (found, all) = word_grams(&folded[content[k]])
                .fold((0usize, 0usize), |(f, a), g| (f + usize::from(grams.contains(&g)), a + 1));
            if all > 0 && 2 * found < all {
                drop[k] = false;
            }
        }
    }
    for (k, &i) in content.iter().enumerate() {
        if drop[k] {
            lines[i].fate = Fate::RepeatedBlock;
        }
    }
}

/// Hashes of the runs of four words of a folded line.
fn word_grams(folded: &str) -> impl Iterator<Item = u64> + '_ {
    let words: Vec<&str> = folded.split(' ').collect();
    (0..words.len().saturating_sub(3)).map(move |j| {
        let mut h = rustc_hash::FxHasher::default();
        words[j..j + 4].hash(&mut h);
        h.finish()
    })
}
