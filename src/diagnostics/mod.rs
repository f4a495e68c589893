//! Diagnostics (used by every stage): one value type for every problem found, with a byte span
//! into the source file, rendered later as compiler-style text, JSON or a GitLab Code Quality report.

mod line_index;
mod render;

pub use line_index::LineIndex;
pub use render::{render_codequality, render_json, render_text, summary_line, Format};

use std::path::PathBuf;

/// How bad a diagnostic is. Errors fail `build` and `check`; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A byte range into a source file's full text (front matter included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn shift(self, by: usize) -> Self {
        Span::new(self.start + by, self.end + by)
    }
}

/// One problem, located in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `broken-link`, `yaml-syntax`, `unknown-key`.
    pub code: &'static str,
    pub message: String,
    /// Path relative to the site root, with `/` separators (what the user sees).
    pub file: PathBuf,
    /// Where in `file`; `None` when the problem concerns the file as a whole.
    pub span: Option<Span>,
    /// `span` turned into line:column and the source line, by [`Diagnostic::locate`] while the
    /// file's text is at hand, so a diagnostic can be printed after the text is gone.
    pub location: Option<Location>,
    /// Short text printed under the caret.
    pub label: Option<String>,
    /// The link target or key the diagnostic is about, if any.
    pub target: Option<String>,
    /// A replacement that fixes the problem, if one is known.
    pub suggestion: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: file.into(),
            span: None,
            location: None,
            label: None,
            target: None,
            suggestion: None,
            notes: Vec::new(),
        }
    }

    pub fn error(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, message)
    }

    pub fn warning(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, file, message)
    }

    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Fills `location` from `span` using the text of `file`.
    pub fn locate(&mut self, text: &str, lines: &LineIndex) {
        if let Some(span) = self.span {
            self.location = Some(Location::new(text, lines, span));
        }
    }

    /// `locate` for a diagnostic built in one expression.
    pub fn located(mut self, text: &str, lines: &LineIndex) -> Self {
        self.locate(text, lines);
        self
    }

    /// 1-based (line, column), or (0, 0) for a whole-file diagnostic.
    pub fn line_col(&self) -> (usize, usize) {
        self.location.as_ref().map_or((0, 0), |l| (l.line, l.column))
    }

    /// The order diagnostics are printed in: by file, then position, then message.
    pub fn sort_key(&self) -> (&std::path::Path, usize, usize, &str) {
        let (line, column) = self.line_col();
        (&self.file, line, column, &self.message)
    }
}

/// A span resolved to human coordinates plus the line it sits on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The full text of `line`, without its terminator.
    pub source_line: String,
    /// The span's byte range within `source_line` (clipped to the line).
    pub range_in_line: std::ops::Range<usize>,
}

impl Location {
    pub fn new(text: &str, lines: &LineIndex, span: Span) -> Self {
        let (line, column) = lines.line_col(text, span.start);
        let range = lines.line_range(text, line);
        let start = span.start.clamp(range.start, range.end) - range.start;
        let end = span.end.clamp(range.start, range.end) - range.start;
        Location { line, column, source_line: text[range].to_string(), range_in_line: start..end.max(start) }
    }
}

/// Sorts diagnostics into print order and drops exact duplicates.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then(a.code.cmp(b.code)));
    diagnostics.dedup();
}

/// Counts (errors, warnings).
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}
