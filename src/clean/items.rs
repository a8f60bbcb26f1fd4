//! Lists of sentences inside an article: "The plan has three parts:" followed by bulleted
//! items, each a clause or a sentence. A bulleted line alone is a menu entry when short and a
//! "near" sentence when long, and near lines are content only in a short gap between
//! paragraphs, so a list of five long items between two paragraphs lost them all. What tells
//! such a list from a block of teasers printed as bullets ("Most read", "More stories") is its
//! shape: every item of the list is long, the items stand on consecutive lines with no blank
//! line between, and the line above the list is a sentence or announces it (ends with a colon
//! or an ellipsis), not a heading. A list whose items are all whole sentences (each ends with a
//! full stop, none under six words, twelve on average) may also stand under a heading ("Best
//! practices"): teasers printed as bullets end in no full stop.

use super::features::{Class, Features, GOOD_WORDS};

/// An item of a prose list has at least this many words (a menu entry has fewer).
const MIN_ITEM_WORDS: usize = GOOD_WORDS + 2;

/// A prose list has at least this many items.
const MIN_ITEMS: usize = 2;

/// For each line of the sequence, whether it is an item of a list of sentences inside prose.
/// `seq` lists the page's non-blank line numbers (two items are on consecutive lines when
/// their numbers are); `feats` and `classes` run along it.
pub(super) fn prose_list_items(seq: &[usize], feats: &[Features], classes: &[Class]) -> Vec<bool> {
    let mut items = vec![false; seq.len()];
    let mut k = 0;
    while k < seq.len() {
        if !feats[k].bullet {
            k += 1;
            continue;
        }
        // The whole list: bulleted lines with no blank line between.
        let first = k;
        while k + 1 < seq.len() && feats[k + 1].bullet && seq[k + 1] == seq[k] + 1 {
            k += 1;
        }
        let last = k;
        k += 1;
        let all_long = (first..=last).all(|j| long_item(&feats[j], classes[j]));
        let announced = first > 0 && announces(&feats[first - 1], classes[first - 1]);
        // A list of whole sentences may also stand under a heading of its own, and hold a
        // shorter sentence among longer ones.
        let sentences = sentence_items(&feats[first..=last], &classes[first..=last])
            && (announced || first > 0 && headed(&feats[first - 1], classes[first - 1]));
        if last + 1 - first >= MIN_ITEMS && (all_long && announced || sentences) {
            items[first..=last].fill(true);
        }
    }
    items
}

/// A list item that reads as a clause: long, with function words (a list of names or titles
/// has few), and not already dropped.
fn long_item(f: &Features, class: Class) -> bool {
    class == Class::Near && f.words >= MIN_ITEM_WORDS && f.reads_as_prose()
}

/// Whether the items of a list are sentences: each ends a sentence and has at least
/// [`MIN_SENTENCE_ITEM_WORDS`] words, and together they have [`MIN_ITEM_WORDS`] words an item
/// on average and read as prose ("- Plan review - Plans are checked against the codes.").
/// Teasers and menu entries printed as bullets end in no full stop.
fn sentence_items(feats: &[Features], classes: &[Class]) -> bool {
    let words: usize = feats.iter().map(|f| f.words).sum();
    // The function words are counted over the whole list: a short item ("- Plan review -
    // Plans are checked.") may have few.
    let short_words: f64 = feats.iter().map(|f| f.short_word_share * f.words as f64).sum();
    words >= MIN_ITEM_WORDS * feats.len()
        && short_words >= MIN_LIST_SHORT_WORD_SHARE * words as f64
        && feats.iter().zip(classes).all(|(f, &c)| {
            matches!(c, Class::Near | Class::Menu)
                && f.sentence_end
                && !f.ellipsis
                && f.words >= MIN_SENTENCE_ITEM_WORDS
        })
}

/// Whether the line above a list is a heading over it ("Best practices"): short, with words,
/// no bullet, not cut short.
fn headed(f: &Features, class: Class) -> bool {
    class == Class::Short && !f.bullet && !f.ellipsis && f.words <= MAX_HEADING_WORDS
}

/// The share of short words (as in `features.rs`) a list of sentences has over all its items.
const MIN_LIST_SHORT_WORD_SHARE: f64 = 0.25;

/// An item of a list of sentences has at least this many words.
const MIN_SENTENCE_ITEM_WORDS: usize = 6;

/// A heading over a list of sentences has at most this many words.
const MAX_HEADING_WORDS: usize = 12;

/// Whether the line above a list introduces it: a sentence, or a line ending in a colon or an
/// ellipsis ("… these benefits:", "If you are …"). A heading ("Most read") stands above lists
/// of teasers instead.
fn announces(f: &Features, class: Class) -> bool {
    matches!(class, Class::Good | Class::Near) || f.colon || f.ellipsis
}

#[cfg(test)]
mod tests {
    use super::super::features::{classify, features};
    use super::*;

    fn items(page: &[&str]) -> Vec<bool> {
        let seq: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_empty()).collect();
        let texts: Vec<&str> = seq.iter().map(|&i| page[i]).collect();
        let feats: Vec<Features> = texts.iter().map(|t| features(t)).collect();
        let classes: Vec<Class> = feats.iter().map(classify).collect();
        prose_list_items(&seq, &feats, &classes)
    }

    #[test]
    fn an_announced_list_of_clauses_is_prose() {
        let page = [
            "The new ferry timetable brings three changes for people who cross the bay daily:",
            "• Boats will leave every twenty minutes at rush hour instead of every half an hour",
            "• The last boat of the night will sail at one in the morning on Fridays and Saturdays",
            "",
            "The operator says the changes start in March.",
        ];
        assert_eq!(items(&page), [false, true, true, false]);
    }

    #[test]
    fn teasers_under_a_heading_are_not() {
        let page = [
            "Most read",
            "• A council votes to close the old harbour bridge to all traffic from the spring",
            "• The city's oldest bakery is sold to a chain after ninety years in one family",
        ];
        assert_eq!(items(&page), [false, false, false]);
    }

    #[test]
    fn sentences_under_their_heading_are_prose() {
        let page = [
            "Safe ladder work",
            "- Check the feet of the ladder before every climb.",
            "- Keep three points of contact with the ladder at all times, whatever you carry up with you.",
            "- Never stand on the top two rungs, and move the ladder rather than lean out to reach a spot.",
        ];
        assert_eq!(items(&page), [false, true, true, true]);
        // Teasers under a heading end in no full stop.
        let teasers = [
            "Latest stories",
            "- Council votes to close the old harbour bridge to all traffic from the spring",
            "- The city's oldest bakery is sold to a chain after ninety years in one family",
        ];
        assert_eq!(items(&teasers), [false, false, false]);
    }

    #[test]
    fn a_list_with_a_menu_entry_or_blank_lines_is_not() {
        let announced = "Readers also asked the council about the plans for the bridge and its traffic:";
        let long = "• Whether the cyclists will still be able to cross the river on the old bridge";
        assert_eq!(items(&[announced, long, "• Sports", long]), [false, false, false, false]);
        assert_eq!(items(&[announced, long, "", long]), [false, false, false]);
    }
}
