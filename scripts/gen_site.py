#!/usr/bin/env python3
"""Generate a synthetic documentation site for benchmarking handbook against Hugo.

Usage:
    gen_site.py --pages N --out DIR --flavor handbook|hugo [--seed S] [--force]

Layout (50 pages per section, 10 sections per area, both nesting levels have
an ``_index.md``, plus ``content/_index.md``)::

    content/_index.md
    content/area-01/_index.md
    content/area-01/section-01/_index.md
    content/area-01/section-01/page-001.md ... page-050.md

Every page has YAML front matter (title, description, weight), six h2/h3
headings, paragraphs, a bullet list, a GFM table, one fenced code block
(rust, python, yaml, shell in turn) and about eight internal links:

* sibling pages (``page-013.md``), one of them with an anchor (``page-010.md#slug``),
* a page in another area (``../../area-01/section-02/page-004.md``), with and
  without an anchor,
* a page in another section of the same area (``../section-02/page-004.md``),
* the section's and the area's ``_index.md``,
* a same-page anchor (``#slug``),
* one ``{{< ref "/area-01/section-02/page-004.md" >}}`` by path from the content root.

Headings are derived from the page number alone, so the anchor of any heading
of any page is known when another page links to it; they contain only ASCII
letters, digits and spaces, so GitHub-style slugs are unambiguous (lowercase,
spaces to hyphens) and unique within the page. Output depends only on
(--pages, --seed): every page is generated from its own ``random.Random``
seeded with a string, which is stable across runs and Python versions.

Flavor ``handbook`` writes ``handbook.toml`` (the theme is embedded in the
binary). Flavor ``hugo`` writes ``hugo.toml``, layouts giving an equivalent
page (sidebar, breadcrumbs, table of contents, content), a small stylesheet,
and a link render hook that resolves every ``.md`` link with ``site.GetPage``
and fails the build (``errorf``) when a link or its anchor does not resolve,
so both tools do the same link work.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
from pathlib import Path

PAGES_PER_SECTION = 50
SECTIONS_PER_AREA = 10
PAGES_PER_AREA = PAGES_PER_SECTION * SECTIONS_PER_AREA
BASE_URL = "https://bench.example.com/"
SITE_TITLE = "Bench Handbook"

# --------------------------------------------------------------------------
# Vocabulary. Only ASCII letters in heading words, so slugs are trivial.
# --------------------------------------------------------------------------

TOPICS = [
    "Authentication", "Authorization", "Secrets", "Tokens", "Sessions",
    "Logging", "Monitoring", "Encryption", "Certificates", "Dependencies",
    "Containers", "Pipelines", "Runners", "Webhooks", "Uploads", "Redirects",
    "Cookies", "Headers", "Sandboxing", "Permissions", "Audits", "Backups",
    "Rate Limits", "Input Validation", "Output Encoding", "Key Rotation",
    "Incident Response", "Threat Models", "Code Review", "Fuzzing",
]
HEADING_H2 = [
    "Overview", "Background", "Scope", "Requirements", "Design Notes",
    "Risks", "Mitigations", "Procedure", "Verification", "Escalation",
    "Ownership", "Known Issues", "Examples", "Checklist", "References",
    "Rollout Plan", "Metrics", "Exceptions",
]
HEADING_H3 = [
    "Preconditions", "Inputs", "Outputs", "Failure Modes", "Edge Cases",
    "Tooling", "Timeline", "Contacts", "Caveats", "Test Plan", "Alerts",
    "Dashboards", "Playbook", "Triage Steps", "Sign Off", "Follow Up",
]
SUBJECTS = [
    "The reviewer", "Each team", "The on-call engineer", "This control",
    "The scanner", "A merge request", "The pipeline", "Every service",
    "The security champion", "The release manager", "The audit log",
    "A maintainer", "The policy", "The runbook",
]
VERBS = [
    "checks", "records", "rejects", "escalates", "documents", "rotates",
    "verifies", "reports", "blocks", "labels", "triages", "approves",
    "monitors", "encrypts", "validates", "archives",
]
OBJECTS = [
    "every new dependency", "the access token", "unexpected redirects",
    "the signing key", "each finding", "the vulnerability report",
    "third party integrations", "the deployment manifest", "stale secrets",
    "the audit trail", "incoming webhooks", "privileged sessions",
    "the container image", "user supplied input", "the threat model",
]
TAILS = [
    "before the change is merged", "within one business day",
    "as described in the policy", "unless an exception is approved",
    "for every production environment", "during the quarterly review",
    "when the severity is high or critical", "and links the tracking issue",
    "without exposing customer data", "after the incident is closed",
    "so that the history stays auditable", "in the shared channel",
]
ADJ = ["critical", "high", "medium", "low", "informational"]
STATUS = ["done", "in progress", "planned", "blocked", "n/a"]
LANGS = ["rust", "python", "yaml", "shell"]


# --------------------------------------------------------------------------
# Site geometry
# --------------------------------------------------------------------------

class Geometry:
    def __init__(self, pages: int) -> None:
        if pages < 1:
            raise SystemExit("gen_site.py: --pages must be at least 1")
        self.pages = pages
        self.sections = -(-pages // PAGES_PER_SECTION)
        self.areas = -(-pages // PAGES_PER_AREA)
        self.area_w = max(2, len(str(self.areas)))

    # page index i in [0, pages)
    def area_of(self, i: int) -> int:
        return i // PAGES_PER_AREA

    def section_of(self, i: int) -> int:  # section number within its area
        return (i // PAGES_PER_SECTION) % SECTIONS_PER_AREA

    def area_name(self, a: int) -> str:
        return f"area-{a + 1:0{self.area_w}d}"

    @staticmethod
    def section_name(s: int) -> str:
        return f"section-{s + 1:02d}"

    @staticmethod
    def page_name(i: int) -> str:
        return f"page-{i % PAGES_PER_SECTION + 1:03d}.md"

    def dir_of(self, i: int) -> str:
        return f"{self.area_name(self.area_of(i))}/{self.section_name(self.section_of(i))}"

    def path_of(self, i: int) -> str:
        """Path from the content root, without a leading slash."""
        return f"{self.dir_of(i)}/{self.page_name(i)}"

    def sections_in_area(self, a: int) -> int:
        first = a * PAGES_PER_AREA
        left = self.pages - first
        return min(SECTIONS_PER_AREA, -(-left // PAGES_PER_SECTION))

    def pages_in_section(self, a: int, s: int) -> int:
        first = a * PAGES_PER_AREA + s * PAGES_PER_SECTION
        return min(PAGES_PER_SECTION, self.pages - first)

    def section_range(self, i: int) -> range:
        first = i - i % PAGES_PER_SECTION
        return range(first, min(first + PAGES_PER_SECTION, self.pages))


# --------------------------------------------------------------------------
# Per-page deterministic data
# --------------------------------------------------------------------------

def rng_for(seed: int, kind: str, i: int) -> random.Random:
    return random.Random(f"{seed}:{kind}:{i}")


def slugify(text: str) -> str:
    """GitHub-style slug for the restricted alphabet used in headings."""
    out = []
    for ch in text.strip().lower():
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch == " ":
            out.append("-")
    return "".join(out)


def headings(seed: int, i: int) -> list[tuple[int, str]]:
    """Six (level, text) headings of page i; texts unique within the page."""
    r = rng_for(seed, "headings", i)
    h2 = r.sample(HEADING_H2, 4)
    h3 = r.sample(HEADING_H3, 2)
    topic = TOPICS[i % len(TOPICS)]
    out = [
        (2, f"{h2[0]} of {topic}"),
        (3, f"{h3[0]} for {topic}"),
        (2, h2[1]),
        (2, f"{h2[2]} {i % 7 + 1}"),
        (3, h3[1]),
        (2, h2[3]),
    ]
    return out


def title_of(i: int) -> str:
    topic = TOPICS[(i * 7 + 3) % len(TOPICS)]
    return f"{topic} guide {i + 1}"


def sentence(r: random.Random) -> str:
    s = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(TAILS)}"
    roll = r.random()
    if roll < 0.15:
        words = s.split(" ")
        k = r.randrange(1, len(words))
        words[k] = f"**{words[k]}**"
        s = " ".join(words)
    elif roll < 0.30:
        s += f" using `{r.choice(['glab', 'trivy', 'semgrep', 'gitleaks', 'cosign', 'vault'])}`"
    elif roll < 0.40:
        s += f" (see *{r.choice(TOPICS).lower()}*)"
    return s + "."


def paragraph(r: random.Random, extra: str = "") -> str:
    sents = [sentence(r) for _ in range(r.randint(3, 5))]
    if extra:
        sents.insert(r.randint(1, len(sents)), extra)
    return " ".join(sents)


def code_block(lang: str, i: int, r: random.Random) -> str:
    # Every block is distinct (the page number is in its identifiers and numbers), so no
    # generator can win by caching identical snippets: real handbook code blocks differ.
    n = r.randint(2, 9) + i
    name = r.choice(["token", "secret", "session", "report", "finding"]) + f"_{i}"
    if lang == "rust":
        body = f"""fn check_{name}(input: &str) -> Result<usize, String> {{
    let limit = {n * 64};
    if input.len() > limit {{
        return Err(format!("{name} too long: {{}}", input.len()));
    }}
    Ok(input.bytes().filter(|b| b.is_ascii_alphanumeric()).count())
}}"""
    elif lang == "python":
        body = f"""def check_{name}(value: str, limit: int = {n * 64}) -> int:
    \"\"\"Reject oversized values, count the safe characters.\"\"\"
    if len(value) > limit:
        raise ValueError(f"{name} too long: {{len(value)}}")
    return sum(ch.isalnum() for ch in value)"""
    elif lang == "yaml":
        body = f"""{name}_policy:
  severity: {r.choice(ADJ)}
  review_after_days: {n * 30}
  owners:
    - appsec
    - team-{i % 13 + 1}
  rules: [no-plaintext, rotate-{n}w]"""
    else:
        body = f"""#!/usr/bin/env bash
