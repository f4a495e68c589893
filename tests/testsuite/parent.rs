//! The real section's patterns (issue 13), on `tests/fixtures/parent-site`: a section of a
//! larger Hugo handbook whose pages link out of it, into the parent and back in by name; refs
//! outside the site; a top-level folder without `_index.md`; pages without front matter;
//! Middleman-era `.html.md` pages; and sources that collide.

use crate::common;

use common::copy_dir;
use handbook::{BuildOptions, Error};
use std::path::Path;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/parent-site");
const PARENT: &str = "https://handbook.example.test/handbook";

fn copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), dir.path());
    dir
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), source_date_epoch: Some(0), verify: true, ..Default::default() }
}

fn codes(report: &[handbook::diagnostics::Diagnostic]) -> Vec<(String, String, usize, usize)> {
    report.iter().map(|d| (d.code.to_string(), d.file.display().to_string(), d.line_col().0, d.line_col().1)).collect()
}

/// The links of the page's body (not the sidebar, breadcrumbs or heading anchors).
fn hrefs(html: &str) -> Vec<String> {
    let body = &html[html.find("<div class=\"content\">").unwrap()..];
    body.split("href=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].to_string()).filter(|h| !h.starts_with('#')).collect()
}

#[test]
fn links_out_of_and_back_into_the_section_get_the_parent_handbooks_urls() {
    let site = copy();
    let report = handbook::build(&options(site.path())).unwrap_or_else(|e| panic!("{e}: {:?}", codes(e.diagnostics())));
    let public = site.path().join("public");
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    // The body's links, before the section's list of its pages.
    assert_eq!(
        hrefs(&home)[..8],
        [
            format!("{PARENT}/security/product-security/security-platforms-architecture/"),
            format!("{PARENT}/legal/"),
            format!("{PARENT}/legal/#privacy"),
            format!("{PARENT}/company/strategy/"),
            "/reviews/".to_string(),
            "/operations/".to_string(),
            format!("{PARENT}/security/product-security/vulnerability-management/"),
            String::new(),
        ]
    );
    let services = std::fs::read_to_string(public.join("operations/sdd-services/index.html")).unwrap();
    assert_eq!(hrefs(&services)[..3], [format!("{PARENT}/security/root-cause-analysis/"), "/reviews/".into(), "/".into()]);
    // Only warnings: the bare ref that cannot be checked without known_urls, and legacy links.
    assert_eq!(
        codes(&report.diagnostics),
        [
            ("unchecked-ref".to_string(), "content/_index.md".to_string(), 9, 107),
            ("legacy-link".into(), "content/legacy/index.html.md".into(), 5, 49),
            ("legacy-link".into(), "content/legacy/old-process.html.md".into(), 5, 24),
            ("legacy-link".into(), "content/legacy/old-process.html.md".into(), 5, 67),
        ]
    );
    assert_eq!(report.unchecked_parent_links, 6);
    assert!(report.verified.is_some(), "--verify ran and passed");
}

#[test]
fn known_urls_check_parent_links_and_find_bare_refs_by_name() {
    let site = copy();
    let known = "/handbook/legal/\n/handbook/company/strategy/\n/handbook/security/product-security/vulnerability-management/\n\
                 /handbook/security/root-cause-analysis/\n/handbook/security/on-call/engaging-on-call/\n";
    std::fs::write(site.path().join("known-urls.txt"), known).unwrap();
    let config = std::fs::read_to_string(site.path().join("handbook.toml")).unwrap();
    std::fs::write(site.path().join("handbook.toml"), format!("{config}[links]\nknown_urls = \"known-urls.txt\"\n")).unwrap();
    let Err(Error::Site(d)) = handbook::build(&options(site.path())) else { panic!("the unlisted parent page is not reported") };
    let errors: Vec<_> = codes(&d).into_iter().filter(|(c, ..)| !c.ends_with("legacy-link")).collect();
    assert_eq!(errors, [("broken-parent-link".to_string(), "content/_index.md".to_string(), 5, 33)], "only the unlisted page");
    std::fs::write(
        site.path().join("known-urls.txt"),
        format!("{known}/handbook/security/product-security/security-platforms-architecture/\n"),
    )
    .unwrap();
    handbook::build(&options(site.path())).unwrap();
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert_eq!(&hrefs(&home)[7], &format!("{PARENT}/security/on-call/engaging-on-call/"), "found by name");
    std::fs::write(site.path().join("known-urls.txt"), format!("{known}/handbook/people/engaging-on-call/\n")).unwrap();
    let Err(Error::Site(d)) = handbook::build(&options(site.path())) else { panic!("ambiguous ref accepted") };
    let ambiguous = d.iter().find(|d| d.code == "ambiguous-ref").expect("ambiguous");
    assert!(
        ambiguous.message.contains("/handbook/people/engaging-on-call/ and /handbook/security/on-call/engaging-on-call/"),
        "{}",
        ambiguous.message
    );
    assert_eq!(ambiguous.line_col(), (9, 107));
}

#[test]
fn sections_titles_and_middleman_pages_follow_hugo() {
    let site = copy();
    handbook::build(&options(site.path())).unwrap();
    let read = |p: &str| std::fs::read_to_string(site.path().join("public").join(p)).unwrap();
    let operations = read("operations/index.html");
    assert!(operations.contains("<title>Operations · Product Security Fixture</title>"), "a section without _index.md");
    for (page, title) in [("sdd-services", "Services we look after"), ("no-front-matter", "Checking third-party packages")] {
        assert!(operations.contains(&format!("href=\"/operations/{page}/\">{title}</a>")), "{page} is listed: {operations}");
    }
    assert!(read("operations/supply-chain-security-for-dependencies/index.html").contains(">Supply chain security for dependencies</a>"));
    assert!(read("legacy/index.html").contains("<title>Older processes · Product Security Fixture</title>"));
    assert!(read("legacy/old-process/index.html").contains("href=\"/legacy/\""), "the .html link is rewritten");
    assert!(read("index.html").contains("href=\"/operations/\""), "the section is in the sidebar");
}

#[test]
fn a_link_above_the_parents_root_is_an_error_at_its_place() {
    let site = copy();
    std::fs::write(site.path().join("content/far.md"), "# Far\n\nToo [far](../../../../../../x/) up.\n").unwrap();
    let Err(Error::Site(d)) = handbook::build(&options(site.path())) else { panic!("built") };
    let far = d.iter().find(|d| d.code == "link-above-root").expect("reported");
    assert_eq!((far.file.display().to_string(), far.line_col()), ("content/far.md".to_string(), (3, 11)));
    assert!(far.suggestion.is_none(), "no far-fetched suggestion");
}

#[test]
fn two_sources_for_one_page_are_an_error_naming_both() {
    let site = copy();
    std::fs::write(site.path().join("content/reviews.html.md"), "# Reviews, the Middleman copy\n").unwrap();
    let Err(Error::Site(d)) = handbook::build(&options(site.path())) else { panic!("built") };
    let clash = d.iter().find(|d| d.code == "duplicate-url").expect("reported");
    assert!(clash.message.contains("content/reviews.html.md") || clash.message.contains("content/reviews.md"), "{}", clash.message);
    assert!(clash.file.ends_with("reviews.md") || clash.file.ends_with("reviews.html.md"));
}

#[test]
fn known_urls_command_lists_a_hugo_content_tree() {
    let parent = tempfile::tempdir().unwrap();
    for (rel, text) in [("handbook/_index.md", "# H\n"), ("handbook/Legal.md", "# L\n"), ("handbook/x/index.md", "---\nslug: y\n---\n")] {
        std::fs::create_dir_all(parent.path().join(rel).parent().unwrap()).unwrap();
        std::fs::write(parent.path().join(rel), text).unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handbook")).args(["known-urls"]).arg(parent.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "/handbook/\n/handbook/legal/\n/handbook/y/\n");
}
