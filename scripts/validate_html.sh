#!/bin/sh
# Runs the Nu HTML checker (vnu) on the HTML files of the folders given; exits non-zero on any error.
# Usage: scripts/validate_html.sh OUT [OUT...]   Needs vnu-jar in $HANDBOOK_NODE_TOOLS (default: the
# repository's node_modules) and Java 11+.
set -eu
[ $# -gt 0 ] || { echo "usage: $0 OUT [OUT...]" >&2; exit 2; }
tools=${HANDBOOK_NODE_TOOLS:-$(dirname "$0")/../node_modules}
[ -d "$tools/node_modules" ] && tools=$tools/node_modules  # an npm project folder
exec java -jar "$tools/vnu-jar/build/dist/vnu.jar" --errors-only --skip-non-html "$@"
