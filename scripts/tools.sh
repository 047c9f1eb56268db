#!/usr/bin/env bash
# Installs what Trustfill's build and tests need, idempotently: each step is skipped when the
# pinned version is already there. Tools come only from crates.io, npm and Debian.
#   scripts/tools.sh build   the wasm target, trunk, wasm-bindgen-cli, npm packages (wasm-opt)
#   scripts/tools.sh test    the above, plus Debian chromium, chromium-driver and LibreOffice Calc and Writer
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen version that Cargo.lock resolved.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '[tools] %s\n' "$*"; }

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32-unknown-unknown target present"
  else
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if command -v trunk >/dev/null && [ "$(trunk --version | awk '{print $2}')" = "$TRUNK_VERSION" ]; then
    say "trunk $TRUNK_VERSION present"
  else
    say "installing trunk $TRUNK_VERSION from crates.io (about 10 minutes, once)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$WASM_BINDGEN_VERSION" ]; then
    say "wasm-bindgen-cli $WASM_BINDGEN_VERSION present"
  else
    # Not --locked: one of its locked dependency versions is not in the registry we reach.
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

ensure_npm() {
  if [ -x node_modules/.bin/wasm-opt ] && [ -f node_modules/playwright-core/package.json ] && [ -f node_modules/axe-core/axe.min.js ] \
     && [ "$(node -p 'require("./node_modules/binaryen/package.json").version')" = "$(node -p 'require("./package-lock.json").packages["node_modules/binaryen"].version')" ]; then
    say "npm packages present"
  else
    npm ci --no-audit --no-fund
  fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "Debian packages present: $*"
  else
    say "installing from Debian: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

mode=${1:-build}
ensure_wasm_target
ensure_npm
ensure_trunk
ensure_wasm_bindgen
if [ "$mode" = test ]; then
  apt_install chromium chromium-driver libreoffice-calc-nogui libreoffice-writer-nogui
fi
