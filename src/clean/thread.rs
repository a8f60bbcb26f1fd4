//! Comment threads. A thread opens with a header ("34 responses to …", "Top Rated Comments",
//! "Kommentare", "Leave a Reply") and goes on as a list of comments, each under the same
//! template: a name, a dateline, "Reply". Comments are prose, often more of it than the article,
//! so the region scan alone would keep them; the thread is found by its shape instead: a
//! comment marker after the article's first paragraphs, followed closely by a template line
//! (a line whose folded shape recurs on the page). From there to the end of the page nothing is
//! the article's.

use rustc_hash::FxHashSet as HashSet;

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
    /// The folded shape of a line that recurs whole on the page (not merely by its last word),
    /// so that a template's lines above a marker can be matched with those below it.
    pub(super) recurring: Option<u64>,
}

/// Prose within this many non-blank lines after a template line sits under that template.
const UNDER_TEMPLATE: usize = 12;

/// A reply's header recurs within this many non-blank lines from the marker.
const NEXT_HEADER: usize = 200;

/// The first line (index into the non-blank lines) of the page's comment thread, if it has one.
pub(super) fn thread_start(lines: &[Cue]) -> Option<usize> {
    let total: usize = lines.iter().map(|l| l.prose_words).sum();
    let mut words = 0;
    // Words above the marker that sit under a template line, as replies do: when most of the
    // text above is such and the marker is itself a template line (the "Reply" under every
    // post), the text above is a forum thread's opening post, and the replies are the page's
    // content as much as it is. So it is, whatever the marker, when that template line is one
    // the replies below repeat (`posted_under_replies`). A header met once ("34 responses to
    // …") still opens a thread under an article whose share bar or byline recurs on the page.
    let mut posted = 0;
    let mut since_template = usize::MAX;
    // For each line, the recurring template line it sits under (within UNDER_TEMPLATE lines).
    let mut under: Vec<Option<usize>> = Vec::with_capacity(lines.len());
    let mut governing = None;
    for (k, line) in lines.iter().enumerate() {
        if line.marker
            && words >= MIN_WORDS_BEFORE
            && lines[k..].iter().take(MAX_MARKER_TO_TEMPLATE).any(|l| l.template)
            // A discussion that far outweighs the text above it is the page's content: the
            // answers under a forum's or a Q&A site's short question.
            && words * MAX_THREAD_TO_TEXT >= total - words
            && (posted * 2 < words || !line.template)
            && posted_under_replies(lines, &under, k) * 2 < words
        {
            return Some(k);
        }
        since_template = if line.template { 0 } else { since_template.saturating_add(1) };
        if line.recurring.is_some() {
            governing = Some(k);
        }
        under.push(governing.filter(|&t| k - t <= UNDER_TEMPLATE));
        words += line.prose_words;
        if since_template <= UNDER_TEMPLATE {
            posted += line.prose_words;
        }
    }
    None
}

/// The words of prose above line `marker` that sit under a template line recurring soon
/// below it: a forum's opening post under the same header (name, join date, post number) as the
/// replies that follow. An article's title printed again in an archive list far down the page
/// heads no reply.
fn posted_under_replies(lines: &[Cue], under: &[Option<usize>], marker: usize) -> usize {
    let below: HashSet<u64> =
        lines[marker..lines.len().min(marker + NEXT_HEADER)].iter().filter_map(|l| l.recurring).collect();
    (0..marker)
        .filter(|&j| {
            lines[j].prose_words > 0 && under[j].and_then(|t| lines[t].recurring).is_some_and(|s| below.contains(&s))
        })
        .map(|j| lines[j].prose_words)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(prose_words: usize, marker: bool, template: bool) -> Cue {
        Cue { prose_words, marker, template, recurring: None }
    }

    /// A template line printed whole again and again: a post's header.
    fn header(shape: u64) -> Cue {
        Cue { prose_words: 0, marker: false, template: true, recurring: Some(shape) }
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
    fn an_opening_post_under_a_header_its_replies_repeat_is_a_forum_thread() {
        // "Joined …" over the opening post and over each reply; the marker ("23 replies") is
        // met once.
        let mut page = vec![header(7), cue(70, false, false), cue(0, true, false)];
        page.extend([header(7), cue(40, false, false), cue(0, false, true)].repeat(3));
        assert_eq!(thread_start(&page), None);
        // The same header far below the thread (an archive list reprinting the title) heads
        // no reply.
        let mut blog = vec![header(7), cue(70, false, false), cue(0, true, false)];
        blog.extend([cue(0, false, true), cue(40, false, false)].repeat(3));
        blog.extend(std::iter::repeat_n(cue(0, false, false), NEXT_HEADER));
        blog.push(header(7));
        assert_eq!(thread_start(&blog), Some(2));
        // Nor does a header the replies do not print.
        page[0] = header(8);
        assert_eq!(thread_start(&page), Some(2));
    }

    #[test]
    fn a_comment_count_over_the_article_does_not() {
        let page = [cue(0, true, false), cue(0, false, true), cue(80, false, false), cue(0, true, false)];
        assert_eq!(thread_start(&page), None);
    }
}
