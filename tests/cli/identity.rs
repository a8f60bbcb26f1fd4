//! An article found again under an edited headline (issue #4): same site, mostly the same body.

use crate::{Env, T1, T2};

const HARBOUR: &str = "The harbour board voted on Tuesday night to spend four million on dredging the eastern \
channel, which has silted up so badly that the winter ferry now waits for the tide before it can dock.\n\n\
Board members said the work would start in March and take eleven weeks, with the channel closed to larger \
boats on weekdays. Fishermen who moor on the eastern side will be offered berths at the old coal wharf.\n\n\
The chairwoman said the vote was the hardest the board had faced in a decade, because the same money had \
been promised to the sea wall. The sea wall repairs will now wait until the autumn.";

const LIBRARY: &str = "The county library will open on Sundays from January, the first time in its hundred \
years, after volunteers offered to staff the reading rooms and the council found money for heating.\n\n\
Librarians said students preparing for exams had asked for the change for years. The children's room will \
hold story mornings, and the local history archive will be open to researchers by appointment.\n\n\
The trial runs for six months; the council will count visitors and decide in July whether to keep it.";

const MARKET: &str = "Stallholders at the covered market have asked the council to fix the leaking glass roof \
before the Christmas season, when the hall takes a third of its yearly trade in four weeks.\n\n\
Buckets now stand between the cheese and fish counters whenever it rains, and two traders have moved their \
stalls into the street. The council said a survey of the roof was booked for next month.";

/// Writes a page of `site` with the given (title, body) articles.
fn write_page(env: &Env, site: &str, day: &str, articles: &[(&str, &str)]) -> String {
    let dir = env.path(site);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut text = String::from("12 December 2025\n\n");
    for (title, body) in articles {
        text.push_str(&format!("{title}\n\n{body}\n\n* * *\n\n"));
    }
    let rel = format!("{site}/{day}.txt");
    std::fs::write(env.path(&rel), text).expect("write page");
    rel
}

fn ids_and_titles(env: &Env) -> Vec<(String, String, u64)> {
    let records = env.export();
    records
        .iter()
        .map(|r| {
            let title = r["title"].as_str().unwrap_or("").to_owned();
            (r["id"].as_str().unwrap_or("").to_owned(), title, r["revision"].as_u64().unwrap_or(0))
        })
        .collect()
}

/// Day one: the harbour and library stories. Day two: the harbour story under a new headline
/// with one sentence changed, the library story unchanged, and the market story (new).
fn two_days(env: &Env) -> (String, String) {
    let day1 = write_page(
        env,
        "bay-gazette",
        "2025-12-12",
        &[
            ("Harbour Board Votes to Dredge the Eastern Channel", HARBOUR),
            ("County Library to Open on Sundays", LIBRARY),
        ],
    );
    let edited = HARBOUR.replace("four million", "four and a half million");
    let day2 = write_page(
        env,
        "bay-gazette",
        "2025-12-13",
        &[
            ("Eastern Channel Dredging Approved in Late Harbour Board Vote", &edited),
            ("County Library to Open on Sundays", LIBRARY),
            ("Market Traders Ask Council to Fix Leaking Roof", MARKET),
        ],
    );
    (day1, day2)
}

#[test]
fn an_edited_headline_over_the_same_body_is_a_new_revision_of_the_same_article() {
    let env = Env::new();
    let (day1, day2) = two_days(&env);
    assert_eq!(env.ingest(&[&day1], T1), "1 page read: 2 new articles, 0 revised, 0 unchanged; 0 failures\n");
    let id = env.id_of("Harbour Board Votes to Dredge the Eastern Channel");
    assert_eq!(env.ingest(&[&day2], T2), "1 page read: 1 new article, 1 revised, 1 unchanged; 0 failures\n");
    let now = ids_and_titles(&env);
    assert_eq!(now.len(), 3, "{now:?}");
    let harbour = now.iter().find(|(i, ..)| *i == id).expect("same id");
    assert_eq!(harbour.1, "Eastern Channel Dredging Approved in Late Harbour Board Vote");
    assert_eq!(harbour.2, 2);
    let log = env.run(&["log", &id]);
    assert!(log.contains("Harbour Board Votes to Dredge the Eastern Channel"), "{log}");
    assert!(log.contains("Eastern Channel Dredging Approved in Late Harbour Board Vote"), "{log}");
    // The new headline is known from now on, even if the body changes further.
    let day3 = write_page(
        &env,
        "bay-gazette",
        "2025-12-14",
        &[("Eastern Channel Dredging Approved in Late Harbour Board Vote", "Correction: the vote was on Monday.")],
    );
    assert_eq!(
        env.ingest(&[&day3], "2025-12-14T08:00:00Z"),
        "1 page read: 0 new articles, 1 revised, 0 unchanged; 0 failures\n"
    );
    env.cmd().arg("verify").assert().success();
}

#[test]
fn a_new_headline_over_a_different_or_short_body_is_a_new_article() {
    let env = Env::new();
    let short = "The ferry will not run on Christmas Day. The first sailing on Boxing Day leaves at ten.";
    let day1 = write_page(
        &env,
        "bay-gazette",
        "2025-12-12",
        &[("Harbour Board Votes to Dredge the Eastern Channel", HARBOUR), ("Ferry Holiday Timetable", short)],
    );
    // The market story shares the site and some words, not the text; the short note is too
    // short to say.
    let day2 = write_page(
        &env,
        "bay-gazette",
        "2025-12-13",
        &[("Market Traders Ask Council to Fix Leaking Roof", MARKET), ("No Ferry on Christmas Day", short)],
    );
    env.ingest(&[&day1], T1);
    assert_eq!(env.ingest(&[&day2], T2), "1 page read: 2 new articles, 0 revised, 0 unchanged; 0 failures\n");
}

#[test]
fn one_or_two_jobs_and_a_restore_give_the_same_store() {
    let (a, b) = (Env::new(), Env::new());
    for env in [&a, &b] {
        two_days(env);
    }
    a.cmd().args(["ingest", "--jobs", "1", "bay-gazette", "--fetched-at", T1]).assert().success();
    b.cmd().args(["ingest", "--jobs", "2", "bay-gazette", "--fetched-at", T1]).assert().success();
    assert_eq!(a.run(&["export", "--all-revisions"]), b.run(&["export", "--all-revisions"]));
    a.run(&["dump", "a.vellum.zst"]);
    b.run(&["dump", "b.vellum.zst"]);
    let dump = |env: &Env, name: &str| std::fs::read(env.path(name)).expect("dump");
    assert_eq!(dump(&a, "a.vellum.zst"), dump(&b, "b.vellum.zst"));
    a.cmd().args(["--store", "copy", "restore", "a.vellum.zst"]).assert().success();
    a.cmd().args(["--store", "copy", "verify"]).assert().success();
    a.run(&["--store", "copy", "dump", "again.vellum.zst"]);
    assert_eq!(dump(&a, "a.vellum.zst"), dump(&a, "again.vellum.zst"));
    // The restored store's index works: the edited headline finds its article there too.
    let out = a.cmd().args(["--store", "copy", "reprocess"]).assert().success();
    let out = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(out.contains(" 0 new articles"), "{out}");
}
