//! Bylines: "By Jane Doe", "Words by ...", "Author: ...". The cleaner keeps them in an
//! article's lead and the splitter reads them as evidence that a heading starts a piece, so
//! both ask this one function.

/// "By Jane Doe", "By Jane Doe and John Roe | Reuters", "Words by ...", "Reviewed by ...",
/// "Author: ...".
pub(crate) fn is_byline(line: &str) -> bool {
    const PREFIXES: [&str; 8] =
        ["by ", "words by ", "written by ", "author: ", "authors: ", "posted by ", "story by ", "reviewed by "];
    // An ASCII first letter that opens no prefix rules the line out unread.
    if line.as_bytes().first().is_some_and(|b| b.is_ascii() && !b"bwapsr".contains(&b.to_ascii_lowercase())) {
        return false;
    }
    // Only the line's head is lower-cased: every character folds to one byte or more, so the
    // folded first twelve characters hold the longest prefix.
    let head = line
        .char_indices()
        .nth(PREFIXES.iter().map(|p| p.len()).max().unwrap_or(0))
        .map_or(line, |(at, _)| &line[..at]);
    let lower = head.to_lowercase();
    let rest = PREFIXES.iter().find_map(|p| lower.strip_prefix(p).and_then(|_| line.get(p.len()..)));
    let Some(rest) = rest else { return false };
    let name = rest.split(['|', '·', '•', ',', '—', '–']).next().unwrap_or("");
    let words: Vec<&str> = name.split_whitespace().collect();
    // A name: one to six words, each capitalised or a joining word ("By the time ..." is prose).
    (1..=6).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) || matches!(*w, "and" | "&" | "de" | "van" | "von" | "al")
        })
        && line.chars().nth(120).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_by_are_bylines_but_prose_is_not() {
        assert!(is_byline("By Jane Doe"));
        assert!(is_byline("By Jane Doe | Published 3 May 2021, 10:45"));
        assert!(!is_byline("By the time the ships arrived the harbour was full"));
    }
}
