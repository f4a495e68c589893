//! Data stage: the files directly under a site's `data/`, loaded for templates as `data.<stem>`.
//!
//! The caller reads the files (the crate has one I/O layer) and passes their texts here. YAML
//! (`.yml`, `.yaml`), JSON and TOML files are loaded; other files (e.g. `parent-urls.txt`) are left
//! to whoever uses them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value};

use super::yaml::{self, Reader};
use crate::diagnostics::{Diagnostic, LineIndex, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Json,
    Toml,
}

/// Loads `files` (path relative to the site root, text) into one map keyed by file stem, in path
/// order. A file that fails to parse is left out; a second file with the same stem is an error and
/// left out, so `data.<stem>` never depends on which file happened to be read last.
pub fn load_data_files(files: &[(PathBuf, String)]) -> (Map<String, Value>, Vec<Diagnostic>) {
    let mut sorted: Vec<&(PathBuf, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut data = Map::new();
    let mut diagnostics = Vec::new();
    let mut stems: BTreeMap<String, &Path> = BTreeMap::new();
    for (path, text) in sorted {
        let Some((stem, format)) = classify(path) else {
            continue;
        };
        if let Some(first) = stems.get(&stem) {
            diagnostics.push(same_stem(path, first, &stem));
            continue;
        }
        stems.insert(stem.clone(), path);
        if let Some(too_large) = super::check_size(path, text) {
            diagnostics.push(too_large);
            continue;
        }
        let (value, mut problems) = parse(format, path, text);
        super::locate_all(&mut problems, text);
        diagnostics.extend(problems);
        if let Some(value) = value {
            data.insert(stem, value);
        }
    }
    (data, diagnostics)
}

/// The stem and format of a data file, or `None` for files that are not data.
fn classify(path: &Path) -> Option<(String, Format)> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    let format = match extension.as_str() {
        "yml" | "yaml" => Format::Yaml,
        "json" => Format::Json,
        "toml" => Format::Toml,
        _ => return None,
    };
    Some((path.file_stem()?.to_string_lossy().into_owned(), format))
}

fn same_stem(path: &Path, first: &Path, stem: &str) -> Diagnostic {
    let message = format!("`{}` and `{}` both define `data.{stem}`; only the first is loaded", first.display(), path.display());
    Diagnostic::error("duplicate-key", path, message).with_target(stem).with_note("rename or remove one of the files")
}

fn parse(format: Format, path: &Path, text: &str) -> (Option<Value>, Vec<Diagnostic>) {
    match format {
        Format::Yaml => parse_yaml(path, text),
        Format::Json => parse_json(path, text),
        Format::Toml => parse_toml(path, text),
    }
}

fn parse_yaml(path: &Path, text: &str) -> (Option<Value>, Vec<Diagnostic>) {
    match yaml::load(path, text) {
        Ok(loaded) => {
            let duplicates = Reader::new(path, text, &loaded.duplicates).diagnostics;
            (Some(loaded.value), duplicates)
        }
        Err(diagnostic) => (None, vec![*diagnostic]),
    }
}

fn parse_json(path: &Path, text: &str) -> (Option<Value>, Vec<Diagnostic>) {
    match serde_json::from_str(text) {
        Ok(value) => (Some(value), Vec::new()),
        Err(err) => {
            let message = format!("invalid JSON: {}", json_message(&err));
            let diagnostic = Diagnostic::error("json-syntax", path, message).with_span(json_span(text, err.line(), err.column()));
            (None, vec![diagnostic])
        }
    }
}

/// serde_json's message without the " at line L column C" that the span carries.
fn json_message(err: &serde_json::Error) -> String {
    let at = format!(" at line {} column {}", err.line(), err.column());
    err.to_string().replacen(&at, "", 1)
}

