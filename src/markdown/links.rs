//! Render stage: the link adapter. Finds every link and image with the span of its destination
//! as written (inline, reference definition or autolink) and lets the caller rewrite the href.

use super::Events;
use crate::diagnostics::Span;
use pulldown_cmark::{CowStr, Event, LinkType, Tag};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The destination as the parser read it.
    pub dest: String,
    /// Where the destination is written, in the rendered text's offsets.
    pub span: Span,
    pub image: bool,
    /// Written in a reference definition (`[1]: /x.html`), not inline.
    pub via_definition: bool,
}

pub fn collect(
    events: &mut Events,
    source: &str,
    defs: &pulldown_cmark::RefDefs,
    rewrite: &mut dyn FnMut(&FoundLink) -> Option<String>,
) -> Vec<FoundLink> {
    let mut found = Vec::new();
    for (event, range) in events.iter_mut() {
        let (link_type, dest_url, id, image) = match event {
            Event::Start(Tag::Link { link_type, dest_url, id, .. }) => (*link_type, dest_url, id, false),
            Event::Start(Tag::Image { link_type, dest_url, id, .. }) => (*link_type, dest_url, id, true),
            _ => continue,
        };
        let definition = defs.get(id).filter(|_| is_reference(link_type));
        let span = match definition {
            Some(def) => definition_dest(source, &def.span),
            None => inline_dest(source, range, link_type),
        };
        // `<a@b.example>`: pulldown-cmark keeps the address and writes `mailto:` itself.
        let dest = match link_type {
            LinkType::Email => format!("mailto:{dest_url}"),
            _ => dest_url.to_string(),
        };
        let link = FoundLink { dest, span, image, via_definition: definition.is_some() };
        if let Some(new) = rewrite(&link) {
            *dest_url = CowStr::from(new);
        }
        found.push(link);
    }
    found
}

fn is_reference(t: LinkType) -> bool {
    matches!(t, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut)
}

/// `[text](dest "title")`: the destination after the last `](`.
fn inline_dest(source: &str, range: &Range<usize>, link_type: LinkType) -> Span {
    let whole = Span::new(range.start, range.end);
    if matches!(link_type, LinkType::Autolink | LinkType::Email) {
        // `<url>`, or a bare URL whose range is the URL itself (see `autolink`).
        return match source.as_bytes().get(range.start) {
            Some(b'<') => Span::new(range.start + 1, range.end.saturating_sub(1).max(range.start + 1)),
            _ => whole,
        };
    }
    let text = &source.as_bytes()[range.start..range.end];
    // memchr's reverse search: `str::rfind` builds a two-way searcher for every link.
    match memchr::memmem::rfind(text, b"](") {
        Some(open) => dest_token(source, range.start + open + 2, range.end).unwrap_or(whole),
        None => whole,
    }
}

/// `[label]: dest "title"`: the destination after `]:`.
fn definition_dest(source: &str, span: &Range<usize>) -> Span {
    let text = &source[span.start..span.end];
    match text.find("]:") {
        Some(colon) => dest_token(source, span.start + colon + 2, span.end).unwrap_or(Span::new(span.start, span.end)),
        None => Span::new(span.start, span.end),
    }
}

/// The destination token starting at `from` (after whitespace): `<…>` or up to whitespace or an
/// unbalanced `)`.
fn dest_token(source: &str, from: usize, limit: usize) -> Option<Span> {
    let bytes = source.as_bytes();
    let mut start = from;
    while start < limit && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    if bytes.get(start) == Some(&b'<') {
        let end = source[start..limit].find('>')? + start;
        return Some(Span::new(start + 1, end));
    }
    let mut depth = 0i32;
    let mut end = start;
    while end < limit {
        match bytes[end] {
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b'\\' => end += 1,
            c if c.is_ascii_whitespace() => break,
            _ => {}
        }
        end += 1;
    }
    (end > start).then(|| Span::new(start, end.min(limit)))
}
