//! Lines a page prints twice: an image caption printed under the image and again in a
//! gallery, a pull quote repeating a sentence of the article. The first copy is kept.

use rustc_hash::FxHashSet as HashSet;

use super::{Fate, Line};

/// Lines shorter than this may well repeat honestly ("Conclusion", "Photo: Reuters"), and
/// short lines are left to the other rules.
const MIN_CHARS: usize = 20;

/// Drops every kept line whose text equals, but for case, that of an earlier kept line.
/// Unlike the block rule, digits count here: two comment datelines differ, a copied
/// sentence does not.
pub(super) fn drop_later_copies(lines: &mut [Line]) {
    let mut seen: HashSet<String> = HashSet::default();
    for line in lines.iter_mut() {
        if line.fate != Fate::Kept || line.text.chars().count() <= MIN_CHARS {
            continue;
        }
        if !seen.insert(line.text.to_lowercase()) {
            line.fate = Fate::Duplicate;
        }
    }
}
