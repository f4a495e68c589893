//! `handbook build` end to end: fixture sites under `tests/fixtures/` are copied into temp folders
//! (outside git, so page dates come from `SOURCE_DATE_EPOCH` only) and built through the library,
//! then the output tree is read back. Covers the URL rules, sections and bundles, drafts, aliases,
//! TOC (with the legacy kramdown marker), heading ids, highlighting, the theme override, determinism,
//! output-folder safety, failed builds keeping the old output, invalid sites with line:column, and
//! the binary's exit codes.

use crate::common;

use common::{copy_dir, tree};
use handbook::diagnostics::{render_text, Diagnostic, Severity};
use handbook::{BuildOptions, Error, Report};
use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const LANDING_LEGACY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages/landing-legacy.md");

/// 2023-11-14T22:13:20Z.
const EPOCH: i64 = 1_700_000_000;
const EPOCH_DATE: &str = "2023-11-14";

/// A fixture copied into `<tmp>/site`, with the output going to `<tmp>/public`.
struct Site {
    tmp: tempfile::TempDir,
}

impl Site {
    fn new(fixture: &str) -> Site {
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_dir(&Path::new(FIXTURES).join(fixture), &tmp.path().join("site"));
        Site { tmp }
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    fn out(&self) -> PathBuf {
        self.tmp.path().join("public")
    }

    fn options(&self) -> BuildOptions {
        BuildOptions { root: self.root(), output: Some(self.out()), source_date_epoch: Some(EPOCH), ..Default::default() }
    }

    fn build(&self) -> Result<Report, Error> {
        handbook::build(&self.options())
    }

    /// Builds and fails the test with the rendered diagnostics if the build fails.
    fn built(&self) -> Report {
        match self.build() {
            Ok(report) => report,
            Err(e) => panic!("build failed: {e}\n{}", render_text(e.diagnostics(), false)),
        }
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A file of the output, as text.
    fn page(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}; output has {:?}", path.display(), self.files()))
    }

    fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).is_file()
    }

    /// Every file path of the output, sorted.
    fn files(&self) -> Vec<String> {
        tree(&self.out()).into_keys().collect()
    }
}

/// The text between the first `start` and the next `end` after it (both included).
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("`{start}` not found in:\n{html}"));
    let to = html[from..].find(end).unwrap_or_else(|| panic!("`{end}` not found after `{start}`")) + from + end.len();
    &html[from..to]
}

/// The page's main area (what the theme puts inside `<main>`).
fn main_area(html: &str) -> &str {
    between(html, "<main", "</main>")
}

fn sidebar(html: &str) -> &str {
    between(html, "<nav class=\"sidebar\"", "</nav>")
}

/// Link texts of a list of links (sidebar, breadcrumbs, TOC, section cards), in order.
fn link_texts(html: &str) -> Vec<&str> {
    html.split("<a ")
        .skip(1)
        .map(|s| {
            let text = &s[s.find('>').unwrap() + 1..];
            &text[..text.find("</a>").unwrap()]
        })
        .collect()
}

fn site_errors(result: Result<Report, Error>) -> Vec<Diagnostic> {
    match result {
        Err(Error::Site(diagnostics)) => diagnostics,
        Err(other) => panic!("expected site errors, got {other:?}"),
        Ok(report) => panic!("expected the build to fail; it succeeded with {:?}", report.diagnostics),
    }
}

