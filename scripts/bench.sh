#!/usr/bin/env bash
# Runs the criterion benchmarks of the core (release build, native, one thread) and the CLI
# load test: 10,000 questions against a 10,000-entry library, with peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo bench -p trustfill-core --bench matching -- --noplot --warm-up-time 1 --measurement-time 4 2>&1 | grep -E "^(scale|import|match)|time:"
bash scripts/load.sh
