//! Golden tests of article splitting on pages written for the purpose (`fixtures/segment/`).

use time::macros::{date, datetime};
use time::Date;
use vellum::clean::{clean, Cleaned, Fate, Line};
use vellum::segment::{segment, segment_page, Split};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/segment").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The seed page's shape: a ticker block printed eight times, a page date, six articles whose
/// boundaries are marked by a date line, a closing section, a no-break-space line, or only a
/// change of subject.
#[test]
fn seed_shaped_page_gives_its_six_articles() {
    let page = clean(&fixture("seed_shape.txt"), None);
    let seg = segment_page(&page, Split::Auto);
    assert!(!seg.listing);
    let titles: Vec<&str> = seg.articles.iter().filter_map(|a| a.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            "Alpine Glaciers Lost a Tenth of Their Ice in Two Summers, Study Finds",
            "Farmers Turn to Old Wheat Varieties as Droughts Lengthen",
            "Review: Quiet Comfort at a Reasonable Price",
            "Ruth Ellery, Teacher Who Brought Astronomy to the Classroom, Dies at 88",
            "What the New Rental Tax Rules Mean for Small Landlords",
            "Late Header Sends Rovers Into the Cup Quarter-Finals",
        ]
    );
    assert_eq!(seg.articles.len(), 6);
    let dates: Vec<Option<Date>> = seg.articles.iter().map(|a| a.date).collect();
    let page_date = Some(date!(2025 - 12 - 12));
    assert_eq!(dates, [page_date, page_date, Some(date!(2025 - 11 - 12)), page_date, page_date, page_date]);
    // Subheadings stay inside their articles, closing sections included.
    let glacier = &seg.articles[0].body;
    for sub in ["Background", "What the survey measured", "Conclusion"] {
        assert!(glacier.contains(&format!("\n\n{sub}\n\n")), "{sub}");
    }
    assert!(glacier.ends_with("from the 2040s onwards."));
    let review = &seg.articles[2].body;
    for sub in ["Design", "Sound", "Battery", "Verdict"] {
        assert!(review.contains(&format!("\n\n{sub}\n\n")), "{sub}");
    }
    let tax = &seg.articles[4].body;
    for sub in ["Who has to report?", "What counts as income?", "The bottom line"] {
        assert!(tax.contains(sub), "{sub}");
    }
    // The date line left the body, and so did the caption, which says it is one ("Photo: …").
    assert!(!review.contains("12 November 2025"));
    assert!(!glacier.contains("Photo: Meltwater streams"));
    assert!(glacier.contains("Swiss glaciers have lost ten percent"), "the standfirst above it stays");
}

/// The page shape: a ticker printed eight times, a page date, a headline right after
/// the previous piece's last paragraph with only its date line under it, headlines in curly
/// quotes, subheadings shaped like headlines ("Background: ...", "Conclusion"), and stray
/// no-break-space lines inside an article and between two.
#[test]
fn headline_over_a_date_line_after_the_last_paragraph_starts_its_article() {
    let page = clean(&fixture("seed_like_page.txt"), None);
    let seg = segment_page(&page, Split::Auto);
    assert!(!seg.listing);
    let titles: Vec<&str> = seg.articles.iter().filter_map(|a| a.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            "The Promise of Varnholm’s New Rail Corridor",
            "River Ports Prepare for a Busy Season",
            "Halsund’s harbour council tries an “open budget”",
            "“Not Our Harbour” – Fishermen Win Appeal Over Dredging Permit",
            "Varnholm and Eskadal sign “landmark” water-sharing accord",
        ]
    );
    assert_eq!(seg.articles.len(), 5);
    let page_date = Some(date!(2025 - 11 - 14));
    let dates: Vec<Option<Date>> = seg.articles.iter().map(|a| a.date).collect();
    assert_eq!(dates, [page_date, page_date, Some(date!(2023 - 03 - 14)), page_date, page_date]);
    let body = |k: usize| seg.articles[k].body.as_str();
    for (k, subs) in [
        (0, &["Background: The Ministry’s transport plan", "Freight numbers tell a mixed story", "Conclusion"][..]),
        (2, &["What is an “open budget”?", "Conclusion"][..]),
        (4, &["Background to the accord", "What the accord changes", "Conclusion"][..]),
    ] {
        for sub in subs {
            assert!(body(k).contains(&format!("\n\n{sub}\n\n")), "{sub} in article {k}");
        }
    }
    // The no-break-space line inside the second article leaves it whole.
    assert!(body(1).ends_with("cheaper than a fight with the council."));
    assert!(!body(2).contains("14 March 2023"), "the date line leaves the body");
    assert!(seg.articles.iter().all(|a| !a.body.contains("/USD")), "no ticker line in any body");
}

