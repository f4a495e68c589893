//! Links: every link form of the spec, valid and broken, with exact file:line:column; the two
//! landing pages of tests/fixtures/pages; `check --fix`; and the hrefs written into the output.

use crate::common;

use common::copy_dir;
use handbook::diagnostics::{render_text, Diagnostic, Severity};
use handbook::{BuildOptions, Error};
use std::path::{Path, PathBuf};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
/// The section's landing page as written today (`ref`s, parent-handbook links, one typo) and as
/// it was in the kramdown era (a `* TOC` marker, `.html` reference links).
const LANDING_CURRENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages/landing-current.md");
const LANDING_LEGACY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages/landing-legacy.md");

fn options(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), source_date_epoch: Some(1_795_000_000), ..Default::default() }
}

fn check(root: &Path) -> Vec<Diagnostic> {
    handbook::check(&options(root)).expect("check runs").diagnostics
}

/// (code, line, column) of the diagnostics of one file.
fn positions(diagnostics: &[Diagnostic], file: &str) -> Vec<(&'static str, usize, usize)> {
    diagnostics.iter().filter(|d| d.file == Path::new(file)).map(|d| (d.code, d.line_col().0, d.line_col().1)).collect()
}

/// A copy of a fixture in a temp folder, so tests can change it.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(FIXTURES).join(name), dir.path());
    dir
}

#[test]
fn every_valid_link_form_resolves_without_a_diagnostic() {
    let diagnostics = check(&Path::new(FIXTURES).join("links"));
    assert_eq!(positions(&diagnostics, "content/valid.md"), [], "{}", render_text(&diagnostics, false));
    assert_eq!(positions(&diagnostics, "content/guide/howto.md"), []);
    assert_eq!(positions(&diagnostics, "content/guide/bundle/index.md"), []);
}

#[test]
fn every_broken_link_form_is_an_error_at_its_target() {
    let diagnostics = check(&Path::new(FIXTURES).join("links"));
    assert_eq!(
        positions(&diagnostics, "content/broken.md"),
        [
            ("broken-ref", 7, 20),
            ("ambiguous-ref", 8, 22),
            ("broken-anchor", 9, 27),
            ("broken-link", 10, 16),
            ("broken-anchor", 11, 14),
            ("broken-link", 12, 24),
            ("broken-parent-link", 13, 18),
            ("broken-link", 14, 8),
            ("broken-anchor", 15, 11),
            ("broken-link", 16, 18),
            ("broken-link", 19, 9),
        ]
    );
    assert!(diagnostics.iter().filter(|d| d.file == Path::new("content/broken.md")).all(|d| d.severity == Severity::Error));
}

#[test]
fn broken_link_messages_suggest_the_closest_target() {
    let diagnostics = check(&Path::new(FIXTURES).join("links"));
    let text = render_text(&diagnostics, false);
    assert!(text.contains("error[broken-link]: link target `guid/` does not exist\n  --> content/broken.md:14:8"), "{text}");
    assert!(text.contains("^^^^^ did you mean `guide/`?"), "{text}");
    assert!(text.contains("ambiguous reference `note`: it matches content/dup/a/note.md and content/dup/b/note.md"), "{text}");
    assert!(text.contains("anchor `#nope` does not exist on content/inventory.md"), "{text}");
}

#[test]
fn legacy_alias_and_case_links_resolve_with_warnings_naming_the_current_url() {
    let diagnostics = check(&Path::new(FIXTURES).join("links"));
    assert_eq!(
        positions(&diagnostics, "content/warned.md"),
        [("legacy-link", 5, 15), ("alias-link", 6, 9), ("link-case", 7, 8), ("legacy-link", 8, 16)]
    );
    let warned: Vec<_> = diagnostics.iter().filter(|d| d.file == Path::new("content/warned.md")).collect();
    assert_eq!(warned[0].suggestion.as_deref(), Some("/handbook/sec/inventory/"));
    assert_eq!(warned[1].suggestion.as_deref(), Some("/handbook/sec/guide/"));
    assert_eq!(warned[2].suggestion.as_deref(), Some("inventory.md"));
    assert_eq!(warned[3].suggestion.as_deref(), Some("/handbook/sec/guide/howto/"));
    assert!(warned.iter().all(|d| d.severity == Severity::Warning));
    assert!(
        warned[0].message.ends_with(" is a legacy link; content/inventory.md is now at `/handbook/sec/inventory/`"),
        "{}",
        warned[0].message
    );
    assert!(
        warned[1]
            .message
            .ends_with(" reaches content/guide/_index.md only through one of its aliases; its URL is now `/handbook/sec/guide/`"),
        "{}",
        warned[1].message
    );
}

