#!/usr/bin/env python3
"""How far the daily archive's speed can go on the shared daily-dev corpus.

Runs the corpus's 30 days three ways in one invocation, a day at a time and interleaved, so
that the machine's load falls on all three alike:

  git     git scraping exactly as ../shared/eval/daily_eval.py runs it: the day's files copied
          into a work tree, `git add -A`, a commit; `git gc` at the end
  clean   `vellum clean --format jsonl` of the day's pages: the cleaning and splitting every
          ingest does, with no store at all
  ingest  `vellum ingest --quiet --fetched-at DAY` of the day's pages, as a cron job would

Repeated --runs times; prints the median of each total (wall seconds) and git / clean, the
most any store could gain on git scraping while every page is cleaned and split.

    python3 benches/daily_floor.py [--runs 3] [--vellum target/release/vellum]

Needs ../shared (not part of a fresh clone) and git.
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--vellum", default=str(root / "target/release/vellum"))
ap.add_argument("--corpus", default=str(root.parent / "shared/corpus/daily-dev"))
args = ap.parse_args()
corpus = Path(args.corpus)
if not corpus.is_dir() or shutil.which("git") is None:
    print(f"daily_floor.py: needs the daily-dev corpus at {corpus} and git; nothing to run")
    sys.exit(0)
sites = sorted(p.name for p in corpus.iterdir() if p.is_dir())
days = sorted(p.stem for p in (corpus / sites[0]).glob("*.txt"))


def sh(cmd):
    subprocess.run(cmd, check=True, capture_output=True)


def timed(f):
    t0 = time.monotonic()
    f()
    return time.monotonic() - t0


totals = {"git": [], "clean": [], "ingest": []}
for _ in range(args.runs):
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        repo, store = work / "git", work / "store"
        repo.mkdir()
        sh(["git", "-C", str(repo), "init", "-q"])
        t = {"git": 0.0, "clean": 0.0, "ingest": 0.0}
        for day in days:
            files = [corpus / s / f"{day}.txt" for s in sites if (corpus / s / f"{day}.txt").exists()]

            def git():
                for f in files:
                    shutil.copyfile(f, repo / f"{f.parent.name}.txt")
                sh(["git", "-C", str(repo), "add", "-A"])
                sh(["git", "-C", str(repo), "-c", "user.name=a", "-c", "user.email=a@example.org", "commit", "-qm", day])

            t["git"] += timed(git)
            t["clean"] += timed(lambda: sh([args.vellum, "clean", "--format", "jsonl", *map(str, files)]))
            t["ingest"] += timed(lambda: sh([args.vellum, "--store", str(store), "ingest", "--quiet",
                                             "--fetched-at", f"{day}T06:00:00Z", *map(str, files)]))
        t["git"] += timed(lambda: sh(["git", "-C", str(repo), "gc", "-q"]))
        for k, v in t.items():
            totals[k].append(v)
m = {k: statistics.median(v) for k, v in totals.items()}
print(f"daily-dev, {len(days)} daily runs each, medians of {args.runs} runs (wall seconds)")
print(f"{'git scraping (add, commit; gc)':34} {m['git']:6.2f}")
print(f"{'vellum clean (no store)':34} {m['clean']:6.2f}")
print(f"{'vellum ingest':34} {m['ingest']:6.2f}")
print(f"{'git / clean':34} {m['git'] / m['clean']:6.2f}")
print(f"{'git / ingest':34} {m['git'] / m['ingest']:6.2f}")
