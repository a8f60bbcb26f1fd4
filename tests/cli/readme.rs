//! The documentation's examples, run as written: every ```console block of the README and of
//! `docs/commands.md`, in order, each file in one temporary workspace holding copies of the
//! bundled fixtures, with `vellum` on the PATH and the clock at `NOW`. Each `$ ` line is run by
//! `sh` with stderr joined to stdout, and what it prints must be the lines under it, exactly.
//! `VELLUM_README_BLESS=1 cargo test --test cli readme` writes what the commands print into the
//! files instead.

use std::path::Path;

use crate::{Env, NOW};

/// One `$ ` line of a console block and what follows it, with the README line it is on.
struct Example {
    command: String,
    expected: Vec<String>,
    /// Index of the command's line in the README.
    line: usize,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_console = false;
    for (i, line) in readme.lines().enumerate() {
        if !in_console {
            in_console = line.trim_end() == "```console";
            continue;
        }
        if line.trim_end() == "```" {
            in_console = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            out.push(Example { command: command.to_owned(), expected: Vec::new(), line: i });
        } else if let Some(example) = out.last_mut() {
            example.expected.push(line.to_owned());
        }
    }
    out
}

fn run(env: &Env, command: &str) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("vellum");
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.parent().unwrap_or(Path::new(".")).display());
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1\n{command}"))
        .env_clear()
        .env("PATH", path)
        .env("HOME", env.dir.path())
        .env("VELLUM_NOW", NOW)
        .current_dir(env.dir.path())
        .output()
        .expect("sh");
    String::from_utf8_lossy(&output.stdout).lines().map(|l| l.trim_end().to_owned()).collect()
}

#[test]
fn readme_examples_run_as_written() {
    check("README.md", 10);
}

#[test]
fn command_reference_examples_run_as_written() {
    check("docs/commands.md", 20);
}

/// Runs the examples of the file at `rel` (at least `least` of them).
fn check(rel: &str, least: usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).expect("documentation file");
    let examples = examples(&text);
    assert!(examples.len() >= least, "{rel}: its console examples were not found");
    let env = Env::new();
    let bless = std::env::var_os("VELLUM_README_BLESS").is_some();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut failures = Vec::new();
    // Blessing replaces each example's output from the last one up, so earlier lines stay put.
    let mut replacements = Vec::new();
    for example in &examples {
        let got = run(&env, &example.command);
        let expected: Vec<String> = example.expected.iter().map(|l| l.trim_end().to_owned()).collect();
        if got != expected {
            failures.push(format!(
                "{rel}:{}: $ {}\n--- expected\n{}\n--- got\n{}",
                example.line + 1,
                example.command,
                expected.join("\n"),
                got.join("\n")
            ));
        }
        replacements.push((example.line + 1, example.expected.len(), got));
    }
    if bless {
        for (at, len, got) in replacements.into_iter().rev() {
            lines.splice(at..at + len, got);
        }
        std::fs::write(&path, lines.join("\n") + "\n").expect("write the documentation file");
        return;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
