//! Real-world inputs end to end: legacy encodings, HTML, WARC and JSON Lines.

use std::io::Write;

use predicates::prelude::*;

use crate::{Env, T1};

/// The articles `vellum clean` prints for `args`, parsed.
fn clean(env: &Env, args: &[&str]) -> Vec<serde_json::Value> {
    let out = env.run(&[&["clean", "--format", "jsonl", "--fetched-at", T1][..], args].concat());
    out.lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

fn all_text(articles: &[serde_json::Value]) -> String {
    articles.iter().map(|a| a["text"].as_str().unwrap_or("")).collect::<Vec<_>>().join("\n\n")
}

#[test]
fn legacy_encodings_come_out_as_the_right_text() {
    let env = Env::new();
    for (file, title, phrase) in [
        ("zarechye-cp1251.txt", "Новости Заречья", "о котором жители просили уже много лет"),
        ("zarechye-koi8r.txt", "Вести Заречья", "как только сойдёт снег"),
        ("marche-latin1.txt", "Chronique du marché", "« C'est la plus belle édition depuis des années »"),
        ("koeln-utf16le.txt", "Grüße aus Köln", "Die Straßenbahn fährt wieder über die Brücke."),
    ] {
        let articles = clean(&env, &[&format!("fixtures/encodings/{file}")]);
        assert_eq!(articles.len(), 1, "{file}: {articles:?}");
        assert_eq!(articles[0]["title"], title, "{file}");
        assert_eq!(articles[0]["date"], "2025-12-12", "{file}");
        assert!(all_text(&articles).contains(phrase), "{file}: {articles:?}");
    }
}

#[test]
fn an_html_page_declaring_its_charset_is_decoded_and_extracted() {
    let env = Env::new();
    let articles = clean(&env, &["fixtures/encodings/zarechye-koi8r-meta.html"]);
    assert_eq!(articles.len(), 1, "{articles:?}");
    assert_eq!(articles[0]["title"], "Мост откроют весной");
    assert_eq!(articles[0]["date"], "2025-12-12");
    let text = all_text(&articles);
    assert!(text.starts_with("Городской совет утвердил бюджет"), "{text}");
    assert!(!text.contains("Главная") && !text.contains('©'), "menu and footer are left out: {text}");
}

#[test]
fn an_html_page_of_several_posts_gives_several_articles() {
    let env = Env::new();
    let articles = clean(&env, &["fixtures/html/harbour-gazette.html"]);
    let titles: Vec<&str> = articles.iter().map(|a| a["title"].as_str().unwrap_or("")).collect();
    assert_eq!(
        titles,
        [
            "Winter ferry timetable announced",
            "Lighthouse keeper's cottage to become a museum",
            "Regatta returns after a two-year gap"
        ]
    );
    let dates: Vec<&str> = articles.iter().map(|a| a["date"].as_str().unwrap_or("")).collect();
    assert_eq!(dates, ["2025-12-12", "2025-12-11", "2025-12-10"]);
    let text = all_text(&articles);
    for chrome in ["cookies", "Share on Facebook", "Most read", "All rights reserved", "By Ruth Calder", "Sport"] {
        assert!(!text.contains(chrome), "{chrome:?} left in: {text}");
    }
    assert!(articles[0]["text"].as_str().unwrap_or("").starts_with("The island ferry will run four crossings"));
}

#[test]
fn the_raw_html_is_what_the_store_keeps() {
    let env = Env::new();
    let out = env.ingest(&["fixtures/html/harbour-gazette.html"], T1);
    assert_eq!(out, "1 page read: 3 new articles, 0 revised, 0 unchanged; 0 failures\n");
    let stats: serde_json::Value = serde_json::from_str(&env.run(&["stats", "--format", "json"])).expect("json");
    let size = std::fs::metadata(env.path("fixtures/html/harbour-gazette.html")).expect("fixture").len();
    assert_eq!(stats["pages"], 1);
    assert_eq!(stats["raw_bytes"].as_u64(), Some(size), "the page is stored as scraped");
    env.cmd().arg("verify").assert().success();
}

fn warc_record(kind: &str, uri: &str, block: &[u8], block_type: &str) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-12-12T10:00:00Z\r\n\
         Content-Type: {block_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(uri: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    warc_record("response", uri, http.as_bytes(), "application/http; msgtype=response")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("write to memory");
    e.finish().expect("finish gzip")
}

fn story(title: &str, body: &str) -> String {
    format!("<html><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1><p>{body}</p></article></body></html>")
}

#[test]
fn a_warc_file_gives_a_page_per_response_and_survives_a_corrupt_record() {
    let env = Env::new();
    let records = [
        warc_record("warcinfo", "", b"software: test\r\n", "application/warc-fields"),
        http_response(
            "https://harbour.example/ferry",
            &story("Ferry times", "The ferry will run four crossings a day from January, the board said."),
        ),
        http_response("https://harbour.example/broken", &story("Broken", "This record is damaged in the file.")),
        warc_record(
            "request",
            "https://town.example/fair",
            b"GET /fair HTTP/1.1\r\n\r\n",
            "application/http; msgtype=request",
        ),
        http_response(
            "https://town.example/fair",
            &story("Winter fair", "The winter fair opens on Saturday on the market square, with music."),
        ),
    ];
    let members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    let mut file = Vec::new();
    file.extend(&members[0]);
    file.extend(&members[1]);
    let bad_at = file.len();
    let mut bad = members[2].clone();
    let mid = bad.len() / 2;
    bad[mid..].iter_mut().for_each(|b| *b ^= 0xA5);
    file.extend(&bad);
    file.extend(&members[3]);
    file.extend(&members[4]);
    std::fs::write(env.path("crawl.warc.gz"), &file).expect("write");

    let assert = env.cmd().args(["ingest", "crawl.warc.gz"]).assert().code(1);
    let out = String::from_utf8(assert.get_output().stdout.clone()).expect("utf-8");
    assert_eq!(out, "2 pages read: 2 new articles, 0 revised, 0 unchanged; 1 failure\n");
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).expect("utf-8");
    assert!(stderr.contains(&format!("crawl.warc.gz: WARC record at byte {bad_at} is damaged")), "{stderr}");
    assert!(stderr.contains("vellum: note: 2 WARC records skipped"), "warcinfo and request are counted: {stderr}");
    let records = env.export();
    let sites: Vec<&str> = records.iter().map(|r| r["site"].as_str().unwrap_or("")).collect();
    assert_eq!(sites.len(), 2);
    assert!(sites.contains(&"harbour.example") && sites.contains(&"town.example"), "{sites:?}");
    assert!(records.iter().all(|r| r["first_seen"] == "2025-12-12T10:00:00Z"), "WARC-Date is the fetch time");

    // The same records uncompressed, read through stdin.
    let plain: Vec<u8> = records_plain().concat();
    let out = env.cmd().args(["clean", "--format", "jsonl", "-"]).write_stdin(plain).assert().success();
    let lines = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    assert_eq!(lines.lines().count(), 1, "{lines}");
}

fn records_plain() -> Vec<Vec<u8>> {
    vec![http_response("https://plain.example/a", &story("Plain WARC", "A plain WARC file read from standard input."))]
}

#[test]
fn json_lines_pages_go_in_and_a_malformed_line_is_named() {
    let env = Env::new();
    let lines = [
        serde_json::json!({"url": "https://harbour.example/ferry", "fetched_at": "2025-12-12T07:00:00Z",
            "html": story("Ferry times", "The ferry will run four crossings a day from January, the board said.")})
        .to_string(),
        "{\"url\": \"https://broken.example/\", \"html\": ".to_owned(),
        serde_json::json!({"url": "https://town.example/notes", "fetched_at": "2025-12-12T07:30:00Z",
            "text": "Town Notes\n\nThe library will close early on Friday for the staff party.\n"})
        .to_string(),
    ];
    std::fs::write(env.path("pages.jsonl"), lines.join("\n") + "\n").expect("write");
    env.cmd()
        .args(["ingest", "--jsonl", "pages.jsonl"])
        .assert()
        .code(1)
        .stdout("2 pages read: 2 new articles, 0 revised, 0 unchanged; 1 failure\n")
        .stderr(predicate::str::contains("pages.jsonl: line 2: not a page record"));
    let records = env.export();
    let by_site = |site: &str| records.iter().find(|r| r["site"] == site).cloned().expect("record");
    assert_eq!(by_site("harbour.example")["title"], "Ferry times");
    assert_eq!(by_site("harbour.example")["first_seen"], "2025-12-12T07:00:00Z");
    assert_eq!(by_site("town.example")["text"], "The library will close early on Friday for the staff party.");

    let out = env.cmd().args(["clean", "--jsonl", "-"]).write_stdin(lines[0].clone()).assert().success();
    let printed = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    assert!(printed.contains("\"title\":\"Ferry times\""), "{printed}");
}

#[cfg(unix)]
#[test]
fn a_folder_walk_does_not_follow_symlinked_folders_into_a_loop() {
    use std::os::unix::fs::symlink;

    let env = Env::new();
    std::fs::create_dir_all(env.path("site/sub")).expect("mkdir");
    std::fs::copy(env.path(crate::DAY1), env.path("site/page.txt")).expect("copy");
    symlink(".", env.path("site/self")).expect("symlink");
    symlink("..", env.path("site/sub/up")).expect("symlink");
    symlink("page.txt", env.path("site/alias.txt")).expect("symlink");
    symlink("site/page.txt", env.path("given.txt")).expect("symlink");

    let once = clean(&env, &["site/page.txt"]);
    let walked = env
        .cmd()
        .args(["clean", "--format", "jsonl", "--fetched-at", T1, "site"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success();
    let walked = String::from_utf8_lossy(&walked.get_output().stdout).lines().count();
    assert_eq!(walked, 2 * once.len(), "page.txt and the file symlink alias.txt, nothing through self or up");
    assert_eq!(clean(&env, &["given.txt"]).len(), once.len(), "a symlinked file given is read");
}

#[cfg(unix)]
#[test]
fn a_warc_file_given_as_a_pipe_is_read_once_from_its_start() {
    let env = Env::new();
    // Records enough to pass the first 4 KiB, each page its own site.
    let records: Vec<Vec<u8>> = (0..12)
        .map(|i| {
            let body = format!("Story number {i} of the piped crawl, long enough to be kept as an article. ").repeat(6);
            http_response(&format!("https://site{i}.example/story"), &story(&format!("Piped story {i}"), &body))
        })
        .collect();
    let warc = records.concat();
    assert!(warc.len() > 2 * 4096, "{}", warc.len());
    // `/dev/stdin` names the pipe: it is opened as a file, not read as `-`.
    let out = env
        .cmd()
        .args(["clean", "--format", "jsonl", "--fetched-at", T1, "/dev/stdin"])
        .write_stdin(warc)
        .assert()
        .success();
    let lines = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    let titles: Vec<String> = lines
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["title"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(titles, (0..12).map(|i| format!("Piped story {i}")).collect::<Vec<_>>());
}
