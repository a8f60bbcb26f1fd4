#!/bin/sh
# Scores the cleaner on a folder of plain-text pages with gold article bodies, and times it.
#
#   scripts/eval-clean.sh [CORPUS] [extra extract_eval.py flags, e.g. --worst 15]
#
# CORPUS defaults to ../shared/corpus/scrapinghub (text/<id>.txt and ground-truth.json);
# the scorer is ../shared/eval/extract_eval.py beside it. Prints the 4-shingle P/R/F1, the
# bag-of-words P/R/F1, and the median clean+segment time per page.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$root/../shared/corpus/scrapinghub}
[ $# -gt 0 ] && shift
eval_py=${EVAL_PY:-$(dirname "$corpus")/../eval/extract_eval.py}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cd "$root"
cargo build --release --quiet
bin=$CARGO_TARGET_DIR/release/vellum
for metric in shingle word; do
    python3 "$eval_py" --pages "$corpus/text" --ext .txt --gold "$corpus/ground-truth.json" \
        --cmd "$bin clean --format jsonl {file}" --metric "$metric" "$@"
done
cargo bench --quiet --bench clean -- "$corpus/text"
