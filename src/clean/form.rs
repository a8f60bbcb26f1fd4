//! Form controls. A text dump prints a form's controls in brackets and parentheses: a radio
//! button as `( )` or `(*)` before its label, a text field as its value padded with spaces to
//! the field's width (`[          ] Subscribe`), a drop-down as its choice padded the same way
//! (`Sort by [Newest  ]`). A report form, a review form, a sign-up box or a product's options
//! are the page's controls, not its text: whatever rule kept such a line (a short line inside
//! the text, a page of short lines), it goes as a placeholder.

use super::features::BULLETS;
use super::{Fate, Line};

/// What pads a text field or a drop-down before its closing bracket: w3m prints a field as wide
/// as the form made it, its value (or nothing) padded with spaces, and a drop-down's choice
/// padded by two; text does not set two spaces before a closing bracket.
const FIELD_PADDING: &str = "  ]";

/// Whether a line is a form's control: a radio button opening it (after a list's bullet too),
/// or a text field or a drop-down anywhere in it. A checklist's boxes (`[ ]`, `[X]`) are left
/// alone: an article prints its checklists so. A line of code that pads a list before its
/// bracket (`plugins: [ a(), b()  ]`) is no form.
pub(super) fn is_form_control(line: &str) -> bool {
    let opening = line.trim_start_matches(|c: char| BULLETS.contains(&c) || c.is_whitespace());
    let radio = opening.starts_with("( ) ") || opening.starts_with("(*) ");
    let field = line.split_once(FIELD_PADDING).is_some_and(|(head, _)| head.contains('['));
    (radio || field) && !super::code::looks_like_code(line)
}

/// Drops the kept lines that are a form's controls, after every rule that keeps lines.
pub(super) fn drop_form_controls(lines: &mut [Line], seq: &[usize]) {
    for &i in seq {
        if lines[i].fate == Fate::Kept && is_form_control(&lines[i].text) {
            lines[i].fate = Fate::Placeholder;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::clean;

    #[test]
    fn controls_are_told_from_text() {
        let controls = [
            "( ) The seller sent me a different colour from the one in the photos",
            "• (*) Weekly digest of new listings",
            "[                    ] Join the mailing list",
            "Sort results by [Most popular  ]",
        ];
        let text = [
            "[ ] Pack the tent, its poles and a spare set of stakes",
            "The options (see above) are listed in brackets [like this].",
            "[photo of the harbour at dawn]",
            "export default { plugins: [ react(), legacy()  ] }",
        ];
        for line in controls {
            assert!(is_form_control(line), "{line}");
        }
        for line in text {
            assert!(!is_form_control(line), "{line}");
        }
    }

    /// A product's options and a report form between the paragraphs of its description are
    /// dropped as placeholders, while the sentence announcing them stays.
    #[test]
    fn a_form_inside_the_text_goes() {
        let page = "\
The lamp is turned from a single piece of ash and finished with a clear oil that keeps the grain visible.

It comes in two sizes, and the maker signs each one.
(*) small, about thirty centimetres tall
( ) large, about fifty centimetres tall
Your note to the maker [                    ]

Each lamp takes a week to make, and the shade is sewn by hand from undyed linen in the same workshop.
";
        let cleaned = clean(page, None);
        let fate = |start: &str| cleaned.lines.iter().find(|l| l.text.starts_with(start)).map(|l| l.fate);
        assert_eq!(fate("It comes"), Some(Fate::Kept));
        assert_eq!(fate("(*) small"), Some(Fate::Placeholder));
        assert_eq!(fate("( ) large"), Some(Fate::Placeholder));
        assert_eq!(fate("Your note"), Some(Fate::Placeholder));
        assert_eq!(fate("Each lamp"), Some(Fate::Kept));
    }
}