/// serde_json counts columns in bytes from 1 (0 before the line's first byte).
fn json_span(text: &str, line: usize, column: usize) -> Span {
    let range = LineIndex::new(text).line_range(text, line);
    let mut start = (range.start + column.saturating_sub(1)).min(range.end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let len = text[start..].chars().next().map_or(0, char::len_utf8);
    Span::new(start, start + len)
}

fn parse_toml(path: &Path, text: &str) -> (Option<Value>, Vec<Diagnostic>) {
    match toml::from_str::<toml::Table>(text) {
        Ok(table) => (Some(toml_to_json(toml::Value::Table(table))), Vec::new()),
        Err(err) => {
            let message = format!("invalid TOML: {}", err.message().trim_end());
            let mut diagnostic = Diagnostic::error("toml-syntax", path, message);
            if let Some(range) = err.span() {
                diagnostic = diagnostic.with_span(Span::new(range.start, range.end));
            }
            (None, vec![diagnostic])
        }
    }
}

/// TOML dates become their TOML text; floats JSON cannot hold (`nan`, `inf`) become text too.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn files(list: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
        list.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect()
    }

    fn at(text: &str, d: &Diagnostic) -> (usize, usize) {
        LineIndex::new(text).line_col(text, d.span.expect("has a span").start)
    }

    #[test]
    fn loads_each_format_by_stem_in_name_order() {
        let (data, diagnostics) = load_data_files(&files(&[
            ("data/team.yml", "- name: Jane\n  gitlab: jdoe\n"),
            ("data/links.json", r#"{"docs": "https://docs.example.com", "n": 2}"#),
            ("data/site.toml", "title = \"AppSec\"\nupdated = 2024-05-01\n[owners]\nlead = \"Kim\"\n"),
            ("data/extra.YAML", "a: &x 1\nb: *x\n"),
            ("data/parent-urls.txt", "/handbook/\n"),
            ("data/notes.md", "# not data\n"),
        ]));
        assert_eq!(diagnostics, vec![]);
        let keys: Vec<&String> = data.keys().collect();
        assert_eq!(keys, ["extra", "links", "site", "team"]);
        assert_eq!(data["team"], json!([{"name": "Jane", "gitlab": "jdoe"}]));
        assert_eq!(data["links"]["n"], 2);
        assert_eq!(data["site"], json!({"title": "AppSec", "updated": "2024-05-01", "owners": {"lead": "Kim"}}));
        assert_eq!(data["extra"], json!({"a": 1, "b": 1}));
    }

    #[test]
    fn reports_syntax_errors_with_their_place_and_skips_the_file() {
        let yaml = "a: 1\nb: [\n";
        let json_text = "{\n  \"a\": 1,\n  \"b\": x\n}\n";
        let toml_text = "a = 1\nb = \n";
        let (data, diagnostics) = load_data_files(&files(&[
            ("data/y.yml", yaml),
            ("data/j.json", json_text),
            ("data/t.toml", toml_text),
            ("data/ok.json", "[1]"),
        ]));
        assert_eq!(data.keys().collect::<Vec<_>>(), ["ok"]);
        let found: Vec<_> = diagnostics.iter().map(|d| (d.code, d.file.to_str().unwrap(), d.message.as_str())).collect();
        assert_eq!(found[0], ("json-syntax", "data/j.json", "invalid JSON: expected value"));
        assert_eq!(at(json_text, &diagnostics[0]), (3, 8));
        assert_eq!((found[1].0, found[1].1), ("toml-syntax", "data/t.toml"));
        assert!(found[1].2.starts_with("invalid TOML: "), "{}", found[1].2);
        assert_eq!(at(toml_text, &diagnostics[1]).0, 2);
        assert_eq!((found[2].0, found[2].1), ("yaml-syntax", "data/y.yml"));
        assert_eq!(at(yaml, &diagnostics[2]).0, 3);
    }

    #[test]
    fn reports_duplicate_yaml_keys_but_keeps_the_file() {
        let text = "a: 1\na: 2\n";
        let (data, diagnostics) = load_data_files(&files(&[("data/d.yml", text)]));
        assert_eq!(data["d"], json!({"a": 1}));
        assert_eq!(diagnostics[0].code, "duplicate-key");
        assert_eq!(at(text, &diagnostics[0]), (2, 1));
    }

    #[test]
    fn a_second_file_with_the_same_stem_is_an_error() {
        let (data, diagnostics) = load_data_files(&files(&[("data/team.yml", "[]"), ("data/team.json", "{}")]));
        assert_eq!(data["team"], json!({}), "data/team.json sorts first");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "duplicate-key");
        assert_eq!(diagnostics[0].file, Path::new("data/team.yml"));
        assert_eq!(diagnostics[0].message, "`data/team.json` and `data/team.yml` both define `data.team`; only the first is loaded");
    }

    #[test]
    fn does_not_load_files_over_the_size_limit() {
        let big = format!("[{}1]", "1,".repeat(super::super::MAX_DATA_FILE_BYTES / 2));
        let (data, diagnostics) = load_data_files(&files(&[("data/big.json", &big), ("data/alias.yml", "a: &a [x]\nb: [*a, *a]\n")]));
        assert!(data.get("big").is_none());
        assert_eq!(data["alias"], json!({"a": ["x"], "b": [["x"], ["x"]]}));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "data-too-large");
    }

    #[test]
    fn json_columns_before_multi_byte_text_stay_on_char_boundaries() {
        let text = "{\"é\": ,}";
        let span = json_span(text, 1, 8);
        assert!(text.is_char_boundary(span.start));
        assert_eq!(&text[span.start..span.end], ",");
    }
}
