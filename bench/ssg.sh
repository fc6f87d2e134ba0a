#!/usr/bin/env bash
# Build-speed benchmark: berdaya against Hugo on the same generated corpus, output on tmpfs.
# Reports hyperfine medians and peak memory (max RSS) side by side from one run. Two corpus
# shapes (see examples/bench_corpus.rs): `blog` (10,000 pages of about 500 words, 50 tags,
# listings paginated by 20) and `docs` (pages of 200-2,000 words and a few of 25,000 in three
# levels of sections, YAML front matter, tables and code, 200 tags and 6 many-page categories).
#
#   bench/ssg.sh                 # SHAPE=blog PAGES=10000 RUNS=5 BENCH_DIR=/dev/shm/berdaya-bench-$SHAPE
#   SHAPE=docs bench/ssg.sh
#
# Needs hugo and hyperfine (Debian: apt-get install hugo hyperfine) and python3 for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
SHAPE=${SHAPE:-blog}
PAGES=${PAGES:-10000}
RUNS=${RUNS:-5}
DIR=${BENCH_DIR:-/dev/shm/berdaya-bench-$SHAPE}
NOW=2026-03-01T09:00+08:00
for tool in hugo hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install hugo hyperfine)" >&2; exit 2; }
done

cargo build --release --quiet --bin berdaya
cargo run --quiet --example bench_corpus -- "$DIR" "$PAGES" "$SHAPE"
BIN=$PWD/target/release/berdaya

# The same site without precompression: a second root that shares content and theme.
mkdir -p "$DIR/berdaya-plain"
ln -sfn "$DIR/berdaya/content" "$DIR/berdaya-plain/content"
ln -sfn "$DIR/berdaya/themes" "$DIR/berdaya-plain/themes"
if grep -q '^\[build\]' "$DIR/berdaya/berdaya.toml"; then
  sed 's/^\[build\]$/[build]\nprecompress = false/' "$DIR/berdaya/berdaya.toml" > "$DIR/berdaya-plain/berdaya.toml"
else
  printf '%s\n\n[build]\nprecompress = false\n' "$(cat "$DIR/berdaya/berdaya.toml")" > "$DIR/berdaya-plain/berdaya.toml"
fi

hugo_cmd="hugo --quiet --minify -s $DIR/hugo -d $DIR/out-hugo"
plain_cmd="$BIN --root $DIR/berdaya-plain build --output $DIR/out-plain --now $NOW"
full_cmd="$BIN --root $DIR/berdaya build --output $DIR/out-full --now $NOW"

hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$DIR/cold.json" \
  --prepare "rm -rf $DIR/out-hugo $DIR/out-plain $DIR/out-full" \
  -n hugo "$hugo_cmd" -n "berdaya" "$plain_cmd" -n "berdaya+precompress (cold)" "$full_cmd"
# A rebuild with output/ in place reuses the compressed files of unchanged pages.
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$DIR/warm.json" \
  -n "berdaya+precompress (rebuild)" "$full_cmd"

peak() { python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"; }
rm -rf "$DIR"/out-*
hugo_mb=$(peak $hugo_cmd)
plain_mb=$(peak $plain_cmd)
rm -rf "$DIR/out-full"
full_mb=$(peak $full_cmd)

python3 - "$DIR" "$SHAPE" "$hugo_mb" "$plain_mb" "$full_mb" "$PAGES" <<'PY'
import json, sys
d, shape, hugo_mb, plain_mb, full_mb, pages = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
rows = json.load(open(f"{d}/cold.json"))["results"] + json.load(open(f"{d}/warm.json"))["results"]
mem = {"hugo": hugo_mb, "berdaya": plain_mb, "berdaya+precompress (cold)": full_mb, "berdaya+precompress (rebuild)": full_mb}
hugo = rows[0]["median"]
print(f"\n{shape} corpus, {pages} pages, output on tmpfs; medians of {len(rows[0]['times'])} runs")
print(f"{'tool':32} {'median s':>9} {'vs hugo':>8} {'peak MB':>8} {'vs hugo':>8}")
for r in rows:
    m = mem[r["command"]]
    print(f"{r['command']:32} {r['median']:9.3f} {r['median']/hugo:8.2f} {m:8d} {m/hugo_mb:8.2f}")
PY
