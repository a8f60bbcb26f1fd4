#!/usr/bin/env bash
# The README's cluster snippets under a real engine: PySpark in local mode runs them over the
# fixture page records, and each result is checked against vellum run directly
# (scripts/spark-check.py says what is checked). pyspark is installed once into a virtual
# environment under ~/.cache/vellum (or $VELLUM_SPARK_VENV); where it cannot be installed (no
# network, no venv module) or there is no Java, the check says so and passes.
#
#   scripts/spark-check.sh                  # the check (.ci/run runs it)
#   scripts/spark-check.sh --bench DIR      # articles/s of the Spark mapper against a direct run
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=4.3.0
venv=${VELLUM_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/vellum/pyspark-$version}
skip() {
    echo "spark check: $1; skipped"
    exit 0
}
java -version >/dev/null 2>&1 || skip "no Java (PySpark $version needs Java 17 or newer)"
if ! "$venv/bin/python" -c "import pyspark" >/dev/null 2>&1; then
    echo "spark check: installing pyspark $version into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" || skip "python3 -m venv failed"
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$version"; then
        rm -rf "$venv"
        skip "pip could not install pyspark $version"
    fi
fi
target=${CARGO_TARGET_DIR:-$root/target}
cargo build --release --quiet --locked --manifest-path "$root/Cargo.toml"
exec "$venv/bin/python" "$root/scripts/spark-check.py" --bin "$target/release/vellum" --root "$root" "$@"
