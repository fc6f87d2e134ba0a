#!/usr/bin/env bash
# Serve benchmark: time from saving a file to the reload message on a generated site of
# PAGES pages (default 10,000), release build, files on tmpfs. Prints medians per kind of edit.
#
#   bench/serve.sh                 # PAGES=10000 RUNS=21 BENCH_DIR=/dev/shm/berdaya-serve
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${PAGES:-10000}
RUNS=${RUNS:-21}
DIR=${BENCH_DIR:-/dev/shm/berdaya-serve}
cargo run --release --quiet --example bench_corpus -- "$DIR" "$PAGES"
cargo run --release --quiet --example bench_serve -- "$DIR/berdaya" "$RUNS"
