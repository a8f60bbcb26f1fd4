//! `vellum completions` and `vellum man`.

use crate::Env;

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = env.run(&["completions", shell]);
        for sub in ["ingest", "export", "diff", "changes"] {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
    }
    env.cmd().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_is_roff() {
    let env = Env::new();
    let page = env.run(&["man"]);
    assert!(page.contains(".TH vellum 1"), "{page}");
    // One page: a section per subcommand, and no pointer to a page per subcommand.
    assert!(page.contains(".SS \"vellum ingest\"") && page.contains(".SS \"vellum diff\""), "{page}");
    assert!(!page.contains("vellum\\-ingest(1)"), "{page}");
}
