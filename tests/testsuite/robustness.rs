//! Bad input never panics: every hostile page below goes through the whole pipeline (`check`
//! and `build`), and each build either succeeds or fails with diagnostics.

use handbook::{BuildOptions, Error};

const NASTY: &[&str] = &[
    "",
    "---",
    "---\n---",
    "+++\n+++\n",
    "\u{feff}---\ntitle: bom\n---\nbody",
    "---\ntitle: [unclosed\n---\n",
    "---\ntitle: \"ok\"\nweight: 99999999999999999999999\n---\n",
    "+++\ntitle = \n+++\n",
    "{{<",
    "{{< >}}",
    "{{< / >}}",
    "{{% details %}}{{% details %}}{{% /details %}}",
    "{{< ref \"\" >}}",
    "{{< ref >}}",
    "{{< ref \"../../../../etc/passwd\" >}}",
    "{{< include \"../../etc/passwd\" >}}",
    "{{< include \"/\" >}}",
    "{{< ref \"#\" >}}",
    "{{</* unterminated",
    "{{< alert color=\"\\\" >}}x{{< /alert >}}",
    "[a](<>) [b]() [c](#) [d](%zz) [e](%2e%2e/%2e%2e/x) [f](/) [g](//) [h](\\\\x)",
    "[x][missing-def] ![y][] [z]: <unclosed",
    "```rust\nfn main() {\n",
    "```unknownlang\n<script>alert(1)</script>\n```",
    "- TOC\n{:toc}",
    "{:toc}\n- TOC",
    "{: #id .cls}\n",
    "## {#} \n## {#id\n# \n######## seven",
    "<!-- unclosed comment\n\ntext",
    "<div id=\"\">\n\n</div>",
    "| a |\n|---|\n| ` | \n",
    "[^1]\n\n[^1]: [^1]",
    "\u{0}\u{1}\u{1A}hbsc0\u{1A}\u{1A}toc\u{1A}",
    "ç̃̈ 👩‍👩‍👧 \r\n\r\n## Ünïcode Ünïcode\r\n[x](#ünïcode-ünïcode)",
];

#[test]
fn hostile_pages_never_panic() {
    for (i, page) in NASTY.iter().enumerate() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("handbook.toml"), "title = \"T\"\nbase_url = \"https://h.example/\"\n").unwrap();
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        std::fs::write(site.path().join("content/nasty.md"), page).unwrap();
        let options = BuildOptions { root: site.path().to_path_buf(), source_date_epoch: Some(0), ..Default::default() };
        let checked = std::panic::catch_unwind(|| handbook::check(&options));
        assert!(checked.is_ok(), "check panicked on input {i}: {page:?}");
        let built = std::panic::catch_unwind(|| handbook::build(&options));
        match built {
            Ok(Ok(_)) => {}
            Ok(Err(Error::Site(diagnostics))) => assert!(!diagnostics.is_empty(), "input {i}"),
            Ok(Err(other)) => panic!("input {i}: unexpected error kind {other}"),
            Err(_) => panic!("build panicked on input {i}: {page:?}"),
        }
    }
}

#[test]
fn binary_files_and_invalid_utf8_are_reported_not_panicked_on() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("handbook.toml"), "title = \"T\"\nbase_url = \"https://h.example/\"\n").unwrap();
    std::fs::create_dir_all(site.path().join("content")).unwrap();
    std::fs::write(site.path().join("content/binary.md"), [0xff, 0xfe, 0x00, 0x80]).unwrap();
    std::fs::write(site.path().join("content/fine.md"), "# Fine\n\n[broken](missing.md)\n").unwrap();
    let options = BuildOptions { root: site.path().to_path_buf(), ..Default::default() };
    let report = handbook::check(&options).expect("a bad file is a diagnostic, not an I/O error");
    let codes: Vec<_> = report.diagnostics.iter().map(|d| (d.code, d.file.display().to_string(), d.line_col())).collect();
    assert!(codes.contains(&("invalid-utf8", "content/binary.md".to_string(), (1, 1))), "{codes:?}");
    assert!(
        codes.iter().any(|(code, file, _)| *code == "broken-link" && file == "content/fine.md"),
        "the other files are still checked: {codes:?}"
    );
}

/// Code blocks that aborted the whole build (SIGABRT in a tree-sitter grammar's C scanner, no
/// panic to catch) before handbook bounded what it hands tree-sitter: they build, highlighted.
#[test]
fn code_blocks_past_a_grammars_scanner_buffer_build() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("handbook.toml"), "title = \"T\"\nbase_url = \"https://h.example/\"\n").unwrap();
    std::fs::create_dir_all(site.path().join("content")).unwrap();
    let yaml = format!("```yaml\n{}x\n```\n", "- ".repeat(1000));
    let ruby = format!("```ruby\nx = <<{0}\nbody\n{0}\n```\n", "A".repeat(256));
    let brackets = format!("```rust\n{}\n```\n", "\"".repeat(100_000));
    for (name, page) in [("yaml", &yaml), ("ruby", &ruby), ("brackets", &brackets)] {
        std::fs::write(site.path().join(format!("content/{name}.md")), format!("# {name}\n\n{page}")).unwrap();
    }
    let output = site.path().join("public");
    let options = BuildOptions { root: site.path().to_path_buf(), output: Some(output.clone()), ..Default::default() };
    handbook::build(&options).expect("the build succeeds");
    for name in ["yaml", "ruby", "brackets"] {
        let html = std::fs::read_to_string(output.join(name).join("index.html")).unwrap();
        assert!(html.contains("<span class=\"hl-"), "{name} is highlighted");
    }
}
