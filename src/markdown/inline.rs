//! Render stage: the text-level extensions goldmark runs while it parses inlines — Linkify, the
//! typographer and emoji — over pulldown-cmark's events.
//!
//! goldmark tries them at certain characters of the *source*: Linkify at a space, `(`, `*`, `_`,
//! `~` and wherever a line or an inline element (emphasis, a code span, a link, another
//! substitution) has just ended; the typographer at `'"-.<>`; emoji at `:`. Each looks at the rest
//! of the source line and the character before. So this walks each block's text events with the
//! source positions pulldown-cmark gives and asks the same questions at the same places. Text
//! that does not stand in the source as it is (an entity, a backslash escape) is left alone.
//!
//! Every look-ahead is cached or bounded, so a page costs time linear in its length.

use super::{autolink, emoji, typographer, Events, Extensions};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::ops::Range;

pub fn apply<'a>(events: &mut Events<'a>, source: &'a str, extensions: Extensions) {
    if !(extensions.linkify || extensions.typographer || extensions.emoji) {
        return;
    }
    if extensions.typographer {
        angle_quotes_over_html(events, source);
    }
    merge_text(events, source);
    let mut walk = Walk::new(source, extensions);
    let mut out: Events = Vec::with_capacity(events.len() + 8);
    let mut taken = std::mem::take(events);
    for i in 0..taken.len() {
        let (event, range) = std::mem::replace(&mut taken[i], (Event::SoftBreak, 0..0));
        walk.event(event, range, &taken[i + 1..], &mut out);
    }
    *events = out;
}

struct Walk<'a> {
    source: &'a str,
    extensions: Extensions,
    quotes: typographer::Quotes,
    /// goldmark's "line head": the next character starts a line or follows an inline element.
    head: bool,
    /// The source span of the current block's inline content.
    block: Range<usize>,
    /// Just past the next `\n` from the last position asked about (positions only grow).
    newline: usize,
    /// The last run of one repeated character the typographer looked at.
    run: Range<usize>,
    /// Depths of code blocks, autolinks (nothing applies inside), link or image text (no
    /// Linkify inside) and image text (an emoji is left out of `alt`, as goldmark writes it).
    code: usize,
    autolink: usize,
    label: usize,
    image: usize,
    /// The current text event holds `://`, `www.` or `@`: without one, no URL or address can
    /// start in it, and Linkify is not tried at each of its spaces (a tenth of a page's render).
    may_link: bool,
}

