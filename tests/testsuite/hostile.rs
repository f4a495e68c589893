//! Hostile content (issue 17): pages from anyone's merge request, built in CI jobs that hold
//! secrets. Each test is named after what it guards; each builds a small site in a temp folder.

use crate::common;

use handbook::diagnostics::Diagnostic;
use handbook::{BuildOptions, Error};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{site, CONFIG};

fn options(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), source_date_epoch: Some(0), ..Default::default() }
}

/// The build's error diagnostics as (code, file, line, column), or a panic if it succeeded.
fn build_errors(root: &Path) -> Vec<(String, String, usize, usize)> {
    match handbook::build(&options(root)) {
        Err(Error::Site(d)) | Err(Error::InvalidConfig(d)) => summary(&d),
        Err(other) => panic!("expected diagnostics, got {other}"),
        Ok(_) => panic!("the build succeeded"),
    }
}

fn summary(diagnostics: &[Diagnostic]) -> Vec<(String, String, usize, usize)> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.to_string(), d.file.display().to_string(), d.line_col().0, d.line_col().1))
        .collect()
}

fn messages(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{}: {}\n", d.code, d.message)).collect()
}

fn handbook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_handbook")).args(args).env("SOURCE_DATE_EPOCH", "0").output().unwrap()
}

#[test]
fn front_matter_url_and_slug_cannot_write_outside_the_output() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("a/b/c/site");
    for (file, front) in
        [("x.md", "url: \"../../../../../x\""), ("y.md", "slug: \"../../y\""), ("bundle/index.md", "url: \"/../../../z/\"")]
    {
        std::fs::create_dir_all(root.join("content").join(file).parent().unwrap()).unwrap();
        std::fs::write(root.join("content").join(file), format!("---\ntitle: T\n{front}\n---\n")).unwrap();
    }
    std::fs::write(root.join("content/bundle/authorized_keys"), "attacker key").unwrap();
    std::fs::write(root.join("handbook.toml"), CONFIG).unwrap();
    let errors = build_errors(&root);
    assert!(errors.contains(&("invalid-url".into(), "content/x.md".into(), 3, 7)), "{errors:?}");
    assert!(errors.contains(&("invalid-url".into(), "content/y.md".into(), 3, 8)), "{errors:?}");
    assert!(errors.contains(&("invalid-url".into(), "content/bundle/index.md".into(), 3, 7)), "{errors:?}");
    let outside: Vec<PathBuf> = walkdir::WalkDir::new(outer.path())
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| !p.starts_with(&root) && p.is_file())
        .collect();
    assert!(outside.is_empty(), "written outside the site: {outside:?}");
    assert!(!root.join("public").exists());
}

#[test]
fn an_alias_with_a_newline_cannot_add_redirect_rules() {
    let dir = site(&[("content/a.md", "---\ntitle: A\naliases:\n  - \"/old/\\n/* https://evil.example/ 302\"\n---\n")]);
    let errors = build_errors(dir.path());
    assert_eq!(errors, [("invalid-url".to_string(), "content/a.md".to_string(), 4, 6)]);
    assert!(!dir.path().join("public/_redirects").exists());
}