#[test]
fn listing_page_is_one_document_flagged_listing() {
    let page = clean(&fixture("listing.txt"), None);
    let seg = segment_page(&page, Split::Auto);
    assert!(seg.listing);
    assert_eq!(seg.articles.len(), 1);
    let doc = &seg.articles[0];
    assert_eq!(doc.title, None);
    assert!(doc.body.starts_with("Harbour dredging approved after decades of delay\n\n"));
    assert!(doc.body.ends_with("has no plans to stop."));
    // The menu above the teasers is page chrome.
    assert!(!doc.body.contains("Business"));
}

#[test]
fn listicle_entries_do_not_start_articles() {
    let page = clean(&fixture("listicle.txt"), None);
    let seg = segment_page(&page, Split::Auto);
    assert!(!seg.listing);
    let titles: Vec<Option<&str>> = seg.articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(
        titles,
        [Some("The Best Electric Cars You Can Buy in 2026"), Some("Five Gardening Jobs for a Wet Weekend")]
    );
    assert_eq!(seg.articles[0].date, Some(date!(2026 - 02 - 03)));
    for entry in ["2026 Hyundai Ioniq 5", "2026 Kia EV6", "2026 Tesla Model Y"] {
        assert!(seg.articles[0].body.contains(entry), "{entry}");
    }
    assert!(seg.articles[1].body.starts_with("By Tom Arden\n\n"));
    assert!(seg.articles[1].body.contains("Step 3: Sort the seed tin"));
}

#[test]
fn bylines_captions_and_furniture_do_not_start_articles() {
    let text = "A Long Day at the Harbour Office\n\nBy Jane Doe\n\n\
                The harbour office opened at six, and the first ships were already waiting in the roads.\n\n\
                Ships waiting in the roads at dawn (Getty Images)\n\n\
                Advertisement\n\n\
                Read more\n\n\
                The harbour master said the queue was the longest she had seen in twenty years of work.\n";
    let articles = segment(&clean(text, None), Split::Auto);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].title.as_deref(), Some("A Long Day at the Harbour Office"));
    assert!(!articles[0].body.contains("Advertisement"));
    assert!(articles[0].body.contains("(Getty Images)"));
}

#[test]
fn separators_and_sign_offs_end_articles() {
    let text = "Council Approves New Library\n\n\
                The council approved the plans for a new library on the market square on Tuesday evening.\n\n\
                Building work is expected to begin next spring and to last about eighteen months in all.\n\n\
                * * *\n\n\
                Tides of the Northern Coast\n\n\
                Along the northern coast the tide rises twice a day, and fishermen plan their lives by it.\n\n\
                The boats go out on the ebb and come back on the flood, loaded with crab and mackerel.\n\n\
                — Jane\n\n\
                Notes From a Small Orchard\n\n\
                The apple trees flowered late this year, after a cold April that kept the bees indoors.\n\n\
                The pears did better, and the old quince by the gate gave its first fruit in a decade.\n";
    let articles = segment(&clean(text, None), Split::Auto);
    let titles: Vec<Option<&str>> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(
        titles,
        [Some("Council Approves New Library"), Some("Tides of the Northern Coast"), Some("Notes From a Small Orchard")]
    );
    assert!(!articles[0].body.contains("* * *"));
    assert!(articles[1].body.ends_with("— Jane"));
}

#[test]
fn relative_date_lines_resolve_against_the_fetch_time() {
    let text = "Storm Closes the Coast Road\n\nUpdated 14 hours ago\n\n\
                The coast road was closed overnight after waves threw rocks across both lanes.\n";
    let page = clean(text, Some(datetime!(2022-12-30 08:00 UTC)));
    let articles = segment(&page, Split::Auto);
    assert_eq!(articles[0].date, Some(date!(2022 - 12 - 29)));
    assert_eq!(articles[0].body, "The coast road was closed overnight after waves threw rocks across both lanes.");
}

#[test]
fn split_none_keeps_the_seed_shaped_page_whole() {
    let page = clean(&fixture("seed_shape.txt"), None);
    let seg = segment_page(&page, Split::None);
    assert_eq!(seg.articles.len(), 1);
    assert!(!seg.listing);
}

