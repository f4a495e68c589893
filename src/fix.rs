//! Check stage, `--fix`: rewrite links whose diagnostics carry a known fix, in place, touching
//! nothing but the link targets.

use crate::diagnostics::Diagnostic;
use crate::error::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Diagnostic codes whose suggestion is a safe drop-in replacement for the written target.
pub const FIXABLE: &[&str] = &["legacy-link", "alias-link", "link-case", "anchor-case"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
}

/// Applies every fix it can; a fix whose span no longer holds the reported target is skipped.
pub fn apply(root: &Path, diagnostics: &[Diagnostic]) -> Result<Vec<Edit>> {
    let mut by_file: BTreeMap<&Path, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| FIXABLE.contains(&d.code) && d.span.is_some() && d.suggestion.is_some()) {
        by_file.entry(d.file.as_path()).or_default().push(d);
    }
    let mut edits = Vec::new();
    for (file, mut fixes) in by_file {
        let path = root.join(file);
        let mut text = crate::io::read_to_string(&path)?;
        fixes.sort_by_key(|d| std::cmp::Reverse(d.span.map(|s| s.start)));
        fixes.dedup_by_key(|d| d.span);
        let mut applied = Vec::new();
        let mut last_start = usize::MAX;
        for d in fixes {
            let span = d.span.expect("filtered");
            let (from, to) = (d.target.as_deref().unwrap_or(""), d.suggestion.as_deref().expect("filtered"));
            if span.end > last_start || text.get(span.start..span.end) != Some(from) {
                continue;
            }
            text.replace_range(span.start..span.end, to);
            last_start = span.start;
            let (line, column) = d.line_col();
            applied.push(Edit { file: file.to_path_buf(), line, column, from: from.to_string(), to: to.to_string() });
        }
        if !applied.is_empty() {
            crate::io::write(&path, text.as_bytes())?;
            applied.reverse();
            edits.extend(applied);
        }
    }
    Ok(edits)
}