set -euo pipefail
for f in $(git ls-files '*.yml'); do
  grep -n "{name}" "$f" || true
done | head -n {n * 10}"""
    return f"```{lang}\n{body}\n```"


def table(r: random.Random) -> str:
    rows = ["| Control | Severity | Status |", "| --- | --- | --- |"]
    for _ in range(r.randint(3, 4)):
        rows.append(f"| {r.choice(TOPICS)} | {r.choice(ADJ)} | {r.choice(STATUS)} |")
    return "\n".join(rows)


def yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(title: str, description: str, weight: int) -> str:
    return (
        "---\n"
        f"title: {yaml_str(title)}\n"
        f"description: {yaml_str(description)}\n"
        f"weight: {weight}\n"
        "---"
    )


def page_md(g: Geometry, seed: int, i: int) -> str:
    r = rng_for(seed, "page", i)
    hs = headings(seed, i)
    slugs = [slugify(t) for _, t in hs]
    sec = g.section_range(i)
    a, s = g.area_of(i), g.section_of(i)

    # --- link targets (all exist by construction) ---
    nxt = sec.start + (i - sec.start + 1) % len(sec)
    prv = sec.start + (i - sec.start - 1) % len(sec)
    anchor_sib = sec.start + (i - sec.start + 3) % len(sec)
    anchor_sib_slug = slugify(headings(seed, anchor_sib)[r.randrange(6)][1])

    far = r.randrange(g.pages)          # anywhere in the site
    far2 = r.randrange(g.pages)
    far2_slug = slugify(headings(seed, far2)[r.randrange(6)][1])
    ref_target = r.randrange(g.pages)

    n_sec = g.sections_in_area(a)
    if n_sec > 1:
        other_s = (s + 1 + r.randrange(n_sec - 1)) % n_sec
        cnt = g.pages_in_section(a, other_s)
        same_area_i = a * PAGES_PER_AREA + other_s * PAGES_PER_SECTION + r.randrange(cnt)
        same_area_link = f"../{g.section_name(other_s)}/{g.page_name(same_area_i)}"
    else:
        same_area_i = r.randrange(g.pages)
        same_area_link = f"../../{g.path_of(same_area_i)}"

    L = {
        "next": f"[{title_of(nxt)}]({g.page_name(nxt)})",
        "prev": f"[the previous page]({g.page_name(prv)})",
        "anchor_sib": f"[{hs[0][1].lower()} details]({g.page_name(anchor_sib)}#{anchor_sib_slug})",
        "far": f"[{title_of(far)}](../../{g.path_of(far)})",
        "far_anchor": f"[related notes](../../{g.path_of(far2)}#{far2_slug})",
        "same_area": f"[{title_of(same_area_i)}]({same_area_link})",
        "self_anchor": f"[back to {hs[2][1].lower()}](#{slugs[2]})",
        "ref": f'[{title_of(ref_target)}]({{{{< ref "/{g.path_of(ref_target)}" >}}}})',
        "section": "[this section](_index.md)",
        "area": "[the area overview](../_index.md)",
    }

    lang = LANGS[i % len(LANGS)]
    parts: list[str] = []
    desc = f"{sentence(r)[:-1]} for {TOPICS[i % len(TOPICS)].lower()}"
    parts.append(front_matter(title_of(i), desc, i % PAGES_PER_SECTION + 1))
    parts.append(paragraph(r, f"Start with {L['section']} or continue with {L['next']}."))

    def h(k: int) -> str:
        level, text = hs[k]
        return "#" * level + " " + text

    parts.append(h(0))
    parts.append(paragraph(r, f"The same rules appear in {L['far']}."))
    parts.append(h(1))
    items = [sentence(r) for _ in range(r.randint(4, 6))]
    items[1] = f"Compare with {L['prev']}."
    items[3] = f"Read {L['anchor_sib']} first."
    parts.append("\n".join(f"- {it}" for it in items))
    parts.append(h(2))
    parts.append(paragraph(r, f"Teams nearby keep {L['same_area']} up to date."))
    parts.append(table(r))
    parts.append(h(3))
    parts.append(paragraph(r))
    parts.append(code_block(lang, i, r))
    parts.append(h(4))
    parts.append(paragraph(r, f"For the canonical version see {L['ref']}; also {L['far_anchor']}."))
    parts.append(h(5))
    parts.append(paragraph(r, f"Questions go to {L['area']}, or jump {L['self_anchor']}."))
    return "\n\n".join(parts) + "\n"


def section_index_md(g: Geometry, seed: int, a: int, s: int) -> str:
    r = rng_for(seed, "section", a * SECTIONS_PER_AREA + s)
    first = a * PAGES_PER_AREA + s * PAGES_PER_SECTION
    cnt = g.pages_in_section(a, s)
    title = f"{TOPICS[(a * SECTIONS_PER_AREA + s) % len(TOPICS)]} section {a + 1}.{s + 1}"
    parts = [front_matter(title, f"Pages about {TOPICS[s % len(TOPICS)].lower()}", s + 1)]
    parts.append(paragraph(r, f"Start with [{title_of(first)}]({g.page_name(first)})."))
    parts.append("## Highlights")
    picks = sorted({first + r.randrange(cnt) for _ in range(3)})
    parts.append("\n".join(f"- [{title_of(p)}]({g.page_name(p)})" for p in picks))
    parts.append("Back to [the area](../_index.md).")
    return "\n\n".join(parts) + "\n"


def area_index_md(g: Geometry, seed: int, a: int) -> str:
    r = rng_for(seed, "area", a)
    title = f"Area {a + 1}"
    parts = [front_matter(title, f"Area {a + 1} of the benchmark site", a + 1)]
    parts.append(paragraph(r))
    parts.append("## Sections")
    parts.append("\n".join(
        f"- [Section {s + 1}]({g.section_name(s)}/_index.md)" for s in range(g.sections_in_area(a))
    ))
    parts.append("Back to [the home page](../_index.md).")
    return "\n\n".join(parts) + "\n"


def home_md(g: Geometry, seed: int) -> str:
    r = rng_for(seed, "home", 0)
    parts = [front_matter(SITE_TITLE, "Synthetic site for benchmarks", 0)]
    parts.append(paragraph(r))
    parts.append("## Areas")
    parts.append("\n".join(
        f"- [Area {a + 1}]({g.area_name(a)}/_index.md)" for a in range(g.areas)
    ))
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------
# Flavor files
# --------------------------------------------------------------------------

HANDBOOK_TOML = f'''title = "{SITE_TITLE}"
base_url = "{BASE_URL}"
'''

HUGO_TOML = f'''baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
disableKinds = ["taxonomy", "term", "RSS"]

[markup.goldmark.renderer]
unsafe = true

[markup.highlight]
noClasses = false

[markup.tableOfContents]
startLevel = 2
endLevel = 3
'''

# Resolves every link whose path ends in .md the way handbook does: relative
# to the page's file (or from the content root with a leading slash), then
# checks the #anchor against the target's heading ids (.Fragments); a bare
# "#anchor" is checked against the page's own headings. An unresolved link
# fails the build (errorf), so a clean Hugo build proves every link resolved.
# ({{< ref >}} destinations arrive here already resolved to a permalink.)
HUGO_RENDER_LINK = r'''{{- $dest := .Destination -}}
{{- $href := $dest -}}
{{- $u := urls.Parse $dest -}}
{{- if and (not $u.Scheme) (not $u.Host) $u.Path (strings.HasSuffix (lower $u.Path) ".md") -}}
  {{- $p := $u.Path -}}
  {{- if not (strings.HasPrefix $p "/") -}}
    {{- $p = path.Join "/" (replace .Page.File.Dir "\\" "/") $p -}}
  {{- end -}}
  {{- with site.GetPage $p -}}
    {{- $target := . -}}
    {{- $href = .RelPermalink -}}
    {{- with $u.Fragment -}}
      {{- if not (in $target.Fragments.Identifiers .) -}}
        {{- errorf "%s: link %q: no heading #%s in %s" $.Page.File.Path $dest . $target.File.Path -}}
      {{- end -}}
      {{- $href = printf "%s#%s" $href . -}}
    {{- end -}}
  {{- else -}}
    {{- errorf "%s: broken link %q" $.Page.File.Path $dest -}}
  {{- end -}}
{{- else if and (not $u.Scheme) (not $u.Host) (not $u.Path) $u.Fragment -}}
  {{- if not (in $.Page.Fragments.Identifiers $u.Fragment) -}}
    {{- errorf "%s: link %q: no such heading on this page" $.Page.File.Path $dest -}}
  {{- end -}}
{{- end -}}
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
{{- /* no trailing newline */ -}}
'''

HUGO_BASEOF = r'''<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} | {{ site.Title }}{{ end }}</title>
{{- with .Description }}
<meta name="description" content="{{ . }}">
{{- end }}
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "css/style.css" | relURL }}">
</head>
<body>
<header class="topbar"><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<div class="layout">
<nav class="sidebar" aria-label="Site">
  {{- /* the same for every page: rendered once (site.Sections walks the whole
         page tree, so calling it on each of 10,000 pages doubles the build) */}}
  {{- partialCached "site-sections.html" . "site-sections" }}
  {{- with .CurrentSection }}
  {{- if not .IsHome }}
  <h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <ul>
  {{- range .Pages }}
    <li{{ if eq .RelPermalink $.RelPermalink }} class="active"{{ end }}><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
  {{- end }}
  </ul>
  {{- end }}
  {{- end }}
</nav>
<main>
  <nav class="breadcrumbs" aria-label="Breadcrumbs">
  {{- range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> / {{ end -}}
  <span>{{ .Title }}</span>
  </nav>
  {{- block "main" . }}{{ end }}
</main>
</div>
<footer><p>Generated for benchmarking.</p></footer>
</body>
</html>
'''

HUGO_SITE_SECTIONS = r'''<h2>Sections</h2>
  <ul>
  {{- range site.Sections }}
    <li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
  {{- end }}
  </ul>
'''

HUGO_SINGLE = r'''{{ define "main" }}
<article>
  <h1>{{ .Title }}</h1>
  {{- with .Description }}<p class="description">{{ . }}</p>{{ end }}
  <aside class="toc">{{ .TableOfContents }}</aside>
  {{ .Content }}
</article>
{{ end }}
'''

HUGO_LIST = r'''{{ define "main" }}
<article>
  <h1>{{ .Title }}</h1>
  {{- with .Description }}<p class="description">{{ . }}</p>{{ end }}
  <aside class="toc">{{ .TableOfContents }}</aside>
  {{ .Content }}
  <ul class="pages">
  {{- range .Pages }}
    <li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }} {{ . }}{{ end }}</li>
  {{- end }}
  </ul>
</article>
{{ end }}
'''

HUGO_CSS = """body { font-family: sans-serif; margin: 0; }
.topbar { padding: .5rem 1rem; background: #292961; }
.topbar a { color: #fff; }
.layout { display: flex; }
.sidebar { width: 18rem; padding: 1rem; }
.sidebar .active a { font-weight: bold; }
main { flex: 1; padding: 1rem; max-width: 60rem; }
.breadcrumbs { font-size: .9rem; }
.toc { float: right; margin-left: 1rem; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: .25rem .5rem; }
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(pages: int, out: Path, flavor: str, seed: int) -> int:
    g = Geometry(pages)
    content = out / "content"
    files = 0
    write(content / "_index.md", home_md(g, seed))
    files += 1
    for a in range(g.areas):
        write(content / g.area_name(a) / "_index.md", area_index_md(g, seed, a))
        files += 1
        for s in range(g.sections_in_area(a)):
            write(content / g.area_name(a) / g.section_name(s) / "_index.md",
                  section_index_md(g, seed, a, s))
            files += 1
    for i in range(pages):
        write(content / g.path_of(i), page_md(g, seed, i))
        files += 1

    if flavor == "handbook":
        write(out / "handbook.toml", HANDBOOK_TOML)
    else:
        write(out / "hugo.toml", HUGO_TOML)
        lay = out / "layouts"
        write(lay / "_default" / "_markup" / "render-link.html", HUGO_RENDER_LINK)
        write(lay / "_default" / "baseof.html", HUGO_BASEOF)
        write(lay / "_default" / "single.html", HUGO_SINGLE)
        write(lay / "_default" / "list.html", HUGO_LIST)
        write(lay / "index.html", HUGO_LIST)
        write(lay / "partials" / "site-sections.html", HUGO_SITE_SECTIONS)
        write(out / "static" / "css" / "style.css", HUGO_CSS)
    return files


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="number of regular pages")
    ap.add_argument("--out", type=Path, required=True, help="site folder to create")
    ap.add_argument("--flavor", choices=["handbook", "hugo"], required=True)
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = ap.parse_args(argv)

    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        if not args.force:
            print(f"gen_site.py: {out} exists and is not empty (use --force)", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    files = generate(args.pages, out, args.flavor, args.seed)
    g = Geometry(args.pages)
    print(f"gen_site.py: wrote {files} content files ({args.pages} pages, "
          f"{g.sections} sections, {g.areas} areas, flavor {args.flavor}) to {os.fspath(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
