#!/usr/bin/env bash
# Prints the release bundle's sizes, raw and gzipped, and fails when the compressed wasm, JS
# and CSS together exceed the budget. The budget was 1 MB until the library page, review mode,
# the SOC 2 profile, the xls/ods writer and embedding landed (about 1.13 MB); the next step
# back under 1 MB is to load the built-in sample library (110 KB compressed) as a data file
# instead of compiling it into the wasm. See ARCHITECTURE.md, "Size".
set -euo pipefail
cd "$(dirname "$0")/../dist"
BUDGET=$((1200 * 1024))
total=0
for file in *.wasm *.js *.css; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9c "$file" | wc -c)
  total=$((total + gz))
  printf '%-48s %9d bytes raw %9d bytes gzipped\n' "$file" "$raw" "$gz"
done
printf 'compressed total %d bytes (budget %d)\n' "$total" "$BUDGET"
# The meaning model is a separate download, after the first render, and outside the budget:
# its sizes are reported, not limited.
if [ -d model ]; then
  for file in model/*.wasm model/*.tfm model/*.bin; do
    printf '%-48s %9d bytes raw %9d bytes gzipped (not in the budget)\n' "$file" "$(stat -c %s "$file")" "$(gzip -1c "$file" | wc -c)"
  done
fi
[ "$total" -le "$BUDGET" ]
