//! Render stage: the text-level extensions goldmark runs while it parses inlines — Linkify, the
//! typographer and emoji — over pulldown-cmark's events.
//!
//! goldmark tries them at certain characters of the *source*: Linkify at a space, `(`, `*`, `_`,
//! `~` and wherever a line or an inline element (emphasis, a code span, a link, another
//! substitution) has just ended; the typographer at `'"-.<>`; emoji at `:`. Each looks at the rest
//! of the source line and the character before. So this walks each block's text events with the
//! source positions pulldown-cmark gives and asks the same questions at the same places. Text
//! that does not stand in the source as it is (an entity, a backslash escape) is left alone.

use super::{autolink, emoji, typographer, Events, Extensions, TocEntry};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::ops::Range;

pub fn apply<'a>(events: &mut Events<'a>, source: &'a str, ext: Extensions) {
    if !(ext.linkify || ext.typographer || ext.emoji) {
        return;
    }
    if ext.typographer {
        angle_quotes_over_html(events, source);
    }
    merge_text(events, source);
    let mut walk = Walk { source, ext, quotes: Default::default(), head: true, block: 0..0, eol: 0, code: 0, autolink: 0, label: 0 };
    let mut out: Events = Vec::with_capacity(events.len() + 8);
    let taken = std::mem::take(events);
    for (i, (event, range)) in taken.iter().enumerate() {
        walk.event(event, range, &taken[i + 1..], &mut out);
    }
    *events = out;
}

struct Walk<'a> {
    source: &'a str,
    ext: Extensions,
    quotes: typographer::Quotes,
    /// goldmark's "line head": the next character starts a line or follows an inline element.
    head: bool,
    /// The source span of the current block's inline content.
    block: Range<usize>,
    /// Where the current source line ends (cached: positions only grow within a block).
    eol: usize,
    /// Depths of code blocks, autolinks (nothing applies inside) and link or image text (no
    /// Linkify inside).
    code: usize,
    autolink: usize,
    label: usize,
}

