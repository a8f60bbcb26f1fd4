//! Revision diffs for auditors: word-level operations, rendered for a terminal, as a unified
//! line diff, or as JSON for scripts.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// What a span of text did between two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// In both.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// The most words (in the two texts together) diffed word by word; longer texts are diffed a
/// line at a time. The shortest edit script costs time in proportion to the texts' length times
/// their difference, so this bounds it, and the same texts always give the same diff (a time
/// limit would make the result depend on the machine).
const WORD_DIFF_WORDS: usize = 20_000;

/// One span of a word diff, with byte offsets into the old and new texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Op {
    /// What the span did.
    pub op: OpKind,
    /// Byte offset in the old text where the span starts (where it would be, for an insert).
    pub old_offset: usize,
    /// Byte offset in the new text where the span starts (where it would be, for a delete).
    pub new_offset: usize,
    /// The span's text.
    pub text: String,
}

/// A word-level diff of `old` and `new`: words and the white space between them are the
/// units (lines, for texts of more than `WORD_DIFF_WORDS` words together), and neighbouring
/// units of the same kind are merged into one span.
pub fn word_diff(old: &str, new: &str) -> Vec<Op> {
    let words = old.split_whitespace().count() + new.split_whitespace().count();
    let diff = if words <= WORD_DIFF_WORDS {
        TextDiff::configure().diff_words(old, new)
    } else {
        TextDiff::configure().diff_lines(old, new)
    };
    let mut ops: Vec<Op> = Vec::new();
    let (mut old_at, mut new_at) = (0, 0);
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => OpKind::Equal,
            ChangeTag::Delete => OpKind::Delete,
            ChangeTag::Insert => OpKind::Insert,
        };
        let text = change.value();
        match ops.last_mut() {
            Some(last) if last.op == kind => last.text.push_str(text),
            _ => ops.push(Op { op: kind, old_offset: old_at, new_offset: new_at, text: text.to_owned() }),
        }
        if kind != OpKind::Insert {
            old_at += text.len();
        }
        if kind != OpKind::Delete {
            new_at += text.len();
        }
    }
    ops
}

/// Whether a diff has any change.
pub fn has_changes(ops: &[Op]) -> bool {
    ops.iter().any(|o| o.op != OpKind::Equal)
}

/// Words added and removed.
pub fn word_counts(ops: &[Op]) -> (usize, usize) {
    let words = |kind| ops.iter().filter(|o| o.op == kind).map(|o| o.text.split_whitespace().count()).sum();
    (words(OpKind::Insert), words(OpKind::Delete))
}

/// Renders a word diff as text: deletions as `[-old-]`, insertions as `{+new+}` (as
/// `git diff --word-diff=plain` does), or in red and green when `color` is set. Only the
/// paragraphs with changes are shown, with `...` where unchanged paragraphs are left out; every
/// change is shown whole, paragraph breaks it adds or removes included, inside its markers.
pub fn render_words(ops: &[Op], color: bool) -> String {
    render_words_with(ops, color, true)
}

