//! Golden tests of the cleaner on fixture pages written in the shapes real scrapes have:
//! menus, footers, share and cookie lines, tickers, comment threads, a repeated quote; and the
//! cross-page chrome and user rules.

use vellum::clean::{clean, clean_with, page_shapes, CleanOptions, Cleaned, Fate, Rules, SiteChrome, MIN_PAGES};
use vellum::segment::{segment, Split};

fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/clean/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every non-blank line with its fate, as `vellum clean --explain` prints it.
fn explain(cleaned: &Cleaned) -> String {
    cleaned
        .lines
        .iter()
        .filter(|l| l.fate != Fate::Blank)
        .map(|l| format!("{:<14} {}\n", l.fate.name(), l.text))
        .collect()
}

fn kept(cleaned: &Cleaned) -> Vec<&str> {
    cleaned.kept().map(|l| l.text.as_str()).collect()
}

fn fate_of(cleaned: &Cleaned, start: &str) -> Fate {
    cleaned
        .lines
        .iter()
        .find(|l| l.text.starts_with(start))
        .map(|l| l.fate)
        .unwrap_or_else(|| panic!("no line starts with {start:?}"))
}

/// Asserts the fate of the first line starting with each of `starts`.
fn assert_fates(cleaned: &Cleaned, expected: &[(&str, Fate)]) {
    for &(start, fate) in expected {
        assert_eq!(fate_of(cleaned, start), fate, "{start}");
    }
}

#[test]
fn menus_footers_share_and_cookie_lines_go() {
    let cleaned = clean(&fixture("news_menu_footer.txt"), None);
    insta::assert_snapshot!("news_menu_footer", explain(&cleaned));
    let kept = kept(&cleaned);
    let articles = segment(&cleaned, Split::Auto);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].title.as_deref(), Some("Council votes to close the old swing bridge"));
    assert_eq!(articles[0].date.map(|d| d.to_string()).as_deref(), Some("2024-03-14"));
    // The splitter reads a byline as evidence that a piece starts and keeps it in the body.
    assert_eq!(fate_of(&cleaned, "By Mara Lindqvist"), Fate::Kept, "the byline stays");
    assert!(articles[0].body.starts_with("By Mara Lindqvist"));
    assert_eq!(fate_of(&cleaned, "The swing bridge has carried"), Fate::Caption);
    assert!(kept.contains(&"What happens next"), "the subheading between paragraphs stays");
    assert_eq!(kept.iter().filter(|l| l.ends_with('.')).count(), 4, "all four paragraphs stay");
    for chrome in ["• News", "• Share on Facebook", "Home › News › Local", "We use cookies", "© 2024", "Most read"]
    {
        assert!(!kept.iter().any(|l| l.starts_with(chrome)), "{chrome} should go");
    }
    assert_eq!(fate_of(&cleaned, "[bridge-photo"), Fate::Placeholder);
    assert_eq!(fate_of(&cleaned, "Fishing fleet returns"), Fate::OutsideMain, "a cut-off teaser goes");
}

#[test]
fn tickers_go_and_every_part_of_two_articles_stays() {
    let cleaned = clean(&fixture("ticker_multi.txt"), None);
    insta::assert_snapshot!("ticker_multi", explain(&cleaned));
    assert_eq!(fate_of(&cleaned, "• ABC/USD"), Fate::RepeatedBlock);
    assert_eq!(fate_of(&cleaned, "3 February 2025"), Fate::PageDate);
    let kept = kept(&cleaned);
    for part in ["Economic motivation", "Conclusion", "28 January 2025", "Rail Link Reopens After Winter Repairs"] {
        assert!(kept.contains(&part), "{part} should stay");
    }
    assert_eq!(kept.iter().filter(|l| **l == "Conclusion").count(), 2, "both subheadings stay");
    let articles = segment(&cleaned, Split::Auto);
    let titles: Vec<_> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(
        titles,
        [Some("Northern Valley Opens Its First Solar Farm"), Some("Rail Link Reopens After Winter Repairs")]
    );
}