#[test]
fn a_date_in_the_byline_is_the_articles_date() {
    let text = "Harbour Queue Grows Again\n\nBy Jane Doe | Published 3 May 2021, 10:45\n\n\
                The queue of ships outside the harbour grew again this week as the cranes stood idle.\n";
    let articles = segment(&clean(text, None), Split::Auto);
    assert_eq!(articles[0].date, Some(date!(2021 - 05 - 03)));
    assert!(articles[0].body.starts_with("By Jane Doe | Published 3 May 2021, 10:45\n\n"));
}

#[test]
fn every_printed_date_form_dates_its_article() {
    let now = datetime!(2022-12-30 14:00 UTC);
    for (line, want) in [
        ("30 December 2022", date!(2022 - 12 - 30)),
        ("December 21, 2022", date!(2022 - 12 - 21)),
        ("2022-12-30", date!(2022 - 12 - 30)),
        ("30.12.2022", date!(2022 - 12 - 30)),
        ("Updated 14 hours ago", date!(2022 - 12 - 30)),
        ("Friday, 30 December 2022", date!(2022 - 12 - 30)),
        ("Published: Dec. 21, 2022 at 10:30 a.m. ET", date!(2022 - 12 - 21)),
        ("2022-12-30T08:15:00Z", date!(2022 - 12 - 30)),
    ] {
        let text = format!(
            "Harbour Queue Grows Again\n\n{line}\n\nThe queue of ships outside the harbour grew again this week.\n"
        );
        let articles = segment(&clean(&text, Some(now)), Split::Auto);
        assert_eq!(articles.len(), 1, "{line}");
        assert_eq!(articles[0].date, Some(want), "{line}");
        assert!(!articles[0].body.contains(line), "{line}");
    }
}

/// A headline right over a standfirst printed as a heading is the title; the standfirst opens
/// the body and never starts a piece of its own.
#[test]
fn a_headline_over_a_standfirst_heading_is_the_title() {
    let page = "Stock Car Calendar for the 2018 Season\n\n\
                Round twelve: 9 December at Interlagos\n\n\
                The championship ends at Interlagos, where the title was decided on the last lap a year ago and \
                the teams expect a crowd of forty thousand.\n\n\
                Tickets go on sale in October; the organisers promise more grandstands on the back straight.\n";
    // The splitter alone: every line kept (today's cleaner drops a lone first heading as stray).
    let lines = page
        .lines()
        .enumerate()
        .map(|(i, t)| Line {
            number: i + 1,
            text: t.to_owned(),
            fate: if t.is_empty() { Fate::Blank } else { Fate::Kept },
        })
        .collect();
    let articles = segment(&Cleaned { lines, page_date: None, fetched_at: None, shapes: Vec::new() }, Split::Auto);
    let titles: Vec<Option<&str>> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(titles, [Some("Stock Car Calendar for the 2018 Season")]);
    assert!(articles[0].body.starts_with("Round twelve: 9 December at Interlagos\n\n"), "{}", articles[0].body);
}

/// A page as the cleaner left it: every line kept (blank lines blank) but the ones named in
/// `stray`, which the cleaner dropped as stray short lines.
fn with_stray(text: &str, stray: &[&str]) -> Cleaned {
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, t)| {
            let fate = if t.trim().is_empty() {
                Fate::Blank
            } else if stray.contains(&t) {
                Fate::StrayShort
            } else {
                Fate::Kept
            };
            Line { number: i + 1, text: t.to_owned(), fate }
        })
        .collect();
    Cleaned { lines, page_date: None, fetched_at: None, shapes: Vec::new() }
}

const HARBOUR: &str = "Harbour Dredging Approved After Decades of Delay\n\n\
    The council approved the dredging of the old harbour on Tuesday, ending a dispute that began when \
    the last cargo line left the town.\n\n\
    Work starts in spring; the silt will be shipped to the salt marshes, where it is to raise the banks.\n\n";
const ORCHARD: &str = "Notes From a Small Orchard\n\n\
    The apple trees flowered late this year, after a cold April that kept the bees indoors for weeks.\n\n\
    The pears did better, and the old quince by the gate gave its first fruit in a decade of waiting.\n";

