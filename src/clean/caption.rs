//! Image captions. A plain-text dump prints an image as its bracketed alt text
//! (`[bridge-photo-1200x800]`), and the caption as the line right under it, with no blank line
//! between; a paragraph of the article is set apart by a blank line. A caption or credit also
//! says what it is in words, wherever it stands: "Photo: A. Writer", "Image caption The bridge
//! at dawn", "Image 2 of 5", or a credit in brackets at its end, "(Image: Agency)", "(AP
//! Photo/A. Writer)".

use super::{Fate, Line};

/// Words that name a picture, in the languages most scraped ("file photo" is "file" and
/// "photo").
const PICTURE_WORDS: &[&str] = &[
    "image",
    "images",
    "photo",
    "photos",
    "photograph",
    "picture",
    "pictures",
    "pic",
    "foto",
    "fotos",
    "bild",
    "imagen",
    "immagine",
    "video",
    "credit",
    "фото",
];

/// Words that, after a picture word, make a label of it: "Photo by", "Image copyright",
/// "Foto von", "Image caption".
const CREDIT_WORDS: &[&str] =
    &["by", "credit", "credits", "copyright", "caption", "courtesy", "von", "de", "di", "por", "par"];

/// Drops each kept line that directly follows an image placeholder line (no blank between),
/// and each kept line labelled as a caption or credit.
pub(super) fn drop_captions(lines: &mut [Line]) {
    for i in 0..lines.len() {
        if lines[i].fate == Fate::Kept && ((i > 0 && is_image(&lines[i - 1].text)) || is_credit(&lines[i].text)) {
            lines[i].fate = Fate::Caption;
        }
    }
}

/// Whether a line says it is a picture's caption or credit: it opens with a picture label
/// ("Photo:", "File photo:", "Image copyright …", "Photo by …", "Image 2 of 5"), or it ends
/// with a credit in brackets that opens with one ("(Image: Agency)", "(Photo credit: …)",
/// "(AP Photo/A. Writer)").
fn is_credit(text: &str) -> bool {
    // Most lines are none, and an ASCII line shows it by its first two words and its end: it
    // is not lowercased whole to learn so.
    may_be_credit(text) && reads_as_credit(text)
}

/// [`is_credit`], reading the whole line lowercased.
fn reads_as_credit(text: &str) -> bool {
    let lower = text.to_lowercase();
    if labelled(&lower, true) || agency_caption(&lower) {
        return true;
    }
    let Some(close) = lower.strip_suffix([')', ']']) else { return false };
    let Some(open) = close.rfind(['(', '[']) else { return false };
    let inner = close[open + 1..].trim_start_matches(|c: char| c == '©' || c.is_whitespace());
    labelled(inner, false)
}

/// Whether a line can pass [`is_credit`]'s tests, judged without lowercasing it. A line whose
/// only capitals are ASCII lowercases byte for byte, its words standing where they were: it
/// can pass only if it ends in a bracket, or has a picture word (in any case) as its first or
/// second word, or a first word starting with "in" or "file" (an agency's caption). Any other
/// line can.
fn may_be_credit(text: &str) -> bool {
    let unchanged = |c: char| {
        if c.is_ascii() {
            return true;
        }
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    };
    if text.ends_with([')', ']']) || !text.chars().all(unchanged) {
        return true;
    }
    let mut words = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    let (first, second) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let picture = |w: &str| PICTURE_WORDS.iter().any(|p| p.eq_ignore_ascii_case(w));
    let opens = |w: &str, start: &str| w.get(..start.len()).is_some_and(|h| h.eq_ignore_ascii_case(start));
    picture(first) || picture(second) || opens(first, "in") || opens(first, "file")
}

/// How many words after "In this" a news agency's caption names its picture: "In this Oct.
/// 13, 2017, file photo, …".
const AGENCY_CAPTION_WORDS: usize = 6;

/// Whether `lower` opens as news agencies' captions do: "In this photo issued by …", "File -
/// In this Oct. 13, 2017, file photo, …": "in this", then a picture word within a few words.
fn agency_caption(lower: &str) -> bool {
    let rest = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    let rest = rest.strip_prefix("file").map_or(rest, |r| r.trim_start_matches(|c: char| !c.is_alphanumeric()));
    let Some(rest) = rest.strip_prefix("in this ") else { return false };
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(AGENCY_CAPTION_WORDS)
        .any(|w| PICTURE_WORDS.contains(&w))
}

/// Whether `lower` opens with a picture label: up to two words, one a picture word, then a
/// colon, a slash (an agency's "AP Photo/…") or a credit word; or, for a whole line
/// (`whole`), a picture word and "N of M".
fn labelled(lower: &str, whole: bool) -> bool {
    let mut rest = lower;
    let mut picture = false;
    for _ in 0..2 {
        let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        let word = &rest[..end];
        if word.is_empty() {
            return false;
        }
        picture |= PICTURE_WORDS.contains(&word);
        rest = rest[end..].trim_start();
        if !picture {
            continue;
        }
        let next_end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        let next = &rest[..next_end];
        if rest.starts_with([':', '/']) || CREDIT_WORDS.contains(&next) {
            return true;
        }
        if whole {
            // "Image 2 of 5": a gallery's counter.
            let counter: Vec<&str> = rest.split_whitespace().collect();
            return matches!(counter.as_slice(), [n, _, m] if n.parse::<u32>().is_ok() && m.parse::<u32>().is_ok());
        }
    }
    false
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

    proptest::proptest! {
        /// Every line read as a credit is one [`may_be_credit`] lets through.
        #[test]
        fn credits_may_be_credits(
            text in "((Photo|photo|PHOTO|Image|images|Foto|фото|ФОТО|In|IN|in|this|This|File|FILE|filein|by|credit|courtesy|2|of|5|x|İ|\u{212a}|Σ|é|É)[ :/,.(\\[)\\]’“\u{a0}-]{0,2}){0,7}",
        ) {
            proptest::prop_assert!(!reads_as_credit(&text) || may_be_credit(&text), "{}", text);
        }
    }

    #[test]
    fn lines_labelled_as_captions_or_credits_are_captions() {
        for credit in [
            "Photo: M. Lindqvist",
            "File photo: The old bridge over the harbour at dawn.",
            "Image copyright Harbour Agency",
            "Image caption The ferry leaves the harbour on its last trip of the day",
            "Foto von Anna Berg",
            "Image 2 of 5",
            "The ferry leaves the harbour at dawn. (Image: Harbour Agency)",
            "The old bridge in 1932 (Photo credit: City Archive)",
            "Workers repair the bridge on Monday. (AP Photo/M. Lindqvist)",
            "(Image: © Harbour Agency)",
            "In this photo issued by the port, the ferry leaves the harbour on its last trip.",
            "FILE - In this March 3, 2021, file photo, the ferry leaves the harbour at dawn.",
        ] {
            assert!(is_credit(credit), "{credit}");
        }
        for text in [
            "The photographer took the picture from the old bridge at dawn.",
            "Photos of the bridge were shown at the meeting (a first for the council).",
            "Pictures at an Exhibition",
            "The plan was approved (by seven votes to two).",
            "Images",
            "In this town, nobody remembers a winter as cold as the one that closed the harbour.",
        ] {
            assert!(!is_credit(text), "{text}");
        }
    }
}