fn config_errors(result: Result<Report, Error>) -> Vec<Diagnostic> {
    match result {
        Err(Error::InvalidConfig(diagnostics)) => diagnostics,
        other => panic!("expected an invalid config, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// URL rules, sections, bundles

#[test]
fn url_rules_give_pretty_urls() {
    let site = Site::new("basic-site");
    site.built();
    // `_index.md` at the root, `x.md`, `x/_index.md`, `x/index.md`, a folder without `_index.md`.
    for file in [
        "index.html",
        "plain/index.html",
        "guides/index.html",
        "guides/alpha/index.html",
        "guides/bundle/index.html",
        "guides/advanced/index.html",
        "guides/advanced/deep/index.html",
        "guides/extra/notes/index.html",
    ] {
        assert!(site.exists(file), "{file} missing; output: {:?}", site.files());
    }
    assert!(site.page("plain/index.html").contains("<h1>Plain Page</h1>"));
    assert!(site.page("guides/index.html").contains("<h1>Guides</h1>"));
    assert!(site.page("guides/bundle/index.html").contains("<h1>Bundle Page</h1>"));
    assert!(site.page("index.html").contains("<h1>Fixture Home</h1>"));
    // No `.html` file per page beside the pretty URL.
    assert!(!site.exists("plain.html") && !site.exists("guides/alpha.html"));
}

#[test]
fn slug_and_url_override_the_path() {
    let site = Site::new("basic-site");
    site.built();
    assert!(site.page("new-name/index.html").contains("<h1>Renamed Page</h1>"));
    assert!(!site.exists("renamed/index.html"));
    // `url: /elsewhere/custom` (no trailing slash) still gives a pretty URL.
    assert!(site.page("elsewhere/custom/index.html").contains("<h1>Moved Page</h1>"));
    assert!(!site.exists("moved/index.html"));
    // A bundle with a slug takes its resources along.
    assert!(site.page("guides/screenshots/index.html").contains("<h1>Screenshots</h1>"));
    assert_eq!(site.page("guides/screenshots/screen.txt"), "fixture screenshot notes\n");
    assert!(!site.out().join("guides/shots").exists());
}

#[test]
fn leaf_bundle_resources_are_copied_beside_the_page() {
    let site = Site::new("basic-site");
    site.built();
    let source = std::fs::read(site.root().join("content/guides/bundle/diagram.svg")).unwrap();
    assert_eq!(std::fs::read(site.out().join("guides/bundle/diagram.svg")).unwrap(), source);
    // The image link resolves to the copied file.
    assert!(site.page("guides/bundle/index.html").contains("<img src=\"/guides/bundle/diagram.svg\" alt=\"Diagram\""));
    // The page source is not published.
    assert!(!site.exists("guides/bundle/index.md"));
}

#[test]
fn static_files_and_theme_assets_are_copied() {
    let site = Site::new("basic-site");
    site.built();
    assert_eq!(site.page("files/policy.txt"), "policy text served as-is\n");
    for asset in ["css/handbook.css", "css/syntax-light.css", "css/syntax-dark.css", "js/search.js", "404.html"] {
        assert!(site.exists(asset), "{asset} missing");
    }
    assert!(site.page("404.html").contains("Page not found"));
}

#[test]
fn sidebar_orders_by_weight_then_title() {
    let site = Site::new("basic-site");
    site.built();
    let html = site.page("guides/alpha/index.html");
    let guides = between(sidebar(&html), "<ul class=\"nav-level-2\">", "</ul>");
    assert_eq!(
        link_texts(guides),
        // weight 1, weight 2 (Bravo < Delta by title), 3, 4, 5, 10, then unweighted by title.
        ["Zulu", "Bravo", "Delta", "Bundle Page", "Screenshots", "Extra Notes", "Advanced", "Alpha", "Charlie"]
    );
    let top: Vec<&str> =
        link_texts(sidebar(&html)).into_iter().filter(|t| ["Guides", "Plain Page", "Renamed Page", "Moved Page"].contains(t)).collect();
    assert_eq!(top, ["Guides", "Plain Page", "Renamed Page", "Moved Page"]);
    assert!(sidebar(&html).starts_with("<nav class=\"sidebar\" aria-label=\"Section navigation\"><ul class=\"nav-level-1\">\n<li class=\"nav-section expanded\"><a href=\"/guides/\">Guides</a>"));
}

#[test]
fn sidebar_marks_the_current_page_only() {
    let site = Site::new("basic-site");
    site.built();
    for (file, url) in [
        ("guides/alpha/index.html", "/guides/alpha/"),
        ("guides/index.html", "/guides/"),
        ("guides/advanced/deep/index.html", "/guides/advanced/deep/"),
        ("plain/index.html", "/plain/"),
    ] {
        let html = site.page(file);
        let nav = sidebar(&html);
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{file}:\n{nav}");
        assert!(nav.contains(&format!("<a href=\"{url}\" aria-current=\"page\">")), "{file}:\n{nav}");
    }
    // A page deep in the tree sees its own section expanded; a top-level page sees it folded.
    let deep = site.page("guides/advanced/deep/index.html");
    assert!(
        sidebar(&deep).contains("<li class=\"nav-section expanded\"><a href=\"/guides/advanced/\">Advanced</a><ul class=\"nav-level-3\">")
    );
    let plain = site.page("plain/index.html");
    assert!(sidebar(&plain).contains("<li class=\"nav-section\"><a href=\"/guides/\">Guides</a></li>"), "{}", sidebar(&plain));
}

#[test]
fn breadcrumbs_follow_the_section_tree() {
    let site = Site::new("basic-site");
    site.built();
    let crumbs = |file: &str| {
        let html = site.page(file);
        html.find("<nav class=\"breadcrumbs\"").map(|_| between(&html, "<nav class=\"breadcrumbs\"", "</nav>").to_string())
    };
    let deep = crumbs("guides/advanced/deep/index.html").expect("breadcrumbs on a nested page");
    assert_eq!(link_texts(&deep), ["Fixture Home", "Guides", "Advanced"]);
    assert!(deep.contains("<a href=\"/\">Fixture Home</a>") && deep.contains("<a href=\"/guides/advanced/\">Advanced</a>"));
    assert!(deep.contains("<li><span aria-current=\"location\">Deep Dive</span></li>"));
    // A page in a folder without `_index.md` belongs to the next section up.
    assert_eq!(link_texts(&crumbs("guides/extra/notes/index.html").unwrap()), ["Fixture Home", "Guides"]);
    // A bundle belongs to its folder's parent section.
    assert_eq!(link_texts(&crumbs("guides/bundle/index.html").unwrap()), ["Fixture Home", "Guides"]);
    assert_eq!(link_texts(&crumbs("plain/index.html").unwrap()), ["Fixture Home"]);
    assert_eq!(crumbs("index.html"), None, "the home page has no breadcrumbs");
}

#[test]
fn section_page_lists_its_pages_and_subsections() {
    let site = Site::new("basic-site");
    site.built();
    let html = site.page("guides/index.html");
    let pages = between(&html, "<section class=\"section-list\" aria-labelledby=\"section-pages\">", "</section>");
    assert_eq!(link_texts(pages), ["Zulu", "Bravo", "Delta", "Bundle Page", "Screenshots", "Extra Notes", "Alpha", "Charlie"]);
    let subsections = between(&html, "aria-labelledby=\"section-subsections\"", "</section>");
    assert_eq!(link_texts(subsections), ["Advanced"]);
    assert!(subsections.contains("<a class=\"card-link\" href=\"/guides/advanced/\">Advanced</a>"));
}

#[test]

fn section_cards_show_descriptions() {
    let site = Site::new("basic-site");
    site.built();
    let html = site.page("guides/index.html");
    // section.html prints `p.description` under each card; zulu.md and advanced/_index.md have one.
    let pages = between(&html, "aria-labelledby=\"section-pages\"", "</section>");
    assert!(pages.contains("<p>The first guide to read.</p>"), "{pages}");
    let subsections = between(&html, "aria-labelledby=\"section-subsections\"", "</section>");
    assert!(subsections.contains("<p>For people who know the basics.</p>"), "{subsections}");
}

// ---------------------------------------------------------------------------------------------
// Drafts

#[test]
fn drafts_are_left_out_by_default() {
    let site = Site::new("basic-site");
    let report = site.built();
    assert!(!site.out().join("guides/wip").exists());
    for file in site.files() {
        let text = String::from_utf8_lossy(&tree(&site.out())[&file]).into_owned();
        assert!(!text.contains("Work In Progress") && !text.contains("/guides/wip/"), "draft leaked into {file}");
    }
    assert_eq!(report.pages, 15);
}

#[test]
fn drafts_are_built_with_the_drafts_option() {
    let site = Site::new("basic-site");
    let report = handbook::build(&BuildOptions { drafts: true, ..site.options() }).unwrap();
    assert_eq!(report.pages, 16);
    let html = site.page("guides/wip/index.html");
    assert!(html.contains("<h1>Work In Progress</h1>"));
    assert!(sidebar(&html).contains("<a href=\"/guides/wip/\" aria-current=\"page\">Work In Progress</a>"));
    assert!(site.page("sitemap.xml").contains("<loc>https://docs.example.test/guides/wip/</loc>"));
}

// ---------------------------------------------------------------------------------------------
// Aliases, _redirects, sitemap

#[test]
fn aliases_become_redirect_pages() {
    let site = Site::new("basic-site");
    site.built();
    for alias in ["old/alpha/index.html", "older/alpha-guide/index.html"] {
        let html = site.page(alias);
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/guides/alpha/\">"), "{alias}:\n{html}");
        assert!(html.contains("<link rel=\"canonical\" href=\"/guides/alpha/\">"), "{alias}:\n{html}");
        assert!(html.contains("<a href=\"/guides/alpha/\">"), "{alias}:\n{html}");
    }
}

#[test]
fn redirects_file_lists_every_alias() {
    let site = Site::new("basic-site");
    site.built();
    let redirects = site.page("_redirects");
    let lines: Vec<&str> = redirects.lines().collect();
    assert!(lines.contains(&"/old/alpha/ /guides/alpha/ 301"), "{redirects}");
    assert!(lines.contains(&"/older/alpha-guide/ /guides/alpha/ 301"), "{redirects}");
    assert!(lines.iter().all(|l| l.ends_with(" 301") && l.split(' ').count() == 3), "{redirects}");
    assert!(lines.iter().any(|l| l.ends_with(" /guides/bravo/ 301")), "{redirects}");
}

#[test]

fn html_alias_is_redirected_from_its_own_path() {
    let site = Site::new("basic-site");
    site.built();
    // A visitor with the old bookmark requests `/legacy/bravo.html`: a static host serves that file
    // (GitHub Pages) or applies a `_redirects` rule for that exact path (GitLab Pages).
    let html = site.page("legacy/bravo.html");
    assert!(html.contains("url=/guides/bravo/"), "{html}");
    assert!(site.page("_redirects").lines().any(|l| l == "/legacy/bravo.html /guides/bravo/ 301"), "{}", site.page("_redirects"));
}

#[test]
fn sitemap_lists_every_page_and_nothing_else() {
    let site = Site::new("basic-site");
    site.built();
    let sitemap = site.page("sitemap.xml");
    assert!(
        sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
    );
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|s| &s[..s.find("</loc>").unwrap()]).collect();
    let expected: Vec<String> = [
        "",
        "elsewhere/custom/",
        "guides/",
        "guides/advanced/",
        "guides/advanced/deep/",
        "guides/alpha/",
        "guides/bravo/",
        "guides/bundle/",
        "guides/charlie/",
        "guides/delta/",
        "guides/extra/notes/",
        "guides/screenshots/",
        "guides/zulu/",
        "new-name/",
        "plain/",
    ]
    .iter()
    .map(|p| format!("https://docs.example.test/{p}"))
    .collect();
    assert_eq!(locs, expected);
    // `lastmod` from front matter reaches the sitemap and the page footer.
    assert!(sitemap.contains("<url><loc>https://docs.example.test/plain/</loc><lastmod>2024-02-03</lastmod></url>"), "{sitemap}");
    assert!(site.page("plain/index.html").contains("Last updated <time datetime=\"2024-02-03\">2024-02-03</time>"));
}

