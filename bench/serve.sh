#!/usr/bin/env bash
# Benchmarks `folio serve` on a real site (default: ../shared/corpus): time from start to
# the first served page, and from a one-page edit to the reload event on the live-reload
# stream. The site is copied to /dev/shm first so the figures are not disk-bound.
#   bash bench/serve.sh [SITE] [EDITS]
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-../shared/corpus}
edits=${2:-20}
cargo build --release --locked --quiet
work=$(mktemp -d /dev/shm/folio-serve-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$site" "$work/site"
python3 bench/serve.py "${CARGO_TARGET_DIR:-target}/release/folio" "$work/site" "$edits"
