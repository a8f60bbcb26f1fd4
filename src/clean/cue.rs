//! Words that mark a line as being about the page rather than of the article: the legal and
//! consent notices of a site's footer, and the headers of a comment thread. Each is a class of
//! markers that sites print in many languages, matched on word starts of the folded line, not
//! phrases taken from any one site.

/// Word starts of legal, consent and sign-up notices: copyright, cookies, privacy, terms,
/// newsletters, in the languages most scraped.
const NOTICE_STEMS: &[&str] = &[
    "copyright",
    "cookie",
    "privacy",
    "newsletter",
    "subscribe",
    "unsubscribe",
    "datenschutz",
    "impressum",
    "trademark",
    "disclaim",
    "confidentialit",
    "privacidad",
    "privacidade",
    "riservat",
    "reservad",
    "réservé",
    "vorbehalten",
    "конфиденциальн",
    "подпис",
    "рассылк",
    "プライバシー",
    "隐私",
    "隱私",
];

/// Whole phrases (folded) of the same notices, where one word alone says too little.
const NOTICE_PHRASES: &[&str] = &[
    "all rights reserved",
    "terms of use",
    "terms of service",
    "terms and conditions",
    "sign up",
    "rights reserved",
    "все права",
    "版权所有",
    "著作権",
    // A page's note that it needs JavaScript ("JavaScript is disabled. Please enable
    // JavaScript", "You need to enable JavaScript to run this app."), which a scrape of a page
    // built by scripts prints in place of, or above, its text.
    "enable javascript",
    "javascript is disabled",
    "javascript is required",
    "requires javascript",
];

/// Word starts that head a comment thread or a reply: "34 responses to", "Leave a Reply",
/// "Kommentare (3)", "Comentarios", "Reacties", "Комментарии", "コメント".
const COMMENT_STEMS: &[&str] = &[
    "comment",
    "reply",
    "replies",
    "response",
    "respuesta",
    "kommentar",
    "komment",
    "comentar",
    "comentár",
    "commentaire",
    "commento",
    "commenti",
    "reactie",
    "reageer",
    "reakc",
    "odpowied",
    "antwort",
    "svar",
    "yorum",
    "коммент",
    "ответ",
    "отзыв",
    "コメント",
    "评论",
    "評論",
    "留言",
    "댓글",
];

/// Word starts and phrases (folded) of a copyright line, the notice a site prints once, at
/// the foot of every page: "© 2025 …", "Copyright …", "All rights reserved", "Tous droits
/// réservés", "Alle Rechte vorbehalten", "Todos los derechos reservados".
const COPYRIGHT_STEMS: &[&str] = &["copyright", "reservad", "réservé", "riservat", "vorbehalten"];
const COPYRIGHT_PHRASES: &[&str] = &["rights reserved", "все права", "版权所有", "著作権"];

/// Whether a line (`line`, and `folded` the same after [`super::fold`]) is a copyright line.
pub(super) fn is_copyright(line: &str, folded: &str) -> bool {
    line.contains('©')
        || stems().copyright.any_word_starts(folded)
        || COPYRIGHT_PHRASES.iter().any(|p| folded.contains(p))
}

/// Whether `folded` (a line after [`super::fold`]) reads as a legal or consent notice.
pub(super) fn is_notice(line: &str, folded: &str) -> bool {
    line.contains('©')
        || stems().notice.any_word_starts(folded)
        || notice_phrases().iter().any(|p| p.find(folded.as_bytes()).is_some())
}

/// [`NOTICE_PHRASES`] as searchers built once: every line of every page is searched for each.
fn notice_phrases() -> &'static [memchr::memmem::Finder<'static>] {
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> = std::sync::OnceLock::new();
    FINDERS.get_or_init(|| NOTICE_PHRASES.iter().map(memchr::memmem::Finder::new).collect())
}

/// The most words a header may have when its comment word stands anywhere in it ("Leave a
/// Reply", "Post a comment"); a longer line is a header only when it opens with the word
/// ("Comments (3)") or a count stands before it ("34 responses to …").
const MAX_LOOSE_MARKER_WORDS: usize = 3;

/// Whether a short line reads as the header of a comment thread or a reply link. A heading
/// that merely names the word ("Request and Response Objects", "Respond to review comments")
/// is none: the word must open the line, follow a count, or stand in a line of three words.
pub(super) fn is_comment_marker(folded: &str) -> bool {
    // CJK text has no spaces between words: its stems may stand anywhere.
    let comment = &stems().comment;
    if comment.cjk_in(folded) {
        return true;
    }
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let loose = words.len() <= MAX_LOOSE_MARKER_WORDS;
    words.iter().enumerate().any(|(k, w)| comment.starts(w) && (loose || k == 0 || words[k - 1] == "0"))
}