// ---------------------------------------------------------------------------------------------
// Table of contents

#[test]
fn toc_lists_h2_to_h4_nested() {
    let site = Site::new("markdown-site");
    site.built();
    let html = site.page("toc/index.html");
    let toc = between(&html, "<nav class=\"toc\" aria-label=\"On this page\">", "</nav>");
    assert_eq!(link_texts(toc), ["Getting Started", "Install The Tool", "Check The Version", "Next Steps", "Second Subsection"]);
    assert!(!toc.contains("a-level-one-heading") && !toc.contains("too-deep-for-the-toc"), "{toc}");
    // Nested by level: h4 inside h3 inside h2.
    assert!(
        toc.contains("<li><a href=\"#getting-started\">Getting Started</a><ul>\n<li><a href=\"#install-the-tool\">Install The Tool</a><ul>\n<li><a href=\"#check-the-version\">Check The Version</a></li>\n</ul></li>\n</ul></li>"),
        "{toc}"
    );
    assert!(html.contains("<h5 id=\"too-deep-for-the-toc\">"), "the h5 is still rendered");
}

#[test]
fn toc_false_hides_the_toc() {
    let site = Site::new("markdown-site");
    site.built();
    let html = site.page("no-toc/index.html");
    assert!(!html.contains("class=\"toc"), "{}", main_area(&html));
    assert!(!html.contains("has-toc"));
    // The headings themselves are still there with their ids.
    assert!(html.contains("<h2 id=\"first-part\">First Part"));
}

#[test]
fn legacy_kramdown_toc_marker_becomes_the_toc() {
    let site = Site::new("kramdown-site");
    let legacy = std::fs::read_to_string(LANDING_LEGACY).expect("legacy landing page");
    site.write("content/legacy.md", &legacy);
    let report = site.built();
    assert!(!report.has_errors());
    let html = site.page("legacy/index.html");
    let main = main_area(&html);
    // The marker's place holds the TOC, and only one TOC is shown.
    let toc = between(main, "<nav class=\"toc inline-toc\" aria-label=\"On this page\">", "</nav>");
    assert_eq!(
        link_texts(toc),
        [
            "Why the team exists",
            "What we do",
            "Working with each group",
            "Engineering work",
            "Everything else",
            "Security reviews",
            "Who owns which project",
            "Recordings",
            "Older findings"
        ]
    );
    assert_eq!(main.matches("aria-label=\"On this page\"").count(), 1, "{main}");
    let marker = main.find("<nav class=\"toc inline-toc\"").unwrap();
    assert!(main.find("<h2 id=\"on-this-page\"").unwrap() < marker && marker < main.find("<h2 id=\"why-the-team-exists\"").unwrap());
    // The `.no_toc` heading is rendered with its classes but left out of the TOC.
    assert!(main.contains("<h2 id=\"on-this-page\" class=\"no_toc hidden-md hidden-lg\">On this page"), "{main}");
    assert!(!toc.contains("on-this-page"));
    // No kramdown syntax leaks anywhere in the output (the pages: the theme's scripts are
    // minified JavaScript, where `{:` is ordinary), and the `* TOC` item is gone.
    for (file, bytes) in tree(&site.out()).into_iter().filter(|(file, _)| !file.ends_with(".js")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("{:"), "`{{:` leaked into {file}");
    }
    assert!(!main.contains("<li>TOC</li>") && !main.contains(">TOC<"), "{main}");
    // `layout: handbook-page-toc` is accepted and renders as a page.
    assert!(html.contains("<article class=\"page page-page\">"));
    assert!(html.contains("<h1>Application Security</h1>"));
}

// ---------------------------------------------------------------------------------------------
// Heading ids, highlighting, HTML, front matter, titles

