//! Folded line shapes: what stays of a line when the parts that change between repetitions
//! (case, digits, punctuation, spacing) are folded away, in the manner of CCNet's line hashes.

/// Folds `line`: lower-cased, every digit run becomes one `0`, punctuation and symbols go,
/// and runs of white space become one space.
///
/// ```
/// use vellum::clean::fold;
/// assert_eq!(fold("  • KGS/USD = 0.01144 0%"), fold("• KGS/USD = 0.01150 -0.2%"));
/// assert_eq!(fold("Hello,   World!"), "hello world");
/// ```
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_digits = false;
    let mut pending_space = false;
    for c in line.chars() {
        if c.is_numeric() {
            if !in_digits {
                push_sep(&mut out, &mut pending_space);
                out.push('0');
            }
            in_digits = true;
            continue;
        }
        if c.is_alphabetic() {
            push_sep(&mut out, &mut pending_space);
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            pending_space = true;
        } else if matches!(c, '.' | ',') && in_digits {
            // 0.01144 and 1,000 are one number.
            continue;
        }
        in_digits = false;
    }
    out
}

fn push_sep(out: &mut String, pending_space: &mut bool) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
}

/// A 64-bit hash of a line's folded shape.
pub fn shape(line: &str) -> u64 {
    hash(&fold(line))
}

/// The 64-bit hash of an already folded line: the first 8 bytes of its BLAKE3 hash, little-endian.
pub(super) fn hash(folded: &str) -> u64 {
    let hash = blake3::hash(folded.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn numbers_fold_to_one_zero() {
        assert_eq!(fold("TJS/USD = 0.10866 0.18%"), "tjsusd 0 0");
        assert_eq!(fold("Updated 14 hours ago"), "updated 0 hours ago");
    }

    #[test]
    fn punctuation_only_lines_fold_to_nothing() {
        assert_eq!(fold(" \u{a0} — | "), "");
    }
}
