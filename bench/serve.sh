#!/usr/bin/env bash
# Benchmarks `folio serve` before and after: a `before` binary built from a git revision
# and the current tree, run alternately on the same copy of a site in /dev/shm. Prints
# start to first page, edit to reload message, and edit to the new page painted in
# headless Chromium (see serve.py), as medians side by side with their ratio.
#   bash bench/serve.sh [REV] [SITE] [RUNS] [EDITS]
# REV defaults to the merge-base of `main` and HEAD; SITE to ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-$(git merge-base main HEAD)}
site=${2:-../shared/corpus}
runs=${3:-5}
edits=${4:-10}
target=${CARGO_TARGET_DIR:-$PWD/target}
work=$(mktemp -d /dev/shm/folio-serve-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# One target folder for both builds: only the folio crate is compiled twice. The before
# tree is extracted once per revision, so a second run finds it built.
before="$target/serve-bench-src/$(git rev-parse "$rev")"
if [ ! -d "$before" ]; then
  mkdir -p "$before.tmp"
  git archive "$rev" | tar -x -C "$before.tmp"
  mv "$before.tmp" "$before"
fi
mkdir -p "$work/bin"
echo "building before ($(git rev-parse --short "$rev")) and after (this tree)..." >&2
(cd "$before" && CARGO_TARGET_DIR="$target" cargo build --release --locked --quiet)
cp "$target/release/folio" "$work/bin/before"
CARGO_TARGET_DIR="$target" cargo build --release --locked --quiet
cp "$target/release/folio" "$work/bin/after"

cp -r "$site" "$work/site"
label="before $(git rev-parse --short "$rev"), after $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
python3 bench/serve.py "$work/bin/before" "$work/bin/after" "$work/site" "$runs" "$edits" "$label"
