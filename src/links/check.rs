//! Check stage: what needs every page rendered first: anchors on other pages.

use super::LinkRecord;
use super::Target;
use crate::content::Content;
use crate::diagnostics::{Diagnostic, Severity};
use std::collections::HashSet;

/// A diagnostic for every link whose `#anchor` is not an id on its target page.
pub fn check_anchors(content: &Content, links: &[LinkRecord], anchors: &[HashSet<String>], severity: Severity) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for link in links {
        let Some(Target::Page { id, anchor: Some(anchor) }) = &link.target else { continue };
        if anchor.is_empty() || anchors[*id].contains(anchor) {
            continue;
        }
        let target = &content.pages[*id];
        let from = &content.pages[link.from];
        let case_match = anchors[*id].iter().find(|a| a.eq_ignore_ascii_case(anchor));
        let mut d = match case_match {
            Some(actual) => Diagnostic::warning(
                "anchor-case",
                &from.file,
                format!("anchor `#{anchor}` matches `#{actual}` on {} only when case is ignored", target.file.display()),
            )
            .with_label(format!("did you mean `#{actual}`?"))
            .with_suggestion(link.dest.replace(&format!("#{anchor}"), &format!("#{actual}"))),
            None => {
                let on = if *id == link.from { "this page".to_string() } else { target.file.display().to_string() };
                let d = Diagnostic::new(severity, "broken-anchor", &from.file, format!("anchor `#{anchor}` does not exist on {on}"));
                match crate::suggest::closest(anchor, anchors[*id].iter().map(String::as_str)) {
                    Some(best) => d
                        .with_label(format!("did you mean `#{best}`?"))
                        .with_suggestion(link.dest.replace(&format!("#{anchor}"), &format!("#{best}"))),
                    None => d.with_label("no heading or element has this id"),
                }
            }
        };
        d = d.with_span(link.span).with_target(link.dest.clone()).located(&from.text, &from.lines);
        out.push(d);
    }
    out
}