/// A headline the cleaner dropped as a stray short line, right above kept text, still opens its
/// article; a stray line that starts nothing stays out of every body.
#[test]
fn a_stray_headline_above_kept_text_is_reclaimed_as_a_title() {
    let text = format!("{HARBOUR}* * *\n\n{ORCHARD}");
    let page = with_stray(&text, &["Notes From a Small Orchard"]);
    let articles = segment(&page, Split::Auto);
    let titles: Vec<Option<&str>> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(titles, [Some("Harbour Dredging Approved After Decades of Delay"), Some("Notes From a Small Orchard")]);
    // Without the rule that ends the first piece, the stray heading is no title and no text.
    let text = format!("{HARBOUR}Silt and Salt Marshes\n\nThe silt will raise the banks of the salt marshes.\n");
    let articles = segment(&with_stray(&text, &["Silt and Salt Marshes"]), Split::Auto);
    assert_eq!(articles.len(), 1);
    assert!(!articles[0].body.contains("Silt and Salt Marshes"), "{}", articles[0].body);
    // With `Split::None` the cleaner's judgement stands.
    let text = format!("{HARBOUR}* * *\n\n{ORCHARD}");
    let whole = segment(&with_stray(&text, &["Notes From a Small Orchard"]), Split::None);
    assert!(!whole[0].body.contains("Notes From a Small Orchard"));
}

/// A headline the cleaner dropped together with its byline and date line (three short lines,
/// none between two paragraphs) is reclaimed with them: the header is evidence, and the date
/// is the article's.
#[test]
fn a_stray_headline_over_a_stray_byline_and_date_is_reclaimed() {
    let orchard = ORCHARD.replacen("\n\n", "\n\nBy Ada Quill\n\n4 May 2021\n\n", 1);
    let text = format!("{HARBOUR}{orchard}");
    let page = with_stray(&text, &["Notes From a Small Orchard", "By Ada Quill", "4 May 2021"]);
    let articles = segment(&page, Split::Auto);
    let titles: Vec<Option<&str>> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(titles, [Some("Harbour Dredging Approved After Decades of Delay"), Some("Notes From a Small Orchard")]);
    assert_eq!(articles[1].date, Some(date!(2021 - 05 - 04)));
    // The cleaner's judgement of the header's text stands: it is in no body.
    assert!(articles.iter().all(|a| !a.body.contains("Ada Quill") && !a.body.contains("4 May")));
    // A stray line over a stray line that is no header (a menu entry) stays out.
    let text = format!("{HARBOUR}{}", ORCHARD.replacen("\n\n", "\n\nWeather\n\n", 1));
    let page = with_stray(&text, &["Notes From a Small Orchard", "Weather"]);
    let articles = segment(&page, Split::Auto);
    assert!(articles.iter().all(|a| a.title.as_deref() != Some("Notes From a Small Orchard")), "{articles:?}");
}

/// A heading whose words the article so far already uses names a part of that article, even
/// over a paragraph in new vocabulary; a heading in words of its own over such a paragraph is
/// the next piece's title.
#[test]
fn a_heading_in_the_articles_own_words_stays_a_subheading() {
    let text = format!(
        "{HARBOUR}Paying for the Dredging\n\n\
        Ratepayers will meet a third of the bill through a levy; grants from the national fund cover \
        the rest, subject to an audit of costs every quarter.\n"
    );
    let articles = segment(&with_stray(&text, &[]), Split::Auto);
    assert_eq!(articles.len(), 1, "{articles:?}");
    assert!(articles[0].body.contains("\n\nPaying for the Dredging\n\n"));
    let text = format!("{HARBOUR}{ORCHARD}");
    let articles = segment(&with_stray(&text, &[]), Split::Auto);
    assert_eq!(articles.len(), 2, "{articles:?}");
}

/// The entries of a list a heading opens are the text it opens: cohesion compares the article
/// so far with them, not with the next piece after the list.
#[test]
fn a_heading_over_a_list_is_judged_by_the_list() {
    let text = format!(
        "Quayside Band Announces a Harbour Tour\n\n\
        The quayside band will play harbour towns this summer, its first tour since the singer's return, \
        with new songs about ferries and the old harbour.\n\n\
        The band's harbour tour opens on the quay where the band first played, and tickets go on sale on Friday.\n\n\
        Quayside Band Harbour Tour Dates\n\n\
        June 9 – Harbour Hall, Tampa: the quayside band\n\n\
        June 10 – Harbour Arena, Atlanta: the quayside band\n\n\
        June 12 – Ferry Terminal Stage, Boston: the quayside band\n\n{ORCHARD}"
    );
    let articles = segment(&with_stray(&text, &[]), Split::Auto);
    let titles: Vec<Option<&str>> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(titles, [Some("Quayside Band Announces a Harbour Tour"), Some("Notes From a Small Orchard")]);
}

