//! Render stage (link side): what is kept of each resolved link for the check stage, and a
//! resolver problem as a diagnostic at the link's place.

use super::{Problem, Resolution, Target};
use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Span};

/// One link of a page, resolved, with where it is written.
#[derive(Debug, Clone)]
pub struct LinkRecord {
    pub from: PageId,
    /// The destination as written, in the page file.
    pub span: Span,
    pub dest: String,
    /// Written as `{{< ref >}}` / `{{< relref >}}`.
    pub from_ref: bool,
    pub target: Option<Target>,
}

impl LinkRecord {
    pub fn new(from: PageId, span: Span, dest: String, from_ref: bool, resolution: &Resolution) -> Self {
        LinkRecord { from, span, dest, from_ref, target: resolution.target.clone() }
    }
}

/// A resolver problem as a diagnostic at the link's span.
pub fn problem_diagnostic(file: &std::path::Path, span: Span, dest: &str, problem: Problem) -> Diagnostic {
    let mut d = Diagnostic::new(problem.severity, problem.code, file, problem.message).with_span(span).with_target(dest.to_string());
    if let Some(s) = problem.suggestion {
        d = d.with_label(format!("did you mean `{s}`?")).with_suggestion(s);
    }
    if problem.fixable {
        d = d.with_note("`handbook check --fix` rewrites this link");
    }
    d.notes.extend(problem.notes);
    d
}
