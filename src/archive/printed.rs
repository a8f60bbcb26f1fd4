//! What a page printed, as against what the cleaner made of it.
//!
//! The cleaner decides where an article ends (and sometimes where it starts) from the lines
//! around it: the next article, the footer, a list of links below the last paragraph. The
//! same article, printed word for word on two days, can therefore come out with a line more or
//! less at its edge, or under another of its lines as headline. Such a text is no edit: every
//! line by which it differs from the stored one stands on both pages. [`same_as_printed`]
//! tells it, and the page is then a sighting of the stored revision (see `write.rs`). A real
//! edit always brings a line one of the pages does not print: a sentence reworded, a
//! paragraph added or taken away, a new headline.

use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;

use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::process::main_text;
use crate::{Page, Result};

/// A page's lines as printed: the non-blank lines of the text the cleaner read, in order, each
/// with its white space collapsed (the form lines take in articles' texts).
#[derive(Debug, Default)]
pub(crate) struct Printed {
    lines: Vec<String>,
    /// Each line's first place in `lines`.
    first: HashMap<String, usize>,
}

impl Printed {
    /// The lines of a page's text (an HTML page's main text).
    pub(crate) fn of(page: &Page) -> Result<Printed> {
        Ok(Printed::of_text(&main_text(page)?))
    }

    pub(crate) fn of_text(text: &str) -> Printed {
        let lines = printed_lines(text);
        let mut first = HashMap::with_capacity_and_hasher(lines.len(), Default::default());
        for (i, line) in lines.iter().enumerate() {
            first.entry(line.clone()).or_insert(i);
        }
        Printed { lines, first }
    }

    fn has(&self, line: &str) -> bool {
        self.first.contains_key(line)
    }

    /// The stretch of the page two versions of an article cover: from the first place of
    /// either's first line to the first place after it of either's last line, the later.
    fn stretch(&self, texts: [&[String]; 2]) -> Option<&[String]> {
        let from = texts.iter().filter_map(|t| t.first()).map(|l| self.first.get(l).copied()).min()??;
        let mut to = from;
        for last in texts.iter().filter_map(|t| t.last()) {
            to = to.max(from + self.lines[from..].iter().position(|l| l == last)?);
        }
        Some(&self.lines[from..=to])
    }
}

/// A text's non-empty lines, collapsed as pages and articles are compared.
fn printed_lines(text: &str) -> Vec<String> {
    text.lines().map(collapsed).filter(|l| !l.is_empty()).collect()
}

