#!/usr/bin/env bash
# What a 100 KB stages.yml costs a build: the same one-page site built with and without
# `[counterparts]` (and its two tables), 20 runs each; prints the medians and the difference.
# (This replaces the ignored timing test that was in src/data/tables.rs: timings are shown by
# scripts, never by tests.)
# Usage: scripts/bench_data.sh        (HANDBOOK_BIN=path to skip cargo build --release)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${BENCH_RUNS:-20}"
BIN="${HANDBOOK_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
  BIN="$ROOT/target/release/handbook"
fi
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT

make_site() { # DIR WITH_COUNTERPARTS
  mkdir -p "$1/content" "$1/data"
  printf 'title = "Data bench"\nbase_url = "https://bench.example.com/"\n' >"$1/handbook.toml"
  if [ "$2" = 1 ]; then
    printf '\n[counterparts]\ndata = "data/stages.yml"\nteam = "data/team.yml"\n' >>"$1/handbook.toml"
    printf -- '---\ntitle: Counterparts\n---\n\n{{< counterparts >}}\n\n{{< counterparts by="engineer" >}}\n' >"$1/content/_index.md"
  else
    printf -- '---\ntitle: Counterparts\n---\n\nNo tables.\n' >"$1/content/_index.md"
  fi
  python3 - "$1/data" <<'PY'
import sys, pathlib
out = pathlib.Path(sys.argv[1])
names = [f"Engineer {i:02d}" for i in range(12)]
lines = ["sections:"] + [f"  s{i}:\n    name: Section {i}" for i in range(6)] + ["stages:"]
for s in range(20):
    lines += [f"  stage_{s:02d}:", f"    display_name: Stage {s}", f"    section: s{s % 6}",
              "    description: |", "      A stage of the synthetic benchmark, with a body long enough",
              "      to look like the real file's multi-line fields.", "    groups:"]
    for g in range(6):
        eng = names[(s * 6 + g) % len(names)] if (s + g) % 9 else "TBD"
        lines += [f"      group_{s:02d}_{g}:", f"        name: Group {s}.{g}", f"        appsec_engineer: {eng}"]
        lines += [f"        extra_field_{k}: value {k} of group {s}.{g} with some words in it" for k in range(11)]
text = "\n".join(lines) + "\n"
(out / "stages.yml").write_text(text)
(out / "team.yml").write_text("".join(f"- name: {n}\n  gitlab: e{i}\n  slack: '@e{i}'\n  role: AppSec Engineer\n" for i, n in enumerate(names)))
print(f"stages.yml: {len(text) // 1024} KB", file=sys.stderr)
PY
}

median_ms() { # SITE
  local times=()
  for ((i = 0; i < RUNS; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    "$BIN" build --root "$1" --output "$WORK/out" >/dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

make_site "$WORK/with" 1
make_site "$WORK/without" 0
with=$(median_ms "$WORK/with")
without=$(median_ms "$WORK/without")
echo "build with counterparts (100 KB stages.yml, both tables): ${with} ms (median of $RUNS)"
echo "build without counterparts:                               ${without} ms (median of $RUNS)"
awk -v a="$with" -v b="$without" 'BEGIN { printf "counterparts add %.1f ms to a build\n", a - b }'
