//! Crash safety: `vellum ingest` is killed with SIGKILL at random moments, then the store must
//! open, verify clean, and hold whole every page the killed process reported as stored.
//!
//! `VELLUM_CRASH_TRIALS` sets the number of trials (default 50; CI runs the default).

#![cfg(unix)]

mod common;
#[path = "common/generated.rs"]
mod generated;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use vellum::id::ContentHash;
use vellum::store::{OpenOptions, Store};

/// A small deterministic generator (64-bit LCG), so every run kills at the same offsets.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Writes `days` folders of `pages` pages each, every page holding three articles whose text
/// changes a little from day to day.
fn write_corpus(root: &Path, days: usize, pages: usize) {
    for day in 0..days {
        let dir = root.join(format!("day{day}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        for p in 0..pages {
            let mut page = String::new();
            for _ in 0..4 {
                page.push_str(&format!("  • USD/EUR = 0.9{day}{p} 0.{p}%\n  • USD/GBP = 0.7{p}{day} -0.{day}%\n"));
            }
            page.push_str(&format!("{} December 2025\n\n", day + 1));
            for a in 0..3 {
                page.push_str(&format!("Report {p}-{a} on the Harbour Works\n\n"));
                for para in 0..4 {
                    let edit = if para == 1 && (p + a) % 3 == day % 3 {
                        format!(" It was revised on day {day}.")
                    } else {
                        String::new()
                    };
                    page.push_str(&format!(
                        "Paragraph {para} of report {p}-{a} describes the harbour works in some detail, with \
                         figures on cranes, berths and the tonnage handled over the season.{edit}\n\n"
                    ));
                }
            }
            std::fs::write(dir.join(format!("page{p:03}.txt")), page).expect("write page");
        }
    }
}

#[test]
fn killed_ingests_leave_a_sound_store() {
    let trials: u64 = std::env::var("VELLUM_CRASH_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let dir = tempfile::tempdir().expect("temp dir");
    write_corpus(dir.path(), 3, 30);
    let store_path = dir.path().join("store");
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let mut rng = Lcg(7);
    let (mut reported, mut killed, mut compacted) = (0usize, 0usize, 0usize);
    for trial in 0..trials {
        let day = format!("day{}", trial % 3);
        let padded = trial % 2 == 1 && store_path.join("db").exists();
        if padded {
            // A megabyte beside sled's files, which a compaction does not carry over, makes the
            // ingest compact the store at its end: kills land in that too.
            std::fs::write(store_path.join("padding"), vec![0u8; 1 << 20]).expect("padding");
        }
        let mut child = Command::new(&vellum)
            .args(["ingest", "--verbose", "--flush-every", "3", &day])
            .env_clear()
            .env("VELLUM_STORE", &store_path)
            .env("VELLUM_LOCK_TIMEOUT", "10")
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn vellum");
        std::thread::sleep(Duration::from_millis(rng.next() % 250));
        // A kill counts only when it landed: the process was still running.
        let running = child.try_wait().expect("try_wait").is_none();
        if running && child.kill().is_ok() {
            killed += 1;
        }
        let _ = child.wait();
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            stdout.read_to_string(&mut out).expect("read stdout");
        }
        if padded && !store_path.join("padding").exists() {
            compacted += 1;
        }
        // A kill between the compaction's two renames leaves the store aside; opening puts it back.
        let aside = dir.path().join("store.compacted-old").join("db").exists();
        if !store_path.join("db").exists() && !aside {
            assert!(!out.contains("stored "), "trial {trial}: pages reported but no store");
            continue;
        }
        let store = Store::open(&store_path, &OpenOptions::default()).expect("the store opens after a kill");
        let report = vellum::archive::verify(&store).expect("verify runs");
        assert!(report.problems.is_empty(), "trial {trial}: {:?}", report.problems);
        for line in out.lines().filter(|l| l.starts_with("stored ")) {
            reported += 1;
            // "stored before SOURCE: ..." reports a page read again: its stored fetch.
            let line = line["stored ".len()..].strip_prefix("before ").unwrap_or(&line["stored ".len()..]);
            let (source, rest) = line.split_once(": fetch ").expect("report line");
            let (seq, count) = rest.split_once(", ").expect("report line");
            let fetch = store.fetch(seq.parse().expect("seq")).expect("a reported fetch is stored");
            assert_eq!(fetch.source, source);
            assert_eq!(format!("{} articles", fetch.articles.len()), count);
            for (id, rev) in fetch.articles {
                let revision = store.revision(id, rev).expect("reported revision");
                let text = store.text(&revision).expect("reported text");
                assert_eq!(ContentHash::of(text.as_bytes()), revision.hash);
            }
        }
    }
    eprintln!("{trials} trials, {killed} kills, {reported} reported pages checked, {compacted} compactions that reached the swap");
    assert!(reported > 0, "no trial got far enough to report a page; the kill window is too short");
}

/// The cron job's workflow: one `vellum ingest` a day of one site's page, each a new process,
/// some killed at a random moment and run again (as the next cron run or a retry would). After
/// every kill the store opens and verifies clean; at the end it exports exactly what a store
/// that was never interrupted exports.
#[test]
fn killed_daily_ingests_run_again_give_the_store_of_uninterrupted_ones() {
    let days: usize = 40;
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = dir.path().join("gazette");
    std::fs::create_dir_all(&pages).expect("mkdir");
    for day in 0..days {
        std::fs::write(pages.join(format!("day{day:04}.txt")), generated::generated_day(day)).expect("write");
    }
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let ingest = |store: &Path, day: usize| {
        let mut cmd = Command::new(&vellum);
        cmd.args(["ingest", "--quiet", "--flush-every", "1", "--fetched-at"])
            .arg(format!("2025-{:02}-{:02}T06:00:00Z", 1 + day / 28, 1 + day % 28))
            .arg(format!("gazette/day{day:04}.txt"))
            .env_clear()
            .env("VELLUM_STORE", store)
            .env("VELLUM_LOCK_TIMEOUT", "10")
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    let export = |store: &Path| {
        let out = Command::new(&vellum)
            .args(["export", "--all-revisions"])
            .env_clear()
            .env("VELLUM_STORE", store)
            .output()
            .expect("export");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let reference = dir.path().join("reference");
    for day in 0..days {
        assert!(ingest(&reference, day).status().expect("ingest").success(), "day {day}");
    }
    let store_path = dir.path().join("store");
    let mut rng = Lcg(23);
    let mut killed = 0;
    for day in 0..days {
        if rng.next() % 2 == 0 {
            let mut child = ingest(&store_path, day).spawn().expect("spawn vellum");
            std::thread::sleep(Duration::from_millis(rng.next() % 80));
            // A kill counts only when it landed: the process was still running.
            let running = child.try_wait().expect("try_wait").is_none();
            if running && child.kill().is_ok() {
                killed += 1;
            }
            let _ = child.wait();
            if store_path.join("db").exists() || dir.path().join("store.compacted-old").exists() {
                let store = Store::open(&store_path, &OpenOptions::default()).expect("the store opens after a kill");
                let report = vellum::archive::verify(&store).expect("verify runs");
                assert!(report.problems.is_empty(), "day {day}: {:?}", report.problems);
            }
        }
        assert!(ingest(&store_path, day).status().expect("ingest").success(), "day {day} run again");
    }
    eprintln!("{days} days, {killed} kills");
    assert!(killed > 0);
    assert!(export(&store_path) == export(&reference), "the export differs from the uninterrupted store's");
}

/// `vellum compact` killed at random moments: the store opens (put back if the kill came between
/// the compaction's renames), verifies clean and dumps to the same bytes as before.
#[test]
fn killed_compactions_leave_the_store_whole() {
    let trials: u64 = std::env::var("VELLUM_CRASH_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(50) / 2;
    let dir = tempfile::tempdir().expect("temp dir");
    write_corpus(dir.path(), 2, 20);
    let original = dir.path().join("original");
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let status = Command::new(&vellum)
        .args(["ingest", "--quiet", "day0", "day1"])
        .env_clear()
        .env("VELLUM_STORE", &original)
        .current_dir(dir.path())
        .status()
        .expect("ingest");
    assert!(status.success());
    let dump = |path: &Path| {
        let store = Store::open(path, &OpenOptions::default()).expect("the store opens");
        let report = vellum::archive::verify(&store).expect("verify runs");
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let mut out = Vec::new();
        store.dump(&mut out, "mem").expect("dump");
        out
    };
    let expected = dump(&original);
    let mut rng = Lcg(11);
    for trial in 0..trials {
        let store_path = dir.path().join(format!("store{trial}"));
        common::copy_dir(&original, &store_path);
        let mut child = Command::new(&vellum)
            .arg("compact")
            .env_clear()
            .env("VELLUM_STORE", &store_path)
            .current_dir(dir.path())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn vellum");
        std::thread::sleep(Duration::from_millis(rng.next() % 60));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(dump(&store_path), expected, "trial {trial}");
        std::fs::remove_dir_all(&store_path).expect("clean up");
    }
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if std::fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false) {
            out.push(path);
        }
    }
}

/// Bits flipped in the store's files (sled's log, snapshots, config): every damaged store
/// either still exports exactly what it held, or `verify`/`export` report an error. Never a
/// panic, never a silently different export.
#[test]
fn flipped_bits_in_store_files_are_harmless_or_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_corpus(dir.path(), 2, 10);
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let run = |store: &Path, args: &[&str]| {
        Command::new(&vellum)
            .args(args)
            .env_clear()
            .env("VELLUM_STORE", store)
            .current_dir(dir.path())
            .output()
            .expect("run")
    };
    let store = dir.path().join("store");
    assert!(run(&store, &["ingest", "day0", "day1"]).status.success());
    let clean_export = run(&store, &["export"]).stdout;
    let mut rng = Lcg(11);
    let (mut harmless, mut reported) = (0, 0);
    for trial in 0..30 {
        let copy = dir.path().join(format!("copy{trial}"));
        common::copy_dir(&store, &copy);
        let mut targets = Vec::new();
        files(&copy, &mut targets);
        targets.sort();
        let target = &targets[(rng.next() % targets.len() as u64) as usize];
        let mut bytes = std::fs::read(target).expect("read");
        let bit = (rng.next() % (bytes.len() as u64 * 8)) as usize;
        bytes[bit / 8] ^= 1 << (bit % 8);
        std::fs::write(target, bytes).expect("write");
        let verify = run(&copy, &["verify"]);
        let export = run(&copy, &["export"]);
        for out in [&verify, &export] {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "trial {trial}: {stderr}");
        }
        if verify.status.success() && export.status.success() {
            assert_eq!(export.stdout, clean_export, "trial {trial}: a damaged store exported different text silently");
            harmless += 1;
        } else {
            reported += 1;
        }
        std::fs::remove_dir_all(&copy).expect("clean up");
    }
    eprintln!("30 flipped bits in store files: {harmless} harmless, {reported} reported");
}

