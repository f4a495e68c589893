//! Render stage: footnotes with goldmark's markup, numbers and ids, over pulldown-cmark's
//! footnote events.
//!
//! goldmark numbers notes by first citation, in the order it parses inlines: the text, with all
//! definitions' contents where the first definition is written. Labels match case-sensitively
//! (pulldown-cmark matches them as link labels, ignoring case); a citation without its
//! definition stays text, a definition nobody cites is dropped. The notes go to the end in a
//! `<div class="footnotes">`, each with a back-link per citation: `fnref:1`, `fnref1:1`, …

use super::Events;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

struct Note<'a> {
    label: CowStr<'a>,
    body: Events<'a>,
    number: Option<usize>,
    citations: usize,
}

pub fn apply<'a>(events: &mut Events<'a>, source: &'a str) {
    let has_notes = events.iter().any(|(e, _)| matches!(e, Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))));
    if !has_notes {
        return;
    }
    let (mut flow, mut notes, first_note) = split(std::mem::take(events));
    let mut index = HashMap::new();
    for (i, note) in notes.iter().enumerate() {
        index.entry(note.label.to_string()).or_insert(i); // the first definition of a label counts
    }
    let mut citer = Citer { notes: &mut notes, index, count: 0, source };
    let (before, after) = flow.split_at_mut(first_note);
    citer.cite(before);
    for i in 0..citer.notes.len() {
        let mut body = std::mem::take(&mut citer.notes[i].body);
        citer.cite(&mut body);
        citer.notes[i].body = body;
    }
    citer.cite(after);
    notes.retain(|n| n.number.is_some());
    notes.sort_by_key(|n| n.number);
    if !notes.is_empty() {
        flow.extend(section(notes));
    }
    *events = flow;
}

/// The events without the definitions, the definitions, and where the first one was.
fn split(events: Events) -> (Events, Vec<Note>, usize) {
    let (mut flow, mut notes, mut first) = (Vec::with_capacity(events.len()), Vec::new(), None);
    let mut current: Option<Note> = None;
    let mut depth = 0usize;
    for (event, range) in events {
        match (&event, current.as_mut()) {
            (Event::Start(Tag::FootnoteDefinition(label)), None) => {
                first.get_or_insert(flow.len());
                current = Some(Note { label: label.clone(), body: Vec::new(), number: None, citations: 0 });
            }
            (Event::End(TagEnd::FootnoteDefinition), Some(_)) if depth == 0 => notes.extend(current.take()),
            (_, Some(note)) => {
                depth += usize::from(matches!(event, Event::Start(Tag::FootnoteDefinition(_))));
                depth -= usize::from(matches!(event, Event::End(TagEnd::FootnoteDefinition)));
                note.body.push((event, range));
            }
            (_, None) => flow.push((event, range)),
        }
    }
    let first = first.unwrap_or(flow.len());
    (flow, notes, first)
}

struct Citer<'n, 'a> {
    notes: &'n mut [Note<'a>],
    /// Label (as written, case-sensitive) → note.
    index: HashMap<String, usize>,
    /// Notes numbered so far.
    count: usize,
    source: &'a str,
}

