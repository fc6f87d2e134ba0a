#!/usr/bin/env bash
# Impact-report benchmark: `berdaya build` of a site whose only pages are the impact report, on
# a generated survey (3 waves, 5 outcomes, 4 breakdowns, errors clustered by kelurahan), against
# the same pipeline in pandas + statsmodels (scripts/impact_pandas.py), from CSV to the written
# report. Reports hyperfine medians and peak memory (max RSS) side by side from one run.
#
#   bench/impact.sh                      # ROWS=1000000 RUNS=3 BENCH_DIR=/dev/shm/berdaya-bench-impact
#   ROWS=10000000 PANDAS=none bench/impact.sh   # berdaya alone (peak memory of 10 million rows)
#
# PANDAS is the Python with pandas, statsmodels, wildboottest and matplotlib (default
# /tmp/sm/bin/python; make it with: python3 -m venv /tmp/sm && /tmp/sm/bin/pip install pandas
# statsmodels numpy scipy wildboottest matplotlib), or `none`. Needs hyperfine and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-/dev/shm/berdaya-bench-impact}
PANDAS=${PANDAS:-/tmp/sm/bin/python}
NOW=2026-03-01T09:00+08:00
for tool in hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install hyperfine)" >&2; exit 2; }
done
if [ "$PANDAS" != none ] && ! "$PANDAS" -c 'import pandas, statsmodels, wildboottest, matplotlib' 2>/dev/null; then
  echo "bench: $PANDAS lacks pandas/statsmodels/wildboottest/matplotlib (see the top of this script), or set PANDAS=none" >&2
  exit 2
fi

# The binary alone (building it with an example would unify dev-dependencies' features into a
# second build of it).
cargo build --release --quiet --bin berdaya
BIN=$PWD/target/release/berdaya
SITE=$DIR/site-$ROWS
mkdir -p "$SITE/content" "$SITE/data"
cp berdaya.toml "$SITE/"
rm -rf "$SITE/themes" && cp -r themes "$SITE/"
cp data/impact.toml "$SITE/data/"
[ -s "$SITE/data/survei.csv" ] || cargo run --quiet --example sample_survey -- "$SITE/data/survei.csv" "$ROWS"

berdaya_cmd="$BIN --root $SITE build --output $DIR/out-berdaya --now $NOW"
pandas_cmd="$PANDAS scripts/impact_pandas.py $SITE $DIR/out-pandas"
commands=(-n berdaya "$berdaya_cmd")
[ "$PANDAS" != none ] && commands+=(-n "pandas+statsmodels" "$pandas_cmd")
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$DIR/impact.json" \
  --prepare "rm -rf $DIR/out-berdaya $DIR/out-pandas" "${commands[@]}"

peak() { python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"; }
rm -rf "$DIR"/out-*
berdaya_mb=$(peak $berdaya_cmd)
pandas_mb=0
[ "$PANDAS" != none ] && pandas_mb=$(peak $pandas_cmd)

python3 - "$DIR" "$ROWS" "$berdaya_mb" "$pandas_mb" <<'PY'
import json, sys
d, rows, berdaya_mb, pandas_mb = sys.argv[1], *map(int, sys.argv[2:])
results = json.load(open(f"{d}/impact.json"))["results"]
mem = {"berdaya": berdaya_mb, "pandas+statsmodels": pandas_mb}
peer = results[-1]["median"] if len(results) > 1 else None
print(f"\nimpact report, {rows} survey rows, CSV to written report; medians of {len(results[0]['times'])} runs")
print(f"{'tool':20} {'median s':>9} {'vs pandas':>10} {'peak MB':>8} {'vs pandas':>10}")
for r in results:
    m = mem[r["command"]]
    ratio = f"{r['median'] / peer:10.3f}" if peer else f"{'':10}"
    mratio = f"{m / pandas_mb:10.3f}" if pandas_mb else f"{'':10}"
    print(f"{r['command']:20} {r['median']:9.3f} {ratio} {m:8d} {mratio}")
PY