/// A process killed while it holds the store leaves no stale lock: the next one opens at once.
#[test]
fn a_killed_holder_leaves_no_stale_lock() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_corpus(dir.path(), 1, 2);
    let store = dir.path().join("store");
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let status =
        Command::new(&vellum).args(["ingest", "day0"]).env("VELLUM_STORE", &store).current_dir(dir.path()).status();
    assert!(status.expect("ingest").success());
    // `ingest -` holds the store open while it waits for stdin; the pipe is never closed.
    let mut holder = Command::new(&vellum)
        .args(["ingest", "day0", "-"])
        .env("VELLUM_STORE", &store)
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn holder");
    // Wait until the holder has the lock: a second open then fails fast.
    let busy = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        let out = Command::new(&vellum)
            .args(["list", "--lock-timeout", "0"])
            .env("VELLUM_STORE", &store)
            .output()
            .expect("list");
        String::from_utf8_lossy(&out.stderr).contains("store is in use by another process")
    });
    assert!(busy, "the holder never took the lock");
    holder.kill().expect("kill holder");
    let _ = holder.wait();
    let out =
        Command::new(&vellum).args(["list", "--lock-timeout", "0"]).env("VELLUM_STORE", &store).output().expect("list");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A full disk: the ingest fails with a clear error, and once there is room again the store
