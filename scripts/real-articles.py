#!/usr/bin/env python3
"""Writes the scrapinghub corpus's real article bodies as split_eval fixture articles.

    scripts/real-articles.py [CORPUS] OUT

CORPUS defaults to ../shared/corpus/scrapinghub (ground-truth.json and html/<id>.html.gz).
Each article's title is its page's first <h1> (pages without one are skipped); no date.
Articles go to OUT/dev or OUT/held-out by the first hex digit of their id (even: dev), so that
splitter changes can be judged on articles never looked at while making them.
"""
import gzip, html, json, os, re, sys

args = sys.argv[1:]
if len(args) == 1:
    corpus, out = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "scrapinghub"), args[0]
elif len(args) == 2:
    corpus, out = args
else:
    sys.exit(__doc__)
truth = json.load(open(os.path.join(corpus, "ground-truth.json")))
counts = {"dev": 0, "held-out": 0}
for key in sorted(truth):
    body = (truth[key].get("articleBody") or "").strip()
    path = os.path.join(corpus, "html", key + ".html.gz")
    if not body or not os.path.exists(path):
        continue
    page = gzip.open(path).read().decode("utf-8", "replace")
    m = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S | re.I)
    if not m:
        continue
    title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())
    if not title or len(title) > 200:
        continue
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", body)]
    paras = [p for p in paras if p]
    if len(paras) < 2:
        continue
    part = "dev" if int(key[0], 16) % 2 == 0 else "held-out"
    os.makedirs(os.path.join(out, part), exist_ok=True)
    with open(os.path.join(out, part, key[:16] + ".txt"), "w") as f:
        f.write(f"title: {title}\n---\n" + "\n\n".join(paras) + "\n")
    counts[part] += 1
print(f"{counts['dev']} dev, {counts['held-out']} held-out articles in {out}")
