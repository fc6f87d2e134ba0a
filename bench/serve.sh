#!/usr/bin/env bash
# Serve benchmark: time from saving a file to the reload message on a generated site of
# PAGES pages (default 10,000), against the release binary's `berdaya serve`, files on tmpfs.
# Prints medians per kind of edit (bench/serve.py).
#
#   bench/serve.sh                 # PAGES=10000 RUNS=21 BENCH_DIR=/dev/shm/berdaya-serve
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${PAGES:-10000}
RUNS=${RUNS:-21}
DIR=${BENCH_DIR:-/dev/shm/berdaya-serve}
# The binary alone (building it with an example would unify dev-dependencies' features into a
# second release build of the library); the corpus generator runs as a debug example.
cargo build --release --quiet --bin berdaya
cargo run --quiet --example bench_corpus -- "$DIR" "$PAGES"
python3 bench/serve.py "$PWD/target/release/berdaya" "$DIR/berdaya" "$RUNS"