#[test]
fn a_repeated_quote_keeps_its_first_copy() {
    let cleaned = clean(&fixture("repeated_quote.txt"), None);
    insta::assert_snapshot!("repeated_quote", explain(&cleaned));
    let quote = "“We started with eleven singers in a church basement, and now we fill the market hall every winter.”";
    let fates: Vec<Fate> = cleaned.lines.iter().filter(|l| l.text == quote).map(|l| l.fate).collect();
    assert_eq!(fates.len(), 2);
    assert_eq!(fates[0], Fate::Kept, "the first copy stays");
    assert_ne!(fates[1], Fate::Kept, "the second copy goes");
    assert_eq!(fate_of(&cleaned, "The choir rehearses"), Fate::Kept);
}

#[test]
fn a_comment_thread_after_the_article_goes() {
    let cleaned = clean(&fixture("comments.txt"), None);
    insta::assert_snapshot!("comments", explain(&cleaned));
    let kept = kept(&cleaned);
    assert!(kept.iter().any(|l| l.starts_with("The new ultraportable weighs")));
    assert!(kept.iter().any(|l| l.starts_with("The price is high")));
    assert!(!kept.iter().any(|l| l.starts_with("Mine arrived") || l.starts_with("Reply") || l.contains("days ago")));
}

/// A site page: the same header and footer every time, a different article, and a
/// "Conclusion" subheading that the site's writers always use.
fn site_page(n: usize) -> String {
    // Words, not numbers, must differ between the stories: digits fold away in line shapes.
    let (place, who, body) = [
        ("harbour", "the fishermen", "the ferry"),
        ("market", "the traders", "the market hall"),
        ("school", "the teachers", "the new gym"),
        ("bridge", "the engineers", "the old span"),
        ("library", "the readers", "the reading room"),
        ("station", "the commuters", "the night trains"),
        ("hospital", "the nurses", "the new ward"),
    ][n % 7];
    format!(
        "Valley Courier\n  • News\n  • Sport\n\nNews from the {place}\n\n\
         This week {who} at the {place} told us what happened, and why they think it matters to everyone.\n\n\
         Conclusion\n\n\
         Whatever comes next for {body}, {who} say they will keep a close watch on the decisions of the council.\n\n\
         The Valley Courier is an independent newspaper owned by its readers and published every weekday.\n"
    )
}

#[test]
fn site_chrome_is_learned_after_enough_pages() {
    let footer = "The Valley Courier is an independent newspaper owned by its readers and published every weekday.";
    let mut site = SiteChrome::default();
    let rules = Rules::default();
    for n in 0..MIN_PAGES {
        let page = site_page(n as usize);
        let cleaned = clean_with(&page, None, &CleanOptions { chrome: Some(&site), rules: &rules, extracted: false });
        assert_eq!(fate_of(&cleaned, footer), Fate::Kept, "page {n}: too few pages to know the chrome");
        site.pages += 1;
        for shape in page_shapes(&page) {
            *site.shape_pages.entry(shape).or_default() += 1;
        }
    }
    let page = site_page(MIN_PAGES as usize + 1);
    let cleaned = clean_with(&page, None, &CleanOptions { chrome: Some(&site), rules: &rules, extracted: false });
    insta::assert_snapshot!("site_chrome", explain(&cleaned));
    assert_eq!(fate_of(&cleaned, footer), Fate::SiteChrome);
    assert_eq!(fate_of(&cleaned, "Conclusion"), Fate::Kept, "a subheading between paragraphs stays");
    assert_eq!(fate_of(&cleaned, "This week the nurses"), Fate::Kept);
    assert_eq!(fate_of(&cleaned, "Whatever comes next"), Fate::Kept);
    assert_eq!(fate_of(&cleaned, "• News"), Fate::SiteChrome);
}

#[test]
fn user_keep_beats_everything_and_drop_beats_content() {
    let page = fixture("news_menu_footer.txt");
    let rules =
        Rules { drop: vec!["Engineers told councillors".into()], keep: vec!["most read".into(), "• Sport".into()] };
    let cleaned = clean_with(&page, None, &CleanOptions { chrome: None, rules: &rules, extracted: false });
    assert_eq!(fate_of(&cleaned, "Engineers told councillors"), Fate::UserDrop);
    assert_eq!(fate_of(&cleaned, "Most read"), Fate::Kept);
    assert_eq!(fate_of(&cleaned, "• Sport"), Fate::Kept);
    assert_eq!(fate_of(&cleaned, "The town council voted"), Fate::Kept);
}

