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
/// units, and neighbouring units of the same kind are merged into one span.
pub fn word_diff(old: &str, new: &str) -> Vec<Op> {
    let diff = TextDiff::from_words(old, new);
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
/// paragraphs with changes are shown, with `...` between them.
pub fn render_words(ops: &[Op], color: bool) -> String {
    let mut full = String::new();
    for op in ops {
        match (op.op, color) {
            (OpKind::Equal, _) => full.push_str(&op.text),
            (OpKind::Delete, false) => full.push_str(&format!("[-{}-]", op.text)),
            (OpKind::Insert, false) => full.push_str(&format!("{{+{}+}}", op.text)),
            (OpKind::Delete, true) => full.push_str(&format!("\x1b[31;9m{}\x1b[0m", op.text)),
            (OpKind::Insert, true) => full.push_str(&format!("\x1b[32;4m{}\x1b[0m", op.text)),
        }
    }
    let marks: &[&str] = if color { &["\x1b[31", "\x1b[32"] } else { &["[-", "{+"] };
    let changed: Vec<&str> = full.split("\n\n").filter(|p| marks.iter().any(|m| p.contains(m))).collect();
    let mut out = changed.join("\n...\n");
    if !out.is_empty() {
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
}
