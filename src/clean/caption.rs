//! Image captions. A plain-text dump prints an image as its bracketed alt text
//! (`[bridge-photo-1200x800]`), and the caption as the line right under it, with no blank line
//! between; a paragraph of the article is set apart by a blank line.

use super::{Fate, Line};

/// Drops each kept line that directly follows an image placeholder line (no blank between).
pub(super) fn drop_captions(lines: &mut [Line]) {
    for i in 1..lines.len() {
        if lines[i].fate == Fate::Kept && is_image(&lines[i - 1].text) {
            lines[i].fate = Fate::Caption;
        }
    }
}

/// Whether a line is an image placeholder: wholly in brackets, and not the `[INS::INS]` that
/// w3m prints for an `<ins>` element (an ad slot: no image, so no caption under it).
fn is_image(text: &str) -> bool {
    text.starts_with('[') && text.ends_with(']') && !text.starts_with("[INS:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_under_an_image_goes_but_not_the_paragraph_after_a_blank() {
        let texts = ["[harbour-photo]", "The harbour at dawn. Photo: M. L.", "", "[map]", "", "The council met."];
        let mut lines: Vec<Line> = texts
            .iter()
            .enumerate()
            .map(|(n, t)| Line {
                number: n + 1,
                text: (*t).into(),
                fate: if t.is_empty() { Fate::Blank } else { Fate::Kept },
            })
            .collect();
        drop_captions(&mut lines);
        assert_eq!(lines[1].fate, Fate::Caption);
        assert_eq!(lines[5].fate, Fate::Kept);
    }
}
