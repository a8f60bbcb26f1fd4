#!/usr/bin/env bash
# How ingest, export and verify scale with the input: one run each at several corpus sizes, with
# `zstd -3 -T1` over the same bytes in the same invocation as the yardstick.
#   benches/scale.sh [MB ...]          (default: 10 100 1000; the 1 GB run takes several minutes)
# Corpora come from benches/corpus.py (10 sites for 10 MB, 20 for 100 MB, 40 beyond), cached in
# $VELLUM_BENCH_DIR (default: a temporary folder, removed afterwards). Prints, per size: raw MB,
# pages, ingest seconds and MB/s, ingest / zstd, peak RSS, the store's folder (sled's database
# and the value file), `vellum compact`'s seconds and the folder after it, export MB/s of clean
# text and verify MB/s of raw input. With VELLUM_BENCH_GIT=1, also git's pack of the same scrapes
# (`git add -A` and a commit per day, then `gc`, as benches/suite.sh does; 18 minutes at 1 GB).
# Needs zstd and GNU time (and git).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
V=$PWD/target/release/vellum
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10 100 1000)
if [ -n "${VELLUM_BENCH_DIR:-}" ]; then W=$VELLUM_BENCH_DIR; mkdir -p "$W"; else W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; fi
. benches/common.sh
printf '%-8s %7s %9s %8s %10s %8s %12s %10s %10s %10s %13s %12s %11s %8s\n' size pages "ingest s" "MB/s" "x zstd" "RSS MB" "store MB" "sled MB" "values MB" "compact s" "compacted MB" "export MB/s" "verify MB/s" "git MB"
for size in "${SIZES[@]}"; do
  sites=10; [ "$size" -ge 50 ] && sites=20; [ "$size" -ge 500 ] && sites=40
  corpus=$W/corpus-$size
  [ -d "$corpus" ] || python3 benches/corpus.py "$corpus" --sites "$sites" --mb "$size" > /dev/null
  bytes=$(du -sb "$corpus" | cut -f1)
  pages=$(find "$corpus" -type f | wc -l)
  rm -rf "$W/store"
  /usr/bin/time -f "%e %M" -o "$W/time" "$V" --store "$W/store" ingest --quiet "$corpus" > /dev/null
  read -r t m < "$W/time"
  z=$(secs sh -c "find '$corpus' -type f | sort | xargs cat | zstd -3 -T1 -c > /dev/null")
  store=$(du -sb "$W/store" | cut -f1); sled=$(du -sb "$W/store/db" | cut -f1); values=$(du -sb "$W/store/values" | cut -f1)
  c=$(secs "$V" --store "$W/store" compact)
  compacted=$(du -sb "$W/store" | cut -f1)
  e=$(secs "$V" --store "$W/store" export)
  text=$("$V" --store "$W/store" export --format text | wc -c)
  v=$(secs "$V" --store "$W/store" verify)
  pack=-
  if [ -n "${VELLUM_BENCH_GIT:-}" ]; then
    git_init "$W/git"
    git_scrape "$corpus" "$W/git" -c gc.auto=0
    pack=$(mb "$(du -sb "$W/git/.git/objects" | cut -f1)")
  fi
  printf '%-8s %7s %9s %8s %10s %8s %12s %10s %10s %10s %13s %12s %11s %8s\n' "$(mb "$bytes")" "$pages" "$t" \
    "$(echo "scale=1; $bytes / $t / 1000000" | bc)" "$(echo "scale=1; $t / $z" | bc)" "$((m / 1024))" \
    "$(mb "$store")" "$(mb "$sled")" "$(mb "$values")" "$c" "$(mb "$compacted")" \
    "$(echo "scale=1; $text / $e / 1000000" | bc)" "$(echo "scale=1; $bytes / $v / 1000000" | bc)" "$pack"
done