#[test]
fn heading_ids_are_unique_github_slugs() {
    let site = Site::new("markdown-site");
    site.built();
    let html = site.page("ids/index.html");
    let ids: Vec<&str> = html.split("<h2 id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert_eq!(ids, ["roles--responsibilities", "notes", "notes-1", "notes-2", "my-anchor", "whats-new-v20", "my-anchor-1"]);
    // Each heading links to itself; the TOC uses the same ids.
    assert!(html.contains("<a class=\"anchor\" href=\"#notes-2\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section</span></a>"));
    assert!(html.contains("<li><a href=\"#my-anchor\">Custom Anchor</a></li>"));
    // The typographer curls the apostrophe; the id is the one of the text as written.
    assert!(html.contains("<h2 id=\"whats-new-v20\">What&rsquo;s <code>new</code>? (v2.0)"));
}

/// Blocks are highlighted per batch, grouped by language, and put back by position: each must
/// come back to its own page, in its own place.
#[test]
fn code_blocks_highlighted_together_return_to_their_own_pages() {
    let site = Site::new("markdown-site");
    let langs = ["rust", "python", "yaml", "bash", "nolang", ""];
    for i in 0..40 {
        let (a, b) = (langs[i % langs.len()], langs[(i * 7 + 3) % langs.len()]);
        site.write(
            &format!("content/many/page-{i:02}.md"),
            &format!("---\ntitle: Page {i}\n---\n\nBefore.\n\n```{a}\nfirst_{i} = {i}\n```\n\nBetween.\n\n```{b}\nsecond_{i} = {i}\n```\n\nAfter.\n"),
        );
    }
    site.built();
    for i in 0..40 {
        let html = site.page(&format!("many/page-{i:02}/index.html"));
        assert!(!html.contains('\u{1A}'), "page {i} kept a placeholder");
        let at = |text: &str| html.find(text).unwrap_or_else(|| panic!("page {i}: no {text:?}"));
        let (first, second) = (at(&format!("first_{i}")), at(&format!("second_{i}")));
        assert!(at("Before.") < first && first < at("Between.") && at("Between.") < second && second < at("After."), "page {i}");
        for (n, lang) in [(0, langs[i % langs.len()]), (1, langs[(i * 7 + 3) % langs.len()])] {
            if !lang.is_empty() {
                let block = html.split("<pre class=\"code\"").nth(n + 1).unwrap();
                assert!(block.starts_with(&format!(" data-lang=\"{lang}\"")), "page {i}, block {n}: {block}");
            }
        }
    }
}

/// 300 pages and the fixture's own make three batches (about 155, 128 and 28; see
/// `pipeline::batches`), which render as a pipeline: one batch through its templates while the next
/// is highlighted and the one after drafted. Every page must still get its own text and code,
/// and every batch must be written.
#[test]
fn pages_rendered_in_pipelined_batches_keep_their_own_code() {
    let site = Site::new("markdown-site");
    let langs = ["rust", "python", "yaml", "bash"];
    for i in 0..300 {
        let lang = langs[i % langs.len()];
        site.write(
            &format!("content/many/page-{i:03}.md"),
            &format!("---\ntitle: Page {i}\n---\n\nText {i}.\n\n```{lang}\nvalue_{i} = {i}\n```\n"),
        );
    }
    site.built();
    for i in 0..300 {
        let html = site.page(&format!("many/page-{i:03}/index.html"));
        assert!(html.contains(&format!("<p>Text {i}.</p>")), "page {i}");
        let block = between(&html, "<pre class=\"code\"", "</pre>");
        assert!(block.contains(&format!("data-lang=\"{}\"", langs[i % langs.len()])), "page {i}: {block}");
        let text: String = block.split('<').filter_map(|part| part.split_once('>').map(|(_, text)| text)).collect();
        assert_eq!(text, format!("value_{i} = {i}\n"), "page {i}: {block}");
    }
}

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let site = Site::new("markdown-site");
    site.built();
    let html = site.page("code/index.html");
    let rust = between(&html, "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">", "</pre>");
    // Only the classes the stylesheets use (see the next tests).
    assert!(rust.contains("<span class=\"hl-keyword\">fn</span>"), "{rust}");
    assert!(rust.contains("<span class=\"hl-entity hl-name hl-function\">main</span>"), "{rust}");
    let yaml = between(&html, "<pre class=\"code\" data-lang=\"yaml\">", "</pre>");
    assert!(yaml.contains("<span class=\"hl-entity hl-name hl-tag\">key</span>"), "{yaml}");
    // No inline styles: colors come from the theme CSS.
    assert!(!rust.contains("style="));
    // A block without a language is escaped text, not highlighted.
    assert!(html.contains("<pre class=\"code\"><code>plain &lt;text&gt; block\n</code></pre>"));
    // Both syntax stylesheets ship and the page links them (their content: see the next test).
    for css in ["css/syntax-light.css", "css/syntax-dark.css"] {
        assert!(site.exists(css), "{css} missing");
        assert!(html.contains(&format!("href=\"/{css}\"")), "{css} not linked");
    }
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/css/syntax-dark.css\" media=\"(prefers-color-scheme: dark)\" id=\"syntax-dark\">")
    );
}

#[test]

fn syntax_stylesheets_style_the_hl_classes() {
    let site = Site::new("markdown-site");
    site.built();
    let html = site.page("code/index.html");
    for css in ["css/syntax-light.css", "css/syntax-dark.css"] {
        let text = site.page(css);
        // The class the Rust block uses for the `fn` keyword has a rule, in both themes.
        assert!(html.contains("<span class=\"hl-keyword\">fn</span>"));
        assert!(text.contains(".hl-keyword {"), "{css} has no rule for .hl-keyword ({} bytes)", text.len());
        assert!(text.contains(".hl-code") || text.contains("background-color"), "{css} sets no code background");
    }
    assert_ne!(site.page("css/syntax-light.css"), site.page("css/syntax-dark.css"), "light and dark must differ");
}

#[test]
fn code_keeps_the_hl_classes_a_site_stylesheet_or_template_names() {
    let site = Site::new("markdown-site");
    site.built();
    let rust = |site: &Site| between(&site.page("code/index.html"), "data-lang=\"rust\">", "</pre>").to_string();
    assert!(!rust(&site).contains("hl-rust"), "no shipped rule names the language: {}", rust(&site));
    site.write("static/css/rust.css", "/* site stylesheet */\n.hl-source.hl-rust .hl-storage { text-decoration: underline; }\n");
    site.built();
    assert!(rust(&site).contains("<span class=\"hl-source hl-rust\">"), "{}", rust(&site));
    let base = include_str!("../../themes/handbook/templates/base.html")
        .replace("</head>", "<style>.hl-punctuation.hl-section { color: red }</style>\n</head>");
    site.write("themes/handbook/templates/base.html", &base);
    site.built();
    assert!(rust(&site).contains("hl-punctuation hl-section"), "{}", rust(&site));
}

