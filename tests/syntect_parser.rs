//! The vendored syntect (`vendor/syntect`, patched for speed; see its HANDBOOK-PATCHES.md) must
//! parse exactly like upstream syntect 5.3.0. Each sample in `tests/fixtures/highlight/samples`
//! has the HTML upstream made for it in `expected/`, with every scope as classes, so any change
//! in the parser's output shows up here, not only in what our stylesheets color.
//!
//! The expected files were written by upstream syntect: regenerate them (`UPDATE_UPSTREAM_HIGHLIGHT=1`)
//! only with the `[patch.crates-io]` entry for syntect removed from Cargo.toml.

use std::path::{Path, PathBuf};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/highlight/samples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

fn highlight(syntaxes: &SyntaxSet, sample: &Path) -> String {
    let ext = sample.extension().and_then(|e| e.to_str()).unwrap();
    let syntax = syntaxes.find_syntax_by_extension(ext).unwrap_or_else(|| panic!("no grammar for .{ext}"));
    assert_ne!(syntax.name, "Plain Text", "{}", sample.display());
    let code = std::fs::read_to_string(sample).unwrap();
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, ClassStyle::SpacedPrefixed { prefix: "hl-" });
    for line in LinesWithEndings::from(&code) {
        generator.parse_html_for_line_which_includes_newline(line).unwrap();
    }
    generator.finalize()
}

#[test]
fn vendored_syntect_parses_exactly_like_upstream() {
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/highlight/expected");
    let samples = samples();
    assert!(samples.len() >= 15, "the corpus covers many grammars");
    for sample in samples {
        let html = highlight(&syntaxes, &sample);
        let expected_file = expected_dir.join(format!("{}.html", sample.file_name().unwrap().to_str().unwrap()));
        if std::env::var_os("UPDATE_UPSTREAM_HIGHLIGHT").is_some() {
            std::fs::write(&expected_file, &html).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_else(|e| panic!("{}: {e}", expected_file.display()));
        assert!(expected.contains("<span class=\"hl-"), "{} is highlighted", expected_file.display());
        assert_eq!(html, expected, "{} parses differently from upstream syntect", sample.display());
    }
}
