//! Opening stores the user cannot write, and stores sled left in a state it cannot open alone.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use assert_cmd::Command;

use crate::{Env, DAY1, NOW, T1};

/// Makes every file under `path` read-only (`writable`: writable again).
fn set_writable(path: &Path, writable: bool) {
    let meta = std::fs::metadata(path).expect("metadata");
    let mode = match (meta.is_dir(), writable) {
        (true, true) => 0o755,
        (true, false) => 0o555,
        (false, true) => 0o644,
        (false, false) => 0o444,
    };
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).expect("read dir") {
            set_writable(&entry.expect("entry").path(), writable);
        }
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// `vellum` run by a user who cannot write the store: as root, the unprivileged user 65534
/// (root writes whatever the permissions say), from a copy of the binary that user can reach
/// (the build folder may sit where only root can).
fn reader(env: &Env, bin_dir: &Path) -> Command {
    let bin = assert_cmd::cargo::cargo_bin("vellum");
    let mut cmd = if is_root() {
        let copy = bin_dir.join("vellum");
        if !copy.exists() {
            std::fs::copy(&bin, &copy).expect("copy the binary");
            std::fs::set_permissions(bin_dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(copy);
        cmd
    } else {
        Command::new(bin)
    };
    cmd.env_clear().env("VELLUM_NOW", NOW).env("VELLUM_STORE", env.store()).current_dir(env.dir.path());
    cmd
}

#[test]
fn a_store_the_user_cannot_write_is_read_by_every_reading_command_and_refused_by_ingest() {
    let env = Env::new();
    let bin_dir = tempfile::tempdir().expect("temp dir");
    let reader = |env: &Env| reader(env, bin_dir.path());
    env.ingest(&[DAY1], T1);
    let export = env.run(&["export"]);
    let list = env.run(&["list"]);
    set_writable(env.dir.path(), false);
    let stdout = |args: &[&str]| {
        let out = reader(&env).args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
    };
    assert_eq!(stdout(&["export"]), export);
    assert_eq!(stdout(&["list"]), list);
    assert!(stdout(&["verify"]).contains("all sound"));
    let dump = reader(&env).args(["dump", "-"]).assert().success();
    assert!(dump.get_output().stdout.len() > 100, "a dump on stdout");
    stdout(&["stats"]);
    stdout(&["clean", "--use-store", DAY1]);
    let refused = reader(&env).args(["ingest", DAY1, "--fetched-at", T1]).assert().failure();
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("cannot be written"), "{stderr}");
    set_writable(env.dir.path(), true);
    assert_eq!(env.run(&["export"]), export, "the store is as it was");
}

#[test]
fn a_snapshot_whose_writing_was_cut_short_does_not_keep_the_store_shut() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let list = env.run(&["list"]);
    // The newest snapshot by name, cut short (sled renames a snapshot only once it is whole).
    let stray = env.store().join("snap.7FFFFFFFFFFFFFFF.generating");
    std::fs::write(&stray, b"snap").expect("write");
    assert_eq!(env.run(&["list"]), list);
    assert!(!stray.exists());
}
