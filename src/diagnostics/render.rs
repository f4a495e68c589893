//! Diagnostics output: compiler-style text, a JSON array, or a GitLab Code Quality report.

use super::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// The output formats of `handbook check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    CodeQuality,
}

/// Renders diagnostics like rustc does: header, `--> file:line:col`, the source line and a caret.
pub fn render_text(diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&renderer.render(&report_for(d)).to_string());
        out.push_str("\n\n");
    }
    out
}

fn report_for(d: &Diagnostic) -> Vec<Group<'_>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let file = d.file.to_string_lossy().replace('\\', "/");
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let mut groups = vec![match &d.location {
        Some(loc) => {
            let mut annotation = AnnotationKind::Primary.span(loc.range_in_line.clone());
            if let Some(label) = &d.label {
                annotation = annotation.label(label.as_str());
            }
            title.element(Snippet::source(loc.source_line.as_str()).line_start(loc.line).path(file).annotation(annotation))
        }
        None => title.element(annotate_snippets::Origin::path(file)),
    }];
    for note in &d.notes {
        groups.push(Group::with_title(Level::NOTE.secondary_title(note.as_str())));
    }
    groups
}

/// "error: 2 errors, 1 warning" style summary, or `None` when there is nothing to say.
pub fn summary_line(diagnostics: &[Diagnostic]) -> Option<String> {
    let (errors, warnings) = super::count(diagnostics);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(format!("{} found", plural(w, "warning"))),
        (e, w) => Some(format!("{}, {} found", plural(e, "error"), plural(w, "warning"))),
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    target: Option<&'a str>,
    suggestion: Option<&'a str>,
}

/// The `--format json` output: an array of flat objects.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let rows: Vec<_> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: d.file.to_string_lossy().replace('\\', "/"),
            line: d.location.as_ref().map(|l| l.line),
            column: d.location.as_ref().map(|l| l.column),
            target: d.target.as_deref(),
            suggestion: d.suggestion.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("diagnostics serialize") + "\n"
}

#[derive(Serialize)]
struct CodeQualityIssue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: CodeQualityLocation,
}

#[derive(Serialize)]
struct CodeQualityLocation {
    path: String,
    lines: CodeQualityLines,
}

#[derive(Serialize)]
struct CodeQualityLines {
    begin: usize,
}

/// The GitLab Code Quality report (a subset of the Code Climate spec that GitLab reads).
pub fn render_codequality(diagnostics: &[Diagnostic]) -> String {
    let issues: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let path = d.file.to_string_lossy().replace('\\', "/");
            let (line, column) = d.line_col();
            let identity = format!("{}|{}|{}|{}|{}", d.code, path, line, column, d.message);
            CodeQualityIssue {
                description: d.message.clone(),
                check_name: d.code,
                fingerprint: format!("{:016x}", fnv1a(identity.as_bytes())),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: CodeQualityLocation { path, lines: CodeQualityLines { begin: line.max(1) } },
            }
        })
        .collect();
    serde_json::to_string_pretty(&issues).expect("report serializes") + "\n"
}

/// A stable 64-bit hash (FNV-1a): fingerprints must not change between Rust versions.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{LineIndex, Span};

    fn broken_link() -> Diagnostic {
        let text = "line one\nsee [x](runbooks}) here\n";
        Diagnostic::error("broken-link", "content/_index.md", "link target `runbooks}` does not exist")
            .with_span(Span::new(17, 26))
            .with_label("did you mean `runbooks/`?")
            .with_target("runbooks}")
            .with_suggestion("runbooks/")
            .located(text, &LineIndex::new(text))
    }

    #[test]
    fn text_points_at_line_and_column_with_a_caret() {
        let out = render_text(&[broken_link()], false);
        assert!(out.contains("error[broken-link]: link target `runbooks}` does not exist"), "{out}");
        assert!(out.contains("--> content/_index.md:2:9"), "{out}");
        assert!(out.contains("2 | see [x](runbooks}) here"), "{out}");
        assert!(out.contains("^^^^^^^^^ did you mean `runbooks/`?"), "{out}");
    }

    #[test]
    fn json_has_the_documented_fields() {
        let v: serde_json::Value = serde_json::from_str(&render_json(&[broken_link()])).unwrap();
        let d = &v[0];
        assert_eq!(d["severity"], "error");
        assert_eq!(d["code"], "broken-link");
        assert_eq!(d["file"], "content/_index.md");
        assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(9)));
        assert_eq!(d["target"], "runbooks}");
        assert_eq!(d["suggestion"], "runbooks/");
    }

    #[test]
    fn codequality_report_has_gitlab_fields_and_stable_fingerprints() {
        let a = render_codequality(&[broken_link()]);
        let v: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v[0]["severity"], "major");
        assert_eq!(v[0]["location"]["path"], "content/_index.md");
        assert_eq!(v[0]["location"]["lines"]["begin"], 2);
        assert_eq!(a, render_codequality(&[broken_link()]));
    }
}