#[test]
fn output_that_is_not_a_previous_build_is_never_replaced() {
    let dir = site(&[("content/_index.md", "# Home\n")]);
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(home.join(".ssh/authorized_keys"), "key").unwrap();
    let out = handbook(&["build", "--root", dir.path().to_str().unwrap(), "--output", home.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not the output of an earlier build") && stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(home.join(".ssh/authorized_keys")).unwrap(), "key");
    // A build's own output is marked, and the next build replaces it without --force.
    let public = dir.path().join("public");
    assert!(handbook(&["build", "--root", dir.path().to_str().unwrap()]).status.success());
    assert!(public.join(handbook::output::MARKER).is_file());
    assert!(handbook(&["build", "--root", dir.path().to_str().unwrap()]).status.success());
    let forced = handbook(&["build", "--root", dir.path().to_str().unwrap(), "--output", home.to_str().unwrap(), "--force"]);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    assert!(home.join("index.html").is_file() && !home.join(".ssh").exists());
}

#[test]
fn output_through_a_missing_folder_and_dot_dot_cannot_reach_content() {
    let dir = site(&[("content/_index.md", "# Home\n")]);
    let sneaky = format!("{}/nonexistent/../content", dir.path().display());
    let out = handbook(&["build", "--root", dir.path().to_str().unwrap(), "--output", &sneaky, "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("overlaps the source folder"));
    assert_eq!(std::fs::read_to_string(dir.path().join("content/_index.md")).unwrap(), "# Home\n");
}

#[test]
fn folders_left_by_a_killed_build_are_removed_by_the_next() {
    let dir = site(&[("content/_index.md", "# Home\n")]);
    let stale = dir.path().join(".public.old-999999999");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join(handbook::output::MARKER), "").unwrap();
    std::fs::write(stale.join("index.html"), "old").unwrap();
    handbook::build(&options(dir.path())).unwrap();
    assert!(!stale.exists() || !cfg!(target_os = "linux"), "the dead build's folder is gone");
}

#[test]
fn an_alias_cannot_replace_a_page_or_be_claimed_twice() {
    let dir = site(&[
        ("content/runbooks/_index.md", "---\ntitle: Runbooks\n---\n"),
        ("content/a.md", "---\ntitle: A\naliases: [\"/runbooks/\"]\n---\n"),
        ("content/b.md", "---\ntitle: B\naliases:\n  - /old/\n---\n"),
        ("content/c.md", "---\ntitle: C\naliases:\n  - /old/\n---\n"),
    ]);
    let Err(Error::Site(d)) = handbook::build(&options(dir.path())) else { panic!("built") };
    let text = messages(&d);
    assert!(text.contains("alias `/runbooks/` is the URL of content/runbooks/_index.md"), "{text}");
    assert!(text.contains("alias `/old/` is also an alias of content/b.md"), "{text}");
    let errors = summary(&d);
    assert!(errors.contains(&("alias-conflict".into(), "content/a.md".into(), 3, 12)), "{errors:?}");
    assert!(errors.contains(&("alias-conflict".into(), "content/c.md".into(), 4, 5)), "{errors:?}");
}

#[cfg(unix)]
#[test]
fn include_cannot_follow_a_symlink_out_of_the_site() {
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("passwd"), "root:x:0:0").unwrap();
    let dir = site(&[("content/a.md", "# A\n\n{{< include \"leak.md\" >}}\n")]);
    std::os::unix::fs::symlink(secret.path().join("passwd"), dir.path().join("leak.md")).unwrap();
    let Err(Error::Site(d)) = handbook::build(&options(dir.path())) else { panic!("built") };
    assert!(messages(&d).contains("`leak.md` is a link to a file outside the site"), "{}", messages(&d));
    assert_eq!(summary(&d), [("include".into(), "content/a.md".into(), 3, 14)]);
}

#[test]
fn templates_cannot_read_environment_variables_not_allowed_in_the_config() {
    let shortcode = "{{ get_env(name=\"HANDBOOK_TEST_SECRET\") }}";
    let dir = site(&[("shortcodes/env.html", shortcode), ("content/a.md", "# A\n\n{{< env >}}\n")]);
    let run = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["build", "--root", dir.to_str().unwrap()])
            .env("HANDBOOK_TEST_SECRET", "s3cret")
            .output()
            .unwrap()
    };
    let out = run(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`HANDBOOK_TEST_SECRET` is not in `[env] allow`"), "{stderr}");
    assert!(!dir.path().join("public").exists());
    std::fs::write(dir.path().join("handbook.toml"), format!("{CONFIG}[env]\nallow = [\"HANDBOOK_TEST_SECRET\"]\n")).unwrap();
    assert!(run(dir.path()).status.success());
    assert!(std::fs::read_to_string(dir.path().join("public/a/index.html")).unwrap().contains("s3cret"));
}

#[test]
fn deeply_nested_shortcodes_are_an_error_not_a_crash() {
    let deep = format!("# Deep\n\n{}x{}", "{{% details %}}".repeat(2000), "{{% /details %}}".repeat(2000));
    let dir = site(&[("content/deep.md", &deep)]);
    let out = handbook(&["build", "--root", dir.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("shortcodes are nested more than 64 deep here"), "{stderr}");
    assert!(stderr.contains("content/deep.md:3:961"), "at the 65th opening tag: {stderr}");
}

#[test]
fn self_including_templates_and_recursive_macros_are_errors() {
    for (name, template) in [
        ("loop", "{% include \"shortcodes/loop.html\" %}"),
        ("down", "{% macro down(n) %}{{ self::down(n=n) }}{% endmacro %}{{ self::down(n=1) }}"),
    ] {
        let dir = site(&[(&format!("shortcodes/{name}.html"), template), ("content/a.md", &format!("{{{{< {name} >}}}}\n"))]);
        let out = handbook(&["build", "--root", dir.path().to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains("calls itself") && stderr.contains(&format!("shortcodes/{name}.html:1:")), "{name}: {stderr}");
    }
}

#[test]
fn deeply_nested_front_matter_yaml_is_refused_at_its_line() {
    let deep = format!("---\ntitle: T\nx: {}\n---\n", "[".repeat(40_000));
    let dir = site(&[("content/a.md", &deep)]);
    assert_eq!(build_errors(dir.path()), [("yaml-front-matter".to_string(), "content/a.md".to_string(), 3, 68)]);
}

#[test]
fn twenty_thousand_equal_headings_get_distinct_ids() {
    let page = "## Same\n\n".repeat(20_000);
    let dir = site(&[("content/a.md", &page)]);
    handbook::build(&options(dir.path())).unwrap();
    let html = std::fs::read_to_string(dir.path().join("public/a/index.html")).unwrap();
    assert!(html.contains("id=\"same-19999\"") && html.contains("id=\"same\""));
}

#[test]
fn devices_and_huge_files_are_refused_before_they_are_read() {
    if Path::new("/dev/zero").exists() {
        let dir =
            site(&[("handbook.toml", &format!("{CONFIG}[counterparts]\ndata = \"/dev/zero\"\n[links]\nknown_urls = \"/dev/urandom\"\n"))]);
        let Err(Error::InvalidConfig(d)) = handbook::build(&options(dir.path())) else { panic!("accepted") };
        let errors = summary(&d);
        assert!(errors.contains(&("invalid-config".into(), "handbook.toml".into(), 4, 1)), "{errors:?}");
        assert!(errors.contains(&("invalid-config".into(), "handbook.toml".into(), 6, 1)), "{errors:?}");
    }
    let dir = site(&[("handbook.toml", &format!("{CONFIG}[counterparts]\ndata = \"data/stages.yml\"\n"))]);
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    // 200 MB without writing them: a sparse file.
    std::fs::File::create(dir.path().join("data/stages.yml")).unwrap().set_len(200 << 20).unwrap();
    let Err(Error::Site(d)) = handbook::build(&options(dir.path())) else { panic!("accepted") };
    assert!(messages(&d).contains("file is 209715200 bytes, over the limit of 2097152 bytes"), "{}", messages(&d));
}

#[test]
fn a_folder_as_counterparts_data_names_the_config_line() {
    let dir = site(&[("handbook.toml", &format!("{CONFIG}[counterparts]\ndata = \"data\"\n")), ("data/x.yml", "a: 1\n")]);
    let Err(Error::InvalidConfig(d)) = handbook::build(&options(dir.path())) else { panic!("accepted") };
    assert_eq!(summary(&d), [("invalid-config".to_string(), "handbook.toml".to_string(), 4, 1)]);
    assert!(messages(&d).contains("`data` is not a regular file"), "{}", messages(&d));
}

#[test]
fn a_binary_page_is_a_diagnostic_at_its_line_and_old_mac_pages_build() {
    let dir = site(&[("content/mac.md", "---\rtitle: Mac\r---\r# Body\r\r[x](#nowhere)\r")]);
    std::fs::write(dir.path().join("content/bin.md"), b"line one\nline \xff two\n").unwrap();
    let errors = build_errors(dir.path());
    assert!(errors.contains(&("invalid-utf8".into(), "content/bin.md".into(), 2, 6)), "{errors:?}");
    assert!(errors.contains(&("broken-anchor".into(), "content/mac.md".into(), 6, 5)), "lines of a CR-only page count: {errors:?}");
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let dir = site(&[("shortcodes/box.html", "<div>\n{{ inner | shout }}\n</div>\n"), ("content/a.md", "{{< box >}}x{{< /box >}}\n")]);
    assert_eq!(build_errors(dir.path()), [("template".to_string(), "shortcodes/box.html".to_string(), 2, 12)]);
    let dir = site(&[("shortcodes/box.html", "<div>\n{% if %}\n</div>\n"), ("content/a.md", "{{< box >}}x{{< /box >}}\n")]);
    let errors = build_errors(dir.path());
    assert_eq!((errors[0].0.as_str(), errors[0].1.as_str(), errors[0].2), ("template-syntax", "shortcodes/box.html", 2), "{errors:?}");
}

#[test]
fn a_link_to_an_alias_resolves_with_a_warning_with_and_without_section_path() {
    for (config, alias, link) in [
        (CONFIG.to_string(), "/old/", "/old/"),
        (format!("{CONFIG}section_path = \"/handbook/sec/\"\n"), "/handbook/sec/old/", "/handbook/sec/old/"),
    ] {
        let dir = site(&[
            ("handbook.toml", &config),
            ("content/new.md", &format!("---\ntitle: New\naliases: [\"{alias}\"]\n---\n")),
            ("content/a.md", &format!("# A\n\n[go]({link})\n")),
        ]);
        let report = handbook::build(&options(dir.path())).unwrap_or_else(|e| panic!("{config}: {e}: {}", messages(e.diagnostics())));
        let alias_link = report.diagnostics.iter().find(|d| d.code == "alias-link").expect("a warning");
        assert_eq!(alias_link.suggestion.as_deref(), Some(if config.contains("section_path") { "/handbook/sec/new/" } else { "/new/" }));
        assert!(std::fs::read_to_string(dir.path().join("public/a/index.html")).unwrap().contains("href=\"/new/\""));
    }
}
