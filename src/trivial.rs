//! Trivial changes: edits of white space, punctuation style or letter case only, which an
//! auditor usually wants to skip (NewsDiffs calls such versions "boring").

use crate::id::trivial_form;

/// Whether `old` and `new` differ only in white space, punctuation or case.
///
/// ```
/// assert!(vellum::trivial::is_trivial_change("Hello, world.", "hello -- World!"));
/// assert!(!vellum::trivial::is_trivial_change("12 ships", "13 ships"));
/// ```
pub fn is_trivial_change(old: &str, new: &str) -> bool {
    trivial_form(old) == trivial_form(new)
}

#[cfg(test)]
mod tests {
    use super::trivial_form;
    use proptest::prelude::*;

    /// The definition: runs of alphanumeric characters, lower-cased, joined by single spaces.
    fn by_words(text: &str) -> String {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        words.join(" ")
    }

    #[test]
    fn folds_case_punctuation_and_spacing_in_any_script() {
        assert_eq!(trivial_form("  Hello, WORLD -- 12 ships!"), "hello world 12 ships");
        assert_eq!(trivial_form("Ärger im Straßenbau: İstanbul"), by_words("Ärger im Straßenbau: İstanbul"));
        assert_eq!(trivial_form("東京・大阪"), "東京 大阪");
        assert_eq!(trivial_form("\u{a0}…"), "");
    }

    proptest! {
        #[test]
        fn is_the_words_lower_cased_and_joined(text in "\\PC{0,80}") {
            prop_assert_eq!(trivial_form(&text), by_words(&text));
        }

        #[test]
        fn is_the_words_of_mixed_ascii_and_other_text(text in "[a-zA-Z0-9 ,.;İßÄé東\u{a0}-]{0,60}") {
            prop_assert_eq!(trivial_form(&text), by_words(&text));
        }
    }
}
