//! One article under differently shaped chrome must clean to one text: another day's ticker
//! figures, another page date, one teaser or article more or less around it. A difference here
//! is a false revision in the archive.

use vellum::clean::clean;

const ARTICLE: &str = "\
Harbour Ferry Adds a Winter Timetable

The harbour ferry will run an extra crossing every evening from December, the operator said on Tuesday, after a season in which the last boat was often full before it left the quay.

The new timetable keeps the early crossings as they are and adds a boat at half past nine, which the operator says will carry workers from the hospital and the fish market home.

Fares

A single ticket stays at the summer price, and the monthly pass for residents of the islands falls by a small amount from the first of January.

The operator thanked the crew for the long hours.
";

const MENU: &str = "\
• Home
• News
• Islands
• Weather
• Contact
";

const FOOTER: &str = "\
© 2026 The Island Courier. All rights reserved.
• Privacy
• Terms of use
";

const OTHER: &str = "\
School Garden Wins a Regional Prize

Pupils at the island school have won a regional prize for the vegetable garden they planted behind the gym, and they plan to spend the money on a small greenhouse for the spring.

Their teacher said the garden had begun as a lesson on soil and grown into a project that the whole village now helps with at weekends.
";

fn ticker(day: u32) -> String {
    (0..3)
        .flat_map(|k| {
            [
                format!("  • FISH/EUR = 1.{day}{k}2 {k}.{day}%"),
                format!("  • FUEL/EUR = 0.9{k}{day} -0.{k}%"),
                format!("  • SALT/EUR = 0.1{day}{k} 0.0{k}%"),
            ]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lines of `article` the cleaner keeps on `page`, which keeps none of the page's chrome.
fn kept_lines(article: &str, page: &str) -> Vec<String> {
    let ours: Vec<&str> = article.lines().filter(|l| !l.is_empty()).collect();
    let kept: Vec<String> = clean(page, None).kept().map(|l| l.text.clone()).collect();
    for line in &kept {
        assert!(!line.contains("/EUR") && !line.starts_with('©'), "chrome kept: {line}\n{page}");
    }
    kept.into_iter().filter(|l| ours.contains(&l.as_str())).collect()
}

/// The article's lines the cleaner keeps on `page`.
fn ferry_lines(page: &str) -> Vec<String> {
    kept_lines(ARTICLE, page)
}

#[test]
fn an_article_cleans_to_one_text_under_changing_chrome() {
    let pages = [
        format!("{MENU}\n{}\n\n3 March 2026\n\n{ARTICLE}\n{FOOTER}", ticker(1)),
        format!("{MENU}\n{}\n\n4 March 2026\n\n{ARTICLE}\n{FOOTER}", ticker(7)),
        format!("{MENU}\n{}\n\n4 March 2026\n\n{ARTICLE}\n{OTHER}\n{FOOTER}", ticker(4)),
        format!("{MENU}\n{}\n\n5 March 2026\n\n{OTHER}\n{ARTICLE}\n{FOOTER}", ticker(2)),
        format!("{MENU}\n\n{ARTICLE}\n{FOOTER}"),
        format!("{MENU}\n\n{ARTICLE}"),
    ];
    let whole: Vec<&str> = ARTICLE.lines().filter(|l| !l.is_empty()).collect();
    for page in &pages {
        assert_eq!(ferry_lines(page), whole, "page:\n{page}");
    }
}

const GUIDE: &str = "\
Eating Well Through the Island Winter

The island clinic has published a short guide to eating well in the dark months, when the ferry brings fresh food twice a week and many families live on what the freezer and the pantry hold.

Eat more fish

The nurses point out that the catch landed at the quay each morning is the cheapest fresh food on the island, and that two meals of it a week cover most of what the winter diet lacks.

Fish keeps well in a cold larder.
It cooks faster than a stew of meat.
Most children on the island like it too.
The boats land it almost every day.
It costs less than half of what meat costs.

Salted and cured food keeps well through a storm, which is why so much of it fills island larders, but the clinic says most adults here eat twice the salt they should.

To cut back on salt, try this:

- Soak salted fish overnight.
- Season with lemon and herbs.
- Read the labels on tinned soup.
- Taste before you add salt.
";

const NEIGHBOUR: &str = "\
Council Approves the New Harbour Wall

The island council approved the plans for a new harbour wall on Thursday evening, after three years of surveys, two public meetings and a long argument over who should pay for the stone that will come by barge from the mainland quarries next summer.

Engineers say the old wall, built of rubble and lime more than a century ago, now lets the sea through in every winter storm, and that the boats moored behind it have been damaged four times since the last repairs were made by the harbour board.

The new wall will be built in two stages so that the ferry can keep running, and the council expects the first stage to be finished before the autumn gales, when the harbour is at its busiest with the fishing fleet and the visitors who come for the festival.

Residents who spoke at the meeting asked for the work to stop on Sundays and for the barges to unload away from the school, and the council agreed to both requests before the final vote was taken.

The harbour master said the wall would also let larger boats shelter in the harbour during storms, which should bring more trade to the island's shops and cafés in the winter months.
";

/// The guide's lines the cleaner keeps on `page`.
fn guide_lines(page: &str) -> Vec<String> {
    kept_lines(GUIDE, page)
}

#[test]
fn a_guide_of_short_sentences_keeps_its_end_in_last_place() {
    let pages = [
        format!("{MENU}\n{}\n\n3 March 2026\n\n{GUIDE}\n{NEIGHBOUR}\n{FOOTER}", ticker(1)),
        format!("{MENU}\n{}\n\n4 March 2026\n\n{NEIGHBOUR}\n{GUIDE}\n{FOOTER}", ticker(5)),
        format!("{MENU}\n{}\n\n5 March 2026\n\n{NEIGHBOUR}\n{GUIDE}\n{NEIGHBOUR}\n{FOOTER}", ticker(3)),
        format!("{MENU}\n\n{GUIDE}\n{FOOTER}"),
    ];
    let first = guide_lines(&pages[0]);
    for page in &pages[1..] {
        assert_eq!(guide_lines(page), first, "page:\n{page}");
    }
    let whole: Vec<&str> = GUIDE.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(first, whole);
}
