//! Generated pages: a news site's daily scrapes, deterministic, for tests that need many days.

/// A small deterministic generator (a 64-bit LCG), so generated pages are the same on every run.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

const WORDS: [&str; 48] = [
    "harvest",
    "river",
    "council",
    "railway",
    "market",
    "valley",
    "school",
    "winter",
    "budget",
    "museum",
    "bridge",
    "festival",
    "archive",
    "village",
    "harbour",
    "factory",
    "teacher",
    "doctor",
    "orchard",
    "province",
    "minister",
    "library",
    "canal",
    "mine",
    "airport",
    "tariff",
    "reservoir",
    "forest",
    "station",
    "clinic",
    "theatre",
    "garrison",
    "ferry",
    "pipeline",
    "granary",
    "observatory",
    "quarry",
    "vineyard",
    "tramline",
    "lighthouse",
    "dairy",
    "textile",
    "courthouse",
    "monastery",
    "brewery",
    "sawmill",
    "marketplace",
    "stadium",
];

/// Article `n` of a generated site: a headline and paragraphs of plain sentences, the `edit`th
/// edit of it changing one sentence of its last paragraph.
pub fn generated_article(n: usize, edit: usize) -> (String, Vec<String>) {
    let mut rng = Lcg(n as u64 * 7919 + 17);
    let topic = [WORDS[rng.next(48)], WORDS[rng.next(48)], WORDS[rng.next(48)]];
    let title = format!("New {} plans for the {} near the old {} number {n}", topic[0], topic[1], topic[2]);
    let mut paragraphs = Vec::new();
    for p in 0..5 {
        let mut sentences = Vec::new();
        for s in 0..4 {
            let words: Vec<&str> = (0..9).map(|_| WORDS[rng.next(48)]).collect();
            let mut sentence =
                format!("The {} of the {} met the {} {}", topic[s % 3], words[0], words[1], words.join(" "));
            if p == 4 && s == 0 && edit > 0 {
                sentence.push_str(&format!(" after {edit} further reviews by the {}", WORDS[edit % 48]));
            }
            sentences.push(format!("{sentence}."));
        }
        paragraphs.push(sentences.join(" "));
    }
    (title, paragraphs)
}

/// Day `day` of a generated news site: a ticker whose numbers change daily, a menu, the four
/// newest articles (one new article every day; every third day one of them edited, every
/// fifth day the newest one's headline reworded), and a footer.
pub fn generated_day(day: usize) -> String {
    let mut page = String::new();
    for i in 0..5 {
        page.push_str(&format!("  • CUR{i}/USD = 0.{:05} {}%\n", (day * 37 + i * 101) % 99999, day % 7));
    }
    page.push_str("\n  • Home\n  • News\n  • Contact\n\n");
    for n in (day.saturating_sub(3)..=day).rev() {
        let edits = (day - n) / 3 * usize::from(n % 2 == 0);
        let (mut title, paragraphs) = generated_article(n, edits);
        if day % 5 == 0 && n == day.saturating_sub(1) {
            title = title.replacen("New", "Fresh", 1);
        }
        page.push_str(&format!("{title}\n\n{} March 2025\n\n", 1 + n % 28));
        for p in paragraphs {
            page.push_str(&format!("{p}\n\n"));
        }
        page.push_str("\n \n\n");
    }
    page.push_str("  • Home\n  • News\n  • Contact\n\n© The Generated Gazette. All rights reserved.\n");
    page
}
