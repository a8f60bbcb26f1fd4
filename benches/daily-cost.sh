#!/usr/bin/env bash
# What one daily run costs: the shared daily-dev corpus's first 29 days ingested as a cron job
# would (one `vellum ingest --fetched-at DAY` per day), then, RUNS times each, on a copy of that
# store: the last day's ingest with --timings, `vellum clean` over the same pages, and the same
# ingest again (every page a page read again: nothing cleaned or written, the run's fixed cost).
#   benches/daily-cost.sh [RUNS] [VELLUM]      (default 5 runs, this tree's release build)
# Prints the medians of CPU seconds (user + system, GNU time) of each, the ingest / clean ratio,
# and the median of each --timings stage. Needs ../shared (not part of a fresh clone).
set -euo pipefail
RUNS=${1:-5}
cd "$(dirname "$0")/.."
shared=${VELLUM_SHARED:-$PWD/../shared}
corpus=$shared/corpus/daily-dev
if [ ! -d "$corpus" ]; then
    echo "benches/daily-cost.sh: no daily-dev corpus at $shared/corpus; nothing to run"
    exit 0
fi
if [ -n "${2:-}" ]; then V=$2; else cargo build --release --quiet --locked; V=$PWD/target/release/vellum; fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
. benches/common.sh
days=$(cd "$corpus/$(ls "$corpus" | head -1)" && ls | sed 's/\.txt$//')
last=$(echo "$days" | tail -1)
for day in $(echo "$days" | head -n -1); do
    "$V" --store "$W/base" ingest --quiet --fetched-at "${day}T06:00:00Z" "$corpus"/*/"$day.txt" > /dev/null
done
cpu() { /usr/bin/time -f "%U %S" -o "$W/time" "$@" > /dev/null 2> "$W/err"; awk '{print $1 + $2}' "$W/time"; }
ingest=() clean=() again=()
for r in $(seq "$RUNS"); do
    rm -rf "$W/store" && cp -r "$W/base" "$W/store"
    ingest+=("$(cpu "$V" --store "$W/store" ingest --quiet --timings --fetched-at "${last}T06:00:00Z" "$corpus"/*/"$last.txt")")
    grep -E '^ *[a-z]+ +[0-9.]+$' "$W/err" > "$W/stages.$r" || true
    clean+=("$(cpu "$V" clean --format jsonl "$corpus"/*/"$last.txt")")
    again+=("$(cpu "$V" --store "$W/store" ingest --quiet --fetched-at "${last}T06:00:00Z" "$corpus"/*/"$last.txt")")
done
I=$(printf '%s\n' "${ingest[@]}" | median); C=$(printf '%s\n' "${clean[@]}" | median); A=$(printf '%s\n' "${again[@]}" | median)
pages=$(ls "$corpus"/*/"$last.txt" | wc -l); bytes=$(cat "$corpus"/*/"$last.txt" | wc -c)
echo "day $last: $pages pages, $(mb "$bytes") MB, medians of $RUNS runs (CPU seconds, user + system)"
printf '%-40s %8s\n' "vellum ingest (into 29 days' store)" "$I"
printf '%-40s %8s\n' "vellum clean (same pages)" "$C"
printf '%-40s %8s\n' "ingest / clean" "$(echo "scale=2; $I / $C" | bc) (target <= 1.5)"
printf '%-40s %8s\n' "the same ingest again (pages read again)" "$A"
echo "ingest --timings, CPU seconds per stage (medians):"
cat "$W"/stages.* | awk '{n[$1]++; v[$1, n[$1]] = $2; if (!($1 in o)) { o[$1] = ++k; name[k] = $1 } }
    END { for (i = 1; i <= k; i++) { s = name[i]; m = n[s]; for (a = 1; a <= m; a++) x[a] = v[s, a];
          for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (x[b] < x[a]) { t = x[a]; x[a] = x[b]; x[b] = t }
          printf "  %-10s %8.3f\n", s, x[int((m + 1) / 2)] } }'
