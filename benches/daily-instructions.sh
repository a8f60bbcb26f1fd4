#!/usr/bin/env bash
# What one daily run costs, in instructions (valgrind's callgrind counts them exactly, so the
# figure does not move with the machine's load): the shared daily-dev corpus's first 29 days
# ingested a day at a time, then the last day's 40 pages ingested into a copy of that store
# (one thread, no compaction) and `vellum clean` of the same pages, for each build given.
#   benches/daily-instructions.sh [VELLUM ...]      (default: this tree's release build)
# Prints each build's instructions for the ingest and the clean, and their ratio. Needs
# ../shared (not part of a fresh clone) and valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${VELLUM_SHARED:-$PWD/../shared}
corpus=$shared/corpus/daily-dev
if [ ! -d "$corpus" ] || ! command -v valgrind > /dev/null; then
    echo "benches/daily-instructions.sh: needs the daily-dev corpus at $shared/corpus and valgrind; nothing to run"
    exit 0
fi
BINS=("$@")
if [ ${#BINS[@]} -eq 0 ]; then cargo build --release --quiet --locked; BINS=("$PWD/target/release/vellum"); fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
days=$(cd "$corpus/$(ls "$corpus" | head -1)" && ls | sed 's/\.txt$//')
last=$(echo "$days" | tail -1)
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 > /dev/null | awk '/Collected/ {print $4}'; }
printf '%-40s %16s %16s %8s\n' build "ingest instr" "clean instr" ratio
for V in "${BINS[@]}"; do
    rm -rf "$W/base"
    for day in $(echo "$days" | head -n -1); do
        "$V" --store "$W/base" ingest --quiet --fetched-at "${day}T06:00:00Z" "$corpus"/*/"$day.txt" > /dev/null
    done
    rm -rf "$W/store" && cp -r "$W/base" "$W/store"
    i=$(count "$V" --store "$W/store" ingest --jobs 1 --no-compact --quiet --fetched-at "${last}T06:00:00Z" "$corpus"/*/"$last.txt")
    c=$(count "$V" clean --format jsonl "$corpus"/*/"$last.txt")
    printf '%-40s %16s %16s %8s\n' "$V" "$i" "$c" "$(awk -v i="$i" -v c="$c" 'BEGIN {printf "%.2f", i / c}')"
done