/// A heading that exclaims is a blog post's own section head, not the next piece's title,
/// even over a paragraph in new vocabulary.
#[test]
fn an_exclaiming_heading_stays_a_subheading() {
    let post = "A Weekend at the Old Harbour Fair\n\n\
        We spent the weekend at the harbour fair, walking the quay between the stalls and the boats \
        moored for the occasion.\n\n\
        The fair fills the quay every autumn, and this year the stalls ran all the way to the lighthouse.\n\n";
    for (head, pieces) in [("Then the fireworks began!", 1), ("Fireworks Light Up the Night Sky Over the Bay", 2)] {
        let text = format!(
            "{post}{head}\n\nRockets burst in gold and green, and the crowd counted down with every \
            volley until midnight.\n\nChildren on shoulders cheered the loudest bangs.\n"
        );
        let articles = segment(&with_stray(&text, &[]), Split::Auto);
        assert_eq!(articles.len(), pieces, "{head}: {articles:?}");
    }
}

/// The page's first headline, dropped as stray above the first kept paragraph, is its title
/// when it has 4 words or more; a shorter stray line there ("Watch live") stays chrome.
#[test]
fn a_stray_first_headline_is_reclaimed_when_long_enough() {
    let text = format!("{HARBOUR}{ORCHARD}");
    let articles = segment(&with_stray(&text, &["Harbour Dredging Approved After Decades of Delay"]), Split::Auto);
    let titles: Vec<Option<&str>> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(titles, [Some("Harbour Dredging Approved After Decades of Delay"), Some("Notes From a Small Orchard")]);
    let text = format!("Watch live\n\n{}", HARBOUR.split_once("\n\n").map_or("", |(_, rest)| rest));
    let articles = segment(&with_stray(&text, &["Watch live"]), Split::Auto);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].title, None);
    assert!(!articles[0].body.contains("Watch live"));
}

/// The headlines of a recurring column share a template ("News From the ... Desk"): the
/// previous headline's words are no evidence that the next is a subheading.
#[test]
fn a_templated_headline_under_a_date_starts_its_article() {
    let piece = |topic: &str| {
        format!(
            "News From the {topic} Desk Today\n\n3 December 2025\n\n\
            The {topic} committee met on Tuesday to discuss the plans for the coming year.\n\n\
            Members of the {topic} committee expect the work to continue well into the spring.\n\n"
        )
    };
    let text = format!("{}{}", piece("Harbour"), piece("Orchard"));
    let articles = segment(&with_stray(&text, &[]), Split::Auto);
    let titles: Vec<Option<&str>> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(titles, [Some("News From the Harbour Desk Today"), Some("News From the Orchard Desk Today")]);
}

/// A piece that ends on a list line ("— Name (@handle) date", a quoted post) does not make the
/// next headline a listicle entry: only a bare number line ("1", "2.") does.
#[test]
fn a_headline_after_a_closing_list_line_is_not_a_listicle_entry() {
    let text = "Harbour Dredging Approved After Decades of Delay\n\n\
        The council approved the dredging of the old harbour on Tuesday, ending a dispute that began when \
        the last cargo line left the town.\n\n\
        The harbour master welcomed the vote in a short post on the council's page that evening.\n\n\
        — Harbour Office (@harbouroffice) 3 May 2021\n\n\
        Notes From a Small Orchard\n\n\
        The apple trees flowered late this year, after a cold April that kept the bees indoors for weeks.\n\n\
        The pears did better, and the old quince by the gate gave its first fruit in a decade of waiting.\n";
    let articles = segment(&with_stray(text, &[]), Split::Auto);
    let titles: Vec<Option<&str>> = articles.iter().map(|a| a.title.as_deref()).collect();
    assert_eq!(titles, [Some("Harbour Dredging Approved After Decades of Delay"), Some("Notes From a Small Orchard")]);
}

/// A piece's opening, down to a table's header.
const ROVERS: &str = "Rovers Defence Holds Firm in the Cup Run\n\n\
    The defence conceded once in four cup games, and the manager credited the new full backs and the \
    goalkeeper, who has saved two penalties this season.\n\n\
    The snap counts below cover every player who took part in the last two rounds.\n\n\
    Player Minutes Tackles Saves\n\n";

/// A heading printed twice on the page (a table's header over each table) labels a recurring
/// section, whatever the vocabulary under it.
#[test]
fn a_heading_printed_twice_does_not_start_articles() {
    let text = format!(
        "{ROVERS}Okafor 360 12 0; Lindqvist 355 9 0; Brennan 360 0 14; Duarte 270 7 0.\n\n\
        Midfield\n\nPlayer Minutes Tackles Saves\n\nHaddad 300 15 0; Moreau 240 11 0; Kowalczyk 180 4 0.\n"
    );
    let articles = segment(&with_stray(&text, &[]), Split::Auto);
    assert_eq!(articles.len(), 1, "{articles:?}");
}

