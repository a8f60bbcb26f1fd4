//! Text from the archive (titles, URLs, file names) reaches a terminal only with its control
//! characters and bidirectional overrides escaped; JSON keeps it exact.

use crate::{Env, T1};

/// A headline that sets the terminal's title (OSC 0 ... BEL) and reverses the rest of its line.
const HOSTILE: &str = "Winter ferry \u{1b}]0;pwned\u{7}timetable \u{202e}announced";
const SHOWN: &str = r"Winter ferry \u{1b}]0;pwned\u{7}timetable \u{202e}announced";
/// A file name that clears the screen.
const FILE: &str = "page\u{1b}[2J.html";

fn hostile_env() -> Env {
    let env = Env::new();
    let html = std::fs::read_to_string(env.path("fixtures/html/harbour-gazette.html")).expect("fixture");
    std::fs::write(env.path(FILE), html.replacen("Winter ferry timetable announced", HOSTILE, 1)).expect("write");
    env.ingest(&[FILE], T1);
    env
}

fn assert_safe(what: &str, text: &str) {
    assert!(
        !text.chars().any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
        "{what} sends raw control characters: {text:?}"
    );
}

#[test]
fn titles_urls_and_file_names_are_escaped_for_the_terminal() {
    let env = hostile_env();
    let id = env.id_of(HOSTILE);
    let list = env.run(&["list"]);
    assert_safe("list", &list);
    assert!(list.contains(SHOWN), "{list}");
    for args in [
        vec!["log", id.as_str()],
        vec!["changes", "--since", "2025-01-01T00:00:00Z"],
        vec!["show", id.as_str()],
        vec!["show", "--sightings", id.as_str()],
    ] {
        let out = env.run(&args);
        assert_safe(&args.join(" "), &out);
        assert!(out.contains(SHOWN) || out.contains(r"page\u{1b}[2J.html"), "{args:?}: {out}");
    }
    let failed = env.cmd().args(["show", &format!("{id}@\u{1b}]0;x\u{7}")]).assert().code(2);
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert_safe("an error", &stderr);
    assert!(stderr.contains(r"\u{1b}]0;x\u{7}"), "{stderr}");
}

#[test]
fn json_output_keeps_the_text_exact() {
    let env = hostile_env();
    let id = env.id_of(HOSTILE);
    let rows: serde_json::Value = serde_json::from_str(&env.run(&["list", "--format", "json"])).expect("json");
    assert!(rows.as_array().expect("rows").iter().any(|r| r["title"] == HOSTILE));
    let record: serde_json::Value = serde_json::from_str(&env.run(&["show", "--format", "json", &id])).expect("json");
    assert_eq!(record["title"], HOSTILE);
}