#[test]
fn resolved_links_point_at_real_urls_under_the_deploy_prefix() {
    let site = copy_fixture("links");
    std::fs::remove_file(site.path().join("content/broken.md")).unwrap();
    let out = site.path().join("public");
    handbook::build(&BuildOptions { output: Some(out.clone()), ..options(site.path()) }).expect("builds");
    let html = std::fs::read_to_string(out.join("valid/index.html")).unwrap();
    for href in [
        "href=\"/docs/inventory/\"",
        "href=\"/docs/inventory/#policies\"",
        "href=\"/docs/guide/howto/\"",
        "href=\"/docs/guide/#intro\"",
        "href=\"https://handbook.example.com/handbook/product/categories/\"",
        "href=\"/docs/guide/\"",
        "href=\"#local\"",
        "href=\"/docs/inventory/#custom-id\"",
        "src=\"/docs/guide/bundle/diagram.svg\"",
        "href=\"/docs/files/policy.pdf\"",
        "href=\"https://example.org/x\"",
        "<span class=\"badge\">custom</span>",
    ] {
        assert!(html.contains(href), "missing {href}");
    }
    assert!(out.join("guide/bundle/diagram.svg").exists());
    assert!(out.join("files/policy.pdf").exists());
    let warned = std::fs::read_to_string(out.join("warned/index.html")).unwrap();
    assert!(warned.contains("href=\"/docs/inventory/\">legacy html"), "legacy links are rewritten to the page's URL");
    assert!(warned.contains("href=\"/docs/guide/\">alias"));
}

#[test]
fn build_fails_on_broken_links_and_passes_when_level_is_warning() {
    let site = copy_fixture("links");
    let out = site.path().join("public");
    let result = handbook::build(&BuildOptions { output: Some(out.clone()), ..options(site.path()) });
    assert!(matches!(&result, Err(Error::Site(d)) if d.iter().filter(|d| d.is_error()).count() == 11));
    assert!(!out.exists());
    let config = std::fs::read_to_string(site.path().join("handbook.toml")).unwrap();
    std::fs::write(site.path().join("handbook.toml"), config.replace("level = \"error\"", "level = \"warning\"")).unwrap();
    // An ambiguous reference stays an error whatever the level: no page can be chosen for it.
    let result = handbook::build(&BuildOptions { output: Some(out.clone()), ..options(site.path()) });
    assert!(
        matches!(&result, Err(Error::Site(d)) if d.iter().filter(|d| d.is_error()).map(|d| d.code).collect::<Vec<_>>() == ["ambiguous-ref"])
    );
    let broken = std::fs::read_to_string(site.path().join("content/broken.md")).unwrap();
    std::fs::write(site.path().join("content/broken.md"), broken.replace("[ambiguous]({{< ref \"note\" >}})", "")).unwrap();
    let report = handbook::build(&BuildOptions { output: Some(out.clone()), ..options(site.path()) }).expect("warnings only");
    assert_eq!(report.diagnostics.iter().filter(|d| d.code == "broken-link" && d.severity == Severity::Warning).count(), 5);
    assert!(out.join("broken/index.html").exists());
}

#[test]
fn current_landing_page_gives_exactly_one_error_at_60_78() {
    let site = copy_fixture("landing-site");
    std::fs::copy(LANDING_CURRENT, site.path().join("content/_index.md")).unwrap();
    let diagnostics = check(site.path());
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{}", render_text(&diagnostics, false));
    let text = render_text(&[errors[0].clone()], false);
    let expected = "error[broken-link]: link target `runbooks}` does not exist
  --> content/_index.md:60:78
   |
60 | Step-by-step procedures for the on-call engineer live in the [runbook index](runbooks})
   |                                                                              ^^^^^^^^^ did you mean `runbooks/`?";
    assert_eq!(text.trim_end(), expected);
}

