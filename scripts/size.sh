#!/usr/bin/env bash
# Prints the release bundle's sizes, raw and gzipped, and fails when the compressed wasm, JS
# and CSS together exceed the 1 MB budget.
set -euo pipefail
cd "$(dirname "$0")/../dist"
BUDGET=$((1024 * 1024))
total=0
for file in *.wasm *.js *.css; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9c "$file" | wc -c)
  total=$((total + gz))
  printf '%-48s %9d bytes raw %9d bytes gzipped\n' "$file" "$raw" "$gz"
done
printf 'compressed total %d bytes (budget %d)\n' "$total" "$BUDGET"
[ "$total" -le "$BUDGET" ]
