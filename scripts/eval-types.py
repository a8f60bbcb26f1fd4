#!/usr/bin/env python3
"""Scores `vellum clean` on the WCXB-dev plain-text pages, overall and by page type.

    scripts/eval-types.py [--corpus DIR] [--bin PATH] [--jobs N]

The corpus (default ../shared/corpus/wcxb-dev) holds text/<id>.txt and gold/<id>.json with
`ground_truth.main_content` and `_internal.page_type.primary`; the scorer's word metric
(bag of lower-cased words, P/R/F1 per page, averaged) is taken from
../shared/eval/extract_eval.py. Prints nothing but a note when the corpus is absent.
"""
import argparse
import collections
import concurrent.futures as cf
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "../shared/corpus/wcxb-dev"))
    ap.add_argument("--eval", default=str(ROOT / "../shared/eval"), help="folder of extract_eval.py")
    ap.add_argument("--bin", default=str(ROOT / "target/release/vellum"))
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / "text").is_dir() or not (Path(args.eval) / "extract_eval.py").is_file():
        print(f"no corpus at {corpus} (or no scorer at {args.eval}); nothing to score")
        return
    sys.path.insert(0, args.eval)
    import extract_eval as ev

    cmd = f"{args.bin} clean --format jsonl {{file}}"
    pages = sorted((corpus / "text").glob("*.txt"))
    golds = {p.stem: json.loads((corpus / "gold" / (p.stem + ".json")).read_text()) for p in pages}
    by_type = collections.defaultdict(list)
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        futs = {ex.submit(ev.run_one, cmd, p, 60): p for p in pages}
        for fut in cf.as_completed(futs):
            pid = futs[fut].stem
            text, err, _ = fut.result()
            gold = golds[pid]
            kind = gold.get("_internal", {}).get("page_type", {}).get("primary", "unknown")
            score = ev.word_prf(ev.gold_text(gold), "" if err else text)
            by_type[kind].append(score)
            by_type["all"].append(score)
    print(f"{'type':<15}{'pages':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for kind in sorted(by_type, key=lambda k: (k != "all", k)):
        rows = by_type[kind]
        p, r, f = (statistics.mean(v[i] for v in rows) for i in range(3))
        print(f"{kind:<15}{len(rows):>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")


if __name__ == "__main__":
    main()
