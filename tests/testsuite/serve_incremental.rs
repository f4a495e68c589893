//! `handbook serve`'s incremental rebuilds give exactly what a fresh build gives: after each
//! edit, the in-memory site and its diagnostics are compared with a fresh render of the same
//! sources, byte for byte.

use crate::common;

use common::copy_dir;
use handbook::diagnostics::Diagnostic;
use handbook::output::{Files, MemorySink};
use handbook::serve::{LiveSite, Rebuilt};
use handbook::BuildOptions;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The site as `handbook build` renders it, into memory: the pipeline `build` runs.
fn fresh_render(options: &BuildOptions) -> (Files, Vec<Diagnostic>) {
    let loaded = handbook::pipeline::load(options).unwrap();
    let sink = MemorySink::default();
    let report = handbook::build::render_site(&loaded, options, &sink).unwrap();
    (sink.into_files(), report.diagnostics)
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    live: LiveSite,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve-site"), &root);
        let options = BuildOptions {
            root: root.clone(),
            base_url: Some("http://127.0.0.1:1111/".into()),
            source_date_epoch: Some(1_772_000_000),
            ..BuildOptions::default()
        };
        let mut live = LiveSite::new(options);
        let first = live.rebuild_all("test").unwrap();
        let fixture = Fixture { _dir: dir, root, live };
        fixture.assert_fresh("first build", &first.diagnostics);
        fixture
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.root.join(rel)).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, &text.replacen(from, to, 1));
    }

    fn update(&mut self, changed: &[&str]) -> Rebuilt {
        let paths: BTreeSet<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let rebuilt = self.live.update(&paths).unwrap();
        self.assert_fresh(&format!("after {changed:?}"), &rebuilt.diagnostics);
        rebuilt
    }

    /// The live site equals a fresh render: same files, same bytes, same diagnostics.
    fn assert_fresh(&self, when: &str, diagnostics: &[Diagnostic]) {
        let (fresh, fresh_diagnostics) = fresh_render(self.live.options());
        let live = self.live.files().expect("built");
        let mut differ: Vec<&String> = fresh.keys().filter(|k| live.get(*k) != fresh.get(*k)).collect();
        differ.extend(live.keys().filter(|k| !fresh.contains_key(*k)));
        assert!(differ.is_empty(), "{when}: files differ from a fresh build: {differ:?}");
        assert_eq!(diagnostics, fresh_diagnostics.as_slice(), "{when}: diagnostics differ from a fresh build");
    }

    fn page(&self, key: &str) -> String {
        String::from_utf8(self.live.files().unwrap()[key].to_vec()).unwrap()
    }
}

fn codes(rebuilt: &Rebuilt) -> Vec<(&'static str, String, (usize, usize))> {
    rebuilt.diagnostics.iter().map(|d| (d.code, d.file.display().to_string(), d.line_col())).collect()
}

#[test]
fn a_body_edit_renders_the_page_and_its_dependents_only() {
    let mut f = Fixture::new();
    f.edit("content/guide.md", "marker ALPHA", "marker BRAVO");
    let rebuilt = f.update(&["content/guide.md"]);
    assert_eq!(rebuilt.full, None);
    // guide, its section (the home page), and other.md, which links to it.
    assert_eq!(rebuilt.pages_rendered, 3);
    assert!(f.page("guide/index.html").contains("marker BRAVO"));
}

#[test]
fn anchors_follow_heading_edits_on_the_target_page() {
    let mut f = Fixture::new();
    f.edit("content/other.md", "## Details", "## Particulars");
    let rebuilt = f.update(&["content/other.md"]);
    assert_eq!(rebuilt.full, None);
    assert!(codes(&rebuilt).contains(&("broken-anchor", "content/guide.md".into(), (11, 21))), "{:?}", codes(&rebuilt));
    f.edit("content/other.md", "## Particulars", "## Details");
    let rebuilt = f.update(&["content/other.md"]);
    assert!(!rebuilt.has_errors(), "{:?}", codes(&rebuilt));
}

#[test]
fn runbook_front_matter_reaches_the_runbook_index() {
    let mut f = Fixture::new();
    f.edit("content/runbooks/triage.md", "owner: \"@alice\"", "owner: \"@carol\"");
    let rebuilt = f.update(&["content/runbooks/triage.md"]);
    assert_eq!(rebuilt.full, None);
    assert!(f.page("index.html").contains("@carol"));
    assert!(f.page("runbooks/index.html").contains("@carol"));
}

#[test]
fn included_files_re_render_their_includers() {
    let mut f = Fixture::new();
    f.edit("content/partials/note.md", "NOTE-ONE", "NOTE-TWO");
    let rebuilt = f.update(&["content/partials/note.md"]);
    assert_eq!(rebuilt.full, None);
    assert!(f.page("guide/index.html").contains("NOTE-TWO"));
}

