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
        let class = class_of(c);
        if class == Class::Numeric {
            if !in_digits {
                push_sep(&mut out, &mut pending_space);
                out.push('0');
            }
            in_digits = true;
            continue;
        }
        if class == Class::Alphabetic {
            push_sep(&mut out, &mut pending_space);
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if class == Class::Space {
            pending_space = true;
        } else if matches!(c, '.' | ',') && in_digits {
            // 0.01144 and 1,000 are one number.
            continue;
        }
        in_digits = false;
    }
    out
}

/// What [`fold`] makes of a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// `char::is_numeric` (checked first).
    Numeric,
    /// `char::is_alphabetic`.
    Alphabetic,
    /// `char::is_whitespace`.
    Space,
    /// Anything else.
    Other,
}

impl Class {
    /// Whether `char::is_alphanumeric` holds.
    pub(super) fn is_alphanumeric(self) -> bool {
        matches!(self, Class::Numeric | Class::Alphabetic)
    }
}

/// The class of `c`, as `char::is_numeric`, `is_alphabetic` and `is_whitespace` give it, with
/// short paths for ASCII, the no-break space and the General Punctuation block (curly quotes,
/// dashes, bullets), which scraped text is full of, and a table for the rest of the Basic
/// Multilingual Plane (accented Latin, Cyrillic, CJK), which Unicode's own tables answer slowly.
pub(super) fn class_of(c: char) -> Class {
    match c {
        '0'..='9' => Class::Numeric,
        'a'..='z' | 'A'..='Z' => Class::Alphabetic,
        ' ' | '\t'..='\r' | '\u{a0}' => Class::Space,
        '\0'..='\u{7f}' => Class::Other,
        // U+2010-2027 and U+2030-205E hold dashes, quotes, bullets and other punctuation only.
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' => Class::Other,
        c if (c as u32) < 0x1_0000 => bmp_classes()[c as usize],
        c => class_by_tables(c),
    }
}

/// The class of `c` from the standard library's Unicode tables.
fn class_by_tables(c: char) -> Class {
    if c.is_numeric() {
        Class::Numeric
    } else if c.is_alphabetic() {
        Class::Alphabetic
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Other
    }
}

/// Every Basic Multilingual Plane character's class, worked out once (64 KiB).
fn bmp_classes() -> &'static [Class] {
    static TABLE: std::sync::OnceLock<Vec<Class>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..0x1_0000u32).map(|u| char::from_u32(u).map_or(Class::Other, class_by_tables)).collect())
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
    fn ascii_lines_fold_as_by_character() {
        // The same line with a no-break space (outside ASCII) for one of its spaces is folded
        // by character, to the same shape.
        for line in ["  • KGS/USD = 0.01144 0%", "Hello,   World! 1,000.5 x", "\tTabs\x0band 2.\r", "", "a 1 , b"] {
            let by_char = line.replacen(' ', "\u{a0}", 1);
            if by_char != line {
                assert_eq!(fold(line), fold(&by_char), "{line:?}");
            }
        }
    }

    #[test]
    fn numbers_fold_to_one_zero() {
        assert_eq!(fold("TJS/USD = 0.10866 0.18%"), "tjsusd 0 0");
        assert_eq!(fold("Updated 14 hours ago"), "updated 0 hours ago");
    }

    /// The classes' short paths agree with the standard library's answers for every character.
    #[test]
    fn the_short_paths_agree_with_the_unicode_tables() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            let want = if c.is_numeric() {
                super::Class::Numeric
            } else if c.is_alphabetic() {
                super::Class::Alphabetic
            } else if c.is_whitespace() {
                super::Class::Space
            } else {
                super::Class::Other
            };
            assert_eq!(super::class_of(c), want, "{c:?}");
            assert_eq!(super::class_of(c).is_alphanumeric(), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn punctuation_only_lines_fold_to_nothing() {
        assert_eq!(fold(" \u{a0} — | "), "");
    }
}
