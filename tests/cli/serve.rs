//! `vellum serve` over HTTP: every page and its JSON form (the same JSON as the command it
//! stands for), escaping of hostile archives, bad requests, and an ingest while it serves.
//! Requests go only to the loopback address the server was started on.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Env, DAY1, DAY2, NOW, T1, T2};

pub const T3: &str = "2025-12-14T08:00:00Z";
pub const GRAIN: &str = "Grain Exports Through the Caspian Reach a Record";
pub const GRAIN_EDITED: &str = "Caspian Grain Exports Reach a Record High";
pub const HOSTILE: &str = "A <script>alert(1)</script> Headline";

/// A `vellum serve` started on a free loopback port; stopped when dropped.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT` (no final slash).
    pub base: String,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Served {
    pub fn start(env: &Env, extra: &[&str]) -> Served {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("vellum"))
            .env_clear()
            .env("VELLUM_NOW", NOW)
            .env("VELLUM_STORE", env.store())
            .current_dir(env.dir.path())
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vellum serve");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout).read_line(&mut line).expect("serve's first line");
        let start = line.find("http://").unwrap_or_else(|| panic!("no address in {line:?}"));
        let url = line[start..].split_whitespace().next().expect("url").trim_end_matches('/').to_owned();
        let addr = url.trim_start_matches("http://").to_owned();
        Served { child, base: url, addr }
    }

    /// `GET path` with `accept` as the Accept header.
    pub fn get_as(&self, path: &str, accept: &str) -> Answer {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// `GET path` as a browser asks.
    pub fn get(&self, path: &str) -> Answer {
        self.get_as(path, "text/html,application/xhtml+xml,*/*;q=0.8")
    }

    /// A raw request; the whole answer.
    pub fn request(&self, raw: &str) -> Answer {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
        stream.write_all(raw.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("read");
        let text = String::from_utf8(bytes).expect("utf-8 answer");
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Answer { status, headers, body: body.to_owned() }
    }

    /// Stops the server; what it wrote on stderr.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            let _ = stderr.read_to_string(&mut err);
        }
        err
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts a 200 of `content_type` and hands back the body.
    pub fn ok(&self, content_type: &str) -> &str {
        assert_eq!(self.status, 200, "{}", self.body);
        assert!(self.header("content-type").is_some_and(|c| c.starts_with(content_type)), "{:?}", self.headers);
        &self.body
    }
}

/// Three days of the steppe herald: the grain article revised on day 2 and given a new
/// headline and new figures on day 3; and a hostile site whose headline is a script.
pub fn fixture_store() -> Env {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let day3 = std::fs::read_to_string(env.path(DAY2))
        .expect("fixture")
        .replace(GRAIN, GRAIN_EDITED)
        .replace("rose by more than a third", "rose by nearly forty percent")
        .replace("in eleven days on average", "in ten days on average")
        .replace(
            "Until then, exporters are booking berths weeks in advance.",
            "Until then, exporters are booking berths weeks in advance. The ministry expects a further rise next year.",
        );
    std::fs::write(env.path("fixtures/steppe-herald/2025-12-14.txt"), day3).expect("write");
    env.ingest(&["fixtures/steppe-herald/2025-12-14.txt"], T3);
    let hostile = format!(
        "Harbour News\n\n{HOSTILE}\n\n14 December 2025\n\nThe council said on Monday that the new harbour wall \
         would be finished by spring, and that the old quay would reopen to fishing boats once the dredging is \
         done. See <a href=\"javascript:alert(2)\">this</a> & \"that\".\n"
    );
    std::fs::write(env.path("hostile.txt"), hostile).expect("write");
    env.cmd()
        .args(["ingest", "hostile.txt", "--site", "<b>evil</b>", "--url", "javascript:alert(3)", "--fetched-at", T3])
        .assert()
        .success();
    env
}

