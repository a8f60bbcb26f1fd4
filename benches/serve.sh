#!/usr/bin/env bash
# `vellum serve` on a store: how long each page takes (first load, then again), and an ingest
# into the same store while it serves (how long the ingest took, and how long the snapshot taken
# afterwards held the store's lock).
#   benches/serve.sh STORE        (e.g. the 1 GB store benches/scale.sh builds in $VELLUM_BENCH_DIR)
# The store is written to (one small page is ingested). Requests go to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
V=$PWD/target/release/vellum
S=$1
W=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$W"' EXIT
start=$(date +%s.%N)
"$V" --store "$S" serve --port 0 --refresh 1 > "$W/out" 2> "$W/err" &
pid=$!
for _ in $(seq 300); do grep -q http "$W/out" 2> /dev/null && break; sleep 0.05; done
U=$(grep -o 'http://[^ ]*' "$W/out")
U=${U%/}
echo "serving after $(echo "$(date +%s.%N) - $start" | bc) s (the first snapshot)"
t() { curl -s -o /dev/null -w '%{http_code} %{time_total} s %{size_download} bytes' "$U$1"; }
page() { printf '%-58s first: %-34s again: %s\n' "$1" "$(t "$1")" "$(t "$1")"; }
page /
site=$(curl -s "$U/index.json" | python3 -c 'import json,sys; print(max(json.load(sys.stdin), key=lambda s: s["articles"])["site"])')
last=$(curl -s "$U/index.json" | python3 -c 'import json,sys; print(max(s["last_changed"] for s in json.load(sys.stdin))[:10])')
id=$(curl -s "$U/sites/$site.json?sort=revisions&order=desc" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
since=$(date -u -d "$last - 7 days" +%Y-%m-%d)
page "/sites/$site"
page "/sites/$site?sort=title&order=asc&q=the"
page "/sites/$site.json"
page "/articles/$id"
page "/articles/$id.json"
page "/articles/$id/revisions/1"
page "/articles/$id/diff?old=1&view=side"
page "/articles/$id/diff.json?old=1"
page "/changes?since=$since"
page "/changes.json?since=$last"
page "/changes.atom?since=$since"
# An ingest beside it, with the default lock timeout (2 s).
printf 'Bench Page\n\nA Page Ingested While Serving\n\n1 January 2030\n\nThis page was ingested while vellum serve was reading the store, to show that it never keeps a writer out.\n' > "$W/page.txt"
/usr/bin/time -f "%e" -o "$W/time" "$V" --store "$S" ingest --quiet --no-compact --site bench --fetched-at 2030-01-01 "$W/page.txt"
echo "ingest beside serve: $(cat "$W/time") s"
for _ in $(seq 200); do grep -q "new snapshot" "$W/err" && break; sleep 0.1; done
grep "new snapshot" "$W/err" || echo "no new snapshot seen"
page "/sites/bench"