#[test]
fn html_comments_are_dropped_and_raw_html_passes_through() {
    let site = Site::new("markdown-site");
    site.built();
    let html = site.page("html/index.html");
    for secret in ["markdownlint", "inline-secret", "block-secret", "<!--"] {
        assert!(!html.contains(secret), "`{secret}` leaked:\n{}", main_area(&html));
    }
    assert!(html.contains("<p>Before the comment  after the comment.</p>"));
    assert!(html.contains("<div class=\"raw-box\" id=\"raw-box\"><strong>raw bold</strong> <em>kept</em></div>"));
    assert!(html.contains("<details><summary>More</summary>\n<p>Hidden <em>markdown</em> inside details.</p>\n</details>"));
    assert!(html.contains("<p>Final paragraph.</p>"));
}

#[test]
fn yaml_and_toml_front_matter_are_read() {
    let site = Site::new("markdown-site");
    site.built();
    let toml = site.page("toml-page/index.html");
    assert!(toml.contains("<title>TOML Front Matter · Markdown Fixture</title>"));
    assert!(toml.contains("<meta name=\"description\" content=\"A page whose front matter is TOML.\">"));
    assert!(toml.contains("<ul class=\"tags\"><li class=\"tag\"><a href=\"/tags/alpha/\" rel=\"tag\">alpha</a></li><li class=\"tag\"><a href=\"/tags/beta/\" rel=\"tag\">beta</a></li></ul>"));
    assert!(!toml.contains("+++") && !toml.contains("title ="), "front matter leaked into the page");
    let yaml = site.page("toc/index.html");
    assert!(yaml.contains("<h1>Table Of Contents</h1>"));
    assert!(!yaml.contains("title: Table"), "front matter leaked into the page");
}

#[test]
fn titles_fall_back_to_the_first_h1_then_the_file_name() {
    let site = Site::new("markdown-site");
    site.built();
    let h1 = site.page("h1-title/index.html");
    // The `# not a heading` inside a code fence is skipped.
    assert!(h1.contains("<title>Title From Heading · Markdown Fixture</title>"), "{h1}");
    assert!(h1.contains("<span aria-current=\"location\">Title From Heading</span>"));
    let name = site.page("file-name-title/index.html");
    assert!(name.contains("<title>File name title · Markdown Fixture</title>"));
    assert!(name.contains("<h1>File name title</h1>"));
    // The sidebar uses the same titles.
    let home = site.page("index.html");
    assert!(sidebar(&home).contains(">Title From Heading</a>") && sidebar(&home).contains(">File name title</a>"));
}

#[test]
fn titles_and_descriptions_are_escaped() {
    let site = Site::new("markdown-site");
    site.built();
    let html = site.page("escape/index.html");
    assert!(html.contains("<h1>Q&amp;A &lt;Tips&gt;</h1>"), "{}", main_area(&html));
    assert!(sidebar(&html).contains("Q&amp;A &lt;Tips&gt;</a>"));
    assert!(html.contains("<title>Q&amp;A &lt;Tips&gt; · Markdown Fixture</title>"));
    assert!(!html.contains("<Tips>") && !html.contains("<tags>"));
    assert!(html.contains("<meta name=\"description\" content=\"Quotes &quot; and &lt;tags&gt; are escaped\">"), "{html}");
}

/// A fence in a language no grammar knows is rendered as plain code, with a warning at the
/// language as written (inside a shortcode's Markdown too); `text` is plain on purpose.
#[test]
fn unknown_fence_language_is_a_warning_at_its_line() {
    let site = Site::new("markdown-site");
    let page = "---\ntitle: Languages\n---\n\nIntro.\n\n{{% details \"More\" %}}\n```klingon\nqapla'\n```\n{{% /details %}}\n\n```text\nplain on purpose\n```\n\n   ```nolang\n   <x>\n   ```\n";
    site.write("content/languages.md", page);
    let report = site.built();
    let warnings: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.code == "unknown-language").collect();
    let found: Vec<_> = warnings.iter().map(|w| (w.file.clone(), w.line_col(), w.target.clone().unwrap(), w.severity)).collect();
    let file = PathBuf::from("content/languages.md");
    assert_eq!(
        found,
        [(file.clone(), (8, 4), "klingon".to_string(), Severity::Warning), (file, (17, 7), "nolang".to_string(), Severity::Warning)],
        "{}",
        render_text(&report.diagnostics, false)
    );
    let text = render_text(&report.diagnostics, false);
    assert!(text.contains("warning[unknown-language]: no syntax highlighting for `klingon`: the block is shown as plain code"), "{text}");
    assert!(text.contains("--> content/languages.md:8:4"), "{text}");
    let html = site.page("languages/index.html");
    assert!(html.contains("<code class=\"language-klingon\">qapla&#39;\n</code>"), "{html}");
    assert!(html.contains("<code class=\"language-nolang\">&lt;x&gt;\n</code>"), "{html}");
    assert!(html.contains("<code class=\"language-text\">plain on purpose\n</code>"), "{html}");
}

#[test]
fn misspelt_front_matter_key_is_a_warning_with_a_suggestion() {
    let site = Site::new("markdown-site");
    let report = handbook::check(&site.options()).expect("check runs");
    let warnings: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.code == "unknown-front-matter-key").collect();
    assert_eq!(warnings.len(), 1, "{}", render_text(&report.diagnostics, false));
    let w = warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.file, Path::new("content/misspelt.md"));
    assert_eq!(w.line_col(), (3, 1));
    assert_eq!(w.suggestion.as_deref(), Some("title"));
    let text = render_text(&report.diagnostics, false);
    assert!(text.contains("warning[unknown-front-matter-key]: front matter key `titel` is not one the generator knows"), "{text}");
    assert!(text.contains("--> content/misspelt.md:3:1"), "{text}");
    assert!(text.contains("^^^^^ did you mean `title`?"), "{text}");
    assert!(!report.has_errors());
    // A warning does not fail the build, and the misspelt key is not taken as the title.
    let report = site.built();
    assert!(report.diagnostics.iter().any(|d| d.code == "unknown-front-matter-key"));
    assert!(site.page("misspelt/index.html").contains("<h1>Misspelt Key Page</h1>"));
}

// ---------------------------------------------------------------------------------------------
// Theme

