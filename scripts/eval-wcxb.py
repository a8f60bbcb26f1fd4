#!/usr/bin/env python3
"""Scores vellum's HTML extraction on WCXB-dev by page type.

Runs `vellum clean --format jsonl` once over the folder of pages, joins each page's article
texts, and scores them against the gold main content with the word-bag metric of
../shared/eval/extract_eval.py (lower-cased \\w+ tokens, P/R/F1 per page, averaged): overall
and per page type (`_internal.page_type.primary`). "Leaks" is the share of pages whose output
holds one of the gold's boilerplate snippets (`ground_truth.without`) that the gold text
itself does not hold.

    scripts/eval-wcxb.py [--bin target/release/vellum] [--worst N] [--type T] [--save F]

Needs ../shared (not part of a fresh clone; VELLUM_SHARED names another place); says so and
exits when it is absent.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("VELLUM_SHARED", ROOT.parent / "shared"))
TOKEN = re.compile(r"\w+", re.UNICODE)


def words(text):
    return TOKEN.findall((text or "").lower())


def prf(gold, pred):
    from collections import Counter

    g, p = Counter(words(gold)), Counter(words(pred))
    ng, np_ = sum(g.values()), sum(p.values())
    if not ng:
        return (1.0, 1.0, 1.0) if not np_ else (0.0, 0.0, 0.0)
    if not np_:
        return (0.0, 0.0, 0.0)
    ov = sum((g & p).values())
    pr, rc = ov / np_, ov / ng
    return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)


def squash(text):
    return " ".join(words(text))


def leaks(gold, pred):
    pred, main = squash(pred), squash(gold["ground_truth"].get("main_content", ""))
    for snippet in gold["ground_truth"].get("without") or []:
        s = squash(snippet)
        if s and s in pred and s not in main:
            return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "target/release/vellum"))
    ap.add_argument("--pages", default=str(SHARED / "corpus/wcxb-dev/html"))
    ap.add_argument("--gold", default=str(SHARED / "corpus/wcxb-dev/gold"))
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages")
    ap.add_argument("--type", help="only pages of this type")
    ap.add_argument("--save", help="write per-page scores as JSON here")
    ap.add_argument("--extracted", action="store_true",
                    help="score the extraction alone, before cleaning (examples/extract_jsonl)")
    args = ap.parse_args()
    if not Path(args.pages).is_dir():
        sys.exit(f"eval-wcxb: {args.pages} not found; nothing to score")

    gold = {f.stem: json.loads(f.read_text()) for f in sorted(Path(args.gold).glob("*.json"))}
    cmd = [args.bin, "clean", "--format", "jsonl", args.pages]
    if args.extracted:
        cmd = [str(Path(args.bin).parent / "examples/extract_jsonl"), args.pages]
    out = subprocess.run(cmd, capture_output=True, check=False)
    texts = defaultdict(list)
    for line in out.stdout.decode().splitlines():
        rec = json.loads(line)
        texts[Path(rec["file_path"]).name.split(".")[0]].append(rec.get("text", ""))

    rows = {}
    for pid, g in gold.items():
        kind = g.get("_internal", {}).get("page_type", {}).get("primary", "?")
        if args.type and kind != args.type:
            continue
        pred = "\n\n".join(texts.get(pid, []))
        p, r, f = prf(g["ground_truth"].get("main_content", ""), pred)
        rows[pid] = {"type": kind, "p": p, "r": r, "f1": f, "leak": leaks(g, pred)}

    def line(name, sel):
        n = len(sel)
        mean = lambda k: statistics.mean(x[k] for x in sel)
        return (f"{name:<11} {n:>5}  P {mean('p'):.3f}  R {mean('r'):.3f}  F1 {mean('f1'):.3f}"
                f"  leaks {sum(x['leak'] for x in sel) / n:.3f}")

    print(line("all", list(rows.values())))
    for kind in sorted({x["type"] for x in rows.values()}):
        print(line(kind, [x for x in rows.values() if x["type"] == kind]))
    if args.worst:
        for pid in sorted(rows, key=lambda k: rows[k]["f1"])[: args.worst]:
            x = rows[pid]
            print(f"  {pid} {x['type']:<10} P {x['p']:.2f} R {x['r']:.2f} F1 {x['f1']:.2f}")
    if args.save:
        Path(args.save).write_text(json.dumps(rows))


if __name__ == "__main__":
    main()