/// A heading the cleaner left once because the page prints it again (the copies dropped as
/// duplicates) is a recurring label too.
#[test]
fn a_heading_the_cleaner_found_repeated_does_not_start_an_article() {
    let text = format!(
        "{ROVERS}Okafor 360 12 0; Lindqvist 355 9 0; Brennan 360 0 14; Duarte 270 7 0; Haddad 300 15 0.\n\n\
        Moreau 240 11 0; Kowalczyk 180 4 0; Osei 90 2 0; Varga 45 1 0; Nakamura 30 0 0.\n"
    );
    let mut page = with_stray(&text, &[]);
    let last = page.lines.len();
    page.lines.push(Line { number: last + 1, text: "Player Minutes Tackles Saves".into(), fate: Fate::Duplicate });
    let articles = segment(&page, Split::Auto);
    assert_eq!(articles.len(), 1, "{articles:?}");
}

/// A rule the article already drew between its own parts (AP prints "___" between sections)
/// does not end it when it is drawn again; a sign-off would.
#[test]
fn a_rule_repeated_inside_an_article_does_not_end_it() {
    let text = "Seven Questions Before the Harbour Vote\n\n\
        The council votes on the harbour plan on Tuesday, and seven questions will decide the outcome.\n\n\
        The mayor says the vote is the most important since the bridge was rebuilt after the floods.\n\n\
        ___\n\n\
        The port authority pays two thirds; the town pays the rest from the reserve it has kept since 1990.\n\n\
        ___\n\n\
        WHAT HAPPENS TO THE MARSHES?\n\n\
        Silt from the harbour channel goes to the salt marshes under the council's plan, where wardens \
        want the banks raised before winter.\n";
    let articles = segment(&with_stray(text, &[]), Split::Auto);
    assert_eq!(articles.len(), 1, "{articles:?}");
    assert!(articles[0].body.contains("WHAT HAPPENS TO THE MARSHES?"));
}

/// A short label between two paragraphs of a single article ("24 Comments", "From $49") is no
/// headline: the text above it is not cut off as an article of its own.
#[test]
fn a_short_label_inside_a_single_article_is_no_headline() {
    let paragraphs = [
        "The harbour at Halsund reopened on Monday after a month of dredging works, and the first barges arrived before noon with gravel for the new quay.",
        "Residents gathered on the pier to watch, and several said the works had been louder than anyone expected during the long nights of the autumn.",
        "The port authority thanked the dredging crews and promised that the next phase, a deeper berth for tankers, would start only after a public hearing.",
        "Fishermen were less enthusiastic, saying the new channel had pushed the herring further out and that their catches had fallen by a third since August.",
        "Local shops reported brisk trade as visitors came to see the first barges, and the bakery on the quay ran out of bread by two in the afternoon.",
    ];
    for label in ["24 Comments", "From $49"] {
        for head in [None, Some("Harbour Reopens After Dredging")] {
            let lines: Vec<&str> = head
                .into_iter()
                .chain(paragraphs[..3].iter().copied())
                .chain([label])
                .chain(paragraphs[3..].iter().copied())
                .collect();
            let articles = segment(&clean(&lines.join("\n\n"), None), Split::Auto);
            assert_eq!(articles.len(), 1, "{label} under {head:?}");
            assert_eq!(articles[0].title.as_deref(), head);
            assert!(
                articles[0].body.starts_with("The harbour at Halsund")
                    && articles[0].body.ends_with("in the afternoon.")
            );
        }
    }
}

const BAKERY: &str = "The bakery on the quay opened its doors in 1911, when the first ovens were built of harbour \
    stone and fired with driftwood gathered on the beach below the town.\n\n\
    Today the same family runs it, and the sourdough starter is said to be older than the pier, fed every \
    morning before the fishing boats go out and again when they come back.\n\n\
    Visitors queue from seven for the rye loaves, which sell out by nine, and the cinnamon buns, which the \
    bakers make only on Saturdays and only as many as the old trays hold.\n";

fn titles(articles: &[vellum::segment::Article]) -> Vec<Option<&str>> {
    articles.iter().map(|a| a.title.as_deref()).collect()
}