#[test]
fn site_template_overrides_one_embedded_template() {
    let site = Site::new("theme-override");
    site.built();
    let about = site.page("about/index.html");
    // page.html comes from the site's theme folder...
    assert!(about.contains("<article class=\"overridden-page\" data-template=\"site-override\">"), "{about}");
    assert!(about.contains("<h1 class=\"override-title\">About Us</h1>"));
    assert!(about.contains("<h2 id=\"who-we-are\">Who We Are"));
    assert!(!about.contains("<article class=\"page page-page\">"));
    // ...while base.html, sidebar.html, section.html and 404.html stay embedded.
    assert!(about.contains("<header class=\"site-header\">"));
    assert!(about.contains("<nav class=\"sidebar\" aria-label=\"Section navigation\">"));
    assert!(site.page("index.html").contains("data-template=\"site-override\""), "section.html extends the overridden page.html");
    assert!(site.page("404.html").contains("<h1>Page not found</h1>"));
    // The embedded assets are still published, and the theme folder's static files are added.
    assert!(site.page("css/handbook.css").len() > 100);
    assert!(site.page("css/custom.css").contains(".overridden-page"));
}

/// Template contexts are reused from page to page on a thread: nothing of one page may show on
/// the next, and `data` stays available to all.
#[test]
fn reused_template_context_keeps_no_section_listing_for_the_next_page() {
    let site = Site::new("basic-site");
    site.write(
        "themes/handbook/templates/probe.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"probe\">{{ page.title }}|{% if section is defined %}section:{{ section.pages | length }}{% else %}no-section{% endif %}|team:{{ data.team.lead }}</p>{% endblock content %}",
    );
    site.write("data/team.yml", "lead: Sam\n");
    for s in 0..12 {
        site.write(&format!("content/s{s:02}/_index.md"), &format!("---\ntitle: Section {s}\nlayout: probe\n---\n"));
        for p in 0..3 {
            site.write(&format!("content/s{s:02}/p{p}.md"), &format!("---\ntitle: Page {s}-{p}\nlayout: probe\n---\n"));
        }
    }
    site.built();
    for s in 0..12 {
        let section = site.page(&format!("s{s:02}/index.html"));
        assert!(section.contains(&format!("<p class=\"probe\">Section {s}|section:3|team:Sam</p>")), "{section}");
        for p in 0..3 {
            let page = site.page(&format!("s{s:02}/p{p}/index.html"));
            assert!(page.contains(&format!("<p class=\"probe\">Page {s}-{p}|no-section|team:Sam</p>")), "{page}");
        }
    }
}

#[test]
fn site_without_themes_folder_uses_the_embedded_theme() {
    let site = Site::new("basic-site");
    assert!(!site.root().join("themes").exists());
    site.built();
    let html = site.page("plain/index.html");
    assert!(html.contains("<article class=\"page page-page\">") && html.contains("<header class=\"site-header\">"));
    assert!(site.exists("css/handbook.css"));
}

#[test]
fn minimal_site_without_root_index_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("handbook.toml"), "title = \"Tiny\"\nbase_url = \"https://tiny.example.test/\"\n").unwrap();
    std::fs::write(root.join("content/only.md"), "Just one page.\n").unwrap();
    let out = tmp.path().join("public");
    let report =
        handbook::build(&BuildOptions { root, output: Some(out.clone()), source_date_epoch: Some(EPOCH), ..Default::default() }).unwrap();
    assert_eq!(report.pages, 2, "the page and a generated home page");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("<h1>Tiny</h1>"), "{home}");
    assert!(home.contains("<a href=\"/only/\">Only</a>"));
    assert!(out.join("only/index.html").is_file());
}

// ---------------------------------------------------------------------------------------------
// Content walk

#[test]
fn hidden_and_editor_temp_files_are_skipped() {
    let site = Site::new("basic-site");
    for junk in
        ["content/.hidden.md", "content/plain.md~", "content/.#plain.md", "content/#plain.md#", "content/.plain.md.swp", "content/4913"]
    {
        site.write(junk, "---\ntitle: Junk Page\n---\n");
    }
    site.write("content/.git-notes/page.md", "---\ntitle: Junk Page\n---\n");
    let report = site.built();
    assert_eq!(report.pages, 15);
    for (file, bytes) in tree(&site.out()) {
        assert!(!String::from_utf8_lossy(&bytes).contains("Junk Page"), "junk in {file}");
        assert!(!file.contains("hidden") && !file.contains('~') && !file.contains("4913") && !file.contains("swp"), "junk file {file}");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_under_content_are_not_followed() {
    let site = Site::new("basic-site");
    let outside = site.tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.md"), "---\ntitle: Outside Secret\n---\n").unwrap();
    std::os::unix::fs::symlink(&outside, site.root().join("content/linked")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.md"), site.root().join("content/linked-file.md")).unwrap();
    let report = site.built();
    assert_eq!(report.pages, 15);
    assert!(!site.out().join("linked").exists() && !site.out().join("linked-file").exists(), "{:?}", site.files());
}

// ---------------------------------------------------------------------------------------------
// Determinism and dates

#[test]
fn two_builds_are_byte_identical() {
    for fixture in ["basic-site", "markdown-site", "theme-override"] {
        let site = Site::new(fixture);
        let first = site.tmp.path().join("first");
        let second = site.tmp.path().join("second");
        let a = handbook::build(&BuildOptions { output: Some(first.clone()), ..site.options() }).unwrap();
        let b = handbook::build(&BuildOptions { output: Some(second.clone()), ..site.options() }).unwrap();
        let (ta, tb) = (tree(&first), tree(&second));
        assert!(ta.len() > 10, "{fixture}: output too small: {:?}", ta.keys());
        assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>(), "{fixture}: different file lists");
        for (path, bytes) in &ta {
            assert!(bytes == &tb[path], "{fixture}: {path} differs between two builds");
        }
        assert_eq!(a.digest, b.digest, "{fixture}");
        assert!(a.digest.as_deref().is_some_and(|d| d.len() == 64));
    }
}

#[test]
fn dates_come_from_source_date_epoch_never_the_clock() {
    let site = Site::new("basic-site");
    site.built();
    assert!(site.page("guides/alpha/index.html").contains(&format!("Last updated <time datetime=\"{EPOCH_DATE}\">{EPOCH_DATE}</time>")));
    // Outside git and without SOURCE_DATE_EPOCH a page has no date at all.
    handbook::build(&BuildOptions { source_date_epoch: None, ..site.options() }).unwrap();
    let html = site.page("guides/alpha/index.html");
    assert!(!html.contains("Last updated"), "{}", main_area(&html));
    assert!(!site.page("sitemap.xml").contains("<loc>https://docs.example.test/guides/alpha/</loc><lastmod>"));
}

// ---------------------------------------------------------------------------------------------
// Output folder safety and staging

#[test]
fn output_folder_may_not_be_the_root_content_or_their_parent() {
    let site = Site::new("basic-site");
    let root = site.root();
    let before = tree(site.tmp.path());
    for (what, output) in [
        ("the site root", root.clone()),
        ("content/", root.join("content")),
        ("a folder inside content/", root.join("content/guides")),
        ("static/", root.join("static")),
        ("the parent of the root", site.tmp.path().to_path_buf()),
        ("the root via ..", root.join("content/..")),
    ] {
        match handbook::build(&BuildOptions { output: Some(output.clone()), ..site.options() }) {
            Err(Error::Usage(message)) => assert!(message.contains("refusing to build into"), "{what}: {message}"),
            other => panic!("{what} ({}): expected a usage error, got {other:?}", output.display()),
        }
        assert!(tree(site.tmp.path()) == before, "{what}: files were written or deleted");
    }
}

#[test]
fn output_folder_error_exits_with_status_2() {
    let site = Site::new("basic-site");
    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.root().join("content"))
        .env("SOURCE_DATE_EPOCH", EPOCH.to_string())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("refusing to build into"));
}