fn cli_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env.cmd().args(args).output().expect("vellum");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn every_page_answers_in_html_and_as_the_clis_json() {
    let env = fixture_store();
    let id = env.id_of(GRAIN_EDITED);
    let served = Served::start(&env, &[]);

    // Sites.
    let home = served.get("/");
    let html = home.ok("text/html");
    assert!(html.contains("steppe-herald") && html.contains("Changed in 7 days"), "{html}");
    for sites in [served.get("/index.json").json(), served.get_as("/", "application/json").json()] {
        let herald = sites.as_array().expect("array").iter().find(|s| s["site"] == "steppe-herald").expect("site");
        assert_eq!(herald["articles"], 4);
        assert_eq!(herald["revisions"], 6);
        assert_eq!(herald["last_changed"], T3);
    }

    // A site's articles: `list --site S --format json`, sorted and searched.
    let listed = cli_json(&env, &["list", "--site", "steppe-herald", "--format", "json"]);
    let mut by_id = served.get("/sites/steppe-herald.json?sort=title&order=asc").json();
    let sorted_titles: Vec<&str> =
        by_id.as_array().expect("rows").iter().map(|r| r["title"].as_str().unwrap_or("")).collect();
    let mut expected_titles: Vec<&str> =
        listed.as_array().expect("rows").iter().map(|r| r["title"].as_str().unwrap_or("")).collect();
    expected_titles.sort_by_key(|t| t.to_lowercase());
    assert_eq!(sorted_titles, expected_titles);
    by_id.as_array_mut().expect("rows").sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    assert_eq!(by_id, listed);
    let page = served.get("/sites/steppe-herald?q=caspian");
    let html = page.ok("text/html");
    assert!(html.contains(GRAIN_EDITED) && !html.contains("Silk Road"), "{html}");
    assert!(html.contains("1 article(s) whose title contains"), "{html}");
    let searched = served.get("/sites/steppe-herald.json?q=SILK").json();
    assert_eq!(searched.as_array().map(Vec::len), Some(1));
    let revisions_desc = served.get("/sites/steppe-herald.json?sort=revisions&order=desc").json();
    assert_eq!(revisions_desc[0]["id"], id.as_str());
    assert!(served.get("/sites/steppe-herald?sort=date").ok("text/html").contains(">Date</a> ↓"));

    // An article: its timeline, texts, sightings.
    let article = served.get(&format!("/articles/{id}"));
    let html = article.ok("text/html");
    for text in [GRAIN_EDITED, "headline changed", "nearly forty percent", "Sightings", "First fetched"] {
        assert!(html.contains(text), "{text:?} not in {html}");
    }
    let doc = served.get(&format!("/articles/{}.json", &id[..6])).json();
    assert_eq!(doc["article"], cli_json(&env, &["show", &id, "--format", "json"]));
    assert_eq!(doc["revisions"], cli_json(&env, &["log", &id, "--format", "json"]));
    assert_eq!(doc["sightings"], cli_json(&env, &["show", &id, "--sightings", "--format", "json"]));
    assert_eq!(served.get_as(&format!("/articles/{id}"), "application/json").json(), doc);

    // A revision's text.
    let first = served.get(&format!("/articles/{id}/revisions/1"));
    assert!(first.ok("text/html").contains("rose by a third over"));
    assert!(first.body.contains("Text of revision 1"));
    let rev = served.get(&format!("/articles/{id}/revisions/1.json")).json();
    assert_eq!(rev, cli_json(&env, &["show", &format!("{id}@1"), "--format", "json"]));

    // Diffs, inline and side by side, with the headline change.
    let inline = served.get(&format!("/articles/{id}/diff?old=1&new=3"));
    let html = inline.ok("text/html");
    assert!(html.contains("<del>a</del>") && html.contains("<del>eleven</del>"), "{html}");
    assert!(html.contains("<ins>nearly forty</ins>") && html.contains("Headline changed"), "{html}");
    let side = served.get(&format!("/articles/{id}/diff?old=1&new=3&view=side"));
    let html = side.ok("text/html");
    assert!(html.contains("<table class=\"diff side\">") && html.contains("<del>") && html.contains("<ins>"), "{html}");
    let pair = served.get(&format!("/articles/{id}/diff.json?old=1&new=3")).json();
    assert_eq!(pair, cli_json(&env, &["diff", &id, "1", "3", "--format", "json"]));
    let default = served.get(&format!("/articles/{id}/diff.json")).json();
    assert_eq!(default, cli_json(&env, &["diff", &id, "--format", "json"]));

    // The change feed: `changes --since` as a page, its JSON, and Atom.
    let changes = served.get("/changes?since=2025-12-13");
    let html = changes.ok("text/html");
    assert!(html.contains(GRAIN_EDITED) && html.contains("headline"), "{html}");
    for (query, args) in [
        ("since=2025-12-13", vec!["changes", "--since", "2025-12-13", "--format", "json"]),
        (
            "since=2025-12-12&until=2025-12-14&site=steppe-herald",
            vec![
                "changes",
                "--since",
                "2025-12-12",
                "--until",
                "2025-12-14",
                "--site",
                "steppe-herald",
                "--format",
                "json",
            ],
        ),
        ("", vec!["changes", "--since", "7d", "--format", "json"]),
    ] {
        assert_eq!(served.get(&format!("/changes.json?{query}")).json(), cli_json(&env, &args), "{query}");
    }
    let atom = served.get("/changes.atom?since=2025-12-13");
    let xml = atom.ok("application/atom+xml");
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
        "{xml}"
    );
    assert_eq!(xml.matches("<entry>").count(), 3, "{xml}");
    assert!(xml.contains(&format!("{}/articles/{id}/diff?old=2&amp;new=3", served.base)), "{xml}");

    // The style sheet, and HEAD.
    assert!(served.get("/static/style.css").ok("text/css").contains("ins"));
    let head = served.request(&format!("HEAD / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", served.addr));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn archived_strings_are_escaped_and_scripts_forbidden() {
    let env = fixture_store();
    let id = env.id_of(HOSTILE);
    // A site whose name ends in `.json`, as the JSON suffix does.
    env.cmd().args(["ingest", "hostile.txt", "--site", "feed.json", "--fetched-at", T3]).assert().success();
    let served = Served::start(&env, &[]);
    assert!(served.get("/sites/feed.json").ok("text/html").contains("<h1><bdi>feed.json</bdi></h1>"));
    assert_eq!(served.get("/sites/feed.json.json").json()[0]["site"], "feed.json");
    assert_eq!(served.get_as("/sites/feed.json", "application/json").json()[0]["site"], "feed.json");
    let pages = [
        "/".to_owned(),
        "/sites/%3Cb%3Eevil%3C%2Fb%3E".to_owned(),
        format!("/articles/{id}"),
        format!("/articles/{id}/revisions/1"),
        format!("/articles/{id}/diff"),
        "/changes".to_owned(),
        "/changes.atom".to_owned(),
    ];
    for path in &pages {
        let answer = served.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        let csp = answer.header("content-security-policy").expect("CSP");
        assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
        let body = &answer.body;
        assert!(!body.contains("<script") && !body.contains("<b>evil"), "{path}: {body}");
        assert!(!body.contains("href=\"javascript:"), "{path}: {body}");
    }
    let article = served.get(&format!("/articles/{id}"));
    assert!(article.body.contains("A &lt;script&gt;alert(1)&lt;/script&gt; Headline"), "{}", article.body);
    assert!(article.body.contains("&lt;b&gt;evil&lt;/b&gt;"), "{}", article.body);
    assert!(article.body.contains("<code>javascript:alert(3)</code>"), "{}", article.body);
    // JSON keeps the archive's strings exactly.
    let doc = served.get(&format!("/articles/{id}.json")).json();
    assert_eq!(doc["article"]["title"], HOSTILE);
    assert_eq!(doc["article"]["site"], "<b>evil</b>");
}

