//! `vellum diff`.

use crate::{Env, DAY1, DAY2, T1, T2};

fn revised_env() -> (Env, String) {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let id = env.id_of("Grain Exports Through the Caspian Reach a Record");
    (env, id)
}

#[test]
fn word_diff_shows_the_changed_words_and_exits_1() {
    let (env, id) = revised_env();
    let out = env.cmd().args(["diff", &id]).assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    assert_eq!(
        text,
        "Grain shipments leaving the port of Aktau rose by {+more than +}a third over the past season, according to \
         figures released by the transport ministry on Tuesday. Officials credited new rail links and faster customs \
         checks for the increase.\n"
    );
}

#[test]
fn equal_revisions_exit_0() {
    let (env, id) = revised_env();
    env.cmd().args(["diff", &id, "2", "2"]).assert().code(0).stdout("");
}

#[test]
fn unified_and_json_formats() {
    let (env, id) = revised_env();
    let out = env.cmd().args(["diff", &id, "1", "2", "--format", "unified"]).assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    assert!(text.starts_with(&format!("--- {id}@1\n+++ {id}@2\n@@ ")), "{text}");
    assert!(text.contains("\n-Grain shipments leaving the port of Aktau rose by a third"));
    let out = env.cmd().args(["diff", &id, "--format", "json"]).assert().code(1);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let inserts: Vec<&serde_json::Value> =
        json["ops"].as_array().expect("ops").iter().filter(|o| o["op"] == "insert").collect();
    assert_eq!(inserts.len(), 1);
    assert_eq!(inserts[0]["text"], "more than ");
    assert_eq!(inserts[0]["new_offset"], "Grain shipments leaving the port of Aktau rose by ".len());
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let (env, id) = revised_env();
    let plain = env.cmd().args(["diff", &id]).assert().code(1);
    assert!(!plain.get_output().stdout.contains(&0x1b));
    let colored = env.cmd().args(["diff", &id, "--color", "always"]).assert().code(1);
    assert!(colored.get_output().stdout.contains(&0x1b));
}

/// On a terminal (a pseudo-terminal from util-linux `script`, where there is one) the word diff
/// is coloured unless NO_COLOR is set and not empty (https://no-color.org).
#[cfg(unix)]
#[test]
fn no_color_turns_colour_off_on_a_terminal() {
    let (env, id) = revised_env();
    let on_a_terminal = |no_color: Option<&str>| {
        let vellum = assert_cmd::cargo::cargo_bin("vellum");
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", &format!("'{}' diff {id}", vellum.display()), "/dev/null"])
            .env_clear()
            .env("VELLUM_STORE", env.store())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        if let Some(value) = no_color {
            cmd.env("NO_COLOR", value);
        }
        cmd.output().ok().filter(|o| !o.stdout.is_empty()).map(|o| o.stdout.contains(&0x1b))
    };
    let Some(coloured) = on_a_terminal(None) else { return }; // no `script` here
    assert!(coloured);
    assert_eq!(on_a_terminal(Some("1")), Some(false));
    assert_eq!(on_a_terminal(Some("")), Some(true));
}

#[test]
fn a_headline_only_edit_is_a_change_diff_changes_and_log_show() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let page = std::fs::read_to_string(env.path(DAY1)).expect("fixture");
    let retitled = page.replace("Rail Freight Tariffs to Rise in January", "Rail Freight Tariffs Will Rise in January");
    std::fs::create_dir_all(env.path("retitled/steppe-herald")).expect("mkdir");
    std::fs::write(env.path("retitled/steppe-herald/2025-12-13.txt"), retitled).expect("write");
    env.ingest(&["retitled/steppe-herald/2025-12-13.txt"], T2);
    let id = env.id_of("Rail Freight Tariffs Will Rise in January");
    let out = env.cmd().args(["diff", &id]).assert().code(1);
    let shown = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(shown.starts_with("headline: Rail Freight Tariffs [-to-]{+Will+} Rise in January\n"), "{shown}");
    let json = env.cmd().args(["diff", &id, "--format", "json"]).assert().code(1);
    let doc: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).expect("json");
    assert_eq!(doc["headline"]["new"], "Rail Freight Tariffs Will Rise in January");
    let changes = env.run(&["changes", "--since", T2]);
    assert!(changes.contains("headline changed"), "{changes}");
    assert!(env.run(&["log", &id]).contains("(headline changed)"));
    // The revisions' hashes cover the headline: they differ.
    let every = env.run(&["export", "--all-revisions", "--format", "jsonl"]);
    let hashes: Vec<String> = every
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .filter(|r| r["id"] == id.as_str())
        .map(|r| r["hash"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(hashes.len(), 2);
    assert_ne!(hashes[0], hashes[1]);
}

#[test]
fn revisions_are_named_as_show_names_them() {
    let (env, id) = revised_env();
    let plain = env.cmd().args(["diff", &id, "1", "2"]).assert().code(1).get_output().stdout.clone();
    for args in
        [vec![format!("{id}@1"), format!("{id}@2")], vec![format!("{id}@1")], vec![format!("{id}@1"), "2".into()]]
    {
        let out = env.cmd().arg("diff").args(&args).assert().code(1).get_output().stdout.clone();
        assert_eq!(out, plain, "{args:?}");
    }
    env.cmd().args(["diff", &format!("{id}@1"), &format!("{id}@1")]).assert().code(0);
}