impl<'a> Walk<'a> {
    fn event(&mut self, event: &Event<'a>, range: &Range<usize>, rest: &[(Event<'a>, Range<usize>)], out: &mut Events<'a>) {
        match event {
            Event::Start(tag) if !is_inline(tag) => {
                self.code += usize::from(matches!(tag, Tag::CodeBlock(_)));
                self.new_block(rest);
            }
            Event::End(tag) if !is_inline_end(tag) => {
                self.code -= usize::from(matches!(tag, TagEnd::CodeBlock));
                self.new_block(rest);
            }
            Event::Start(Tag::Link { link_type: LinkType::Autolink | LinkType::Email, .. }) => self.autolink += 1,
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) if self.autolink == 0 => self.label += 1,
            Event::End(TagEnd::Link) if self.autolink > 0 => self.autolink -= 1,
            Event::End(TagEnd::Link | TagEnd::Image) => self.label = self.label.saturating_sub(1),
            Event::Text(text) if self.code == 0 && self.autolink == 0 && verbatim(text, range, self.source) => {
                return self.text(range.clone(), out);
            }
            Event::Text(_) => {
                out.push((event.clone(), range.clone()));
                self.head = false;
                return;
            }
            _ => {}
        }
        out.push((event.clone(), range.clone()));
        self.head = true;
    }

    /// A block starts or ends: the next inline content is looked up. Open quotes are not
    /// forgotten (see [`typographer::Quotes`]).
    fn new_block(&mut self, rest: &[(Event, Range<usize>)]) {
        let inline = rest.iter().take_while(|(e, _)| !is_block_boundary(e)).map(|(_, r)| r);
        self.block = inline.clone().next().map_or(0..0, |first| first.start..inline.map(|r| r.end).max().unwrap_or(first.end));
        self.eol = self.block.start;
    }

    /// Splits one text event at the substitutions goldmark would make in it.
    fn text(&mut self, range: Range<usize>, out: &mut Events<'a>) {
        let source = self.source;
        let (mut from, mut p) = (range.start, range.start);
        while p < range.end {
            let Some((events, len)) = self.at(p, range.end) else {
                self.head = false;
                p += source[p..].chars().next().map_or(1, char::len_utf8);
                continue;
            };
            if from < p {
                out.push((Event::Text(CowStr::Borrowed(&source[from..p])), from..p));
            }
            out.extend(events);
            p += len;
            from = p;
            self.head = true;
        }
        if from < range.end {
            out.push((Event::Text(CowStr::Borrowed(&source[from..range.end])), from..range.end));
        }
    }

    /// What goldmark makes of the source at `p` (inside a text event ending at `end`): the events
    /// and the bytes they replace.
    fn at(&mut self, p: usize, end: usize) -> Option<(Events<'a>, usize)> {
        let c = self.source.as_bytes()[p];
        let line = self.line(p);
        if self.ext.linkify && self.label == 0 {
            // At a space or `(` Linkify looks past it; at a line head, right here.
            let skip = match c {
                b' ' | b'\t' | b'(' | b'*' | b'_' | b'~' => Some(1),
                _ if self.head && !c.is_ascii_punctuation() => Some(0),
                _ => None,
            };
            // A URL ends with its text event: goldmark would run it into a code span or entity.
            if let Some(link) = skip.and_then(|s| autolink::at(&line[s.min(line.len())..(end - p).min(line.len())]).map(|l| (s, l))) {
                return Some(self.link(p, link.0, link.1));
            }
        }
        let html = |(html, len): (String, usize)| (vec![(Event::InlineHtml(CowStr::from(html)), p..p + len)], len);
        if self.ext.emoji && c == b':' {
            return emoji::at(line).map(html);
        }
        if self.ext.typographer && b"'\"-.<>".contains(&c) {
            let before = if p == self.block.start { '\n' } else { self.source[..p].chars().next_back().unwrap_or('\n') };
            return typographer::substitute(line, before, &mut self.quotes).map(|(e, len)| html((e.to_string(), len)));
        }
        None
    }

    /// The rest of the source line from `p`, up to the end of the block's inline content.
    fn line(&mut self, p: usize) -> &'a [u8] {
        let bytes = self.source.as_bytes();
        if p >= self.eol {
            let newline = memchr::memchr(b'\n', &bytes[p..]).map_or(bytes.len(), |i| p + i + 1);
            self.eol = newline.min(self.block.end.max(p + 1));
        }
        &bytes[p..self.eol.max(p + 1).min(bytes.len())]
    }

    /// The events of a URL found `skip` bytes after `p` (the skipped space or `(` stays text).
    fn link(&self, p: usize, skip: usize, link: autolink::Autolink) -> (Events<'a>, usize) {
        let source = self.source;
        let url = p + skip..p + skip + link.len;
        let tag = Tag::Link { link_type: LinkType::Autolink, dest_url: link.href.into(), title: "".into(), id: "".into() };
        let mut events: Events = Vec::with_capacity(4);
        if skip > 0 {
            events.push((Event::Text(CowStr::Borrowed(&source[p..url.start])), p..url.start));
        }
        events.push((Event::Start(tag), url.clone()));
        events.push((Event::Text(CowStr::Borrowed(&source[url.clone()])), url.clone()));
        events.push((Event::End(TagEnd::Link), url.clone()));
        (events, skip + link.len)
    }
}

/// Whether `text` is exactly what the source holds at `range` (no entity or escape in it).
fn verbatim(text: &str, range: &Range<usize>, source: &str) -> bool {
    source.get(range.clone()) == Some(text)
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Superscript | Tag::Subscript | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript | TagEnd::Link | TagEnd::Image
    )
}

fn is_block_boundary(event: &Event) -> bool {
    match event {
        Event::Start(tag) => !is_inline(tag),
        Event::End(tag) => !is_inline_end(tag),
        Event::Html(_) | Event::Rule | Event::DisplayMath(_) => true,
        _ => false,
    }
}

/// Adjacent text events that are verbatim source become one, so that a URL or a quote's
/// neighbours are seen whole (pulldown-cmark splits text at `&`, `[`, unmatched `*` and such).
fn merge_text<'a>(events: &mut Events<'a>, source: &'a str) {
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    for (event, range) in events.drain(..) {
        if let (Event::Text(text), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut()) {
            if prev_range.end == range.start && verbatim(prev, prev_range, source) && verbatim(text, &range, source) {
                prev_range.end = range.end;
                *prev = CowStr::Borrowed(&source[prev_range.clone()]);
                continue;
            }
        }
        out.push((event, range));
    }
    *events = out;
}