/// The output folder and what lies beside it (no staging leftovers).
fn beside_output(site: &Site) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(site.tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn failed_build_keeps_the_old_output_broken_link() {
    let site = Site::new("basic-site");
    site.built();
    let before = tree(&site.out());
    assert!(before.contains_key("guides/alpha/index.html"));
    site.write("content/guides/broken.md", "---\ntitle: Broken\n---\n\nSee [nowhere](missing-page.md).\n");
    let errors = site_errors(site.build());
    let broken: Vec<&Diagnostic> = errors.iter().filter(|d| d.code == "broken-link").collect();
    assert_eq!(broken.len(), 1, "{}", render_text(&errors, false));
    assert_eq!((broken[0].file.as_path(), broken[0].line_col()), (Path::new("content/guides/broken.md"), (5, 15)));
    assert!(tree(&site.out()) == before, "the previous public/ changed");
    assert!(!site.out().join("guides/broken").exists());
    assert_eq!(beside_output(&site), ["public", "site"], "a staging folder was left behind");
}

#[test]
fn failed_build_keeps_the_old_output_bad_front_matter() {
    let site = Site::new("basic-site");
    site.built();
    let before = tree(&site.out());
    site.write("content/plain.md", "---\ntitle: [unclosed\n---\n\nChanged body.\n");
    let errors = site_errors(site.build());
    assert!(
        errors.iter().any(|d| d.code == "yaml-front-matter" && d.file == Path::new("content/plain.md")),
        "{}",
        render_text(&errors, false)
    );
    assert!(tree(&site.out()) == before, "the previous public/ changed");
    assert_eq!(beside_output(&site), ["public", "site"], "a staging folder was left behind");
    // Fixing the page and building again replaces the output.
    site.write("content/plain.md", "---\ntitle: Plain Again\n---\n\nChanged body.\n");
    site.built();
    assert!(site.page("plain/index.html").contains("<h1>Plain Again</h1>"));
    assert_eq!(beside_output(&site), ["public", "site"]);
}

#[test]
fn successful_rebuild_removes_stale_files() {
    let site = Site::new("basic-site");
    site.built();
    std::fs::write(site.out().join("stale.html"), "left from an old build").unwrap();
    std::fs::remove_file(site.root().join("content/guides/charlie.md")).unwrap();
    site.built();
    assert!(!site.exists("stale.html") && !site.exists("guides/charlie/index.html"), "{:?}", site.files());
    assert!(site.exists("guides/alpha/index.html"));
    assert_eq!(beside_output(&site), ["public", "site"]);
}

// ---------------------------------------------------------------------------------------------
// Invalid sites: the rendered message with file:line:column

#[test]
fn bad_yaml_front_matter_is_reported_at_its_line_in_the_file() {
    let site = Site::new("invalid-yaml");
    let errors = site_errors(site.build());
    let text = render_text(&errors, false);
    // A type error: the value `heavy` on line 3 (line 2 of the block).
    assert!(
        text.contains("error[yaml-front-matter]: invalid front matter: weight: invalid type: string \"heavy\", expected i64"),
        "{text}"
    );
    assert!(text.contains("--> content/bad.md:3:9"), "{text}");
    assert!(text.contains("3 | weight: heavy"), "{text}");
    // A syntax error: the flow list opened on line 3 is still open at the `:` of line 4.
    assert!(text.contains("error[yaml-front-matter]: invalid front matter: did not find expected ',' or ']'"), "{text}");
    assert!(text.contains("--> content/syntax.md:4:12"), "{text}");
    assert!(text.contains("4 | description: the list above is never closed"), "{text}");
    assert_eq!(errors.len(), 2, "{text}");
    assert!(!site.out().exists(), "nothing is published");
}

#[test]
fn bad_toml_front_matter_is_reported_at_its_line_in_the_file() {
    let site = Site::new("invalid-toml");
    let errors = site_errors(site.build());
    let text = render_text(&errors, false);
    assert_eq!(errors.len(), 1, "{text}");
    assert_eq!(errors[0].code, "toml-front-matter");
    assert!(text.contains("error[toml-front-matter]: invalid front matter:"), "{text}");
    assert!(text.contains("--> content/bad.md:4:10"), "{text}");
    assert!(text.contains("4 | weight = = 3"), "{text}");
}

#[test]
fn unclosed_front_matter_is_an_error_at_the_opening_line() {
    let site = Site::new("invalid-unclosed");
    let errors = site_errors(site.build());
    let text = render_text(&errors, false);
    assert_eq!(errors.len(), 1, "{text}");
    assert!(text.contains("error[front-matter-unclosed]: front matter is opened here but never closed"), "{text}");
    assert!(text.contains("--> content/bad.md:1:1"), "{text}");
    assert!(text.contains("^^^ no closing delimiter line after this"), "{text}");
}

#[test]
fn unknown_config_key_suggests_the_right_one() {
    let site = Site::new("invalid-config-key");
    let errors = config_errors(site.build());
    let text = render_text(&errors, false);
    assert_eq!(errors.len(), 1, "{text}");
    assert!(text.contains("error[unknown-key]: unknown key `levle` in handbook.toml"), "{text}");
    assert!(text.contains("--> handbook.toml:5:1"), "{text}");
    assert!(text.contains("5 | levle = \"error\""), "{text}");
    assert!(text.contains("^^^^^ did you mean `level`?"), "{text}");
    assert!(!site.out().exists(), "nothing is published");
}

#[test]
fn missing_config_names_the_folder_and_init() {
    let site = Site::new("no-config");
    match site.build() {
        Err(e @ Error::MissingConfig(_)) => {
            let message = e.to_string();
            let folder = std::fs::canonicalize(site.root()).unwrap();
            assert!(message.contains(&format!("no handbook.toml in {}", folder.display())), "{message}");
            assert!(message.contains("handbook init"), "{message}");
            assert_eq!(e.exit_code(), 2);
        }
        other => panic!("expected a missing config error, got {other:?}"),
    }
    assert!(!site.out().exists());
}

#[test]
fn duplicate_urls_are_an_error() {
    let site = Site::new("basic-site");
    site.write("content/clash.md", "---\ntitle: Clash\nslug: plain\n---\n\nSame URL as plain.md.\n");
    let errors = site_errors(site.build());
    let text = render_text(&errors, false);
    let dup: Vec<&Diagnostic> = errors.iter().filter(|d| d.code == "duplicate-url").collect();
    assert_eq!(dup.len(), 1, "{text}");
    // One of the two pages is reported, naming the other.
    let (reported, other) = if dup[0].file == Path::new("content/plain.md") { ("plain", "clash") } else { ("clash", "plain") };
    assert_eq!(dup[0].file, Path::new(&format!("content/{reported}.md")));
    assert_eq!(dup[0].message, format!("this page's URL `/plain/` is also the URL of content/{other}.md"), "{text}");
    assert!(dup[0].location.is_some(), "{text}");
    assert!(!site.out().exists());
}

// ---------------------------------------------------------------------------------------------
// Snapshots of key pages

#[test]
fn snapshot_key_pages() {
    let site = Site::new("basic-site");
    site.built();
    insta::assert_snapshot!("basic_site_alpha_page", site.page("guides/alpha/index.html"));
    insta::assert_snapshot!("basic_site_guides_section_main", main_area(&site.page("guides/index.html")));
    insta::assert_snapshot!("basic_site_bundle_main", main_area(&site.page("guides/bundle/index.html")));
}

/// The reader's pages of the theme: the tag index, one tag's page, a runbook with tags (its tag
/// links, previous/next, table of contents).
#[test]
fn snapshot_reader_pages() {
    let site = Site::new("data-site");
    site.built();
    insta::assert_snapshot!("data_site_tags_main", main_area(&site.page("tags/index.html")));
    insta::assert_snapshot!("data_site_tag_triage_main", main_area(&site.page("tags/triage/index.html")));
    insta::assert_snapshot!("data_site_runbook_main", main_area(&site.page("runbooks/fresh/index.html")));
}

// ---------------------------------------------------------------------------------------------
// The binary

fn handbook_bin(site: &Site) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_handbook"));
    command.env("SOURCE_DATE_EPOCH", EPOCH.to_string()).env("NO_COLOR", "1").env_remove("HANDBOOK_BASE_URL").current_dir(site.tmp.path());
    command
}

