#!/usr/bin/env bash
# Fills fuzz/corpus/TARGET with starting inputs: the sample site's and the test fixtures'
# content files (whole, and their markdown bodies) and the survey CSVs in fuzz/seeds/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/content_file fuzz/corpus/markdown_body fuzz/corpus/survey_csv
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "fuzz/corpus/content_file/seed-$n.md"
  # The body: everything after the second front-matter delimiter line.
  awk 'seen >= 2 { print } /^(\+\+\+|---)[[:space:]]*$/ { seen++ }' "$f" > "fuzz/corpus/markdown_body/seed-$n.md"
done < <(find content tests/fixtures -name '*.md' -print0 | sort -z)
cp fuzz/seeds/survey_csv/* fuzz/corpus/survey_csv/
cp tests/fixtures/impact/*.csv fuzz/corpus/survey_csv/
echo "seeded $n content files"
