#!/usr/bin/env bash
# The storage benchmark suite: side by side in one run, as ratios.
#   benches/suite.sh [MB] [RUNS]      (default 10 MB, 3 runs; medians)
# First the daily workload, when the shared daily-dev corpus is there (../shared, not part of a
# fresh clone): a cron job's 30 daily ingests against git scraping and zstd, with the gold's
# article and revision counts (benches/daily.sh RUNS), and one daily run's CPU against `vellum
# clean` over the same pages, stage by stage (benches/daily-cost.sh RUNS). Then a generated
# corpus of MB (benches/corpus.py), ingested in one run:
# Prints vellum ingest time and throughput against `zstd -3 -T1` over the same bytes and git
# add+commit per day then gc; sizes against git's pack and `tar | zstd -19 --long`; peak RSS;
# export and verify throughput (medians of RUNS runs too). Needs zstd, git and GNU time.
set -euo pipefail
MB=${1:-10}
RUNS=${2:-3}
cd "$(dirname "$0")/.."
cargo build --release --quiet
V=$PWD/target/release/vellum
if [ -d "${VELLUM_SHARED:-$PWD/../shared}/corpus/daily-dev" ]; then
  echo "== the daily archive (daily-dev, 30 daily ingests), medians of $RUNS runs"
  benches/daily.sh "$RUNS"
  benches/daily-cost.sh "$RUNS" "$V"
  echo "== one ingest of a generated corpus"
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
python3 benches/corpus.py "$W/corpus" --mb "$MB" > "$W/corpus.txt"
BYTES=$(du -sb "$W/corpus" | cut -f1)
. benches/common.sh
ingest=() zst=() gitt=() rss=() stores=() compacts=() compacted=()
for r in $(seq "$RUNS"); do
  rm -rf "$W/store"
  /usr/bin/time -f "%e %M" -o "$W/time" "$V" --store "$W/store" ingest --quiet --timings "$W/corpus" > /dev/null 2> "$W/stages.$r"
  read -r t m < "$W/time"; ingest+=("$t"); rss+=("$m")
  # `vellum compact` is to the store what `gc` is to git's repository. sled's layout varies from
  # run to run (its writes are made by background threads), so sizes are medians too.
  stores+=("$(du -sb "$W/store" | cut -f1)")
  compacts+=("$(secs "$V" --store "$W/store" compact)")
  compacted+=("$(du -sb "$W/store" | cut -f1)")
  zst+=("$(secs sh -c "find '$W/corpus' -type f | sort | xargs cat | zstd -3 -T1 -c > /dev/null")")
  git_init "$W/git"
  start=$(date +%s.%N)
  git_scrape "$W/corpus" "$W/git"
  gitt+=("$(echo "$(date +%s.%N) - $start" | bc)")
done
I=$(printf '%s\n' "${ingest[@]}" | median); Z=$(printf '%s\n' "${zst[@]}" | median); G=$(printf '%s\n' "${gitt[@]}" | median)
R=$(printf '%s\n' "${rss[@]}" | median)
STORE=$(printf '%s\n' "${stores[@]}" | median); PACK=$(du -sb "$W/git/.git/objects" | cut -f1)
C=$(printf '%s\n' "${compacts[@]}" | median); COMPACTED=$(printf '%s\n' "${compacted[@]}" | median)
TARZ=$(tar -C "$W" -cf - corpus | zstd -19 --long -T1 -c | wc -c)
# Export and verify: medians of RUNS runs each (one run is at the mercy of a busy machine), and
# the export's CPU seconds (user + system, all threads), which a busy machine inflates less.
exp=() expcpu=() ver=()
for r in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %U %S" -o "$W/time" "$V" --store "$W/store" export > /dev/null
  read -r t u s < "$W/time"; exp+=("$t"); expcpu+=("$(echo "$u + $s" | bc)")
  ver+=("$(secs "$V" --store "$W/store" verify)")
done
EXP=$(printf '%s\n' "${exp[@]}" | median); EXPC=$(printf '%s\n' "${expcpu[@]}" | median)
VER=$(printf '%s\n' "${ver[@]}" | median)
EXPB=$("$V" --store "$W/store" export --format text | wc -c)
echo "corpus: $(cat "$W/corpus.txt") ($BYTES bytes), medians of $RUNS runs"
printf '%-34s %10s %s\n' "vellum ingest" "${I}s" "$(echo "scale=1; $BYTES / $I / 1000000" | bc) MB/s"
printf '%-34s %10s %s\n' "zstd -3 -T1 (same bytes)" "${Z}s" "ingest / zstd = $(echo "scale=1; $I / $Z" | bc)x (target <= 2x)"
printf '%-34s %10s %s\n' "git add+commit per day, gc" "${G}s" "git / ingest = $(echo "scale=1; $G / $I" | bc)x (target >= 5x)"
printf '%-34s %10s %s\n' "vellum store on disk" "$(mb "$STORE") MB" "git pack $(mb "$PACK") MB, tar|zstd -19 --long $(mb "$TARZ") MB"
printf '%-34s %10s %s\n' "vellum compact" "${C}s" "store $(mb "$COMPACTED") MB (target <= git pack; runs: $(for b in "${compacted[@]}"; do printf '%s ' "$(mb "$b")"; done)MB); git / (ingest + compact) = $(echo "scale=1; $G / ($I + $C)" | bc)x"
printf '%-34s %10s\n' "peak RSS of ingest" "$((R / 1024)) MB"
printf '%-34s %10s %s\n' "export" "${EXP}s" "$(echo "scale=1; $EXPB / $EXP / 1000000" | bc) MB/s of clean text ($EXPB bytes; CPU ${EXPC}s: $(echo "scale=1; $EXPB / $EXPC / 1000000" | bc) MB per CPU second)"
printf '%-34s %10s %s\n' "verify" "${VER}s" "$(echo "scale=1; $BYTES / $VER / 1000000" | bc) MB/s of raw input"
echo "ingest stages (CPU seconds summed over threads, run 1; store includes hash, compress, train):"
sed 's/^/  /' "$W/stages.1"