/// The page's title for a piece, dropped by the cleaner as a stray line, over the piece's own
/// heading on the same subject (a date line the cleaner took for the page's between them) is
/// the piece's title; the piece's own heading opens its body.
#[test]
fn a_stray_title_over_the_pieces_own_heading_is_the_title() {
    let text = format!("{HARBOUR}\nWhat Is a Quay Bakery?\n\n02.10.2023\n\nWhat Is a Bakery on the Quay\n\n{BAKERY}");
    let mut page = with_stray(&text, &["What Is a Quay Bakery?"]);
    for line in &mut page.lines {
        if line.text == "02.10.2023" {
            line.fate = Fate::PageDate;
        }
    }
    let articles = segment(&page, Split::Auto);
    assert_eq!(
        titles(&articles),
        [Some("Harbour Dredging Approved After Decades of Delay"), Some("What Is a Quay Bakery?")]
    );
    assert!(articles[1].body.starts_with("What Is a Bakery on the Quay\n\nThe bakery"), "{}", articles[1].body);
    // A stray line over a heading on another subject stays out.
    let text = format!("{HARBOUR}Weather and Tides\n\nWhat Is a Bakery on the Quay\n\n{BAKERY}");
    let articles = segment(&with_stray(&text, &["Weather and Tides"]), Split::Auto);
    assert!(articles.iter().all(|a| a.title.as_deref() != Some("Weather and Tides")), "{articles:?}");
}

/// A short headline with a date line under it, over a heading that opens the text, is the
/// piece's title (the heading its standfirst), however few its words.
#[test]
fn a_dated_headline_over_a_heading_is_the_title() {
    let text = format!(
        "{HARBOUR}\nQuay Bakeries\n\nApril 18, 2023\n\nWhat Is the Difference and Which Is Right for You?\n\n{BAKERY}"
    );
    let articles = segment(&with_stray(&text, &[]), Split::Auto);
    assert_eq!(titles(&articles), [Some("Harbour Dredging Approved After Decades of Delay"), Some("Quay Bakeries")]);
    assert_eq!(articles[1].date, Some(date!(2023 - 04 - 18)));
    assert!(articles[1].body.starts_with("What Is the Difference"));
}

/// A line shaped like a heading right over a headline with a date line of its own (the last
/// line of the piece before: "Let us know how it goes!") is no title over that headline.
#[test]
fn a_line_over_a_dated_headline_is_not_its_title() {
    let text = format!(
        "{HARBOUR}If this has got you interested please try it out and let us know how it goes!\n\n\n\
         The Bakery on the Quay Turns One Hundred\n\n2014-04-29\n\n{BAKERY}"
    );
    let articles = segment(&with_stray(&text, &[]), Split::Auto);
    assert_eq!(
        titles(&articles),
        [Some("Harbour Dredging Approved After Decades of Delay"), Some("The Bakery on the Quay Turns One Hundred")]
    );
    assert!(articles[0].body.ends_with("let us know how it goes!"), "{}", articles[0].body);
}

/// Short prose of the site's header above the first headline (a description of the site) is
/// no article when a date line stands over or under that headline.
#[test]
fn header_prose_above_a_dated_first_title_is_left_out() {
    for dated in [
        "The Bakery on the Quay Turns One Hundred\n\n2025-12-25\n\n",
        "2025-12-25\n\nThe Bakery on the Quay Turns One Hundred\n\n",
    ] {
        let text = format!(
            "Discover the bakeries and harbours of the coast with our weekly guide.\n\n{dated}{BAKERY}\n{HARBOUR}"
        );
        let articles = segment(&with_stray(&text, &[]), Split::Auto);
        assert_eq!(
            titles(&articles),
            [
                Some("The Bakery on the Quay Turns One Hundred"),
                Some("Harbour Dredging Approved After Decades of Delay")
            ]
        );
        assert!(articles[0].body.starts_with("The bakery on the quay opened"));
    }
}

/// A headed piece after the page's last whole piece, up to 160 words and with no date line or
/// byline (an author's box), is the site's footer.
#[test]
fn an_authors_box_after_the_last_piece_is_the_footer() {
    let long = |w: &str| format!("{w} ").repeat(260) + "and the end.";
    let author = format!("Ada Quill\n\n{}\n\n", "Ada Quill writes about harbours, bakeries and the coast. ".repeat(11));
    let text = format!("Harbour Dredging Approved\n\n{}\n\n{}\n\n\nThe Bakery on the Quay Turns One Hundred\n\n2014-04-29\n\n{}\n\n{}\n\n\n{author}", long("harbour"), long("dredging"), long("bakery"), long("ovens"));
    let articles = segment(&with_stray(&text, &[]), Split::Auto);
    assert_eq!(
        titles(&articles),
        [Some("Harbour Dredging Approved"), Some("The Bakery on the Quay Turns One Hundred")]
    );
    assert!(!articles[1].body.contains("Ada Quill"));
}

