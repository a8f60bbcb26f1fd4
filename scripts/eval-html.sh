#!/bin/sh
# Scores vellum's HTML extraction on the scrapinghub article-extraction benchmark (181 pages):
# 4-shingle precision, recall and F1 of the joined article texts against the gold bodies.
# Needs ../shared (not part of a fresh clone). Extra arguments go to extract_eval.py,
# e.g. `scripts/eval-html.sh --worst 15` or `--metric word`.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${VELLUM_SHARED:-$root/../shared}
target=${CARGO_TARGET_DIR:-$root/target}
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
exec python3 "$shared/eval/extract_eval.py" \
    --pages "$shared/corpus/scrapinghub/html" --ext .html.gz \
    --gold "$shared/corpus/scrapinghub/ground-truth.json" \
    --cmd "$target/release/vellum clean --format jsonl {file}" "$@"
