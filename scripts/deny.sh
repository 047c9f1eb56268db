#!/usr/bin/env bash
# Checks the dependency tree with cargo-deny against deny.toml: licences, banned crates and
# sources (crates.io only), offline. Installs cargo-deny at a pinned version from crates.io when
# it is missing or another version (a few minutes, once).
#   scripts/deny.sh                 licences, bans and sources, offline
#   scripts/deny.sh advisories      also the RustSec advisories: needs the network (see SECURITY.md)
# Cargo.lock must be committed and must not change: every check runs --locked.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_DENY_VERSION=0.20.2

say() { printf '[deny] %s\n' "$*"; }

if [ "$(cargo deny --version 2>/dev/null | awk '{print $2}')" = "$CARGO_DENY_VERSION" ]; then
  say "cargo-deny $CARGO_DENY_VERSION present"
else
  say "installing cargo-deny $CARGO_DENY_VERSION from crates.io (about 6 minutes, once)"
  cargo install --locked --force cargo-deny --version "$CARGO_DENY_VERSION"
fi

if ! git ls-files --error-unmatch Cargo.lock >/dev/null 2>&1; then
  say "Cargo.lock is not committed"
  exit 1
fi

# The licence check reads every crate's sources; fetch them from crates.io first (a no-op when
# they are there), so that cargo-deny itself can run offline.
cargo fetch --locked --quiet

checks=(licenses bans sources)
if [ "${1:-}" = advisories ]; then
  say "checking advisories too: this fetches the RustSec advisory database"
  cargo deny --locked check --hide-inclusion-graph advisories licenses bans sources
else
  # --offline: no advisory database is fetched; the advisories check is left out (SECURITY.md).
  cargo deny --offline --locked check --hide-inclusion-graph "${checks[@]}"
fi
say "cargo-deny ${checks[*]}: ok"
