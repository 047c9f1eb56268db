#!/usr/bin/env bash
# Puts the semantic model into the app's build, under model/: the encoder's web worker
# (crates/encoder-worker, built apart from the app and optimised for speed with wasm SIMD),
# assets/encoder-worker.js, the packed model, the built-in library's vectors and a manifest
# with their sizes and the model's hash.
# Trunk runs this after every build (Trunk.toml, post_build hook) with TRUNK_STAGING_DIR set.
# Without the packed model (scripts/model.sh makes it), or with TRUSTFILL_MODEL=off, the build
# has no model/ and the app matches by words alone.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

staging=${TRUNK_STAGING_DIR:-dist}
out="$staging/model"
asset=target/model/minilm-l6-v2.int8.tfm
built=target/encoder-dist

say() { printf '[encoder] %s\n' "$*"; }

if [ "${TRUSTFILL_MODEL:-on}" = off ]; then
  say "TRUSTFILL_MODEL=off: this build has no semantic model"
  exit 0
fi
if [ ! -f "$asset" ]; then
  say "no packed model at $asset (run scripts/model.sh): this build has no semantic model"
  exit 0
fi

# The worker is built in its own target directory: its RUSTFLAGS differ from the app's, and
# sharing one directory would rebuild both every time.
CARGO_TARGET_DIR=target/encoder-build RUSTFLAGS="-C target-feature=+simd128" \
  cargo build --quiet --release --target wasm32-unknown-unknown -p trustfill-encoder-worker
wasm=target/encoder-build/wasm32-unknown-unknown/release/trustfill_encoder_worker.wasm
if [ ! -f "$built/trustfill_encoder_worker_bg.wasm" ] || [ "$wasm" -nt "$built/trustfill_encoder_worker_bg.wasm" ]; then
  rm -rf "$built"
  wasm-bindgen --target web --no-typescript --out-dir "$built" "$wasm"
  wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    "$built/trustfill_encoder_worker_bg.wasm" -o "$built/trustfill_encoder_worker_bg.wasm"
fi

bytes=$(stat -c %s "$asset")
sha=$(sha256sum "$asset" | cut -d' ' -f1)
# The name the app knows the model by (assets/encoder-worker.js makes the same from the
# manifest): the vectors of one model are never compared with another's.
encoder_id="all-MiniLM-L6-v2@${sha:0:16}"

# The built-in library's vectors, embedded here once per model, library and encoder code (the
# CLI runs the same forward pass natively), so that a first visit need not embed the library:
# the app embeds in the browser only what they lack (the user's own entries).
key=$( { echo "$sha"; find answer-library crates/semantic/src -type f | LC_ALL=C sort | xargs cat; } | sha256sum | cut -c1-16)
vectors="target/model/library-vectors-$key.bin"
if [ ! -f "$vectors" ]; then
  rm -f target/model/library-vectors-*.bin
  say "embedding the built-in library for the app (once per model and library)"
  cargo run --quiet --release -p trustfill-cli -- model vectors --encoder-id "$encoder_id" --model "$asset" \
    --out "$vectors.partial" >/dev/null
  mv "$vectors.partial" "$vectors"
fi

mkdir -p "$out"
cp "$built"/trustfill_encoder_worker.js "$built"/trustfill_encoder_worker_bg.wasm assets/encoder-worker.js "$out/"
cp "$asset" "$out/minilm-l6-v2.int8.tfm"
cp "$vectors" "$out/library-vectors.bin"
vectors_bytes=$(stat -c %s "$vectors")
cat > "$out/manifest.json" <<JSON
{"name": "all-MiniLM-L6-v2", "precision": "int8", "file": "minilm-l6-v2.int8.tfm", "bytes": $bytes, "sha256": "$sha",
 "vectors": {"file": "library-vectors.bin", "bytes": $vectors_bytes}}
JSON
say "model/ staged: worker $(stat -c %s "$out/trustfill_encoder_worker_bg.wasm") bytes, model $bytes bytes, library vectors $vectors_bytes bytes"