/// `<<b>>`: goldmark's typographer takes `<<` before its raw-HTML parser sees `<b>`, where
/// pulldown-cmark finds a tag. An inline tag right after an odd run of `<` in the text becomes
/// text again, so the typographer makes `&laquo;b&raquo;` of it as goldmark does.
fn angle_quotes_over_html<'a>(events: &mut Events<'a>, source: &'a str) {
    for i in 1..events.len() {
        let (Event::InlineHtml(_), range) = &events[i] else { continue };
        let (Event::Text(prev), prev_range) = &events[i - 1] else { continue };
        let run = source[..range.start].bytes().rev().take_while(|&b| b == b'<').count();
        if prev_range.end == range.start && verbatim(prev, prev_range, source) && run % 2 == 1 {
            let range = range.clone();
            events[i] = (Event::Text(CowStr::Borrowed(&source[range.clone()])), range);
        }
    }
}

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
            Event::InlineHtml(h) if is_reference(h) => title.push_str(&decode(h)),
            _ => {}
        }
    }
    title
}

/// The named references the typographer and emoji write.
const NAMED: [(&str, char); 10] = [
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("zwj", '\u{200D}'),
];

/// The characters of the references this module writes (`&rsquo;`, `&#x1f469;&zwj;&#x1f4bb;`).
fn decode(references: &str) -> String {
    references
        .split(';')
        .filter_map(|r| r.strip_prefix('&'))
        .filter_map(|r| match r.strip_prefix("#x") {
            Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
            None => NAMED.iter().find(|(name, _)| *name == r).map(|(_, c)| *c),
        })
        .collect()
}

/// Images whose alt text got typographic or emoji references: pulldown-cmark escapes inline
/// HTML in `alt`, so such an image is written here, with the references kept as they are.
pub fn fold_images(events: &mut Events) {
    let mut i = 0;
    while i < events.len() {
        if !matches!(events[i].0, Event::Start(Tag::Image { .. })) {
            i += 1;
            continue;
        }
        let end = image_end(events, i);
        let inner = &events[i + 1..end];
        let has_reference = inner.iter().any(|(e, _)| matches!(e, Event::InlineHtml(h) if is_reference(h)));
        let has_marker = inner.iter().any(|(e, _)| matches!(e, Event::Text(t) if t.contains(MARKER)));
        if has_reference && !has_marker {
            let html = image_html(&events[i..=end]);
            let range = events[i].1.clone();
            events.splice(i..=end, [(Event::InlineHtml(html.into()), range)]);
        }
        i += 1;
    }
}

const MARKER: char = '\u{1A}';

/// A character reference written by this module or [`super::footnotes`], not an author's HTML.
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
    fn linkify_typographer_and_emoji_each_turn_off() {
        let text = "\"Hi\" -- see www.example.com :smile:\n";
        let all = Extensions::default();
        assert_eq!(
            html_with(text, all),
            "<p>&ldquo;Hi&rdquo; &ndash; see <a href=\"https://www.example.com\">www.example.com</a> &#x1f604;</p>\n"
        );
        let none = Extensions { typographer: false, emoji: false, linkify: false, footnotes: false };
        assert_eq!(html_with(text, none), "<p>\"Hi\" -- see www.example.com :smile:</p>\n");
    }

    #[test]
    fn nothing_changes_in_code_html_or_urls() {
        let text = "`\"a\" -- :smile:` <span title=\"it's -- :x:\">x</span> <https://a.io/x--y> https://a.io/:smile:/it's\n";
        let html = html_with(text, Extensions::default());
        assert!(html.contains("<code>\"a\" -- :smile:</code>"), "{html}");
        assert!(html.contains("<span title=\"it's -- :x:\">"), "{html}");
        assert!(html.contains(">https://a.io/x--y</a>"), "{html}");
        assert!(html.contains(">https://a.io/:smile:/it's</a>"), "{html}");
    }

    #[test]
    fn guillemets_win_over_a_tag() {
        assert_eq!(html_with("a<<b>>c\n", Extensions::default()), "<p>a&laquo;b&raquo;c</p>\n");
    }

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
    fn image_alt_text_keeps_references() {
        let html = html_with("![a \"logo\" :smile:](/i.png \"t\")\n", Extensions::default());
        assert_eq!(html, "<p><img src=\"/i.png\" alt=\"a &ldquo;logo&rdquo; &#x1f604;\" title=\"t\" /></p>\n");
    }
}