/// Whether a line (`text`, and `folded` the same after [`super::fold`]) can head a comment
/// thread: a comment marker ([`is_comment_marker`]) that is no line of code. A guide's code
/// names responses and replies ("<Response [200]>", "reply = client.send(msg)") and its
/// output repeats, which reads as a thread's header over its template lines.
pub(super) fn is_thread_header(text: &str, folded: &str) -> bool {
    !super::code::looks_like_code(text) && !text.contains(['<', '>', '=']) && is_comment_marker(folded)
}

/// A list of word starts, grouped by first byte so that a word is compared only with the stems
/// it could start with: every word of every line of every page is looked up.
struct Stems {
    by_first_byte: Vec<Vec<&'static str>>,
    /// The stems in CJK scripts, which may stand anywhere in a line.
    cjk: Vec<&'static str>,
}

impl Stems {
    fn new(stems: &[&'static str]) -> Stems {
        let mut by_first_byte = vec![Vec::new(); 256];
        for s in stems {
            by_first_byte[usize::from(s.as_bytes()[0])].push(*s);
        }
        let cjk = stems.iter().copied().filter(|s| s.chars().next().is_some_and(|c| c >= '\u{2e80}')).collect();
        Stems { by_first_byte, cjk }
    }

    /// Whether `word` (not empty) starts with one of the stems.
    fn starts(&self, word: &str) -> bool {
        self.by_first_byte[usize::from(word.as_bytes()[0])].iter().any(|s| word.starts_with(s))
    }

    /// Whether `folded` holds one of the CJK stems anywhere (an ASCII line holds none).
    fn cjk_in(&self, folded: &str) -> bool {
        !folded.is_ascii() && self.cjk.iter().any(|s| folded.contains(s))
    }

    /// Whether any word of `folded` (a line after [`super::fold`], its words parted by single
    /// spaces) starts with one of the stems, or a CJK stem stands anywhere in it.
    fn any_word_starts(&self, folded: &str) -> bool {
        folded.split(' ').any(|w| !w.is_empty() && self.starts(w)) || self.cjk_in(folded)
    }
}

/// [`NOTICE_STEMS`], [`COPYRIGHT_STEMS`] and [`COMMENT_STEMS`], grouped once.
struct StemLists {
    notice: Stems,
    copyright: Stems,
    comment: Stems,
}

fn stems() -> &'static StemLists {
    static STEMS: std::sync::OnceLock<StemLists> = std::sync::OnceLock::new();
    STEMS.get_or_init(|| StemLists {
        notice: Stems::new(NOTICE_STEMS),
        copyright: Stems::new(COPYRIGHT_STEMS),
        comment: Stems::new(COMMENT_STEMS),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::fold;

    fn notice(line: &str) -> bool {
        is_notice(line, &fold(line))
    }

    #[test]
    fn footers_and_consent_lines_are_notices() {
        assert!(notice("© 2024 The Harbour Gazette. All rights reserved."));
        assert!(notice("This website uses cookies to improve your experience."));
        assert!(notice("Todos los derechos reservados."));
        assert!(notice("Apple, iPad and iPhone are registered trademarks of Apple Inc."));
        assert!(notice("JavaScript is disabled. For a better experience, please enable JavaScript."));
        assert!(notice("You need to enable JavaScript to run this app."));
        assert!(!notice("Functions supports languages such as C#, JavaScript and Python."));
        assert!(!notice("The council voted on Tuesday to close the old bridge."));
    }

    #[test]
    fn copyright_lines_are_told_from_other_notices() {
        // Every copyright line is a notice too: the cleaner asks only notices.
        let copyright = |l: &str| is_copyright(l, &fold(l)) && notice(l);
        assert!(copyright("© 2025 Allbirds, Inc. All Rights Reserved"));
        assert!(copyright("Copyright 2024 The Harbour Gazette"));
        assert!(copyright("Alle Rechte vorbehalten."));
        assert!(!copyright("Sign up to our newsletter"));
        assert!(!copyright("Data privacy concerns the governance of sensitive data."));
    }

    #[test]
    fn thread_headers_are_comment_markers() {
        assert!(is_comment_marker(&fold("34 responses to “Council closes bridge”")));
        assert!(is_comment_marker(&fold("Leave a Reply")));
        assert!(is_comment_marker(&fold("Kommentare (3)")));
        assert!(!is_comment_marker(&fold("What happens next")));
    }

    #[test]
    fn code_naming_a_response_heads_no_thread() {
        for code in ["<Response [200]>", "reply = client.send(msg)", "comments.push(reply);"] {
            assert!(!is_thread_header(code, &fold(code)), "{code}");
        }
        assert!(is_thread_header("Leave a Reply", &fold("Leave a Reply")));
        assert!(is_thread_header("Comments [3]", &fold("Comments [3]")));
    }

    #[test]
    fn headings_naming_the_word_are_not_markers() {
        assert!(!is_comment_marker(&fold("Request and Response Objects")));
        assert!(!is_comment_marker(&fold("Respond to review comments")));
        assert!(!is_comment_marker(&fold("Receive and reply to an inbound message")));
        assert!(is_comment_marker(&fold("Comments are closed for this story")));
    }
}
