//! `vellum serve` in a real browser: headless Chromium opens the article and diff pages of a
//! fixture store, the rendered text is checked, and the diff page is photographed.
//!
//! Needs Chromium (Debian's `chromium` package; `.ci/run` installs it). Without it the test says
//! so and passes, unless `VELLUM_REQUIRE_BROWSER` is set (as `.ci/run` does once Chromium is
//! installed), when it fails. `VELLUM_SCREENSHOT_BLESS=1` also writes the diff page's picture
//! to `docs/serve-diff.png`, the one the README shows.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::serve::{fixture_store, Served, GRAIN_EDITED, HOSTILE};

/// The browser: `VELLUM_CHROMIUM`, else the first of Chromium's usual names on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("VELLUM_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Headless Chromium on `url` with `args` (`--dump-dom`, `--screenshot=…`); its stdout.
fn browse(browser: &Path, profile: &Path, url: &str, args: &[&str]) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--window-size=1200,900",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .env("HOME", profile)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", browser.display()));
    assert!(out.status.success(), "chromium failed on {url}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text a person reads: the DOM without its tags, entities decoded, white space folded.
fn visible_text(dom: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in dom.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn article_and_diff_pages_render_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("VELLUM_REQUIRE_BROWSER").is_none(),
            "VELLUM_REQUIRE_BROWSER is set, but no Chromium was found on the PATH"
        );
        eprintln!(
            "skipped: the browser test of `vellum serve` needs Chromium, and none is on the PATH \
             (Debian: apt-get install chromium; or set VELLUM_CHROMIUM)"
        );
        return;
    };
    let env = fixture_store();
    let id = env.id_of(GRAIN_EDITED);
    let hostile = env.id_of(HOSTILE);
    let served = Served::start(&env, &[]);
    let profile = env.path("chromium-profile");

    // The article page: its headline, timeline and text as rendered.
    let dom = browse(&browser, &profile, &format!("{}/articles/{id}", served.base), &["--dump-dom"]);
    let text = visible_text(&dom);
    for shown in [GRAIN_EDITED, "Revisions", "headline changed", "nearly forty percent", "Sightings", "steppe-herald"] {
        assert!(text.contains(shown), "{shown:?} not on the rendered article page: {text}");
    }

    // The diff page, side by side: deletions and insertions marked, the headline change shown.
    let diff = format!("{}/articles/{id}/diff?old=1&new=3&view=side", served.base);
    let dom = browse(&browser, &profile, &diff, &["--dump-dom"]);
    assert!(dom.contains("<del>") && dom.contains("<ins>"), "{dom}");
    assert!(dom.contains("<ins>nearly forty percent</ins>") || dom.contains("<ins>nearly forty"), "{dom}");
    let text = visible_text(&dom);
    for shown in
        ["Headline changed", "Revision 1", "Revision 3", "+12 words, −3 words.", "The ministry expects a further rise"]
    {
        assert!(text.contains(shown), "{shown:?} not on the rendered diff page: {text}");
    }

    // A script for a headline is text on the page, and nothing runs.
    let dom = browse(&browser, &profile, &format!("{}/articles/{hostile}", served.base), &["--dump-dom"]);
    assert!(visible_text(&dom).contains(HOSTILE), "{dom}");
    assert!(!dom.contains("<script"), "{dom}");

    // A picture of the diff page.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-diff.png");
    let _ = std::fs::remove_file(&shot);
    browse(&browser, &profile, &diff, &[&format!("--screenshot={}", shot.display())]);
    let png = std::fs::read(&shot).expect("the screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 20_000, "{} bytes", png.len());
    if std::env::var_os("VELLUM_SCREENSHOT_BLESS").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/serve-diff.png");
        std::fs::write(&docs, &png).expect("docs/serve-diff.png");
    }
    eprintln!("the diff page as Chromium rendered it: {}", shot.display());
}
