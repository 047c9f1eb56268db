#!/usr/bin/env bash
# Times the semantic encoder as wasm with simd128 in Node (V8, Chromium's engine), on the gold
# questions in batches of 16: the browser's budget is 300 questions in under 2 s.
#   scripts/model/wasm_bench.sh [int8|f16|f32]
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
precision="${1:-int8}"
bash scripts/model.sh
asset="target/model/minilm-$precision.tfm"
cargo run --quiet --release -p trustfill-cli -- model pack --precision "$precision" --out "$asset" >/dev/null
RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR=target/wasm-bench \
  cargo build --quiet --release --target wasm32-unknown-unknown --manifest-path crates/semantic/wasm-bench/Cargo.toml
node scripts/model/wasm_bench.mjs \
  target/wasm-bench/wasm32-unknown-unknown/release/trustfill_semantic_wasm_bench.wasm "$asset" eval/gold.json 16
