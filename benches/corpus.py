#!/usr/bin/env python3
"""Generates a benchmark corpus of daily plain-text scrapes in the seed's shape.

N sites x D days: each site has its own chrome (menu, footer) and a ticker block repeated down
the page whose numbers change daily; each page holds several whole articles (title, sometimes a
date line, subheadings, paragraphs), articles appear, stay for some days, roll off, and are
occasionally edited; a few one-off pages are mixed in. Deterministic from --seed.

    benches/corpus.py OUT --sites 10 --days 30 [--articles 5] [--seed 1]
    benches/corpus.py OUT --mb 100          # picks --days to reach about that many MB
"""
import argparse
import os
import random

WORDS = (
    "harbour council railway grain market winter spring budget minister ferry bridge village school "
    "museum river mountain road freight tariff election reform court bank trade export import price "
    "season report committee mayor district port rail wheat cotton energy water city festival library "
    "teacher doctor hospital farmer border treaty summit agency survey record growth decline project"
).split()
SMALL = "the a of to in and on for with as at by from that this was were is are its their".split()


def sentence(rng, length=None):
    n = length or rng.randint(9, 26)
    words = [rng.choice(WORDS) if rng.random() < 0.45 else rng.choice(SMALL) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "?"])


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))


def title(rng):
    return " ".join(w.capitalize() for w in (rng.choice(WORDS) for _ in range(rng.randint(4, 9))))


def article(rng, serial):
    paras = [paragraph(rng) for _ in range(rng.randint(3, 8))]
    subheads = [(rng.randint(1, len(paras) - 1), title(rng)) for _ in range(rng.randint(0, 2))]
    if rng.random() < 0.4:
        subheads.append((len(paras) - 1, "Conclusion"))
    return {"title": f"{title(rng)} {serial}", "paras": paras, "subheads": subheads, "dated": rng.random() < 0.5}


def render(rng, site, day, articles, date):
    out = []
    ticker = [f"  \u2022 {c}/USD = {rng.uniform(0.0001, 2):.5f} {rng.uniform(-2, 2):.2f}%" for c in site["currencies"]]
    for _ in range(site["repeats"]):
        out.extend(ticker)
    out.append(date)
    out.append("")
    out.extend(f"  \u2022 {m}" for m in site["menu"])
    out.append("")
    for a in articles:
        out += [a["title"], ""]
        if a["dated"]:
            out += [a["date"], ""]
        for i, p in enumerate(a["paras"]):
            for at, head in a["subheads"]:
                if at == i:
                    out += [head, ""]
            out += [p, ""]
        out += ["\u00a0", ""]
    out.extend(f"  \u2022 {m}" for m in site["menu"])
    out.append(site["footer"])
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--sites", type=int, default=10)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--articles", type=int, default=5, help="articles per page")
    ap.add_argument("--mb", type=float, help="target size in MB (sets --days)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.mb:
        # One page is about 2.3 KB per article plus chrome.
        per_day = args.sites * (args.articles * 2300 + 2500)
        args.days = max(1, int(args.mb * 1e6 / per_day))
    rng = random.Random(args.seed)
    total = 0
    for s in range(args.sites):
        site = {
            "currencies": rng.sample(["KGS", "KZT", "TJS", "UZS", "TMT", "EUR", "GBP", "CNY"], 5),
            "repeats": rng.randint(4, 8),
            "menu": [title(rng) for _ in range(rng.randint(4, 8))],
            "footer": f"\u00a9 2025 Site {s}. All rights reserved.",
        }
        folder = os.path.join(args.out, f"site{s:02}")
        os.makedirs(folder, exist_ok=True)
        live = []
        serial = 0
        for day in range(args.days):
            date = f"{day % 28 + 1} {['January', 'February', 'March', 'April'][day // 28 % 4]} 2025"
            # Articles roll off after a few days; new ones appear.
            live = [a for a in live if a["until"] > day]
            while len(live) < args.articles:
                a = article(rng, serial)
                a.update(until=day + rng.randint(1, 6), date=date)
                live.append(a)
                serial += 1
            for a in live:
                if rng.random() < 0.05:
                    i = rng.randrange(len(a["paras"]))
                    a["paras"][i] = a["paras"][i].replace(" the ", " this ", 1)
            page = render(rng, site, day, live, date)
            path = os.path.join(folder, f"day{day:04}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(page)
            total += len(page.encode())
            if rng.random() < 0.03:
                extra = article(rng, 10_000 + serial)
                extra["date"] = date
                one = render(rng, site, day, [extra], date)
                with open(os.path.join(folder, f"oneoff{day:04}.txt"), "w", encoding="utf-8") as f:
                    f.write(one)
                total += len(one.encode())
    print(f"{args.out}: {args.sites} sites x {args.days} days, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
