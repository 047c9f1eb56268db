#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for a bounded time and prints, per target, the executions and
# the coverage libFuzzer reached. Not part of CI: a local tool for finding crashes.
#   scripts/fuzz.sh [seconds-per-target] [target...]    (default: 60 seconds, every target)
#   FUZZ_SANITIZER=none scripts/fuzz.sh 30              (without AddressSanitizer: faster)
# Installs cargo-fuzz at a pinned version when it is missing or another version. Seeds each
# fuzz/corpus/<target>/ from the shared fixtures (../shared/fixtures beside the repository),
# the small built files in fuzz/seeds/ and the answer library. Crashes land in
# fuzz/artifacts/<target>/; replay one with `cargo +nightly fuzz run <target> <file>`.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_FUZZ_VERSION=0.13.2
SECONDS_PER_TARGET=${1:-60}
shift $(($# > 0 ? 1 : 0))
FIXTURES="$PWD/../shared/fixtures"
SEEDS="$PWD/fuzz/seeds"
# xlsm files take import_xlsx's path (the same reader; only the name differs), and import_any
# names some of its inputs .xlsm.
TARGETS=(import_xlsx import_xls import_ods import_csv import_vsaq import_docx import_package import_any library_json library_csv
  library_xlsx fill_xlsx fill_docx)
if [ $# -gt 0 ]; then
  TARGETS=("$@")
fi

say() { printf '[fuzz] %s\n' "$*"; }

if ! [[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || [ "$SECONDS_PER_TARGET" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh [seconds-per-target] [target...]" >&2
  exit 2
fi

# cargo-fuzz builds with unstable flags: use the nightly toolchain when there is one, else let
# the stable compiler accept them.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  CARGO=(cargo +nightly)
else
  say "no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
  CARGO=(cargo)
fi

if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" = "$CARGO_FUZZ_VERSION" ]; then
  say "cargo-fuzz $CARGO_FUZZ_VERSION present"
else
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION from crates.io (a few minutes, once)"
  cargo install --locked --force cargo-fuzz --version "$CARGO_FUZZ_VERSION" || exit 1
fi

# AddressSanitizer (cargo-fuzz's default) watches the unsafe code in the dependencies too, at
# about a quarter of the speed; FUZZ_SANITIZER=none trades it for more executions.
SANITIZER=${FUZZ_SANITIZER:-address}

# Copies files into a target's corpus.
seed() {
  local target=$1
  shift
  mkdir -p "fuzz/corpus/$target"
  for file in "$@"; do
    [ -f "$file" ] && cp "$file" "fuzz/corpus/$target/"
  done
}
# Copies files into import_any's corpus, each behind the byte that picks its name (see
# fuzz/fuzz_targets/import_any.rs).
seed_any() {
  mkdir -p fuzz/corpus/import_any
  local file index
  for file in "$@"; do
    [ -f "$file" ] || continue
    case "${file##*.}" in
      xlsx) index=0 ;; xlsm) index=1 ;; xls) index=2 ;; ods) index=3 ;; csv) index=4 ;; tsv) index=5 ;; json) index=6 ;;
      docx) index=7 ;;
      *) continue ;;
    esac
    { printf "\\$(printf '%03o' "$index")"; cat "$file"; } >"fuzz/corpus/import_any/$(basename "$file")"
  done
}

say "seeding fuzz/corpus from $FIXTURES and fuzz/seeds"
[ -d "$FIXTURES" ] || say "no fixtures at $FIXTURES; seeding from fuzz/seeds only"
seed import_xlsx "$FIXTURES"/hecvat/*.xlsx "$SEEDS"/built.xlsx
seed import_xls "$SEEDS"/built.xls
seed import_ods "$SEEDS"/built.ods
seed import_csv "$FIXTURES"/cisa/*.csv "$SEEDS"/*.csv "$SEEDS"/*.tsv
seed import_vsaq "$FIXTURES"/vsaq/*.json "$SEEDS"/built-vsaq.json
seed import_docx "$SEEDS"/built.docx
seed import_package "$SEEDS"/package.json
seed_any "$SEEDS"/built.* "$SEEDS"/built-*.csv "$SEEDS"/built-vsaq.json "$SEEDS"/package.json "$FIXTURES"/cisa/*.csv \
  "$FIXTURES"/vsaq/webapp.json
seed library_json "$SEEDS"/library.json answer-library/entries/a1.json answer-library/entries/cc6.json
seed library_csv "$SEEDS"/library.csv "$FIXTURES"/soc2/*.csv
seed library_xlsx "$SEEDS"/library.xlsx
# The fill targets' input is answer texts; a few seeds give them longer ones from the start.
for target in fill_xlsx fill_docx; do
  mkdir -p "fuzz/corpus/$target"
  printf 'Yes\0We encrypt _x0041_ data at rest.\r\nKeys rotate yearly & <safely>.\0Select\xe2\x80\xa6\0 N/A ' >"fuzz/corpus/$target/seed-texts"
done

say "building the fuzz targets (release, sanitizer $SANITIZER)"
if ! (cd fuzz && "${CARGO[@]}" fuzz build --sanitizer "$SANITIZER" >../fuzz/build.log 2>&1); then
  tail -30 fuzz/build.log
  say "build failed (full log: fuzz/build.log)"
  exit 1
fi

results=()
crashed=0
for target in "${TARGETS[@]}"; do
  say "running $target for ${SECONDS_PER_TARGET}s"
  log="fuzz/artifacts/$target.log"
  mkdir -p "fuzz/artifacts/$target"
  extra=()
  # Answer texts need no ramp from four bytes up: let them be long from the start.
  case "$target" in fill_xlsx | fill_docx) extra=(-len_control=0 -max_len=2048) ;; esac
  (cd fuzz && "${CARGO[@]}" fuzz run --sanitizer "$SANITIZER" "$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" "${extra[@]}") >"$log" 2>&1
  status=$?
  # The last status line reads like "#123456 DONE cov: 2345 ft: 6789 corp: 120/45Kb ...".
  line=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$line")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$line")
  corpus=$(sed -nE 's/.* corp: ([^ ]+).*/\1/p' <<<"$line")
  outcome=ok
  if [ "$status" -ne 0 ]; then
    outcome="CRASH (see $log and fuzz/artifacts/$target/)"
    crashed=$((crashed + 1))
  fi
  results+=("$(printf '%-14s %12s execs  cov %6s  ft %7s  corpus %-12s %s' "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corpus:-?}" "$outcome")")
done

echo
printf '%s\n' "${results[@]}"
echo
if [ "$crashed" -gt 0 ]; then
  echo "$crashed of ${#TARGETS[@]} targets crashed"
  exit 1
fi
echo "${#TARGETS[@]} targets ran ${SECONDS_PER_TARGET}s each without a crash"
