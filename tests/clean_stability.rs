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

/// The article's lines the cleaner keeps on `page`.
fn ferry_lines(page: &str) -> Vec<String> {
    let ours: Vec<&str> = ARTICLE.lines().filter(|l| !l.is_empty()).collect();
    let cleaned = clean(page, None);
    let kept: Vec<String> = cleaned.kept().map(|l| l.text.clone()).collect();
    for line in &kept {
        assert!(!line.contains("/EUR") && !line.starts_with('©'), "chrome kept: {line}\n{page}");
    }
    kept.into_iter().filter(|l| ours.contains(&l.as_str())).collect()
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
