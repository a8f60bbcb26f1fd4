//! Within-page repetition: blocks of lines that a page prints more than once.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};

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
    let first_copies: Vec<usize> = (0..content.len())
        .filter(|&k| drop[k] && seen.insert(shapes[k]) && folded[content[k]].matches(' ').count() >= GRAM - 1)
        .collect();
    if !first_copies.is_empty() {
        // The runs of the first copies, then those of them found in lines no block took.
        let mut wanted: HashSet<u64> = HashSet::default();
        for &k in &first_copies {
            for_each_gram(&folded[content[k]], |g| {
                wanted.insert(g);
            });
        }
        let mut found: HashSet<u64> = HashSet::default();
        for (k, &i) in content.iter().enumerate() {
            if !drop[k] {
                for_each_gram(&folded[i], |g| {
                    if wanted.contains(&g) {
                        found.insert(g);
                    }
                });
            }
        }
        for k in first_copies {
            let (mut hits, mut all) = (0usize, 0usize);
            for_each_gram(&folded[content[k]], |g| {
                hits += usize::from(found.contains(&g));
                all += 1;
            });
            if 2 * hits < all {
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

/// Words in a run compared between a first copy and the rest of the page.
const GRAM: usize = 4;

/// Calls `f` with a hash of each run of [`GRAM`] words of a folded line.
fn for_each_gram(folded: &str, mut f: impl FnMut(u64)) {
    let mut last = [0u64; GRAM];
    for (n, word) in folded.split(' ').enumerate() {
        let mut h = FxHasher::default();
        word.hash(&mut h);
        last[n % GRAM] = h.finish();
        if n + 1 >= GRAM {
            // The words in order: the oldest sits just after the newest in the ring.
            let gram = (1..=GRAM)
                .fold(0u64, |acc, j| acc.rotate_left(17) ^ last[(n + j) % GRAM].wrapping_mul(0x9E37_79B9_7F4A_7C15));
            f(gram);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::fold::{fold, hash};

    fn fates(texts: &[&str]) -> Vec<Fate> {
        let mut lines: Vec<Line> = texts
            .iter()
            .enumerate()
            .map(|(n, t)| Line { number: n + 1, text: (*t).into(), fate: Fate::Kept })
            .collect();
        let folded: Vec<String> = texts.iter().map(|t| fold(t)).collect();
        let shapes: Vec<u64> = folded.iter().map(|f| hash(f)).collect();
        drop_repeated_blocks(&mut lines, &shapes, &folded);
        lines.iter().map(|l| l.fate).collect()
    }

    #[test]
    fn a_menu_printed_twice_goes_whole() {
        let menu = ["Home", "World", "Sport", "Home", "World", "Sport"];
        assert!(fates(&menu).iter().all(|&f| f == Fate::RepeatedBlock));
    }

    #[test]
    fn an_article_printed_twice_keeps_its_first_copy() {
        let one = "The council voted on Tuesday to keep the harbour ferry running through the winter.";
        let two = "Its last winter service was cut in 2019 after a storm damaged the pier at the north end.";
        let f = fates(&[one, two, "Share", one, two]);
        assert_eq!(f, [Fate::Kept, Fate::Kept, Fate::Kept, Fate::RepeatedBlock, Fate::RepeatedBlock]);
    }

    #[test]
    fn a_copy_of_text_the_page_prints_elsewhere_is_no_first_copy() {
        let caption = "Brock Nelson puts the winning goal past the goaltender during the game in Pittsburgh";
        let slide = format!("• {caption}, Tuesday, Nov. 19");
        let f = fates(&[&slide, caption, caption, "Photo credit", caption, caption]);
        assert_eq!(f[0], Fate::Kept);
        assert!([1, 2, 4, 5].iter().all(|&k| f[k] == Fate::RepeatedBlock));
    }
}