impl<'a> Citer<'_, 'a> {
    /// Numbers the notes cited in `events` and writes each citation as goldmark does, or as the
    /// text it was when no definition has exactly its label.
    fn cite(&mut self, events: &mut [(Event<'a>, Range<usize>)]) {
        for (event, range) in events.iter_mut() {
            let Event::FootnoteReference(label) = event else { continue };
            let Some(&i) = self.index.get(label.as_ref()) else {
                *event = Event::Text(CowStr::Borrowed(&self.source[range.clone()]));
                continue;
            };
            let note = &mut self.notes[i];
            let n = *note.number.get_or_insert_with(|| {
                self.count += 1;
                self.count
            });
            let id = ref_id(note.citations, n);
            note.citations += 1;
            let html = format!("<sup id=\"{id}\"><a href=\"#fn:{n}\" class=\"footnote-ref\" role=\"doc-noteref\">{n}</a></sup>");
            *event = Event::InlineHtml(html.into());
        }
    }
}

/// `fnref:1` for a note's first citation, `fnref1:1`, `fnref2:1` for the next ones.
fn ref_id(citation: usize, note: usize) -> String {
    match citation {
        0 => format!("fnref:{note}"),
        k => format!("fnref{k}:{note}"),
    }
}

/// The list of notes, each with its back-links at the end of its last paragraph (or after its
/// last block when that is no paragraph, as goldmark places them).
fn section(notes: Vec<Note>) -> Events {
    let html = |s: String| (Event::Html(s.into()), 0..0);
    let mut out = vec![html("<div class=\"footnotes\" role=\"doc-endnotes\">\n<hr>\n<ol>\n".into())];
    for note in notes {
        let n = note.number.unwrap_or_default();
        let backlinks: String = (0..note.citations)
            .map(|k| format!("&#160;<a href=\"#{}\" class=\"footnote-backref\" role=\"doc-backlink\">&#x21a9;&#xfe0e;</a>", ref_id(k, n)))
            .collect();
        let mut body = note.body;
        let at = match body.last() {
            Some((Event::End(TagEnd::Paragraph), _)) => body.len() - 1,
            _ => body.len(),
        };
        body.insert(at, (Event::InlineHtml(backlinks.into()), 0..0));
        out.push(html(format!("<li id=\"fn:{n}\">\n")));
        out.extend(body);
        out.push(html("</li>\n".into()));
    }
    out.push(html("</ol>\n</div>\n".into()));
    out
}

#[cfg(test)]
mod tests {
    use crate::markdown::tests::html_with;
    use crate::markdown::Extensions;

    fn html(text: &str) -> String {
        html_with(text, Extensions::default())
    }

    #[test]
    fn notes_are_numbered_by_first_citation_with_goldmark_markup() {
        let out = html("b[^b] a[^a] b[^b]\n\n[^a]: A.\n[^b]: B.\n");
        assert!(
            out.starts_with(
                "<p>b<sup id=\"fnref:1\"><a href=\"#fn:1\" class=\"footnote-ref\" role=\"doc-noteref\">1</a></sup> a<sup id=\"fnref:2\">"
            ),
            "{out}"
        );
        assert!(out.contains("b<sup id=\"fnref1:1\"><a href=\"#fn:1\""), "{out}");
        let list = &out[out.find("<div class=\"footnotes\"").unwrap()..];
        assert_eq!(
            list,
            "<div class=\"footnotes\" role=\"doc-endnotes\">\n<hr>\n<ol>\n<li id=\"fn:1\">\n<p>B.&#160;<a href=\"#fnref:1\" class=\"footnote-backref\" role=\"doc-backlink\">&#x21a9;&#xfe0e;</a>&#160;<a href=\"#fnref1:1\" class=\"footnote-backref\" role=\"doc-backlink\">&#x21a9;&#xfe0e;</a></p>\n</li>\n<li id=\"fn:2\">\n<p>A.&#160;<a href=\"#fnref:2\" class=\"footnote-backref\" role=\"doc-backlink\">&#x21a9;&#xfe0e;</a></p>\n</li>\n</ol>\n</div>\n"
        );
    }

    #[test]
    fn labels_match_exactly_and_unused_notes_vanish() {
        assert_eq!(html("x[^Note] y[^ghost]\n\n[^NOTE]: n\n[^unused]: u\n"), "<p>x[^Note] y[^ghost]</p>\n");
    }

    #[test]
    fn footnotes_turn_off() {
        let off = Extensions { footnotes: false, ..Extensions::default() };
        assert!(!html_with("x[^1]\n\n[^1]: n\n", off).contains("footnote"));
    }
}