#[test]
fn bad_requests_get_error_pages_never_a_crash() {
    let env = fixture_store();
    let id = env.id_of(GRAIN_EDITED);
    let served = Served::start(&env, &[]);
    let cases: Vec<(String, u16)> = vec![
        ("/nothing-here".into(), 404),
        ("/sites/no-such-site".into(), 404),
        ("/sites/steppe-herald?sort=colour".into(), 400),
        ("/sites/steppe-herald?order=up".into(), 400),
        ("/sites/steppe-herald?page=x".into(), 400),
        ("/sites/%ZZ".into(), 400),
        ("/sites/%FF%FE".into(), 400),
        ("/articles/zz".into(), 400),
        ("/articles/0000".into(), 404),
        ("/articles/000000000000".into(), 404),
        (format!("/articles/{id}/revisions/99"), 404),
        (format!("/articles/{id}/revisions/0"), 400),
        (format!("/articles/{id}/revisions/-1"), 400),
        (format!("/articles/{id}/revisions/99999999999999999999"), 400),
        (format!("/articles/{id}/diff?old=1&new=99"), 404),
        (format!("/articles/{id}/diff?old=zero"), 400),
        (format!("/articles/{id}/diff?view=sideways"), 400),
        (format!("/articles/{id}/extra/segments/here"), 404),
        ("/changes?since=yesterday".into(), 400),
        ("/changes?since=2025-12-01&until=soon".into(), 400),
        ("/changes.atom.json".into(), 404),
        ("/changes?page=last".into(), 400),
        (format!("/{}", "a".repeat(5000)), 414),
        (format!("/changes?since={}", "9".repeat(5000)), 414),
        ("/../../etc/passwd".into(), 404),
    ];
    for (path, status) in &cases {
        let answer = served.get(path);
        assert_eq!(answer.status, *status, "{path}: {}", answer.body);
        // The `.json` suffix asks for JSON as the Accept header does.
        assert!(path.contains(".json") || answer.body.contains("<h1>"), "{path}: {}", answer.body);
        let json = served.get_as(path, "application/json");
        assert_eq!(json.status, *status, "{path}");
        assert_eq!(json.json()["status"], *status, "{path}");
    }
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let answer = served.request(&format!(
            "{method} /articles/{id} HTTP/1.1\r\nHost: {}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}",
            served.addr
        ));
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("allow"), Some("GET, HEAD"));
    }
    // Still serving after all that.
    assert_eq!(served.get("/").status, 200);
}