/// A headline and its date line over text the cleaner dropped with them (as stray, or outside
/// the main text) are a whole piece its region scan missed: taken back up to the footer's
/// first menu line. A teaser (a headline, a date, a blurb) is not.
#[test]
fn a_dated_headline_over_dropped_text_is_taken_back() {
    let text = format!(
        "{HARBOUR}The Bakery on the Quay Turns One Hundred\n\n2014-04-29\n\n{BAKERY}\n• Contact\n\n\
         Our newsletter brings the coast to your inbox every week, with recipes, walks and tides.\n"
    );
    let mut page = with_stray(&text, &["The Bakery on the Quay Turns One Hundred", "2014-04-29", "• Contact"]);
    for line in &mut page.lines {
        if line.text.len() > 60 && !line.text.starts_with("The council") && !line.text.starts_with("Work starts") {
            line.fate = Fate::OutsideMain;
        } else if line.text == "• Contact" {
            line.fate = Fate::MenuItem;
        }
    }
    let articles = segment(&page, Split::Auto);
    assert_eq!(
        titles(&articles),
        [Some("Harbour Dredging Approved After Decades of Delay"), Some("The Bakery on the Quay Turns One Hundred")]
    );
    assert_eq!(articles[1].date, Some(date!(2014 - 04 - 29)));
    assert!(
        articles[1].body.starts_with("The bakery on the quay opened") && articles[1].body.ends_with("old trays hold.")
    );
    // A teaser's blurb is too short to be a piece.
    let teaser = "Ovens Fired Again at the Quay\n\n2014-05-02\n\nThe old ovens were fired again this week.\n";
    let mut page = with_stray(&format!("{HARBOUR}{teaser}"), &["Ovens Fired Again at the Quay", "2014-05-02"]);
    for line in &mut page.lines {
        if line.text.starts_with("The old ovens") {
            line.fate = Fate::OutsideMain;
        }
    }
    assert_eq!(segment(&page, Split::Auto).len(), 1);
}

/// With no date line, a headline the cleaner dropped over 150 words or more of prose it also
/// dropped, before later kept text, is taken back too: as a title when set apart by a wide
/// gap, else as a subheading of the piece before (a part of its text the cleaner missed).
#[test]
fn an_undated_headline_over_dropped_text_is_taken_back() {
    let para = "The old ovens were fired again this week for the first time since the floods, and the \
                bakers worked through the night to fill the shelves before the market opened at dawn.";
    let body = [para; 6].join("\n\n");
    for (gap, title) in [("\n", true), ("", false)] {
        let text = format!("{HARBOUR}{gap}Ovens Fired Again at the Quay\n\n{body}\n\n* * *\n\n{ORCHARD}");
        let mut page = with_stray(&text, &["Ovens Fired Again at the Quay"]);
        for line in &mut page.lines {
            if line.text == para {
                line.fate = Fate::OutsideMain;
            }
        }
        let articles = segment(&page, Split::Auto);
        assert_eq!(titles(&articles).contains(&Some("Ovens Fired Again at the Quay")), title, "{articles:?}");
        let taken = articles.iter().find(|a| a.body.contains("old ovens")).expect("the text is taken back");
        assert_eq!(taken.title.as_deref() == Some("Ovens Fired Again at the Quay"), title);
        assert!(taken.body.contains("market opened at dawn.\n\nThe old ovens"), "{articles:?}");
    }
    // After the page's last kept line (a footer may hold prose), nothing is taken back.
    let text = format!("{HARBOUR}Ovens Fired Again at the Quay\n\n{body}\n");
    let mut page = with_stray(&text, &["Ovens Fired Again at the Quay"]);
    for line in &mut page.lines {
        if line.text == para {
            line.fate = Fate::OutsideMain;
        }
    }
    assert!(!segment(&page, Split::Auto)[0].body.contains("ovens"));
}

/// Headings that name a part of a page's piece ("Glossary", "Article Sources", "Pros",
/// "Pricing", "Reader Comments") never start an article, over however new a vocabulary.
#[test]
fn a_glossary_or_a_list_of_sources_starts_no_article() {
    for name in ["Glossary", "Article Sources", "Pricing", "Reader Comments"] {
        let text = format!("{HARBOUR}\n{name}\n\n{BAKERY}");
        let articles = segment(&with_stray(&text, &[]), Split::Auto);
        assert_eq!(titles(&articles), [Some("Harbour Dredging Approved After Decades of Delay")], "{name}");
        assert!(articles[0].body.contains(&format!("\n\n{name}\n\nThe bakery")), "{name}");
    }
}