#[test]
fn cleaning_twice_gives_the_same_fates() {
    let page = fixture("news_menu_footer.txt");
    assert_eq!(clean(&page, None), clean(&page, None));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*", lines in proptest::collection::vec("[ •□\\[\\]a-zA-Z0-9.,:!?\u{a0}-]{0,80}", 0..40)) {
            let joined = lines.join("\n");
            for page in [&text, &joined] {
                let cleaned = clean(page, None);
                prop_assert_eq!(cleaned.lines.len(), page.lines().count());
            }
        }

        #[test]
        fn arbitrary_rules_and_chrome_never_panic(
            lines in proptest::collection::vec("[ •a-zA-Z0-9.,:]{0,60}", 0..30),
            pattern in "\\PC{0,10}",
            pages in 0u32..20,
        ) {
            let page = lines.join("\n");
            let mut site = SiteChrome { pages, ..SiteChrome::default() };
            for shape in page_shapes(&page) {
                site.shape_pages.insert(shape, pages);
            }
            let rules = Rules { drop: vec![pattern.clone()], keep: vec![pattern] };
            let cleaned = clean_with(&page, None, &CleanOptions { chrome: Some(&site), rules: &rules, extracted: false });
            prop_assert_eq!(cleaned.lines.len(), page.lines().count());
        }
    }
}

/// A comment thread longer than the article it follows: found by its header and the template
/// its comments share (name, dateline, "Reply"), it is cut whole, however much prose it holds.
#[test]
fn a_comment_thread_longer_than_the_article_goes() {
    let cleaned = clean(&fixture("long_thread.txt"), None);
    insta::assert_snapshot!("long_thread", explain(&cleaned));
    let kept = kept(&cleaned);
    assert_eq!(kept.iter().filter(|l| l.ends_with('.')).count(), 3, "the article's three paragraphs stay");
    assert_eq!(fate_of(&cleaned, "27 responses to"), Fate::CommentThread, "the thread starts at its header");
    assert_eq!(fate_of(&cleaned, "I have taken the early boat"), Fate::CommentThread);
    assert_eq!(fate_of(&cleaned, "The afternoon sailing"), Fate::CommentThread);
    let articles = segment(&cleaned, Split::Auto);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].title.as_deref(), Some("Ferry Timetable Cut to Three Sailings a Day"));
}

/// A site's footer of legal and consent notices is prose, and on a short page the longest
/// prose block; its notice words (cookies, privacy, copyright) keep it out of the main text.
#[test]
fn a_footer_of_notices_does_not_outweigh_a_short_article() {
    let page = "Parish News\n\nHall Roof Repaired Before Winter\n\n\
        The village hall roof was repaired last week, in time for the winter concerts, after the parish raised the money in a summer of fairs.\n\n\
        The builders found the old beams sound and replaced only the slates and the lead around the chimney.\n\n\
        Related\n  • Fair raises record sum\n  • New choir director\n  • Bus times change\n  • Library hours\n\n\
        This website uses cookies to improve your experience while you navigate through the website, and some of them are essential for it to work.\n\n\
        Any cookies that may not be necessary for the website to function and that collect personal data through analytics or ads need your consent first.\n\n\
        Read our privacy policy to learn how we use your data and how you can withdraw your consent at any time by writing to us.\n\n\
        © 2024 Parish News. All rights reserved.\n";
    let cleaned = clean(page, None);
    let kept = kept(&cleaned);
    assert!(kept.iter().any(|l| l.starts_with("The village hall roof")));
    assert!(kept.iter().any(|l| l.starts_with("The builders found")));
    assert_eq!(fate_of(&cleaned, "This website uses cookies"), Fate::OutsideMain);
    assert_eq!(fate_of(&cleaned, "Read our privacy policy"), Fate::OutsideMain);
}

/// An article that is mostly a table: rows of cells parted by runs of spaces, holding figures,
/// weigh as text in the region scan, and so does a list of dated entries ("June 9 – …") that no
/// colon announces; the menu above still goes.
#[test]
fn tables_of_figures_and_dated_entries_stay() {
    let cleaned = clean(&fixture("standings_table.txt"), None);
    insta::assert_snapshot!("standings_table", explain(&cleaned));
    let rows = ["Pos.  Driver", "1     Ana Ruiz", "5     Ines Moreau", "June 9 – Northfield", "July 21 – Northfield"];
    let prose = ["Berg won more races", "Tickets for every round"];
    for start in rows.iter().chain(&prose) {
        assert_eq!(fate_of(&cleaned, start), Fate::Kept, "{start} should stay");
    }
    assert_eq!(fate_of(&cleaned, "• Results"), Fate::MenuItem);
}

