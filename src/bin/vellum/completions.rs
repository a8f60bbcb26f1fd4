//! `vellum completions SHELL` and `vellum man`: generated from the same clap definitions.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit;

pub fn run_completions(args: &CompletionsArgs) -> Result<u8> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "vellum", &mut std::io::stdout().lock());
    Ok(exit::OK)
}

/// One man page, `vellum(1)`, with a section per subcommand (clap_mangen's own subcommand
/// section points at a page per subcommand, which vellum does not ship).
pub fn run_man() -> Result<u8> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut out = std::io::stdout().lock();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in command.get_subcommands() {
        writeln!(out, ".SS \"vellum {}\"", sub.get_name())?;
        let about = sub.get_long_about().or_else(|| sub.get_about()).map(ToString::to_string).unwrap_or_default();
        writeln!(out, "{}", roff_text(&about))?;
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set() && !a.is_global_set()) {
            let name = match (arg.get_long(), arg.get_short()) {
                (Some(long), Some(short)) => format!("\\fB\\-{short}\\fR, \\fB\\-\\-{}\\fR", roff_text(long)),
                (Some(long), None) => format!("\\fB\\-\\-{}\\fR", roff_text(long)),
                (None, _) => format!("\\fI{}\\fR", roff_text(arg.get_id().as_str())),
            };
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            writeln!(out, ".TP\n{name}\n{}", roff_text(&help))?;
        }
    }
    man.render_version_section(&mut out)?;
    Ok(exit::OK)
}

/// Text for a roff line: backslashes doubled, and a leading `.` or `'` escaped.
fn roff_text(text: &str) -> String {
    let text = text.replace('\\', "\\\\").replace('-', "\\-");
    match text.chars().next() {
        Some('.' | '\'') => format!("\\&{text}"),
        _ => text,
    }
}
