//! Load stage: the URL-shaped front-matter values (`url`, `slug`, `aliases`) are checked before a
//! page gets a URL, so a page can never be published outside the output folder, and an alias can
//! never add a rule of its own to `_redirects`.

use super::front_matter::{key_offset, FrontMatter, Split};
use crate::diagnostics::{Diagnostic, LineIndex, Span};
use crate::safe_path::{check_url_path, check_url_segment, BadSegment};
use std::path::Path;

/// Errors for every `url`, `slug` and alias that is not a plain URL path, at the value's place.
pub fn check(file: &Path, text: &str, lines: &LineIndex, split: &Split, front: &FrontMatter) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut refuse = |key: &str, value: &str, why: BadSegment, what: &str| {
        let span = value_span(text, split, key, value);
        out.push(
            Diagnostic::error("invalid-url", file, format!("`{key}` has {why}: {what}"))
                .with_span(span)
                .with_label("not a plain URL path")
                .with_target(value.to_string())
                .located(text, lines),
        );
    };
    if let Some(url) = &front.url {
        if let Err(why) = check_url_path(url) {
            refuse("url", url, why, "it must be a URL path such as /team/process/");
        }
    }
    if let Some(slug) = &front.slug {
        let checked = if slug.starts_with('/') { Err(BadSegment::Empty) } else { slug.split('/').try_for_each(check_url_segment) };
        if let Err(why) = checked {
            refuse("slug", slug, why, "it must be one or more path segments such as triage-process");
        }
    }
    for alias in &front.aliases {
        if let Err(why) = check_url_path(alias) {
            refuse("aliases", alias, why, "an alias must be a URL path such as /old/place/");
        }
    }
    out
}

/// Where `value` of front-matter `key` is written in a page file (the key when it is not found).
pub fn front_value_span(text: &str, key: &str, value: &str) -> Span {
    match super::front_matter::split(text) {
        Ok(split) => value_span(text, &split, key, value),
        Err(_) => Span::new(0, 0),
    }
}

/// The value's place in the file: its first occurrence after its key (or that of its text up to
/// a control character, which the file may hold escaped as `\n`), else the key itself.
fn value_span(text: &str, split: &Split, key: &str, value: &str) -> Span {
    let block = &text[split.matter.start..split.matter.end];
    let Some(key_at) = key_offset(block, key) else { return Span::new(split.matter.start, split.matter.start) };
    let key_at = split.matter.start + key_at;
    let written = value.split(char::is_control).next().unwrap_or(value);
    match text[key_at..split.matter.end].find(written).filter(|_| !written.is_empty()) {
        Some(i) => Span::new(key_at + i, key_at + i + written.len()),
        None => Span::new(key_at, key_at + key.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(front: &str) -> Vec<(usize, usize, String)> {
        let text = format!("---\ntitle: T\n{front}\n---\nbody\n");
        let lines = LineIndex::new(&text);
        let split = super::super::front_matter::split(&text).unwrap();
        let (parsed, _) = super::super::front_matter::parse(Path::new("content/p.md"), &text, &lines, &split).unwrap();
        check(Path::new("content/p.md"), &text, &lines, &split, &parsed)
            .into_iter()
            .map(|d| (d.line_col().0, d.line_col().1, d.message))
            .collect()
    }

    #[test]
    fn url_and_slug_that_climb_out_are_errors_at_their_value() {
        let p = problems("url: \"../../../../tmp/x\"");
        assert_eq!((p[0].0, p[0].1), (3, 7), "{p:?}");
        assert!(p[0].2.starts_with("`url` has a `..` segment"), "{p:?}");
        let p = problems("slug: ../../x");
        assert_eq!((p[0].0, p[0].1), (3, 7), "{p:?}");
        assert_eq!(problems("slug: /etc/x").len(), 1);
        assert_eq!(problems("url: /team/process/\nslug: ok-slug").len(), 0);
    }

    #[test]
    fn aliases_with_newlines_or_spaces_are_errors_at_their_line() {
        let p = problems("aliases:\n  - /fine/\n  - \"/x\\n/* https://evil.example/ 302\"");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, 5, "{p:?}");
        assert!(p[0].2.contains("control character"), "{p:?}");
        let p = problems("aliases: [\"/a b/\"]");
        assert!(p[0].2.contains("whitespace"), "{p:?}");
    }
}
