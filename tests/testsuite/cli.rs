//! The command line itself: help text, shell completions, the man page, and exit codes that are
//! the same whichever command meets a missing site. (That every flag has help text is a unit test
//! of src/cli.rs, where the clap types are.)

use std::process::{Command, Output};

fn handbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handbook")).args(args).env("NO_COLOR", "1").env_remove("HANDBOOK_BASE_URL").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn serve_and_build_report_a_missing_site_the_same_way_with_status_2() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("missing");
    for root in [&missing, &empty.path().to_path_buf()] {
        let root = root.to_str().unwrap();
        let build = handbook(&["build", "--root", root]);
        assert_eq!(build.status.code(), Some(2), "{}", text(&build.stderr));
        assert!(text(&build.stderr).contains(&format!("error: no handbook.toml in {root}")), "{}", text(&build.stderr));
        // `--port 0`: were the site found, serve would not fail on a busy port first.
        for command in [&["serve", "--port", "0", "--root", root][..], &["check", "--root", root]] {
            let other = handbook(command);
            assert_eq!(other.status.code(), Some(2), "{command:?}: {}", text(&other.stderr));
            assert_eq!(text(&other.stderr), text(&build.stderr), "{command:?}");
        }
    }
}

#[test]
fn completions_for_each_shell_and_the_man_page_go_to_stdout() {
    for (shell, marker) in [
        ("bash", "_handbook()"),
        ("zsh", "#compdef handbook"),
        ("fish", "complete -c handbook"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = handbook(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains(marker), "{shell}: no `{marker}` in\n{}", text(&out.stdout));
        assert!(out.stderr.is_empty(), "{shell}: {}", text(&out.stderr));
    }
    let unknown = handbook(&["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2), "an unknown shell is a usage error");
    let man = handbook(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    assert!(text(&man.stdout).contains(".TH handbook 1"), "{}", text(&man.stdout));
}

#[test]
fn every_subcommand_has_help_naming_its_flags() {
    let expected: &[(&str, &[&str])] = &[
        ("build", &["--root", "--output", "--base-url", "--drafts", "--verify"]),
        ("check", &["--root", "--format", "--external", "--fix"]),
        ("serve", &["--root", "--bind", "--port", "--open", "--drafts"]),
        ("new", &["--root", "<KIND>", "<NAME>"]),
        ("init", &["[DIR]"]),
        ("completions", &["<SHELL>"]),
        ("man", &[]),
    ];
    let top = text(&handbook(&["--help"]).stdout);
    for (sub, flags) in expected {
        assert!(top.contains(&format!("\n  {sub} ")), "`handbook --help` does not list {sub}:\n{top}");
        let out = handbook(&[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        let help = text(&out.stdout);
        for flag in *flags {
            // Each flag's line carries a description after the flag itself.
            let line = help.lines().find(|l| l.trim_start().starts_with(flag)).unwrap_or_else(|| panic!("{sub}: no {flag} in\n{help}"));
            assert!(line.split("  ").filter(|part| !part.trim().is_empty()).count() >= 2, "{sub} {flag} has no help: {line:?}");
        }
    }
}

#[test]
fn an_invalid_source_date_epoch_is_a_usage_error_naming_it() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_handbook")).args(["check", "--root", "."]).env("SOURCE_DATE_EPOCH", "yesterday").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not `yesterday`"),
        "{}",
        text(&out.stderr)
    );
}