impl<'a> Walk<'a> {
    fn new(source: &'a str, extensions: Extensions) -> Self {
        let quotes = typographer::Quotes::default();
        Walk {
            source,
            extensions,
            quotes,
            head: true,
            block: 0..0,
            newline: 0,
            run: 0..0,
            code: 0,
            autolink: 0,
            label: 0,
            image: 0,
            may_link: false,
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>, rest: &[(Event<'a>, Range<usize>)], out: &mut Events<'a>) {
        match &event {
            Event::Start(tag) if !is_inline(tag) => {
                self.code += usize::from(matches!(tag, Tag::CodeBlock(_)));
                self.new_block(rest);
            }
            Event::End(tag) if !is_inline_end(tag) => {
                self.code -= usize::from(matches!(tag, TagEnd::CodeBlock));
                self.new_block(rest);
            }
            Event::Start(Tag::Link { link_type: LinkType::Autolink | LinkType::Email, .. }) => self.autolink += 1,
            Event::Start(Tag::Link { .. }) if self.autolink == 0 => self.label += 1,
            Event::Start(Tag::Image { .. }) => (self.label, self.image) = (self.label + 1, self.image + 1),
            Event::End(TagEnd::Link) if self.autolink > 0 => self.autolink -= 1,
            Event::End(TagEnd::Link) => self.label = self.label.saturating_sub(1),
            Event::End(TagEnd::Image) => (self.label, self.image) = (self.label.saturating_sub(1), self.image.saturating_sub(1)),
            Event::Text(text) if self.code == 0 && self.autolink == 0 && verbatim(text, &range, self.source) => {
                return self.text(range, out);
            }
            Event::Text(_) => {
                out.push((event, range));
                self.head = false;
                return;
            }
            _ => {}
        }
        out.push((event, range));
        self.head = true;
    }

    /// A block starts or ends: the next inline content is looked up. Open quotes are not
    /// forgotten (see [`typographer::Quotes`]).
    fn new_block(&mut self, rest: &[(Event, Range<usize>)]) {
        let inline = rest.iter().take_while(|(e, _)| !is_block_boundary(e)).map(|(_, r)| r);
        self.block = inline.clone().next().map_or(0..0, |first| first.start..inline.map(|r| r.end).max().unwrap_or(first.end));
    }

    /// Splits one text event at the substitutions goldmark would make in it.
    fn text(&mut self, range: Range<usize>, out: &mut Events<'a>) {
        let source = self.source;
        let bytes = &source.as_bytes()[range.clone()];
        self.may_link = memchr::memchr(b'@', bytes).is_some()
            || memchr::memmem::find(bytes, b"://").is_some()
            || memchr::memmem::find(bytes, b"www.").is_some();
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
        // At a space or `(` Linkify looks past it; at a line head, right here. (goldmark tries
        // it at a tab too, but looks at the tab itself: nothing follows a tab.)
        let linkify = match c {
            _ if !self.extensions.linkify || self.label > 0 || !self.may_link => None,
            b' ' | b'(' | b'*' | b'_' | b'~' => Some(1),
            _ if self.head && !c.is_ascii_punctuation() => Some(0),
            _ => None,
        };
        let emoji = self.extensions.emoji && c == b':';
        let typographer = self.extensions.typographer && b"'\"-.<>".contains(&c);
        if linkify.is_none() && !emoji && !typographer {
            return None;
        }
        if c.is_ascii_punctuation() && escaped(self.source.as_bytes(), p) {
            return None; // `\"`: an escaped character triggers nothing
        }
        let line = self.line(p);
        if let Some(skip) = linkify {
            // A URL ends with its text event: goldmark would run it into a code span or entity.
            let text = &line[skip.min(line.len())..(end - p).min(line.len())];
            if let Some(link) = autolink::at(text) {
                return Some(self.link(p, skip, link));
            }
        }
        let html = |(html, len): (CowStr<'a>, usize)| (vec![(Event::InlineHtml(html), p..p + len)], len);
        if emoji {
            let found = emoji::at(line).map(|(html, len)| (CowStr::from(html), len));
            return if self.image > 0 { found.map(|(_, len)| (Vec::new(), len)) } else { found.map(html) };
        }
        if typographer {
            let before = if p == self.block.start { '\n' } else { self.source[..p].chars().next_back().unwrap_or('\n') };
            let after = self.after_run(p, line);
            return typographer::substitute(line, before, after, &mut self.quotes).map(|(e, len)| html((CowStr::Borrowed(e), len)));
        }
        None
    }

    /// The rest of the source line from `p`, up to the end of the block's inline content.
    fn line(&mut self, p: usize) -> &'a [u8] {
        let bytes = self.source.as_bytes();
        if p >= self.newline {
            self.newline = memchr::memchr(b'\n', &bytes[p..]).map_or(bytes.len(), |i| p + i + 1);
        }
        &bytes[p..self.newline.min(self.block.end).max(p + 1)]
    }

    /// The character after the run of `line[0]` (as goldmark's delimiter scan finds it; ` ` at
    /// the end of the line), worked out once per run.
    fn after_run(&mut self, p: usize, line: &[u8]) -> char {
        let bytes = self.source.as_bytes();
        if !(self.run.contains(&p) && bytes[self.run.start] == line[0]) {
            self.run = p..p + line.iter().take_while(|&&b| b == line[0]).count();
        }
        typographer::rune_at(line, self.run.end - p)
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

/// Whether the character at `p` follows an unescaped backslash.
fn escaped(bytes: &[u8], p: usize) -> bool {
    bytes[..p].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
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
    fn linkify_starts_after_a_space_paren_or_inline_element_only() {
        let html = html_with("a\thttps://x.io (https://y.io) **www.z.io** x:https://w.io\n", Extensions::default());
        assert_eq!(
            html,
            "<p>a\thttps://x.io (<a href=\"https://y.io\">https://y.io</a>) <strong><a href=\"https://www.z.io\">www.z.io</a></strong> x:https://w.io</p>\n"
        );
    }

    #[test]
    fn guillemets_win_over_a_tag() {
        assert_eq!(html_with("a<<b>>c\n", Extensions::default()), "<p>a&laquo;b&raquo;c</p>\n");
    }

    #[test]
    fn escaped_characters_stay() {
        assert_eq!(
            html_with("\\\"a\\\" it\\'s \\:smile: \\-- \\\\--\n", Extensions::default()),
            "<p>\"a\" it's :smile: -- \\&ndash;</p>\n"
        );
    }
}
