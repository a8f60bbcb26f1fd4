//! Trivial changes: edits of white space, punctuation style or letter case only, which an
//! auditor usually wants to skip (NewsDiffs calls such versions "boring").

/// The text with letter case, punctuation and white-space differences folded away; digits and
/// letters stay, so a changed number is never trivial.
pub fn trivial_form(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Whether `old` and `new` differ only in white space, punctuation or case.
///
/// ```
/// assert!(vellum::trivial::is_trivial_change("Hello, world.", "hello -- World!"));
/// assert!(!vellum::trivial::is_trivial_change("12 ships", "13 ships"));
/// ```
pub fn is_trivial_change(old: &str, new: &str) -> bool {
    trivial_form(old) == trivial_form(new)
}