/// A line with its runs of white space made one space, trimmed.
fn collapsed(line: &str) -> String {
    // Most lines are plain ASCII with single spaces, already collapsed. (Each test runs over
    // every byte without stopping early, which the compiler makes a few wide steps.)
    let b = line.as_bytes();
    if line.is_ascii()
        && b.first().is_none_or(|&c| c != b' ')
        && b.last().is_none_or(|&c| c != b' ')
        && !b.iter().fold(false, |found, &c| found | (c.wrapping_sub(b'\t') <= b'\r' - b'\t'))
        && !b.iter().zip(&b[1.min(b.len())..]).fold(false, |found, (&x, &y)| found | ((x == b' ') & (y == b' ')))
    {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A text (body and headline) as compared here.
pub(crate) struct Text<'a> {
    pub body: &'a str,
    pub title: Option<&'a str>,
}

/// Whether `new` (from the page printing `new_page`) is `old` (from the page printing
/// `old_page`) cut elsewhere: the stretch of page the two cover (see [`Printed::stretch`]) is
/// printed alike on both pages (so no line of the article changed, even one the cleaner
/// dropped), every line taken away, added or put in another's place stands on both pages, no
/// line moved (taken away in one place and added in another), the lines both share hold at
/// least half the shorter text, and a changed headline stands on both pages too. Case,
/// punctuation and the words inside a line are compared as written: a line edited in any way
/// is not on the page that did not print it.
///
/// One thing more may differ: a block of lines at the start or end of the old text that the
/// new page no longer prints at all, when `elsewhere` finds that block to be (most of) another
/// article's text: two articles glued together on the earlier day, the other since gone from
/// the page. The rest is then compared without it.
///
/// `old_page` gives what the older page printed (`None`: nothing, and the texts differ). It
/// is asked for last, only when the rest leaves the answer open: an edit brings a line the
/// newer page prints and the older one does not, so most edits are told without it. Where it
/// would have told the texts apart before `elsewhere` was asked, an error `elsewhere` meets
/// is no error of the comparison.
pub(crate) fn same_as_printed<P: std::ops::Deref<Target = Printed>>(
    old: &Text<'_>,
    old_page: impl FnOnce() -> Result<Option<P>>,
    new: &Text<'_>,
    new_page: &Printed,
    elsewhere: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<bool> {
    // A changed headline: both headlines, which must stand on both pages.
    let titles: Vec<String> = match old.title.map(collapsed) != new.title.map(collapsed) {
        true => [old.title, new.title].into_iter().flatten().map(collapsed).collect(),
        false => Vec::new(),
    };
    if !titles.iter().all(|t| new_page.has(t)) {
        return Ok(false);
    }
    let (mut a, b) = (printed_lines(old.body), printed_lines(new.body));
    let gone = |l: &String| !new_page.has(l);
    let head = a.iter().take_while(|l| gone(l)).count();
    let tail = a[head..].iter().rev().take_while(|l| gone(l)).count();
    if head + tail > 0 {
        let kept = head..a.len() - tail;
        if (head > 0 && tail > 0) || kept.is_empty() || a[kept.clone()].iter().any(gone) {
            return Ok(false);
        }
        let block = if head > 0 { a[..head].join("\n") } else { a[a.len() - tail..].join("\n") };
        match elsewhere(&block) {
            Ok(true) => {}
            Ok(false) => return Ok(false),
            Err(e) => {
                return match prints(old_page()?.as_deref(), titles.iter().map(String::as_str)) {
                    true => Err(e),
                    false => Ok(false),
                };
            }
        }
        a = a[kept].to_vec();
    }
    let (mut taken, mut added) = (HashSet::new(), HashSet::new());
    let mut shared = 0usize;
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                shared += a[old_index..old_index + len].iter().map(String::len).sum::<usize>();
            }
            _ => {
                taken.extend(a[op.old_range()].iter().map(String::as_str));
                added.extend(b[op.new_range()].iter().map(String::as_str));
            }
        }
    }
    let size = |lines: &[String]| lines.iter().map(String::len).sum::<usize>();
    if !(2 * shared >= size(&a).min(size(&b))
        && taken.is_disjoint(&added)
        && taken.iter().chain(&added).all(|line| new_page.has(line)))
    {
        return Ok(false);
    }
    let page = old_page()?;
    let differ = taken.iter().chain(&added).copied();
    Ok(prints(page.as_deref(), titles.iter().map(String::as_str).chain(differ))
        && matches!((page.as_deref().and_then(|p| p.stretch([&a, &b])), new_page.stretch([&a, &b])), (Some(x), Some(y)) if x == y))
}

