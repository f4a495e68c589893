//! Stable counterparts and the runbook index through the whole pipeline: data visible to
//! templates and shortcodes, the tables on a page, `counterparts.json`, stale runbooks against a
//! fixed `SOURCE_DATE_EPOCH`, and `handbook new runbook` through the binary.

use handbook::diagnostics::Diagnostic;
use handbook::BuildOptions;
use std::path::{Path, PathBuf};

const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/data-site");
/// 2026-11-22T00:00:00Z.
const EPOCH: i64 = 1_795_305_600;

fn build() -> (tempfile::TempDir, handbook::Report) {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        root: PathBuf::from(SITE),
        output: Some(out.path().join("public")),
        source_date_epoch: Some(EPOCH),
        ..Default::default()
    };
    let report = handbook::build(&options).expect("the fixture builds");
    (out, report)
}

fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join("public").join(path)).unwrap()
}

fn codes(report: &handbook::Report) -> Vec<(&'static str, String, usize, usize)> {
    report.diagnostics.iter().map(|d: &Diagnostic| (d.code, d.file.display().to_string(), d.line_col().0, d.line_col().1)).collect()
}

#[test]
fn data_files_reach_templates_and_shortcodes() {
    let (out, _) = build();
    assert!(page(out.path(), "data-page/index.html")
        .contains("<p class=\"from-data\">https:&#x2F;&#x2F;gitlab.example.com&#x2F;appsec&#x2F;issues 2</p>"));
    assert!(page(out.path(), "index.html")
        .contains("<a class=\"tracker\" href=\"https:&#x2F;&#x2F;gitlab.example.com&#x2F;appsec&#x2F;issues\">tracker</a>"));
}

#[test]
fn counterpart_tables_render_with_gaps_filters_and_links() {
    let (out, report) = build();
    let home = page(out.path(), "index.html");
    assert!(home.contains("<table class=\"counterparts\">"));
    assert!(home.contains("<th scope=\"col\">AppSec engineer</th>"));
    assert!(home.contains("id=\"counterparts-dev\"") && home.contains("id=\"counterparts-stage-plan\""));
    assert!(home.contains("href=\"https://gitlab.com/jdoe\""), "team handles are linked");
    assert!(home.contains("<span class=\"badge gap\">TBD</span>"));
    assert!(home.contains("<span class=\"badge gap\">No counterpart</span>"));
    assert!(home.contains("<table class=\"counterparts by-engineer\">"));
    let secure_only = &home[home.find("id=\"secure-only\"").unwrap()..home.find("id=\"by-engineer\"").unwrap()];
    assert!(secure_only.contains("Dynamic Analysis") && !secure_only.contains("Project Management"), "stage= filters");
    assert_eq!(report.counterpart_gaps, Some(2), "TBD and absent are gaps; an unknown name is not");
}

#[test]
fn counterparts_json_carries_the_same_data() {
    let (out, _) = build();
    let json: serde_json::Value = serde_json::from_str(&page(out.path(), "counterparts.json")).unwrap();
    assert_eq!(json["gaps"], 2);
    let text = json.to_string();
    for name in ["Jane Doe", "Sam Roe", "Knowledge", "Composition Analysis"] {
        assert!(text.contains(name), "{name} missing from counterparts.json");
    }
}

#[test]
fn runbook_index_marks_stale_and_ownerless_runbooks_and_check_warns() {
    let (out, report) = build();
    let index = page(out.path(), "runbooks/index.html");
    assert!(index.contains("<table class=\"runbooks\">"), "the section page lists its runbooks without a shortcode");
    assert!(index.contains("<a href=\"/runbooks/fresh/\">Fresh runbook</a><br><span class=\"description\">Reviewed last month.</span>"));
    assert_eq!(index.matches("Review overdue").count(), 2, "overdue and never reviewed");
    assert!(index.contains("<span class=\"tag\">hackerone</span>"));
    let found = codes(&report);
    assert!(found.contains(&("stale-runbook", "content/runbooks/overdue.md".into(), 4, 1)), "{found:?}");
    assert!(found.contains(&("stale-runbook", "content/runbooks/orphan.md".into(), 1, 1)), "{found:?}");
    assert!(found.contains(&("runbook-owner", "content/runbooks/orphan.md".into(), 1, 1)), "{found:?}");
    assert!(found.contains(&("unknown-engineer", "data/stages.yml".into(), 25, 26)), "{found:?}");
    assert!(!found.iter().any(|(_, file, ..)| file == "content/runbooks/fresh.md"));
    assert!(page(out.path(), "runbooks/overdue/index.html").contains("class=\"badge stale\""));
}

