//! User rules: line patterns a user says are always content or always boilerplate.

use super::fold;

/// Line patterns from the user. A pattern matches a line when the pattern's folded form
/// ([`fold`]: lower case, digit runs as `0`, no punctuation) occurs in the line's folded form,
/// so `"Updated 2 hours ago"` matches every "Updated N hours ago" line and `"share on"` matches
/// "Share on Facebook". A pattern that folds to nothing matches no line.
///
/// `keep` beats every other rule (even within-page repetition); `drop` beats every rule but
/// `keep`, the content rules included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Lines matching any of these are dropped.
    pub drop: Vec<String>,
    /// Lines matching any of these are kept.
    pub keep: Vec<String>,
}

/// Rules with their patterns folded once.
pub(super) struct Compiled {
    drop: Vec<String>,
    keep: Vec<String>,
}

impl Compiled {
    pub(super) fn new(rules: &Rules) -> Self {
        let fold_all = |p: &[String]| p.iter().map(|p| fold(p)).filter(|p| !p.is_empty()).collect();
        Compiled { drop: fold_all(&rules.drop), keep: fold_all(&rules.keep) }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.drop.is_empty() && self.keep.is_empty()
    }

    pub(super) fn keeps(&self, folded: &str) -> bool {
        self.keep.iter().any(|p| folded.contains(p.as_str()))
    }

    pub(super) fn drops(&self, folded: &str) -> bool {
        self.drop.iter().any(|p| folded.contains(p.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_folded_substrings() {
        let rules = Rules { drop: vec!["Updated 2 hours ago".into(), "!!".into()], keep: vec![] };
        let c = Compiled::new(&rules);
        assert!(c.drops(&fold("Updated 14 hours ago.")));
        assert!(!c.drops(&fold("Updated yesterday")));
        assert!(!c.drops(&fold("Wow!!")), "a pattern of punctuation matches nothing");
    }
}