#[test]
fn binary_builds_a_site_and_exits_0() {
    let site = Site::new("basic-site");
    let output = handbook_bin(&site).args(["build", "--root"]).arg(site.root()).arg("--output").arg(site.out()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("Built 15 pages"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("output digest: blake3:"));
    assert!(site.page("guides/alpha/index.html").contains("<h1>Alpha</h1>"));
    assert!(site.page("guides/alpha/index.html").contains(EPOCH_DATE), "SOURCE_DATE_EPOCH is read from the environment");
    // `--drafts` reaches the library.
    let output =
        handbook_bin(&site).args(["build", "--drafts", "--root"]).arg(site.root()).arg("--output").arg(site.out()).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(site.exists("guides/wip/index.html"));
}

#[test]
fn binary_exits_1_on_site_errors_with_file_line_column() {
    let site = Site::new("invalid-yaml");
    let output = handbook_bin(&site).args(["build", "--root"]).arg(site.root()).arg("--output").arg(site.out()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/bad.md:3:9"), "{stderr}");
    assert!(stderr.contains("content/syntax.md:4:12"), "{stderr}");
    assert!(!stderr.contains("\u{1b}["), "no color when stderr is not a terminal");
    assert!(!site.out().exists());
}

#[test]
fn binary_exits_2_on_config_errors() {
    let site = Site::new("invalid-config-key");
    let output = handbook_bin(&site).args(["build", "--root"]).arg(site.root()).arg("--output").arg(site.out()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("handbook.toml:5:1"), "{stderr}");
    assert!(stderr.contains("did you mean `level`?"), "{stderr}");

    let site = Site::new("no-config");
    let output = handbook_bin(&site).args(["build", "--root"]).arg(site.root()).arg("--output").arg(site.out()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no handbook.toml in") && stderr.contains("handbook init"), "{stderr}");
}

#[test]
fn site_templates_override_one_file_and_a_theme_inherits_the_rest() {
    let site = Site::new("basic-site");
    // A theme folder with only a base template: page, section and the rest come from the
    // embedded theme.
    let config = std::fs::read_to_string(site.root().join("handbook.toml")).unwrap();
    site.write("handbook.toml", &config.replacen("title =", "theme = \"slim\"\ntitle =", 1));
    let base = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/handbook/templates/base.html")).unwrap();
    site.write("themes/slim/templates/base.html", &base.replacen("<body", "<body data-theme=\"slim\"", 1));
    // The site's own templates/ overrides one more file, as Hugo's layouts/ does.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost? {{ \"Try Search\" | slugify }}</p>{% endblock content %}",
    );
    site.built();
    let page = site.page("index.html");
    assert!(page.contains("data-theme=\"slim\""), "the theme's base");
    assert!(page.contains("class=\"sidebar\""), "the embedded sidebar, inherited");
    let lost = std::fs::read_to_string(site.out().join("404.html")).unwrap();
    assert!(lost.contains("<p>Lost? try-search</p>") && lost.contains("data-theme=\"slim\""), "{lost}");
}

#[test]
fn json_front_matter_is_read_like_yaml() {
    let site = Site::new("basic-site");
    site.write("content/json-page.md", "{\n  \"title\": \"From JSON\",\n  \"weight\": 1\n}\n\nBody text.\n");
    site.built();
    let page = site.page("json-page/index.html");
    assert!(page.contains("<title>From JSON"), "{page}");
    assert!(!page.contains("\"title\""), "the front matter is not rendered as text");
}
