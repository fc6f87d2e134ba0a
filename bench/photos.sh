#!/usr/bin/env bash
# Photo benchmark: a site of 100 tips, each showing one 4000x3000 phone photo (3-5 MB JPEG).
# Reports the median wall time of a cold build (empty photo cache: every photo decoded, resized
# to 360/720/1080 px and encoded as WebP and JPEG), of a rebuild with the cache in place, and
# the cold build's peak memory (max RSS).
#
#   bench/photos.sh              # PHOTOS=100 RUNS=3 BENCH_DIR=/dev/shm/berdaya-photos
#
# Needs hyperfine (Debian: apt-get install hyperfine) and /usr/bin/time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
PHOTOS=${PHOTOS:-100}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-/dev/shm/berdaya-photos}
NOW=2026-03-01T09:00+08:00
PROFILE=${PROFILE:-release}
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install hyperfine time)" >&2; exit 2; }
done
cargo build --profile "$PROFILE" --quiet
# The photos take minutes to make: made once per size, kept in $DIR.
[ -f "$DIR/.made-$PHOTOS" ] || {
  cargo run --profile "$PROFILE" --quiet --example bench_photos -- "$DIR" "$PHOTOS"
  touch "$DIR/.made-$PHOTOS"
}
BIN=$PWD/target/$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")/berdaya
cmd="$BIN --root $DIR build --output $DIR/out --now $NOW"
du -sh "$DIR/content"
hyperfine --style basic --runs "$RUNS" --export-json "$DIR/cold.json" \
  --prepare "rm -rf $DIR/.berdaya-cache $DIR/out" -n "cold (no cache)" "$cmd"
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$DIR/warm.json" \
  -n "rebuild (cache)" "$cmd"
rm -rf "$DIR/.berdaya-cache" "$DIR/out"
/usr/bin/time -f "cold build: %e s wall, %M KB peak memory" $cmd >/dev/null
