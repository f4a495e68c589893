#!/usr/bin/env bash
# Builds the project's own section and every fixture site that is a whole site, then checks the
# output: the Nu HTML checker (0 errors) and axe-core in Chromium (0 violations, light and dark,
# desktop and phone). Used by .ci/run; needs `npm ci` (vnu-jar, axe-core, playwright-core), Java
# and Chromium. Usage: scripts/audit_sites.sh [OUT_DIR]   (default target/audit)
#   HANDBOOK_BIN  the binary (default target/release/handbook)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/audit}
bin=${HANDBOOK_BIN:-target/release/handbook}
rm -rf "$out"
mkdir -p "$out"
sites=(section)
"$bin" build --root . --output "$out/section" >/dev/null
for fixture in tests/fixtures/*/; do
  name=$(basename "$fixture")
  # Sites only: the `invalid-*` fixtures fail on purpose, and some folders hold pages, not sites.
  [ -f "$fixture/handbook.toml" ] || continue
  case "$name" in invalid-* | links) continue ;; esac
  "$bin" build --root "$fixture" --output "$out/$name" >/dev/null
  sites+=("$name")
done
dirs=()
for site in "${sites[@]}"; do dirs+=("$out/$site"); done
echo "==> vnu: ${sites[*]}"
scripts/validate_html.sh "${dirs[@]}"
echo "==> axe-core: ${sites[*]}"
node scripts/a11y_audit.mjs "${dirs[@]}"
