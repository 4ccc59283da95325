#!/usr/bin/env bash
# Installs what the tests need and runs every test: formatting, lints, unit tests and the
# integration test binary (which builds the example site and ../shared/corpus).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared/corpus ]; then
    echo "error: the tests need ../shared (seeds, corpus, facts) beside this repository" >&2
    exit 2
fi

rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked
