#!/usr/bin/env bash
# Runs the whole suite: formatting, lints, native tests (some drive LibreOffice), browser
# tests (wasm-bindgen-test in headless Chromium), the release build, and the end-to-end tests
# against dist/. Each stage's result is collected and the run ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true CARGO_TERM_COLOR=never
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/webdriver.json"
export CHROMEDRIVER=/usr/bin/chromedriver

passed=0
failed=0
failures=()
stage() {
  local name=$1
  shift
  echo "=== $name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "--- $name: ok ($((SECONDS - started)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "--- $name: FAILED ($((SECONDS - started)) s)"
  fi
}

stage "cargo fmt --check" cargo fmt --all -- --check
stage "clippy -D warnings" cargo clippy --workspace --all-targets --quiet -- -D warnings
stage "native tests (core, semantic, cli)" cargo test --quiet -p trustfill-core -p trustfill-semantic -p trustfill-cli
stage "browser tests (wasm-bindgen-test, headless Chromium)" cargo test -p trustfill-web --target wasm32-unknown-unknown
stage "trunk build --release" trunk build --release
stage "single-file build (dist-single/trustfill.html)" bash scripts/single.sh
stage "bundle size budget" bash scripts/size.sh
stage "cargo deny (licences, bans, sources; offline)" bash scripts/deny.sh
stage "end-to-end tests (Playwright, headless Chromium)" node --test --test-concurrency=1 tests/e2e/

echo
if [ "$failed" -gt 0 ]; then
  echo "Failed stages: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
