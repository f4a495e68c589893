#!/usr/bin/env bash
# The property tests of tests/testsuite/properties.rs with many more cases than `cargo test` runs (2,000
# each): the front-matter splitter, the shortcode parser, and the link and output-path
# normalisers never panic, and every output path stays under the output folder.
# Usage: scripts/proptest.sh [CASES]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
PROPTEST_CASES="${1:-100000}" cargo test --release --test testsuite properties:: -- --nocapture
