//! Render stage: where substituted text shows outside the body's flow. pulldown-cmark writes an
//! image's `alt` from its text and escapes inline HTML there, and TOC titles were read from the
//! heading's text before any substitution; both are mended here, so they read as the body does.

use super::{Events, TocEntry};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// TOC entries get their headings' text as shown, curly quotes and emoji included (as Hugo's
/// table of contents has them). Entries are in heading order, so one pass pairs them up.
pub fn retitle(toc: &mut [TocEntry], events: &Events) {
    let mut entries = toc.iter_mut().peekable();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i].0 else {
            i += 1;
            continue;
        };
        let end = (i..events.len()).find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_)))).unwrap_or(events.len());
        if let Some(entry) = entries.next_if(|e| e.id == id.as_ref()) {
            let inner = &events[i + 1..end];
            if inner.iter().any(|(e, _)| matches!(e, Event::InlineHtml(h) if is_reference(h))) {
                entry.title = heading_text(inner).trim().to_string();
            }
        }
        i = end;
    }
}

fn heading_text(events: &[(Event, Range<usize>)]) -> String {
    let mut title = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => title.push_str(t),
            Event::InlineHtml(h) if is_reference(h) => title.push_str(&crate::html::decode_references(h)),
            _ => {}
        }
    }
    title
}

/// Images whose alt text got typographic or emoji references: pulldown-cmark escapes inline
/// HTML in `alt`, so such an image is written here, with the references kept as they are.
pub fn fold_images(events: &mut Events) {
    if !events.iter().any(|(e, _)| matches!(e, Event::Start(Tag::Image { .. }))) {
        return; // most pages: no copy of the event list
    }
    let mut taken = std::mem::take(events);
    let mut i = 0;
    while i < taken.len() {
        let end = match taken[i].0 {
            Event::Start(Tag::Image { .. }) => image_end(&taken, i),
            _ => i,
        };
        let image = &taken[i..=end];
        if end > i && has_references(image) {
            events.push((Event::InlineHtml(image_html(image).into()), taken[i].1.clone()));
        } else {
            events.extend(taken[i..=end].iter_mut().map(|e| std::mem::replace(e, (Event::SoftBreak, 0..0))));
        }
        i = end + 1;
    }
}

/// Whether an image's text has references of ours (and no marker character of its own).
fn has_references(image: &[(Event, Range<usize>)]) -> bool {
    let reference = image.iter().any(|(e, _)| matches!(e, Event::InlineHtml(h) if is_reference(h)));
    reference && !image.iter().any(|(e, _)| matches!(e, Event::Text(t) if t.contains(MARKER)))
}

const MARKER: char = '\u{1A}';

/// A character reference written by the typographer or emoji ([`super::inline`]): inline HTML
/// that starts with `&` and ends with `;`, as neither an author's tag nor footnote markup does.
fn is_reference(html: &str) -> bool {
    html.starts_with('&') && html.ends_with(';')
}

fn image_end(events: &Events, start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) if depth == 1 => return j,
            Event::End(TagEnd::Image) => depth -= 1,
            _ => {}
        }
    }
    events.len() - 1
}

/// pulldown-cmark writes the image with a marker for each reference, then the markers are
/// replaced.
fn image_html(image: &[(Event, Range<usize>)]) -> String {
    let mut references = Vec::new();
    let events = image.iter().map(|(e, _)| match e {
        Event::InlineHtml(h) if is_reference(h) => {
            references.push(h.to_string());
            Event::Text(CowStr::Borrowed("\u{1A}"))
        }
        other => other.clone(),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    let mut out = String::with_capacity(html.len() + references.len() * 8);
    let mut references = references.into_iter();
    for piece in html.split_inclusive(MARKER) {
        match piece.strip_suffix(MARKER) {
            Some(text) => {
                out.push_str(text);
                out.push_str(&references.next().unwrap_or_default());
            }
            None => out.push_str(piece),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::markdown::tests::html_with;
    use crate::markdown::Extensions;

    #[test]
    fn toc_titles_read_as_the_heading_shows_but_ids_stay() {
        let r = crate::markdown::render(
            "## What's \"new\" -- :tada:\n## Plain\n",
            &crate::markdown::Highlighter::default(),
            Extensions::default(),
            false,
            &mut |_| None,
        );
        let toc: Vec<_> = r.toc.iter().map(|e| (e.id.as_str(), e.title.as_str())).collect();
        assert_eq!(toc, [("whats-new----tada", "What’s “new” – 🎉"), ("plain", "Plain")]);
        assert!(
            r.html.contains("<h2 id=\"whats-new----tada\">What&rsquo;s &ldquo;new&rdquo; &ndash; &#x1f389; <a class=\"anchor\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn image_alt_text_keeps_references_but_not_emoji() {
        let html = html_with("![a \"logo\" :smile:](/i.png \"t\")\n", Extensions::default());
        assert_eq!(html, "<p><img src=\"/i.png\" alt=\"a &ldquo;logo&rdquo; \" title=\"t\" /></p>\n");
    }
}