/// [`render_words`], with `elide` false showing the unchanged paragraphs too: then the old text
/// is what is outside the markers and inside `[-…-]`, and the new text what is outside them and
/// inside `{+…+}`.
pub fn render_words_with(ops: &[Op], color: bool, elide: bool) -> String {
    const BREAK: &str = "\n\n";
    if !has_changes(ops) {
        return String::new();
    }
    let mut out = String::new();
    let last = ops.len() - 1;
    for (i, op) in ops.iter().enumerate() {
        let text = op.text.as_str();
        match (op.op, color) {
            (OpKind::Equal, _) if !elide => out.push_str(text),
            (OpKind::Equal, _) => {
                // Unchanged text keeps the paragraph around each change it touches: its tail after
                // a change and its head before the next one.
                let (first_break, last_break) = (text.find(BREAK), text.rfind(BREAK));
                let head = first_break.map_or(text, |b| &text[..b]);
                let tail = last_break.map_or(text, |b| &text[b + BREAK.len()..]);
                match (i == 0, i == last, first_break) {
                    (_, _, None) => out.push_str(text),
                    (true, true, _) => {}
                    (true, false, _) => out.push_str(tail),
                    (false, true, _) => out.push_str(head),
                    // One break and nothing between: both paragraphs are shown whole.
                    (false, false, Some(b)) if Some(b) == last_break => out.push_str(text),
                    (false, false, Some(_)) => {
                        out.push_str(head);
                        out.push_str("\n...\n");
                        out.push_str(tail);
                    }
                }
            }
            (OpKind::Delete, false) => out.push_str(&format!("[-{text}-]")),
            (OpKind::Insert, false) => out.push_str(&format!("{{+{text}+}}")),
            (OpKind::Delete, true) => out.push_str(&format!("\x1b[31;9m{text}\x1b[0m")),
            (OpKind::Insert, true) => out.push_str(&format!("\x1b[32;4m{text}\x1b[0m")),
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A unified line diff with three lines of context, headed by the two labels.
pub fn render_unified(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    let old = with_final_newline(old);
    let new = with_final_newline(new);
    TextDiff::from_lines(&old, &new).unified_diff().context_radius(3).header(old_label, new_label).to_string()
}

fn with_final_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_owned()
    } else {
        format!("{text}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_merging() {
        let ops = word_diff("the cat sat", "the dog sat");
        let changed: Vec<_> = ops.iter().filter(|o| o.op != OpKind::Equal).collect();
        assert_eq!(changed.len(), 2);
        assert_eq!((changed[0].op, changed[0].old_offset, changed[0].text.as_str()), (OpKind::Delete, 4, "cat"));
        assert_eq!((changed[1].op, changed[1].new_offset, changed[1].text.as_str()), (OpKind::Insert, 4, "dog"));
        assert_eq!(word_counts(&ops), (1, 1));
        assert_eq!(render_words(&ops, false), "the [-cat-]{+dog+} sat\n");
    }

    #[test]
    fn equal_texts_have_no_changes() {
        let ops = word_diff("same\n\ntext", "same\n\ntext");
        assert!(!has_changes(&ops));
        assert_eq!(render_words(&ops, false), "");
    }

    #[test]
    fn unified_has_headers() {
        let out = render_unified("a\nb\n", "a\nc\n", "x@1", "x@2");
        assert!(out.starts_with("--- x@1\n+++ x@2\n"), "{out}");
        assert!(out.contains("-b\n+c\n"));
    }

    use proptest::prelude::*;

    /// A text of paragraphs of words from a small vocabulary (so edits find common words).
    fn paragraphs() -> impl Strategy<Value = Vec<Vec<String>>> {
        let word = prop::sample::select(vec!["harbour", "ferry", "the", "council", "voted", "late", "on", "Tuesday."]);
        prop::collection::vec(prop::collection::vec(word.prop_map(str::to_owned), 1..12), 1..7)
    }

    fn join(paragraphs: &[Vec<String>]) -> String {
        paragraphs.iter().map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n")
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Word(usize, usize, String),
        DeleteParagraph(usize),
        InsertParagraph(usize, Vec<String>),
        MoveParagraph(usize, usize),
        Spaces(usize),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<usize>(), any::<usize>(), "[a-z]{1,8}").prop_map(|(p, w, s)| Edit::Word(p, w, s)),
            any::<usize>().prop_map(Edit::DeleteParagraph),
            (any::<usize>(), prop::collection::vec("[a-z]{1,8}", 1..8)).prop_map(|(p, w)| Edit::InsertParagraph(p, w)),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::MoveParagraph(a, b)),
            any::<usize>().prop_map(Edit::Spaces),
        ]
    }

    fn apply(mut paragraphs: Vec<Vec<String>>, edits: &[Edit]) -> String {
        let mut extra_space = None;
        for edit in edits {
            let n = paragraphs.len();
            match edit.clone() {
                Edit::Word(p, w, s) if n > 0 => {
                    let para = &mut paragraphs[p % n];
                    let at = w % para.len();
                    para[at] = s;
                }
                Edit::DeleteParagraph(p) if n > 1 => {
                    paragraphs.remove(p % n);
                }
                Edit::InsertParagraph(p, words) => paragraphs.insert(p % (n + 1), words),
                Edit::MoveParagraph(a, b) if n > 1 => {
                    let para = paragraphs.remove(a % n);
                    paragraphs.insert(b % n, para);
                }
                Edit::Spaces(p) if n > 0 => extra_space = Some(p % n),
                _ => {}
            }
        }
        let mut text = join(&paragraphs);
        if let Some(p) = extra_space {
            let at = text.match_indices(' ').nth(p).map_or(0, |(i, _)| i);
            text.insert(at, ' ');
        }
        text
    }

    /// The old and new texts a full (not elided) plain rendering spells, and whether its
    /// markers balanced.
    fn read_back(rendered: &str) -> Option<(String, String)> {
        let (mut old, mut new) = (String::new(), String::new());
        let mut rest = rendered;
        while !rest.is_empty() {
            let next = [rest.find("[-"), rest.find("{+")].into_iter().flatten().min().unwrap_or(rest.len());
            old.push_str(&rest[..next]);
            new.push_str(&rest[..next]);
            rest = &rest[next..];
            if let Some(inner) = rest.strip_prefix("[-") {
                let end = inner.find("-]")?;
                old.push_str(&inner[..end]);
                rest = &inner[end + 2..];
            } else if let Some(inner) = rest.strip_prefix("{+") {
                let end = inner.find("+}")?;
                new.push_str(&inner[..end]);
                rest = &inner[end + 2..];
            }
        }
        Some((old, new))
    }

    /// `old` with a unified diff applied.
    fn patch(old: &str, unified: &str) -> String {
        let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut at = 0;
        for line in unified.split_inclusive('\n').skip(2) {
            if let Some(header) = line.strip_prefix("@@ -") {
                let start: usize = header.split([',', ' ']).next().and_then(|n| n.parse().ok()).unwrap_or(1);
                let start = start.saturating_sub(1).max(at);
                while at < start {
                    out.push_str(old_lines[at]);
                    at += 1;
                }
            } else if let Some(text) = line.strip_prefix('+') {
                out.push_str(text);
            } else if line.starts_with('-') {
                at += 1;
            } else if let Some(text) = line.strip_prefix(' ') {
                out.push_str(text);
                at += 1;
            }
        }
        while at < old_lines.len() {
            out.push_str(old_lines[at]);
            at += 1;
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn every_form_of_a_diff_spells_both_texts_whole(
            original in paragraphs(),
            edits in prop::collection::vec(edit(), 1..4),
        ) {
            let old = join(&original);
            let new = apply(original, &edits);
            let ops = word_diff(&old, &new);
            // JSON: the operations rebuild both texts.
            let side = |keep: OpKind| ops.iter().filter(|o| o.op == OpKind::Equal || o.op == keep).map(|o| o.text.as_str()).collect::<String>();
            prop_assert_eq!(&side(OpKind::Delete), &old);
            prop_assert_eq!(&side(OpKind::Insert), &new);
            // Terminal, in full: the markers balance and spell both texts.
            let full = render_words_with(&ops, false, false);
            if has_changes(&ops) {
                let (o, n) = read_back(full.strip_suffix('\n').unwrap_or(&full)).expect("balanced markers");
                prop_assert_eq!(o.trim_end_matches('\n'), old.trim_end_matches('\n'));
                prop_assert_eq!(n.trim_end_matches('\n'), new.trim_end_matches('\n'));
            }
            // Terminal, elided: balanced, and every change shown whole.
            let shown = render_words(&ops, false);
            prop_assert!(read_back(&shown).is_some(), "unbalanced: {}", shown);
            for op in ops.iter().filter(|o| o.op != OpKind::Equal) {
                let marked = match op.op { OpKind::Delete => format!("[-{}-]", op.text), _ => format!("{{+{}+}}", op.text) };
                prop_assert!(shown.contains(&marked), "{} missing from {}", marked, shown);
            }
            // Unified: applied to the old text, it gives the new.
            let unified = render_unified(&old, &new, "a", "b");
            prop_assert_eq!(patch(&format!("{old}\n"), &unified), format!("{new}\n"));
        }
    }

    #[test]
    fn a_paragraph_added_removed_or_moved_is_shown_whole_with_closed_markers() {
        let old = "First paragraph stays.\n\nSecond paragraph stays too.";
        let new = "First paragraph stays.\n\nAn inserted paragraph about library hours.\n\nSecond paragraph stays too.";
        let shown = render_words(&word_diff(old, new), false);
        assert_eq!(shown, "{+An inserted paragraph about library hours.\n\n+}Second paragraph stays too.\n");
        assert!(read_back(&shown).is_some(), "{shown}");
        let removed = render_words(&word_diff(new, old), false);
        assert!(
            removed.contains("[-") && removed.contains("library hours.") && read_back(&removed).is_some(),
            "{removed}"
        );
    }
}
