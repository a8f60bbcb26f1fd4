//! Within-page repetition: blocks of lines that a page prints more than once.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::features::{classify, Class, Features};
use super::{Fate, Line};

/// Drops the lines of every block that the page prints more than once: ticker blocks and
/// menus printed again and again, whose numbers may change between copies. A line belongs to
/// such a block when the pair it forms with the content line before or after it occurs more
/// than once on the page (compared by folded shape). A single repeated line (a "Conclusion"
/// subheading in every article, a refrain) forms no repeated pair and is left alone. A prose
/// line inside a repeated block (a pull quote with its attribution) gets its first copy back
/// later, when it lies in the main text. `shapes` holds each line's folded shape.
pub(super) fn drop_repeated_blocks(lines: &mut [Line], shapes: &[u64]) {
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
    for (k, &i) in content.iter().enumerate() {
        if drop[k] {
            lines[i].fate = Fate::RepeatedBlock;
        }
    }
}

/// Gives back the first copy of each prose line that a repeated block took, when it stands in
/// a content region: a pull quote printed twice with its attribution forms a repeated block,
/// and its first copy is content. `seq` lists the non-blank lines; `feats` and `in_region`
/// run along it.
pub(super) fn restore_first_quotes(
    lines: &mut [Line],
    seq: &[usize],
    feats: &[Features],
    folded: &[String],
    in_region: &[bool],
) {
    let mut quoted: HashSet<&str> = HashSet::default();
    for (k, &i) in seq.iter().enumerate() {
        if lines[i].fate == Fate::RepeatedBlock
            && classify(&feats[k]) == Class::Good
            && quoted.insert(folded[i].as_str())
            && in_region[k]
        {
            lines[i].fate = Fate::Kept;
        }
    }
}
