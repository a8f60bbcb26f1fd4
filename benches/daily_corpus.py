#!/usr/bin/env python3
"""Scales a daily corpus (DIR/<site>/<YYYY-MM-DD>.txt with its gold DIR-gold.json, the shape of
../shared/corpus/daily-dev) to more sites and more days, for benches/daily-scale.sh.

    benches/daily_corpus.py SRC OUT [--sites K] [--days M]

OUT holds K x the sites, each over M x the days: K * M times the input, with OUT-gold.json
beside it. Copy (k, m) of a site is its own site (`<site>-k<k>`, the original for k = 0) and
its stretch of days starts m x the source's days later. Every copy but (0, 0) has its content
words replaced, consistently, by made-up words of the same length and case, so that its
articles are new articles (git and vellum alike would store an exact copy for nothing), while
the shapes stay: the words a page's structure rests on are kept, that is any word found on at
least half of its site's pages (menus, tickers, footers, labels) or on a fifth of all sites
(function words, month names, cue words such as "Comments" or "Share"). Digits and punctuation
are kept. Deterministic: the same input and options give the same bytes.
"""
import argparse
import datetime
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

WORD = re.compile(r"[^\W\d_]+")
CONSONANTS = "bcdfghjklmnprstvwz"
VOWELS = "aeiou"


def made_up(word, copy):
    """A word of the same length and case pattern, fixed by the word and the copy."""
    digest = hashlib.blake2b(f"{copy}\0{word.lower()}".encode(), digest_size=32).digest()
    out = []
    for i, ch in enumerate(word):
        b = digest[i % 32] + i
        letter = VOWELS[b % 5] if i % 2 else CONSONANTS[b % 18]
        out.append(letter.upper() if ch.isupper() else letter)
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--sites", type=int, default=1, help="copies of each site (default 1)")
    ap.add_argument("--days", type=int, default=1, help="stretches of days (default 1)")
    args = ap.parse_args()
    src, out = Path(args.src), Path(args.out)
    gold = json.loads((src.parent / (src.name + "-gold.json")).read_text())
    sites = sorted(d.name for d in src.iterdir() if d.is_dir())
    days = sorted({f.stem for s in sites for f in (src / s).glob("*.txt")})
    span = len(days)
    # Words kept: on half of a site's pages, or on a fifth of the sites.
    site_words, pages_of = {}, {}
    in_sites = Counter()
    for s in sites:
        counts = Counter()
        files = sorted((src / s).glob("*.txt"))
        for f in files:
            counts.update({w.lower() for w in WORD.findall(f.read_text())})
        pages_of[s] = files
        site_words[s] = {w for w, n in counts.items() if n * 2 >= len(files)}
        in_sites.update(counts.keys())
    common = {w for w, n in in_sites.items() if n * 5 >= len(sites)}

    def shift(day, m):
        return (datetime.date.fromisoformat(day) + datetime.timedelta(days=m * span)).isoformat()

    articles, edits = {}, []
    for k in range(args.sites):
        for s in sites:
            name = s if k == 0 else f"{s}-k{k}"
            (out / name).mkdir(parents=True, exist_ok=True)
            keep = common | site_words[s]
            for m in range(args.days):
                copy = f"{k}.{m}"
                memo = {}

                def swap(match):
                    w = match.group(0)
                    if (k, m) == (0, 0) or w.lower() in keep:
                        return w
                    if w not in memo:
                        memo[w] = made_up(w, copy)
                    return memo[w]

                for f in pages_of[s]:
                    text = WORD.sub(swap, f.read_text())
                    (out / name / f"{shift(f.stem, m)}.txt").write_text(text)
                for title, aid in gold["articles"].get(s, {}).items():
                    articles.setdefault(name, {})[WORD.sub(swap, title)] = f"{aid}-{copy}"
                for e in gold["edits"]:
                    if e["site"] == s:
                        edits.append({"day": e["day"] + m * span, "site": name, "title": WORD.sub(swap, e["title"])})
    summary = {
        "articles": sum(len(a) for a in articles.values()),
        "revisions": sum(len(a) for a in articles.values()) + len(edits),
        "days": span * args.days,
        "sites": len(sites) * args.sites,
    }
    gold_out = {"articles": articles, "edits": edits, "summary": summary}
    (out.parent / (out.name + "-gold.json")).write_text(json.dumps(gold_out))
    print(f"{summary['sites']} sites x {summary['days']} days: {summary['articles']} articles")


if __name__ == "__main__":
    main()