/// opens, verifies, and holds everything that was reported before. Needs root to mount a small
/// tmpfs: `cargo test --test crash -- --ignored` as root.
#[test]
#[ignore = "needs root and tmpfs mount"]
fn a_full_disk_is_a_clear_error_and_leaves_the_store_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_corpus(dir.path(), 1, 3);
    let big = dir.path().join("big");
    std::fs::create_dir_all(&big).expect("mkdir");
    let mut rng = Lcg(5);
    for p in 0..40 {
        let words: Vec<String> = (0..9000).map(|_| format!("w{}", rng.next() % 5000)).collect();
        std::fs::write(big.join(format!("p{p:02}.txt")), format!("Headline {p}\n\n{}.\n", words.join(" ")))
            .expect("write");
    }
    let disk = Tmpfs::mount(dir.path(), "640k");
    let mount = &disk.path;
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let store = mount.join("store");
    let run =
        |args: &[&str]| Command::new(&vellum).args(args).env("VELLUM_STORE", &store).current_dir(dir.path()).output();
    let first = run(&["ingest", "day0"]).expect("ingest");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let before = run(&["export"]).expect("export").stdout;
    let full = run(&["ingest", "big"]).expect("ingest");
    let stderr = String::from_utf8_lossy(&full.stderr).into_owned();
    let _ = Command::new("mount").args(["-o", "remount,size=64m"]).arg(mount).status();
    let verify = run(&["verify"]).expect("verify");
    let after = run(&["export"]).expect("export").stdout;
    assert!(!full.status.success(), "the big ingest should not fit");
    assert!(stderr.contains("No space left on device") && stderr.contains("store"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
    let before = String::from_utf8_lossy(&before);
    let after = String::from_utf8_lossy(&after);
    for line in before.lines() {
        let id = &line[..24];
        assert!(after.contains(id), "an article stored before the full disk is gone: {id}");
    }
}

/// A tmpfs mounted at `dir/small`, unmounted when dropped: a failed assertion leaves no mount
/// behind.
struct Tmpfs {
    path: std::path::PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size`; panics where that cannot be done (it needs root), so a test
    /// that cannot run fails rather than passes.
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        let path = dir.join("small");
        std::fs::create_dir_all(&path).expect("mkdir");
        let option = format!("size={size}");
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &option, "tmpfs"]).arg(&path).status();
        assert!(
            mounted.as_ref().is_ok_and(|s| s.success()),
            "cannot mount a tmpfs at {} ({mounted:?}): this test needs root",
            path.display()
        );
        Tmpfs { path }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// A compaction that runs out of disk space fails clearly, in bounded time, and leaves the store
/// as it was (the half-built copy is removed). Needs root, as the test above.
#[test]
#[ignore = "needs root and tmpfs mount"]
fn a_compaction_on_a_full_disk_fails_and_leaves_the_store_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_corpus(dir.path(), 2, 20);
    let disk = Tmpfs::mount(dir.path(), "64m");
    let mount = &disk.path;
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let store = mount.join("store");
    let run =
        |args: &[&str]| Command::new(&vellum).args(args).env("VELLUM_STORE", &store).current_dir(dir.path()).output();
    let ingest = run(&["ingest", "--quiet", "day0", "day1"]).expect("ingest");
    assert!(ingest.status.success(), "{}", String::from_utf8_lossy(&ingest.stderr));
    let before = run(&["export"]).expect("export").stdout;
    // The disk filled but for 16 KiB: sled's copy does not fit.
    let filler = mount.join("filler");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![1u8; 4096];
        while file.write_all(&chunk).and_then(|()| file.sync_data()).is_ok() {}
        let len = file.metadata().expect("filler size").len();
        file.set_len(len.saturating_sub(16 << 10)).expect("free 16 KiB");
    }
    let mut child = Command::new(&vellum)
        .arg("compact")
        .env("VELLUM_STORE", &store)
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        err.read_to_string(&mut stderr).expect("stderr");
    }
    std::fs::remove_file(&filler).expect("remove filler");
    let verify = run(&["verify"]).expect("verify");
    let after = run(&["export"]).expect("export").stdout;
    let leftover = mount.join("store.compacting").exists();
    let status = status.expect("compact returned within a minute");
    assert!(!status.success(), "the copy should not fit: {stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!leftover, "the half-built copy is removed");
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
    assert_eq!(after, before);
}