#[test]
fn legacy_landing_page_reports_its_html_reference_links_as_legacy_links_with_fixes() {
    let site = copy_fixture("landing-site");
    std::fs::copy(LANDING_LEGACY, site.path().join("content/legacy.md")).unwrap();
    std::fs::write(site.path().join("content/project-owners.md"), "---\ntitle: Owners\n---\n").unwrap();
    std::fs::write(site.path().join("content/_index.md"), "---\ntitle: Home\n---\n").unwrap();
    let diagnostics = check(site.path());
    assert_eq!(positions(&diagnostics, "content/legacy.md"), [("legacy-link", 50, 6), ("legacy-link", 51, 6), ("legacy-link", 52, 6)]);
    let fixes: Vec<_> = diagnostics.iter().filter_map(|d| d.suggestion.as_deref()).collect();
    assert!(fixes.contains(&"/handbook/security/product-security/application-security/vulnerability-management/"));
}

#[test]
fn check_fix_rewrites_only_the_link_targets() {
    let site = copy_fixture("links");
    std::fs::remove_file(site.path().join("content/broken.md")).unwrap();
    std::fs::copy(LANDING_LEGACY, site.path().join("content/legacy.md")).unwrap();
    for page in ["appsec-reviews", "project-owners", "vulnerability-management"] {
        std::fs::write(site.path().join(format!("content/{page}.md")), format!("---\ntitle: {page}\n---\n")).unwrap();
    }
    git(site.path(), &["init", "-q"]);
    git(site.path(), &["add", "."]);
    git(site.path(), &["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "fixture"]);
    let before = check(site.path());
    let fixable = |d: &&Diagnostic| handbook::fix::FIXABLE.contains(&d.code);
    assert_eq!(before.iter().filter(fixable).count(), 7, "{}", render_text(&before, false));
    let edits = handbook::fix::apply(site.path(), &before).unwrap();
    assert_eq!(edits.len(), 7);
    let after = check(site.path());
    assert_eq!(after.iter().filter(fixable).count(), 0, "{}", render_text(&after, false));
    assert!(!after.iter().any(Diagnostic::is_error));
    // Every changed line differs from its old version only by the link target.
    let diff = git(site.path(), &["diff", "-U0", "--no-color"]);
    let removed: Vec<&str> = diff.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
    let added: Vec<&str> = diff.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).collect();
    assert_eq!(removed.len(), 7, "{diff}");
    for (old, new) in removed.iter().zip(&added) {
        let edit = edits.iter().find(|e| old.contains(&e.from)).unwrap_or_else(|| panic!("unexplained change: {old}"));
        assert_eq!(old.replacen(&edit.from, &edit.to, 1)[1..], new[1..], "{old} -> {new}");
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git").arg("-C").arg(dir).args(args).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn shortcode_errors_point_at_the_shortcode_and_later_spans_stay_exact() {
    let site = copy_fixture("links");
    let mut page = String::from("---\ntitle: Shortcodes\n---\n\n{{< ref \"inventory\" >}} early shortcode on line 5\n");
    for i in 0..194 {
        page.push_str(&format!("filler line {i}\n"));
    }
    page.push_str("[late broken](missing-late.md)\n{{< detials >}}\n{{% details summary=\"x\" %}}\nnever closed\n");
    std::fs::write(site.path().join("content/shortcodes.md"), &page).unwrap();
    let diagnostics = check(site.path());
    let found = positions(&diagnostics, "content/shortcodes.md");
    // The unclosed `details` stops expansion of the page; its links are still checked.
    assert_eq!(found, [("broken-link", 200, 15), ("shortcode", 202, 1)], "{}", render_text(&diagnostics, false));
    page = page.replace("never closed\n", "closed\n{{% /details %}}\n");
    std::fs::write(site.path().join("content/shortcodes.md"), &page).unwrap();
    let diagnostics = check(site.path());
    assert_eq!(positions(&diagnostics, "content/shortcodes.md"), [("broken-link", 200, 15), ("shortcode", 201, 5)]);
    let unknown = diagnostics.iter().find(|d| d.code == "shortcode").unwrap();
    assert_eq!(unknown.message, "unknown shortcode `detials`");
    assert_eq!(unknown.suggestion.as_deref(), Some("details"));
}

#[test]
fn mismatched_closing_tag_is_an_error_with_position() {
    let site = copy_fixture("links");
    std::fs::write(site.path().join("content/mismatch.md"), "---\ntitle: M\n---\n\n{{% details %}}\ntext\n{{< /alert >}}\n").unwrap();
    let diagnostics = check(site.path());
    let d = diagnostics.iter().find(|d| d.file == Path::new("content/mismatch.md")).expect("a diagnostic");
    assert_eq!((d.code, d.line_col()), ("shortcode", (7, 1)));
    assert!(d.message.contains("does not match the open shortcode `details`"), "{}", d.message);
}

#[test]
fn an_unclosed_shortcode_names_the_closing_tag_in_its_own_form() {
    for (open, close) in [("{{< details >}}", "{{< /details >}}"), ("{{% details %}}", "{{% /details %}}")] {
        let site = copy_fixture("links");
        std::fs::write(site.path().join("content/unclosed.md"), format!("---\ntitle: U\n---\n\n{open}\nnever closed\n")).unwrap();
        let diagnostics = check(site.path());
        let d = diagnostics.iter().find(|d| d.file == Path::new("content/unclosed.md")).expect("a diagnostic");
        assert_eq!((d.code, d.line_col(), d.message.as_str()), ("shortcode", (5, 1), "shortcode `details` is never closed"));
        let text = render_text(std::slice::from_ref(d), false);
        assert!(text.contains(&format!("expected a closing `{close}` after this")), "{text}");
    }
}

#[test]
fn cli_formats_json_and_codequality_and_exit_codes() {
    let root: PathBuf = Path::new(FIXTURES).join("links");
    let run = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["check", "--root"])
            .arg(&root)
            .args(["--format", format])
            .output()
            .unwrap()
    };
    let json = run("json");
    assert_eq!(json.status.code(), Some(1));
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let broken = rows.as_array().unwrap().iter().find(|r| r["target"] == "guid/").unwrap();
    assert_eq!(
        (broken["file"].as_str(), broken["line"].as_u64(), broken["column"].as_u64()),
        (Some("content/broken.md"), Some(14), Some(8))
    );
    assert_eq!(broken["suggestion"], "guide/");
    assert_eq!(broken["severity"], "error");
    let quality = run("codequality");
    let issues: serde_json::Value = serde_json::from_slice(&quality.stdout).unwrap();
    let first = &issues[0];
    for key in ["description", "check_name", "fingerprint", "severity"] {
        assert!(first[key].is_string(), "{key} missing");
    }
    assert!(first["location"]["lines"]["begin"].is_u64());
    let text = run("text");
    let stderr = String::from_utf8_lossy(&text.stderr);
    assert!(stderr.contains("--> content/broken.md:14:8"), "{stderr}");
}

