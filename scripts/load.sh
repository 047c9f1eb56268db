#!/usr/bin/env bash
# The CLI load check: 10,000 questions matched against a 10,000-entry library, in the release
# build, with its wall time and peak memory from /usr/bin/time -v. It runs three times and
# keeps the fastest wall time (other work on the machine only ever slows a run down) and the
# largest peak memory. Fails when that time or memory is over its budget.
#   scripts/load.sh                                  10,000 by 10,000, budgets 2 s and 128 MB
#   LOAD_QUESTIONS=20000 LOAD_ENTRIES=50000 LOAD_RUNS=5 scripts/load.sh
# The inputs are written by crates/core/examples/gen_load.rs (synthetic security sentences,
# the same bytes every run) into target/load/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

QUESTIONS=${LOAD_QUESTIONS:-10000}
ENTRIES=${LOAD_ENTRIES:-10000}
BUDGET_SECONDS=${LOAD_BUDGET_SECONDS:-2}
BUDGET_MB=${LOAD_BUDGET_MB:-128}
RUNS=${LOAD_RUNS:-3}
DIR=target/load

say() { printf '[load] %s\n' "$*"; }

if [ ! -x /usr/bin/time ]; then
  say "/usr/bin/time is missing (Debian package: time)"
  exit 1
fi

say "building the CLI and the generator (release)"
cargo build --quiet --release -p trustfill-cli
cargo build --quiet --release -p trustfill-core --example gen_load
target/release/examples/gen_load "$DIR" "$QUESTIONS" "$ENTRIES" >/dev/null
say "$(wc -c <"$DIR/questions.csv") bytes of questions, $(wc -c <"$DIR/library.json") bytes of library"

say "trustfill match: $QUESTIONS questions against $ENTRIES entries, $RUNS runs"
seconds=""
rss_kb=0
for run in $(seq "$RUNS"); do
  /usr/bin/time -v target/release/trustfill match "$DIR/questions.csv" --library "$DIR/library.json" --format json \
    >"$DIR/matches.json" 2>"$DIR/time.txt"
  wall=$(sed -nE 's/.*Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/\1/p' "$DIR/time.txt")
  # m:ss.cc or h:mm:ss into seconds.
  this=$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$wall")
  this_kb=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$DIR/time.txt")
  say "run $run: ${this} s, $((this_kb / 1024)) MB"
  if [ -z "$seconds" ] || awk -v a="$this" -v b="$seconds" 'BEGIN { exit !(a < b) }'; then
    seconds=$this
  fi
  [ "$this_kb" -gt "$rss_kb" ] && rss_kb=$this_kb
done
matched=$(grep -c '"question_id"' "$DIR/matches.json" || true)
rss_mb=$((rss_kb / 1024))
say "questions matched: $matched"
say "wall time, fastest run: ${seconds} s (budget ${BUDGET_SECONDS} s)"
say "peak memory (max RSS), largest run: ${rss_mb} MB (budget ${BUDGET_MB} MB)"

status=0
if [ "$matched" -ne "$QUESTIONS" ]; then
  say "FAILED: $matched of $QUESTIONS questions were matched"
  status=1
fi
if awk -v s="$seconds" -v b="$BUDGET_SECONDS" 'BEGIN { exit !(s > b) }'; then
  say "FAILED: over the time budget"
  status=1
fi
if [ "$rss_mb" -gt "$BUDGET_MB" ]; then
  say "FAILED: over the memory budget"
  status=1
fi
[ "$status" -eq 0 ] && say "ok"
exit "$status"
