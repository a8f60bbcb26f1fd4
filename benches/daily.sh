#!/usr/bin/env bash
# The daily-archive benchmark on real data: the shared daily-dev corpus (40 sites x 30 days of
# daily scrapes of real articles, with every article and every real edit in its gold file), run
# as a cron job would (one `vellum ingest --fetched-at DAY` per day), side by side in one
# invocation with `zstd -3 -T1` and git scraping (a commit per day, then `git gc`).
#   benches/daily.sh [RUNS]      (default 3; prints each run's figures, then the medians)
# Needs ../shared (not part of a fresh clone), zstd and git.
set -euo pipefail
RUNS=${1:-3}
cd "$(dirname "$0")/.."
shared=${VELLUM_SHARED:-$PWD/../shared}
if [ ! -d "$shared/corpus/daily-dev" ]; then
    echo "benches/daily.sh: no daily-dev corpus at $shared/corpus; nothing to run"
    exit 0
fi
cargo build --release --quiet --locked
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for r in $(seq "$RUNS"); do
    python3 "$shared/eval/daily_eval.py" --corpus "$shared/corpus/daily-dev" --vellum "$PWD/target/release/vellum" \
        --json > "$out/run$r.json"
done
python3 - "$out" "$RUNS" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
rows = [json.load(open(f"{out}/run{r}.json")) for r in range(1, runs + 1)]
keys = ["articles", "gold_articles", "extra_articles", "revisions", "gold_revisions", "spurious_revisions",
        "vellum_s", "git_s", "zstd_s", "git_over_vellum", "store_mb", "git_pack_mb", "store_over_git", "peak_rss_mb"]
print(f"{'figure':<22}" + "".join(f"{'run ' + str(i + 1):>10}" for i in range(runs)) + f"{'median':>10}")
for k in keys:
    values = [r.get(k) for r in rows]
    shown = "".join(f"{v:>10}" for v in values)
    numbers = [v for v in values if isinstance(v, (int, float))]
    median = statistics.median(numbers) if numbers else ""
    print(f"{k:<22}{shown}{median:>10}")
PY