#[test]
fn review_window_follows_source_date_epoch() {
    // 2026-02-01: the runbook reviewed on 2026-01-05 is not overdue yet.
    let options = BuildOptions { root: PathBuf::from(SITE), source_date_epoch: Some(1_769_904_000), ..Default::default() };
    let report = handbook::check(&options).unwrap();
    assert!(!codes(&report).iter().any(|(code, file, ..)| *code == "stale-runbook" && file.ends_with("overdue.md")));
}

#[test]
fn new_runbook_through_the_binary_fills_front_matter_and_never_overwrites() {
    let site = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_handbook")).args(args).env("SOURCE_DATE_EPOCH", EPOCH.to_string()).output().unwrap()
    };
    let root = site.path().to_str().unwrap();
    assert!(run(&["init", root]).status.success());
    let created = run(&["new", "runbook", "Triage a HackerOne report", "--root", root]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let text = std::fs::read_to_string(site.path().join("content/runbooks/triage-a-hackerone-report.md")).unwrap();
    assert!(text.starts_with("---\ntitle: \"Triage a HackerOne report\"\n"), "{text}");
    assert!(text.contains("last_reviewed: 2026-11-22\n"), "{text}");
    std::fs::write(site.path().join("content/runbooks/triage-a-hackerone-report.md"), "edited by hand").unwrap();
    let again = run(&["new", "runbook", "Triage a HackerOne report", "--root", root]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(site.path().join("content/runbooks/triage-a-hackerone-report.md")).unwrap(), "edited by hand");
    let built = run(&["build", "--root", root]);
    assert!(built.status.success(), "a new site with a new runbook builds: {}", String::from_utf8_lossy(&built.stderr));
}

#[test]
fn last_updated_comes_from_one_git_log_of_the_site_and_edit_links_name_the_file() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    std::fs::write(
        root.join("handbook.toml"),
        "title = \"T\"\nbase_url = \"https://h.example/\"\nedit_url = \"https://gitlab.example.com/x/-/edit/main/{path}\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/_index.md"), "---\ntitle: Home\n---\n").unwrap();
    std::fs::write(root.join("content/old.md"), "---\ntitle: Old\n---\n").unwrap();
    let git = |args: &[&str], date: &str| {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .status()
            .unwrap();
        assert!(status.success());
    };
    git(&["init", "-q"], "2024-03-01T12:00:00Z");
    git(&["add", "."], "2024-03-01T12:00:00Z");
    git(&["commit", "-qm", "first"], "2024-03-01T12:00:00Z");
    std::fs::write(root.join("content/_index.md"), "---\ntitle: Home\n---\nchanged\n").unwrap();
    git(&["commit", "-qam", "second"], "2025-07-09T08:00:00Z");
    let options =
        BuildOptions { root: root.to_path_buf(), output: Some(root.join("public")), source_date_epoch: Some(EPOCH), ..Default::default() };
    handbook::build(&options).unwrap();
    let home = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    let old = std::fs::read_to_string(root.join("public/old/index.html")).unwrap();
    assert!(home.contains("2025-07-09") && !home.contains("2024-03-01"), "the newest commit of the file wins");
    assert!(old.contains("2024-03-01"));
    assert!(old.contains("https://gitlab.example.com/x/-/edit/main/content/old.md"));
}
