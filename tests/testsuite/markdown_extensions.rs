//! Hugo's goldmark extensions on a whole site: links into footnotes pass the anchor check,
//! linkified URLs and addresses are links like any other, and `[markdown]` in handbook.toml turns
//! each extension off. (The HTML of each extension is compared with Hugo's in tests/testsuite/goldmark.rs.)

use handbook::diagnostics::render_text;
use handbook::BuildOptions;
use std::path::Path;

fn site(config_extra: &str, pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = format!("title = \"T\"\nbase_url = \"https://x.example/\"\n{config_extra}");
    std::fs::write(dir.path().join("handbook.toml"), config).unwrap();
    for (name, text) in pages {
        let path = dir.path().join("content").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), source_date_epoch: Some(1_795_000_000), verify: true, ..Default::default() }
}

/// Builds with `--verify` (every written URL parsed back and checked) and returns the report and
/// the HTML of `notes.md`.
fn build(root: &Path) -> (handbook::Report, String) {
    let report = match handbook::build(&options(root)) {
        Ok(report) => report,
        Err(handbook::Error::Site(d)) => panic!("{}", render_text(&d, false)),
        Err(e) => panic!("{e}"),
    };
    let page = std::fs::read_to_string(root.join("public/notes/index.html")).unwrap();
    (report, page)
}

const NOTES: &str = "---\ntitle: Notes\n---\nA claim[^src] and [the source](#fn:1), cited again[^src].\n\n\
                     [^src]: From [the claim](#fnref:1) and [its repeat](#fnref1:1).\n";

#[test]
fn links_into_footnotes_resolve_on_the_page_and_from_others() {
    let other = "---\ntitle: Other\n---\nSee [the note](notes.md#fn:1) and [a wrong one](notes.md#fn:2).\n";
    let dir = site("", &[("_index.md", "---\ntitle: Home\n---\nHome\n"), ("notes.md", NOTES), ("other.md", other)]);
    let report = handbook::check(&options(dir.path())).unwrap();
    let problems: Vec<_> = report.diagnostics.iter().map(|d| (d.file.display().to_string(), d.code, d.target.clone())).collect();
    assert_eq!(
        problems,
        [("content/other.md".to_string(), "broken-anchor", Some("notes.md#fn:2".to_string()))],
        "{}",
        render_text(&report.diagnostics, false)
    );
    std::fs::write(dir.path().join("content/other.md"), "---\ntitle: Other\n---\nSee [the note](notes.md#fn:1).\n").unwrap();
    let (report, page) = build(dir.path());
    assert!(report.diagnostics.is_empty(), "{}", render_text(&report.diagnostics, false));
    assert!(page.contains("<li id=\"fn:1\">") && page.contains("<sup id=\"fnref1:1\">"), "{page}");
}

#[test]
fn linkified_urls_and_addresses_leave_the_site_without_a_diagnostic() {
    let page = "---\ntitle: Notes\n---\nMail security@example.com or <team@example.com>, see www.example.com and https://example.com/x.\n";
    let dir = site("", &[("_index.md", "---\ntitle: Home\n---\nHome\n"), ("notes.md", page)]);
    let (report, page) = build(dir.path());
    assert!(report.diagnostics.is_empty(), "{}", render_text(&report.diagnostics, false));
    for href in ["mailto:security@example.com", "mailto:team@example.com", "https://www.example.com", "https://example.com/x"] {
        assert!(page.contains(&format!("href=\"{href}\"")), "{href} in {page}");
    }
}

#[test]
fn markdown_table_turns_each_extension_off() {
    let page = "---\ntitle: Notes\n---\nIt's :tada: at www.example.com[^1]\n\n[^1]: https://example.com/n\n";
    let pages = [("_index.md", "---\ntitle: Home\n---\nHome\n"), ("notes.md", page)];
    let (_, on) = build(site("", &pages).path());
    assert!(on.contains("It&rsquo;s &#x1f389; at <a href=\"https://www.example.com\">www.example.com</a><sup id=\"fnref:1\">"), "{on}");
    let off = "[markdown]\ntypographer = false\nemoji = false\nlinkify = false\nfootnotes = false\n";
    let (_, off) = build(site(off, &pages).path());
    // Without footnotes `[^1]: …` is a link reference definition, as in goldmark without them.
    assert!(off.contains("<p>It's :tada: at www.example.com<a href=\"https://example.com/n\">^1</a></p>"), "{off}");
}

/// Each extension looks ahead from many places of a line; none may make a page cost quadratic
/// time. Each page here is about 400 KB and renders in well under a second even in a debug
/// build; a look-ahead to the end of the line from each position would take minutes.
#[test]
fn pathological_pages_render_in_linear_time() {
    let pages = [
        "a_".repeat(200_000),
        "\"".repeat(400_000),
        "'x".repeat(200_000),
        "www.a...".repeat(50_000),
        ":a".repeat(200_000),
        "(".repeat(400_000),
        format!("{}@x.com", "a_".repeat(200_000)),
        format!("| {} |\n|{}\n| {} |\n", "a |".repeat(50_000), "---|".repeat(50_000), "b |".repeat(50_000)),
        "x[^1] ".repeat(60_000) + "\n\n" + &(0..20_000).map(|i| format!("[^{i}]: n\n")).collect::<String>(),
    ];
    let highlighter = handbook::markdown::Highlighter::new(handbook::render::Theme::embedded_styled_classes());
    let started = std::time::Instant::now();
    for page in &pages {
        let one = std::time::Instant::now();
        handbook::markdown::render(page, &highlighter, handbook::markdown::Extensions::default(), false, &mut |_| None);
        assert!(one.elapsed().as_secs() < 10, "{:?} for a page starting {:?}", one.elapsed(), &page[..20]);
    }
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}
