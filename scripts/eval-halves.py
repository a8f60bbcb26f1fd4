#!/usr/bin/env python3
"""Scores `vellum clean` on the plain-text corpus overall and on two fixed halves of it.

The halves go by a hash of the page's file name (md5, even or odd first byte), so that a
change tuned on some pages shows whether it holds on the others. Uses the scorer beside the
corpus (extract_eval.py) for tokens and the 4-shingle metric.

    scripts/eval-halves.py [--bin target/release/vellum] [--corpus DIR] [--worst N] [--save F] [--diff F]

`--save F` writes the per-page F1 to F (JSON); `--diff F` lists the pages that moved most
against such a file.
"""
import argparse
import concurrent.futures as cf
import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=str(ROOT / "target/release/vellum"))
ap.add_argument("--corpus", default=str(ROOT / "../shared/corpus/scrapinghub"))
ap.add_argument("--jobs", type=int, default=2)
ap.add_argument("--worst", type=int, default=0)
ap.add_argument("--save")
ap.add_argument("--diff")
args = ap.parse_args()
corpus = Path(args.corpus)
sys.path.insert(0, str(corpus.parent.parent / "eval"))
import extract_eval as ev  # noqa: E402

gold = json.loads((corpus / "ground-truth.json").read_text())
pages = sorted(p for p in (corpus / "text").glob("*.txt") if p.stem in gold)


def run(p):
    out = subprocess.run([args.bin, "clean", "--format", "jsonl", str(p)], capture_output=True, check=True)
    arts = ev.parse_output(out.stdout.decode())
    return p.stem, "\n\n".join(a.get("text", "") for a in arts)


with cf.ThreadPoolExecutor(args.jobs) as ex:
    preds = dict(ex.map(run, pages))
rows = {k: ev.shingle_tpfpfn(ev.gold_text(gold[k]), preds[k]) for k in preds}


def half(k):
    return hashlib.md5(k.encode()).digest()[0] % 2


def f1(r):
    p, q = ev.prec(*r), ev.rec(*r)
    return 2 * p * q / (p + q) if p + q else 0.0


for name, keys in [("all", list(rows)), ("A", [k for k in rows if half(k) == 0]), ("B", [k for k in rows if half(k) == 1])]:
    p, r, f = ev.shingle_summary([rows[k] for k in keys])
    print(f"{name:>3} ({len(keys):3} pages): P {p:.4f}  R {r:.4f}  F1 {f:.4f}")
per = {k: round(f1(v), 4) for k, v in rows.items()}
if args.worst:
    for k in sorted(per, key=per.get)[: args.worst]:
        r = rows[k]
        print(f"  {per[k]:.3f}  P {ev.prec(*r):.2f} R {ev.rec(*r):.2f}  {k}")
if args.diff:
    old = json.loads(Path(args.diff).read_text())
    moved = sorted(per, key=lambda k: per[k] - old.get(k, 0))
    for k in moved[:8] + moved[-8:]:
        if abs(per[k] - old.get(k, 0)) > 0.001:
            print(f"  {old.get(k, 0):.3f} -> {per[k]:.3f}  {k}")
if args.save:
    Path(args.save).write_text(json.dumps(per, indent=0))