/// A one-thread HTTP server on 127.0.0.1 answering by path: `/ok` 200, `/moved` 301, else 404.
fn tiny_server() -> (u16, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        listener.set_nonblocking(false).unwrap();
        for stream in listener.incoming().take(6) {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut request).unwrap_or(0);
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, extra) = match path.as_str() {
                "/ok" => ("200 OK", String::new()),
                "/moved" => ("301 Moved Permanently", format!("Location: http://127.0.0.1:{port}/ok\r\n")),
                _ => ("404 Not Found", String::new()),
            };
            let _ = write!(stream, "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (port, handle)
}

#[test]
fn check_external_reports_broken_and_redirected_links_where_they_are_written() {
    let (port, _server) = tiny_server();
    let site = copy_fixture("links");
    std::fs::remove_file(site.path().join("content/broken.md")).unwrap();
    std::fs::remove_file(site.path().join("content/valid.md")).unwrap();
    let page = format!("---\ntitle: External\n---\n\n[ok](http://127.0.0.1:{port}/ok)\n[gone](http://127.0.0.1:{port}/gone)\n[moved](http://127.0.0.1:{port}/moved)\n");
    std::fs::write(site.path().join("content/external.md"), page).unwrap();
    let report = handbook::check(&options(site.path())).unwrap();
    assert_eq!(report.external.len(), 3);
    let found = handbook::links::external::check_report(site.path(), &report.external, false, handbook::links::external::DEFAULT_BUDGET);
    let mut got: Vec<_> = found.iter().map(|d| (d.code, d.line_col(), d.severity)).collect();
    got.sort();
    assert_eq!(got, [("broken-external-link", (6, 8), Severity::Error), ("external-redirect", (7, 9), Severity::Warning)]);
    let redirect = found.iter().find(|d| d.code == "external-redirect").unwrap();
    assert_eq!(redirect.suggestion.as_deref(), Some(format!("http://127.0.0.1:{port}/ok").as_str()));
    assert!(site.path().join(".handbook/external-links.json").exists(), "results are cached under .handbook/");
}