/// Whether a page (if any) prints every one of `lines`.
fn prints<'l>(page: Option<&Printed>, mut lines: impl Iterator<Item = &'l str>) -> bool {
    page.is_some_and(|page| lines.all(|line| page.has(line)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsed_lines_have_single_spaces() {
        for (line, want) in [
            ("plain words here", "plain words here"),
            ("  two  spaces\tand a tab ", "two spaces and a tab"),
            ("no\u{a0}break space", "no break space"),
            ("vertical\u{b}tab", "vertical tab"),
            ("", ""),
            (" ", ""),
            ("a", "a"),
            ("a  b", "a b"),
            (" lead", "lead"),
            ("trail ", "trail"),
            ("carriage\rreturn", "carriage return"),
        ] {
            assert_eq!(collapsed(line), want, "{line:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn a_collapsed_line_is_its_words_with_single_spaces(line in "[ a-c\t\r\u{b}\u{1f}\u{a0}]{0,12}|\\PC{0,30}") {
            proptest::prop_assert_eq!(collapsed(&line), line.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    const OLD_PAGE: &str = "Home | News | About\n\nA Quiet Harbour\n\nThe harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.\n\nRead more:\n\nTen walks along the coast\n\nAnother Story\n\nIt begins here, with a sentence long enough to be prose.\n";

    /// [`same_as_printed`] where no block is another article's.
    fn same(old: &Text<'_>, old_page: &Printed, new: &Text<'_>, new_page: &Printed) -> bool {
        same_as_printed(old, || Ok(Some(old_page)), new, new_page, &mut |_| Ok(false)).expect("compared")
    }

    fn text<'a>(body: &'a str, title: &'a str) -> Text<'a> {
        Text { body, title: Some(title) }
    }

    #[test]
    fn lines_the_cleaner_cut_on_one_day_are_no_edit() {
        let page = Printed::of_text(OLD_PAGE);
        let full = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.\n\nRead more:\n\nTen walks along the coast";
        let cut = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.";
        assert!(same(&text(full, "A Quiet Harbour"), &page, &text(cut, "A Quiet Harbour"), &page));
        assert!(same(&text(cut, "A Quiet Harbour"), &page, &text(full, "A Quiet Harbour"), &page));
        // Another headline the page prints above it: the splitter's choice, not the site's.
        assert!(same_as_printed(
            &text(full, "A Quiet Harbour"),
            || Ok(Some(&page)),
            &text(cut, "Read more:"),
            &page,
            &mut |_| Ok(false)
        )
        .expect("compared"));
    }

    #[test]
    fn an_edit_is_a_line_one_page_does_not_print() {
        let old = Printed::of_text(OLD_PAGE);
        let body = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.";
        // A sentence reworded.
        let edited_page = OLD_PAGE.replace("as it often does", "as it did last week");
        let edited = body.replace("as it often does", "as it did last week");
        let new = Printed::of_text(&edited_page);
        assert!(!same(&text(body, "A Quiet Harbour"), &old, &text(&edited, "A Quiet Harbour"), &new));
        // Case or punctuation changed (a trivial revision stays one).
        let trivial_page = OLD_PAGE.replace("stayed in.", "stayed in!");
        let trivial = body.replace("stayed in.", "stayed in!");
        let new = Printed::of_text(&trivial_page);
        assert!(!same(&text(body, "A Quiet Harbour"), &old, &text(&trivial, "A Quiet Harbour"), &new));
        // A paragraph added that the older page did not print.
        let added_page = OLD_PAGE.replace("Read more:", "The ferry ran late all afternoon.\n\nRead more:");
        let added = format!("{body}\n\nThe ferry ran late all afternoon.");
        let new = Printed::of_text(&added_page);
        assert!(!same(&text(body, "A Quiet Harbour"), &old, &text(&added, "A Quiet Harbour"), &new));
        // A paragraph taken away that the newer page no longer prints.
        let removed_page =
            OLD_PAGE.replace("Fishermen said the wind would turn by the evening, as it often does.\n\n", "");
        let removed = "The harbour was quiet this morning, and the boats stayed in.";
        let new = Printed::of_text(&removed_page);
        assert!(!same(&text(body, "A Quiet Harbour"), &old, &text(removed, "A Quiet Harbour"), &new));
        // A headline reworded.
        let new = Printed::of_text(&OLD_PAGE.replace("A Quiet Harbour", "A Quiet Harbour at Dawn"));
        assert!(!same(&text(body, "A Quiet Harbour"), &old, &text(body, "A Quiet Harbour at Dawn"), &new));
    }

    #[test]
    fn an_edit_the_newer_page_prints_is_told_without_the_older_page() {
        let body = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.";
        let edited_page = OLD_PAGE.replace("as it often does", "as it did last week");
        let edited = body.replace("as it often does", "as it did last week");
        let new = Printed::of_text(&edited_page);
        let unread = || -> Result<Option<&Printed>> { panic!("the older page was read") };
        let old = text(body, "A Quiet Harbour");
        assert!(!same_as_printed(&old, unread, &text(&edited, "A Quiet Harbour"), &new, &mut |_| Ok(false))
            .expect("compared"));
        // Lines both texts share leave it open: the older page is read, and one that cannot be
        // read tells the texts apart.
        let page = Printed::of_text(OLD_PAGE);
        let cut = "The harbour was quiet this morning, and the boats stayed in.";
        let mut read = 0;
        let mut none = || -> Result<Option<&Printed>> {
            read += 1;
            Ok(None)
        };
        assert!(!same_as_printed(&old, &mut none, &text(cut, "A Quiet Harbour"), &page, &mut |_| Ok(false))
            .expect("compared"));
        assert_eq!(read, 1);
        assert!(same(&old, &page, &text(cut, "A Quiet Harbour"), &page));
    }

    #[test]
    fn an_edit_inside_the_article_is_one_even_where_the_cleaner_dropped_the_line() {
        // The older text ran down to "Read more:"; the newer stops above it. Between them the
        // site reworded a line the cleaner kept in neither text.
        let page = OLD_PAGE.replace("as it often does.", "as it often does.\n\nPhoto: the harbour at dawn");
        let old = Printed::of_text(&page);
        let new = Printed::of_text(&page.replace("the harbour at dawn", "the harbour at noon"));
        let full = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.\n\nRead more:";
        let cut = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.";
        assert!(!same(&text(full, "A Quiet Harbour"), &old, &text(cut, "A Quiet Harbour"), &new));
        // Printed alike, the same two texts are one.
        assert!(same(&text(full, "A Quiet Harbour"), &old, &text(cut, "A Quiet Harbour"), &old));
    }

    #[test]
    fn another_article_glued_on_and_gone_since_is_no_edit() {
        let old = Printed::of_text(OLD_PAGE);
        let new = Printed::of_text(
            &OLD_PAGE.replace("Another Story\n\nIt begins here, with a sentence long enough to be prose.\n", ""),
        );
        let body = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.";
        let glued = format!("{body}\n\nAnother Story\n\nIt begins here, with a sentence long enough to be prose.");
        let mut asked = Vec::new();
        let mut known = |block: &str| {
            asked.push(block.to_owned());
            Ok(true)
        };
        assert!(same_as_printed(
            &text(&glued, "A Quiet Harbour"),
            || Ok(Some(&old)),
            &text(body, "A Quiet Harbour"),
            &new,
            &mut known
        )
        .expect("compared"));
        assert_eq!(asked, ["Another Story\nIt begins here, with a sentence long enough to be prose."]);
        // Not known as another article: the lines are taken away, an edit.
        assert!(!same(&text(&glued, "A Quiet Harbour"), &old, &text(body, "A Quiet Harbour"), &new));
    }

    #[test]
    fn moved_lines_and_other_texts_are_edits() {
        let page = Printed::of_text(OLD_PAGE);
        let body = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.";
        let moved = "Fishermen said the wind would turn by the evening, as it often does.\n\nThe harbour was quiet this morning, and the boats stayed in.";
        assert!(!same(&text(body, "A Quiet Harbour"), &page, &text(moved, "A Quiet Harbour"), &page));
        // Another article of the page under the same headline shares nothing with the stored.
        let other = "It begins here, with a sentence long enough to be prose.";
        assert!(!same(&text(body, "A Quiet Harbour"), &page, &text(other, "A Quiet Harbour"), &page));
    }

    /// Through the store: three days of one page, the article cut a paragraph shorter on the
    /// second (what followed it changed), one of its sentences edited on the third.
    #[test]
    fn a_page_cut_elsewhere_is_a_sighting_and_an_edit_a_revision() {
        use crate::segment::Article;
        use crate::store::{OpenOptions, Store};
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path(), &OpenOptions { create: true, ..OpenOptions::default() }).expect("store");
        let day = |n: i64, raw: &str| Page {
            source: format!("pages/day{n}.txt"),
            url: None,
            fetched_at: time::macros::datetime!(2025-01-01 08:00 UTC) + time::Duration::days(n),
            site: "example".into(),
            raw: raw.as_bytes().to_vec(),
            charset: None,
        };
        let store_one = |page: &Page, body: &str| {
            let article = Article { title: Some("A Quiet Harbour".into()), date: None, body: body.into() };
            let identity = crate::id::ArticleId::title_identity("example", "A Quiet Harbour");
            crate::archive::store_page(&store, page, &[(identity, &article)], false, None).expect("store page")
        };
        let full = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.\n\nRead more:";
        let cut = "The harbour was quiet this morning, and the boats stayed in.\n\nFishermen said the wind would turn by the evening, as it often does.";
        let first = store_one(&day(0, OLD_PAGE), full);
        let id = first.articles[0].id();
        let second = store_one(&day(1, &OLD_PAGE.replace("Another Story", "Yet Another Story")), cut);
        assert_eq!(second.articles[0].revision().0, 1, "cut elsewhere: no revision");
        let edited_page = OLD_PAGE.replace("as it often does", "as it did last week");
        let third = store_one(&day(2, &edited_page), &cut.replace("as it often does", "as it did last week"));
        assert_eq!(third.articles[0].revision().0, 2, "edited: a revision");
        let revisions = store.revisions(id).expect("revisions");
        assert_eq!(revisions.len(), 2);
        assert_eq!(store.text(&revisions[0]).expect("text"), full, "the text stored first stays");
    }
}