/// Teasers of other pages whose lines end alike ("… | 4 min read") are template lines: their
/// one-line summaries, prose on their own, no longer join the article's region.
#[test]
fn teasers_with_a_repeated_ending_go() {
    let cleaned = clean(&fixture("teasers_read.txt"), None);
    let kept = kept(&cleaned);
    assert_eq!(kept.iter().filter(|l| l.ends_with('.')).count(), 3, "the article's three paragraphs stay");
    let teasers = ["Market hall to open", "The traders voted", "The operator has at last"];
    assert_fates(&cleaned, &teasers.map(|t| (t, Fate::OutsideMain)));
}

/// A thread whose comment headers differ in every word but end alike ("… at 4:47 pm said:")
/// is found by that shared ending, and is cut from its "Comments" header on.
#[test]
fn a_thread_of_headers_ending_alike_goes() {
    let cleaned = clean(&fixture("thread_said.txt"), None);
    assert_fates(
        &cleaned,
        &[
            ("Our goal with these open threads", Fate::Kept),
            ("If you would rather write", Fate::Kept),
            ("Comments", Fate::CommentThread),
            ("Hi Milan", Fate::CommentThread),
            ("Have you written anything", Fate::CommentThread),
        ],
    );
}

/// A sentence of the article that speaks of responses is prose, not a thread's header, even
/// when template lines follow it.
#[test]
fn a_prose_line_about_responses_opens_no_thread() {
    let page = "Council Answers Its Critics\n\n\
        The council published its plan for the harbour on Monday, after a year of meetings with the traders, the fishermen and the ferry company.\n\n\
        The plan moves the fish market to the north quay and gives the old sheds to a boat builder who has promised twenty jobs on the quay within two years.\n\n\
        The council said its responses to the public consultation were posted online today.\n\n\
        Harbour plan – the consultation\nPosted 3 May\n\n\
        Ferry company – the consultation\nPosted 4 May\n\n\
        Traders – the consultation\nPosted 5 May\n\n\
        Most of the answers asked for more parking near the new market and for a footpath along the quay to the town.\n";
    let cleaned = clean(page, None);
    assert!(!cleaned.lines.iter().any(|l| l.fate == Fate::CommentThread), "{}", explain(&cleaned));
    assert_eq!(fate_of(&cleaned, "The council said its responses"), Fate::Kept);
}

/// w3m prints an `<ins>` element (an ad slot) as `[INS::INS]`: it is no image, and the
/// paragraph under it is no caption.
#[test]
fn the_paragraph_under_an_ad_slot_is_no_caption() {
    let page = "Harbour News\n\nFerry Fares Rise Again\n\n[INS::INS]\n        The island ferry company will raise its fares by eight percent in March, the second rise this year, blaming fuel.\n\n        Commuters say the rise will cost them more than a hundred pounds a year, and the council wants a cheaper season ticket.\n\n        [ferry-photo]\nThe ferry at the north quay.\n";
    let cleaned = clean(page, None);
    assert_eq!(fate_of(&cleaned, "The island ferry company"), Fate::Kept);
    assert_eq!(fate_of(&cleaned, "The ferry at the north quay"), Fate::Caption);
}

#[test]
fn a_service_page_keeps_its_labels_values_and_wrapped_paragraphs() {
    let cleaned = clean(&fixture("service_sections.txt"), None);
    insta::assert_snapshot!("service_sections", explain(&cleaned));
    // Labels and their values between two sections of prose are the text, whatever their
    // number (context alone keeps a gap of three).
    for line in ["Departures from the old town:", "8:15, 12:30 and 17:40", "Crossing time:", "about 50 minutes"] {
        assert_eq!(fate_of(&cleaned, line), Fate::Kept, "{line}");
    }
    // A paragraph hard-wrapped over four lines is prose, none of its lines alone is.
    for line in ["Bicycles travel free", "deck, on a lead", "book a place", "takes twelve cars"] {
        assert_eq!(fate_of(&cleaned, line), Fate::Kept, "{line}");
    }
    for chrome in ["• Home", "Skip to content", "© 2024", "Privacy policy"] {
        assert_ne!(fate_of(&cleaned, chrome), Fate::Kept, "{chrome}");
    }
}
