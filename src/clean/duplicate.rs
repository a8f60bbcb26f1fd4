//! Lines a page prints twice: an image caption printed under the image and again in a
//! gallery, a pull quote repeating a sentence of the article. The first copy is kept.

use std::collections::HashSet;

use super::{Fate, Line};

/// Folded lines shorter than this may well repeat honestly ("Conclusion", "Photo: Reuters"),
/// and short lines are left to the other rules.
const MIN_FOLDED_CHARS: usize = 20;

/// Drops every kept line whose folded form equals that of an earlier kept line.
pub(super) fn drop_later_copies(lines: &mut [Line], folded: &[String]) {
    let mut seen: HashSet<&str> = HashSet::new();
    for (line, f) in lines.iter_mut().zip(folded) {
        if line.fate != Fate::Kept || f.chars().count() <= MIN_FOLDED_CHARS {
            continue;
        }
        if !seen.insert(f.as_str()) {
            line.fate = Fate::Duplicate;
        }
    }
}