#[test]
fn a_client_too_slow_to_send_its_request_is_dropped() {
    let env = fixture_store();
    let served = Served::start(&env, &[]);
    let mut slow = TcpStream::connect(&served.addr).expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").expect("half a head");
    slow.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    // The server closes the connection (after its 10 s for a request head), perhaps with a 408.
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(25), "held for {waited:?}");
    assert!(rest.is_empty() || rest.starts_with(b"HTTP/1.1 408"), "{}", String::from_utf8_lossy(&rest));
    // Others were served meanwhile, and still are.
    assert_eq!(served.get("/").status, 200);
}

#[test]
fn an_ingest_succeeds_while_serve_runs_and_then_shows() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let served = Served::start(&env, &["--refresh", "1"]);
    assert_eq!(served.get("/sites/steppe-herald.json").json().as_array().map(Vec::len), Some(4));
    // The default lock timeout (2 s): the store is not held while serve runs.
    let started = Instant::now();
    env.ingest(&[DAY2], T2);
    assert!(started.elapsed() < Duration::from_secs(2), "the ingest waited {:?}", started.elapsed());
    let id = env.id_of(GRAIN);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let doc = served.get(&format!("/articles/{id}.json")).json();
        if doc["revisions"].as_array().map(Vec::len) == Some(2) {
            break;
        }
        assert!(Instant::now() < deadline, "serve never took a new snapshot: {doc}");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Other readers and writers too.
    env.run(&["list"]);
    env.cmd().args(["rules", "add", "--drop", "advertisement"]).assert().success();
    let err = served.stop();
    assert!(err.contains("new snapshot"), "{err}");
}

#[test]
fn serve_binds_loopback_unless_told_and_warns_when_told() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let served = Served::start(&env, &[]);
    assert!(served.addr.starts_with("127.0.0.1:"), "{}", served.addr);
    drop(served);
    // Another address is warned about before anything listens (here one this machine does not
    // have, from the documentation range, so nothing listens at all).
    let out = env.cmd().args(["serve", "--port", "0", "--bind", "192.0.2.1"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("warning") && err.contains("whole archive"), "{err}");
    assert!(err.contains("cannot listen on 192.0.2.1:0"), "{err}");
    // No store: an error, not a server.
    let empty = Env::new();
    let out = empty.cmd().args(["serve", "--port", "0"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("no vellum store"));
}
