#!/usr/bin/env bash
# Builds dist-single/trustfill.html: the whole app in one self-contained file (the wasm inlined
# as base64 and started from memory), which opens from file:// with no server and no network,
# so that it can be mailed or put on a share. It reuses the release build's wasm (run after
# `trunk build --release`, which scripts/test.sh and `make single` do).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
wasm=target/wasm32-unknown-unknown/wasm-release/trustfill-web.wasm
if [ ! -f "$wasm" ] || [ ! -f dist/style.css ]; then
  echo "single.sh: run 'trunk build --release' first (it makes $wasm and dist/)" >&2
  exit 1
fi
work=target/single
rm -rf "$work"
mkdir -p "$work" dist-single
# The no-modules glue is a classic script: it runs from file://, where module imports cannot.
wasm-bindgen --target no-modules --no-typescript --out-dir "$work" --out-name trustfill "$wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$work/trustfill_bg.wasm" -o "$work/trustfill_bg.opt.wasm"
python3 scripts/single.py "$work/trustfill.js" "$work/trustfill_bg.opt.wasm" dist/style.css assets/favicon.svg dist-single/trustfill.html
ls -l dist-single/trustfill.html
