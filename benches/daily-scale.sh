#!/usr/bin/env bash
# The daily archive at several sizes: the shared daily-dev corpus scaled by
# benches/daily_corpus.py to more sites and more days, each size run as a cron job would run it
# (one `vellum ingest --fetched-at DAY` per day) beside `zstd -3 -T1` and git scraping, in one
# invocation of ../shared/eval/daily_eval.py per size.
#   benches/daily-scale.sh [SITESxDAYS ...]      (default: 1x1 5x2; 1x1 is daily-dev itself)
# Prints a row per size: raw MB, sites, days, vellum's seconds for all the daily runs and its
# MB/s, git's seconds and git / vellum, the store and git's repository on disk and their ratio,
# peak RSS, and articles and spurious revisions against the scaled gold. Scaled corpora are
# kept in $VELLUM_BENCH_DIR when set (a temporary folder otherwise, removed afterwards).
# Needs ../shared (not part of a fresh clone), zstd and git.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${VELLUM_SHARED:-$PWD/../shared}
if [ ! -d "$shared/corpus/daily-dev" ]; then
    echo "benches/daily-scale.sh: no daily-dev corpus at $shared/corpus; nothing to run"
    exit 0
fi
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1x1 5x2)
cargo build --release --quiet --locked
# git's automatic gc runs in the foreground (counted in git's time, as a cron job would wait for
# it): detached, it holds gc's lock when the scorer's own `git gc` runs at the end, which fails.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.autoDetach GIT_CONFIG_VALUE_0=false
if [ -n "${VELLUM_BENCH_DIR:-}" ]; then W=$VELLUM_BENCH_DIR; mkdir -p "$W"; else W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; fi
printf '%-6s %8s %6s %5s %9s %7s %7s %8s %9s %8s %9s %7s %9s %9s\n' size "raw MB" sites days "vellum s" "MB/s" "git s" "git/v" "store MB" "git MB" "store/git" "RSS MB" articles spurious
for size in "${SIZES[@]}"; do
    k=${size%x*} m=${size#*x}
    corpus=$shared/corpus/daily-dev
    if [ "$size" != 1x1 ]; then
        corpus=$W/daily-$size
        [ -d "$corpus" ] || python3 benches/daily_corpus.py "$shared/corpus/daily-dev" "$corpus" --sites "$k" --days "$m" > /dev/null
    fi
    python3 "$shared/eval/daily_eval.py" --corpus "$corpus" --vellum "$PWD/target/release/vellum" --json > "$W/run.json"
    python3 - "$W/run.json" "$size" <<'PY'
import json, sys
r, size = json.load(open(sys.argv[1])), sys.argv[2]
print(f"{size:<6} {r['raw_mb']:>8} {r['sites']:>6} {r['days']:>5} {r['vellum_s']:>9} {r['raw_mb'] / r['vellum_s']:>7.1f}"
      f" {r['git_s']:>7} {r['git_over_vellum']:>8} {r['store_mb']:>9} {r['git_pack_mb']:>8} {r['store_over_git']:>9}"
      f" {r['peak_rss_mb']:>7} {str(r['articles']) + '/' + str(r['gold_articles']):>9} {r['spurious_revisions']:>9}")
PY
done
