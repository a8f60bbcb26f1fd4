//! Comment threads. A thread opens with a header ("34 responses to …", "Top Rated Comments",
//! "Kommentare", "Leave a Reply") and goes on as a list of comments, each under the same
//! template: a name, a dateline, "Reply". Comments are prose, often more of it than the article,
//! so the region scan alone would keep them; the thread is found by its shape instead: a
//! comment marker after the article's first paragraphs, followed closely by a template line
//! (a line whose folded shape recurs on the page). From there to the end of the page nothing is
//! the article's.

/// A comment marker is a line short of prose: "Leave a Reply", "Kommentare (3)", or a header
/// quoting the article's title ("34 responses to “…”").
pub(super) const MAX_MARKER_WORDS: usize = 16;

/// A template line must follow the marker within this many non-blank lines.
const MAX_MARKER_TO_TEMPLATE: usize = 12;

/// The marker must come after at least this many words of prose: a "5 comments" link in an
/// article's lead, over its text, opens no thread.
const MIN_WORDS_BEFORE: usize = 50;

/// How many times the prose above it the prose from the marker on may hold and still be cut
/// as a thread; a longer discussion is the page's content (a forum, a Q&A site's answers).
const MAX_THREAD_TO_TEXT: usize = 8;

/// One non-blank line as the thread finder sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cue {
    /// Words of prose the line holds (0 unless it is prose).
    pub(super) prose_words: usize,
    /// A short line heading a comment thread or a reply link.
    pub(super) marker: bool,
    /// The line's folded shape recurs on the page.
    pub(super) template: bool,
}

/// Prose within this many non-blank lines after a template line sits under that template.
const UNDER_TEMPLATE: usize = 12;

/// The first line (index into the non-blank lines) of the page's comment thread, if it has one.
pub(super) fn thread_start(lines: &[Cue]) -> Option<usize> {
    let total: usize = lines.iter().map(|l| l.prose_words).sum();
    let mut words = 0;
    // Words above the marker that sit under a template line, as replies do: when most of the
    // text above is such and the marker is itself a template line (the "Reply" under every
    // post), the text above is a forum thread's opening post, and the replies are the page's
    // content as much as it is. A header met once ("34 responses to …") still opens a thread
    // under an article whose share bar or byline recurs on the page.
    let mut posted = 0;
    let mut since_template = usize::MAX;
    for (k, line) in lines.iter().enumerate() {
        if line.marker
            && words >= MIN_WORDS_BEFORE
            && lines[k..].iter().take(MAX_MARKER_TO_TEMPLATE).any(|l| l.template)
            // A discussion that far outweighs the text above it is the page's content: the
            // answers under a forum's or a Q&A site's short question.
            && words * MAX_THREAD_TO_TEXT >= total - words
            && (posted * 2 < words || !line.template)
        {
            return Some(k);
        }
        since_template = if line.template { 0 } else { since_template.saturating_add(1) };
        words += line.prose_words;
        if since_template <= UNDER_TEMPLATE {
            posted += line.prose_words;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(prose_words: usize, marker: bool, template: bool) -> Cue {
        Cue { prose_words, marker, template }
    }

    #[test]
    fn a_marker_followed_by_template_lines_opens_a_thread() {
        let page = [
            cue(60, false, false),
            cue(0, true, false),
            cue(0, false, false),
            cue(0, false, true),
            cue(30, false, false),
        ];
        assert_eq!(thread_start(&page), Some(1));
    }

    #[test]
    fn a_discussion_far_longer_than_its_question_is_the_content() {
        let mut page = vec![cue(60, false, false), cue(0, true, false), cue(0, false, true)];
        page.extend([cue(100, false, false), cue(0, false, true)].repeat(5));
        assert_eq!(thread_start(&page), None);
    }

    #[test]
    fn an_opening_post_under_the_replies_template_is_a_forum_thread() {
        // Template lines (name, "Joined", post number) over the opening post as over each reply,
        // and a "Reply" marker under each.
        let mut page = vec![cue(0, false, true), cue(0, false, true), cue(70, false, false), cue(0, true, true)];
        page.extend([cue(0, false, true), cue(40, false, false)].repeat(3));
        assert_eq!(thread_start(&page), None);
        // A marker met once under the same post opens a thread.
        page[3] = cue(0, true, false);
        assert_eq!(thread_start(&page), Some(3));
        // The same replies under an article whose text stands apart from the template.
        let mut article = vec![cue(0, false, true)];
        article.extend(std::iter::repeat_n(cue(0, false, false), UNDER_TEMPLATE));
        article.extend([cue(70, false, false), cue(0, true, false)]);
        article.extend([cue(0, false, true), cue(40, false, false)].repeat(3));
        assert_eq!(thread_start(&article), Some(UNDER_TEMPLATE + 2));
    }

    #[test]
    fn a_comment_count_over_the_article_does_not() {
        let page = [cue(0, true, false), cue(0, false, true), cue(80, false, false), cue(0, true, false)];
        assert_eq!(thread_start(&page), None);
    }
}