#[test]
fn front_matter_warnings_are_replaced_not_duplicated() {
    let mut f = Fixture::new();
    f.edit("content/other.md", "weight: 2", "weight: 2\ndescriptoin: typo");
    let rebuilt = f.update(&["content/other.md"]);
    assert_eq!(rebuilt.full, None);
    assert_eq!(codes(&rebuilt).iter().filter(|c| c.1 == "content/other.md").count(), 1, "{:?}", codes(&rebuilt));
    f.edit("content/other.md", "\ndescriptoin: typo", "");
    let rebuilt = f.update(&["content/other.md"]);
    assert!(codes(&rebuilt).iter().all(|c| c.1 != "content/other.md"), "{:?}", codes(&rebuilt));
}

#[test]
fn structural_changes_rebuild_everything() {
    let mut f = Fixture::new();
    f.edit("content/other.md", "title: Other", "title: Another");
    assert!(f.update(&["content/other.md"]).full.is_some(), "title");
    f.edit("content/guide.md", "weight: 1", "weight: 9");
    assert!(f.update(&["content/guide.md"]).full.is_some(), "weight");
    f.write("content/new-page.md", "---\ntitle: New\n---\nLinks to [guide](guide.md).\n");
    assert!(f.update(&["content/new-page.md"]).full.is_some(), "added");
    assert!(f.page("new-page/index.html").contains("Links to"));
    std::fs::remove_file(f.root.join("content/new-page.md")).unwrap();
    assert!(f.update(&["content/new-page.md"]).full.is_some(), "removed");
    assert!(!f.live.files().unwrap().contains_key("new-page/index.html"));
    f.write("data/links.yml", "owners:\n  - bob\n");
    assert!(f.update(&["data/links.yml"]).full.is_some(), "data");
    f.write("static/img/logo.txt", "new logo\n");
    assert!(f.update(&["static/img/logo.txt"]).full.is_some(), "static");
    assert_eq!(f.live.files().unwrap()["img/logo.txt"].as_ref(), b"new logo\n");
    f.edit("handbook.toml", "title = \"Serve Fixture\"", "title = \"Renamed Fixture\"");
    assert!(f.update(&["handbook.toml"]).full.is_some(), "config");
    f.write("themes/handbook/templates/404.html", "<html><body>custom 404</body></html>");
    assert!(f.update(&["themes/handbook/templates/404.html"]).full.is_some(), "template");
    assert!(f.page("404.html").contains("custom 404"));
}

#[test]
fn errors_then_fixes_stay_identical_to_fresh_builds() {
    let mut f = Fixture::new();
    // A broken link is an error diagnostic; the page edit stays incremental.
    f.edit("content/guide.md", "[other details](other.md#details)", "[other details](missing.md)");
    let rebuilt = f.update(&["content/guide.md"]);
    assert_eq!(rebuilt.full, None);
    assert!(codes(&rebuilt).contains(&("broken-link", "content/guide.md".into(), (11, 21))), "{:?}", codes(&rebuilt));
    // Unclosed front matter takes the page out of the site: a full rebuild, still equal.
    f.write("content/other.md", "---\ntitle: Other\n\nno closing line\n");
    let rebuilt = f.update(&["content/other.md"]);
    assert!(rebuilt.full.is_some());
    assert!(codes(&rebuilt).iter().any(|c| c.0 == "front-matter-unclosed"));
    f.write("content/other.md", "---\ntitle: Other\nweight: 2\n---\n\n## Details\n");
    f.edit("content/guide.md", "[other details](missing.md)", "[other details](other.md#details)");
    let rebuilt = f.update(&["content/other.md", "content/guide.md"]);
    assert!(!rebuilt.has_errors(), "{:?}", codes(&rebuilt));
}

#[test]
fn a_failed_load_is_followed_by_a_full_rebuild() {
    let mut f = Fixture::new();
    f.write("handbook.toml", "title = \"x\"\nbase_url = \"https://x.test/\"\nunknown_key = 1\n");
    assert!(f.live.update(&BTreeSet::from([PathBuf::from("handbook.toml")])).is_err());
    f.write("handbook.toml", "title = \"Serve Fixture\"\nbase_url = \"https://serve.example.test/docs/\"\n");
    f.edit("content/guide.md", "marker ALPHA", "marker CHARLIE");
    let rebuilt = f.update(&["content/guide.md"]);
    assert!(rebuilt.full.is_some());
    assert!(f.page("guide/index.html").contains("marker CHARLIE"));
}

#[test]
fn a_stylesheet_edit_changes_the_classes_code_keeps() {
    let mut f = Fixture::new();
    f.write("content/code.md", "---\ntitle: Code\n---\n\n```rust\nfn main() {}\n```\n");
    f.update(&["content/code.md"]);
    assert!(!f.page("code/index.html").contains("hl-source hl-rust"));
    f.write("static/css/rust.css", ".hl-source.hl-rust { background: #eee; }\n");
    let rebuilt = f.update(&["static/css/rust.css"]);
    assert!(rebuilt.full.is_some(), "a stylesheet edit rebuilds everything");
    assert!(f.page("code/index.html").contains("<span class=\"hl-source hl-rust\">"), "{}", f.page("code/index.html"));
}
