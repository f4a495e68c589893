//! Render stage, step 2: Markdown to HTML with pulldown-cmark. A page's events go through small
//! adapters (comments, kramdown attributes, heading ids, Hugo's goldmark extensions, footnotes,
//! links, code blocks), each a function over the event list, and the result is a value:
//! [`Rendered`].

mod autolink;
mod classes;
mod emoji;
mod footnotes;
mod highlight;
mod ids;
mod inline;
mod kramdown;
mod links;
mod spans;
mod substituted;
mod tree_highlight;
mod typographer;

use crate::diagnostics::Span;
pub use classes::StyledClasses;
pub use highlight::{theme_css, Code, Highlighter, PendingCode};
pub use ids::slugify;
pub use links::FoundLink;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// The HTML of a page body and what later stages need to know about it.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Headings h2–h4 not marked `.no_toc`, in order.
    pub toc: Vec<TocEntry>,
    /// Every link and image, with its destination's span in the rendered text.
    pub links: Vec<FoundLink>,
    /// The page placed its table of contents itself (kramdown `- TOC` marker).
    pub inline_toc: bool,
    /// Fenced blocks waiting to be highlighted, in order: `html` holds a marker for each
    /// (see [`Rendered::fill_code`]).
    pub code: Vec<PendingCode>,
    /// Fenced blocks rendered as plain code because no grammar knows their language.
    pub unknown_languages: Vec<UnknownLanguage>,
}

/// A fence's language that no grammar knows, with where it is written (the rendered text's
/// offsets; the fence line when the language cannot be found on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage {
    pub lang: String,
    pub span: Span,
}

impl Rendered {
    /// Highlights the pending code blocks one by one, for tests of a single page (a build groups
    /// a batch's blocks with [`Highlighter::highlight_all`] and calls [`Rendered::fill_code`]).
    #[cfg(test)]
    pub fn highlight_code(&mut self, highlighter: &Highlighter) {
        let blocks: Vec<String> = self.code.iter().map(|b| highlighter.highlight(b)).collect();
        self.fill_code(blocks);
    }

    /// Puts the HTML of each pending code block, in order, where its marker is.
    pub fn fill_code(&mut self, blocks: Vec<String>) {
        debug_assert_eq!(blocks.len(), self.code.len(), "one HTML block per pending block");
        self.code.clear();
        if blocks.is_empty() {
            return;
        }
        let mut out = String::with_capacity(self.html.len() + blocks.iter().map(String::len).sum::<usize>());
        let mut rest = self.html.as_str();
        let mut blocks = blocks.iter();
        // Searching for the marker's first byte is a `memchr`; most pages have no other 0x1A.
        while let Some(at) = rest.find('\u{1A}') {
            if !rest[at..].starts_with(CODE_MARKER) {
                out.push_str(&rest[..=at]);
                rest = &rest[at + 1..];
                continue;
            }
            let Some(block) = blocks.next() else { break };
            out.push_str(&rest[..at]);
            out.push_str(block);
            rest = &rest[at + CODE_MARKER.len()..];
        }
        out.push_str(rest);
        self.html = out;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

const TOC_PLACEHOLDER: &str = "\u{1A}toc\u{1A}";
/// Where a pending code block goes. Markers are filled in order, so they need no number. A page
/// whose text contains the marker itself has its blocks highlighted at once instead. It ends
/// with a newline like the block's HTML, so pulldown-cmark lays out what follows the same way.
const CODE_MARKER: &str = "\u{1A}code\u{1A}\n";

/// The goldmark extensions the Hugo handbook turns on, as goldmark renders them; each can be
/// turned off in `handbook.toml`'s `[markdown]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extensions {
    /// Curly quotes, dashes, ellipses and guillemets as HTML entities.
    pub typographer: bool,
    /// `:name:` shortcodes of the gemoji set.
    pub emoji: bool,
    /// `[^label]` notes with goldmark's markup and ids (`fn:1`, `fnref:1`).
    pub footnotes: bool,
    /// Bare `https://…`, `www.…` and e-mail addresses become links.
    pub linkify: bool,
}

impl Default for Extensions {
    fn default() -> Self {
        Extensions { typographer: true, emoji: true, footnotes: true, linkify: true }
    }
}

fn options(extensions: Extensions) -> Options {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    match extensions.footnotes {
        true => options | Options::ENABLE_FOOTNOTES,
        false => options,
    }
}

/// Renders Markdown. `rewrite` sees every link and may return the href to write instead.
/// `drop_title` removes the first `# heading` (the page's title, which the template shows).
pub fn render(
    text: &str,
    highlighter: &Highlighter,
    extensions: Extensions,
    drop_title: bool,
    rewrite: &mut dyn FnMut(&FoundLink) -> Option<String>,
) -> Rendered {
    let legacy = kramdown::preprocess(text);
    let source = legacy.text.as_deref().unwrap_or(text);
    let mut iter = Parser::new_ext(source, options(extensions)).into_offset_iter();
    let mut events: Events = iter.by_ref().collect();
    drop_comments(&mut events);
    if drop_title {
        drop_first_h1(&mut events);
    }
    apply_block_attrs(&mut events, &legacy.attrs, source);
    // Ids come from the text as written, before any substitution; TOC titles read as shown.
    let mut toc = headings(&mut events);
    inline::apply(&mut events, source, extensions);
    substituted::retitle(&mut toc, &events);
    if extensions.footnotes {
        footnotes::apply(&mut events, source);
    }
    let links = links::collect(&mut events, source, iter.reference_definitions(), rewrite);
    let defer = !source.contains(CODE_MARKER);
    let (code, unknown_languages) = code_blocks(&mut events, source, highlighter, defer);
    substituted::fold_images(&mut events);
    if let Some(marker) = legacy.toc_marker {
        let at = events.iter().position(|(_, r)| r.start >= marker).unwrap_or(events.len());
        events.insert(at, (Event::Html(CowStr::Borrowed(TOC_PLACEHOLDER)), marker..marker));
    }
    label_task_boxes(&mut events);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    if legacy.toc_marker.is_some() {
        html = html.replace(TOC_PLACEHOLDER, &toc_html(&toc));
    }
    Rendered { html, toc, links, inline_toc: legacy.toc_marker.is_some(), code, unknown_languages }
}

/// A task list's boxes get a name, so that a screen reader says "Done" or "To do" rather than an
/// unnamed checkbox (axe's `label` rule); they stay disabled: a page is not a form.
fn label_task_boxes(events: &mut Events) {
    for (event, _) in events.iter_mut() {
        if let Event::TaskListMarker(done) = *event {
            let html = if done {
                "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"> "
            } else {
                "<input type=\"checkbox\" disabled=\"\" aria-label=\"To do\"> "
            };
            *event = Event::InlineHtml(CowStr::Borrowed(html));
        }
    }
}

/// HTML comments (markdownlint directives and the like) never reach the page.
fn drop_comments(events: &mut Events) {
    let has_html = |e: &Event| matches!(e, Event::Start(Tag::HtmlBlock)) || matches!(e, Event::InlineHtml(h) if h.starts_with("<!--"));
    if !events.iter().any(|(e, _)| has_html(e)) {
        return; // most pages: no copy of the event list
    }
    let mut out: Events = Vec::with_capacity(events.len());
    let mut block: Option<(String, Range<usize>)> = None;
    for (event, range) in events.drain(..) {
        match event {
            Event::Start(Tag::HtmlBlock) => block = Some((String::new(), range)),
            Event::Html(html) if block.is_some() => block.as_mut().expect("in block").0.push_str(&html),
            Event::End(TagEnd::HtmlBlock) => {
                let (html, range) = block.take().unwrap_or_default();
                let kept = strip_comments(&html);
                if !kept.trim().is_empty() {
                    out.push((Event::Html(CowStr::from(kept)), range));
                }
            }
            Event::InlineHtml(html) if html.starts_with("<!--") => {}
            other => out.push((other, range)),
        }
    }
    *events = out;
}

fn strip_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Removes the first level-1 heading and everything inside it.
fn drop_first_h1(events: &mut Events) {
    let is_h1 = |e: &Event| matches!(e, Event::Start(Tag::Heading { level: pulldown_cmark::HeadingLevel::H1, .. }));
    if let Some(start) = events.iter().position(|(e, _)| is_h1(e)) {
        let end = (start..events.len()).find(|&i| matches!(events[i].0, Event::End(TagEnd::Heading(_)))).unwrap_or(start);
        events.drain(start..=end);
    }
}

/// kramdown `{: .class #id}` lines: applied to the heading or paragraph right above them;
/// inline `{: …}` text is removed.
fn apply_block_attrs(events: &mut Events, attrs: &[kramdown::BlockAttrs], source: &str) {
    if attrs.is_empty() && memchr::memmem::find(source.as_bytes(), b"{:").is_none() {
        return; // no kramdown on the page: one scan instead of one search per text event
    }
    for (event, range) in events.iter_mut() {
        let target = attrs.iter().find(|a| range.end <= a.line_start && source[range.end..a.line_start].trim().is_empty());
        match (&mut *event, target) {
            (Event::Start(Tag::Heading { id, classes, .. }), Some(a)) => {
                if let Some(new_id) = &a.id {
                    *id = Some(CowStr::from(new_id.clone()));
                }
                classes.extend(a.classes.iter().map(|c| CowStr::from(c.clone())));
            }
            (Event::Start(Tag::Paragraph), Some(a)) => {
                let id = a.id.as_ref().map(|i| format!(" id=\"{}\"", crate::html::escape(i))).unwrap_or_default();
                *event = Event::Html(format!("<p{id} class=\"{}\">", crate::html::escape(&a.classes.join(" "))).into());
            }
            (Event::Text(text), _) if text.contains("{:") => {
                if let Some(clean) = kramdown::strip_inline(text) {
                    *text = clean.into();
                }
            }
            _ => {}
        }
    }
}

/// Gives every heading a unique id, collects the TOC and appends a self-link to each heading.
fn headings(events: &mut Events) -> Vec<TocEntry> {
    let mut ids = ids::Ids::default();
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if !matches!(events[i].0, Event::Start(Tag::Heading { .. })) {
            i += 1;
            continue;
        }
        let end = (i..events.len()).find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_)))).unwrap_or(events.len());
        let title: String = events[i + 1..end]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let Event::Start(Tag::Heading { level, id, classes, .. }) = &mut events[i].0 else { unreachable!() };
        let assigned = match id {
            Some(explicit) => ids.explicit(explicit),
            None => ids.for_heading(&title),
        };
        *id = Some(CowStr::from(assigned.clone()));
        let level = *level as u8;
        if (2..=4).contains(&level) && !classes.iter().any(|c| c.as_ref() == "no_toc") {
            toc.push(TocEntry { level, id: assigned.clone(), title: title.trim().to_string() });
        }
        let anchor = format!(" <a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\">#</a>", crate::html::escape(&assigned));
        let at = events[end.min(events.len() - 1)].1.clone();
        events.insert(end, (Event::InlineHtml(anchor.into()), at));
        i = end + 2;
    }
    toc
}

/// Code blocks become HTML, or a marker for a block that waits to be highlighted. Also returns
/// the blocks whose language no grammar knows.
fn code_blocks(events: &mut Events, source: &str, highlighter: &Highlighter, defer: bool) -> (Vec<PendingCode>, Vec<UnknownLanguage>) {
    let mut pending = Vec::new();
    let mut unknown = Vec::new();
    let mut out: Events = Vec::with_capacity(events.len());
    let mut code: Option<(String, String, Range<usize>)> = None;
    for (event, range) in events.drain(..) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new(), range));
            }
            Event::Text(text) if code.is_some() => code.as_mut().expect("in code").1.push_str(&text),
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text, range) = code.take().unwrap_or_default();
                let html = match highlighter.prepare(&lang, &text) {
                    Code::Ready(html) => CowStr::from(html),
                    Code::Unknown(html) => {
                        let lang = highlight::fence_language(&lang);
                        unknown.push(UnknownLanguage { lang: lang.to_string(), span: fence_language_span(source, range.start, lang) });
                        CowStr::from(html)
                    }
                    Code::Pending(block) if !defer => CowStr::from(highlighter.highlight(&block)),
                    Code::Pending(block) => {
                        pending.push(block);
                        CowStr::Borrowed(CODE_MARKER)
                    }
                };
                out.push((Event::Html(html), range));
            }
            other => out.push((other, range)),
        }
    }
    *events = out;
    (pending, unknown)
}

/// Where `lang` is written on the fence line starting at `start` (which may be indented or
/// inside a list or quote), else the whole fence line.
fn fence_language_span(source: &str, start: usize, lang: &str) -> Span {
    let line = &source[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let info = line.find(['`', '~']).map(|fence| line.len() - line[fence..].trim_start_matches(['`', '~']).len());
    match info.and_then(|at| line[at..].find(lang).map(|l| at + l)) {
        Some(at) => Span::new(start + at, start + at + lang.len()),
        None => Span::new(start, start + line.len()),
    }
}

/// A nested TOC: what templates iterate over.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocNode {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocNode>,
}

/// Nests a flat TOC by heading level.
pub fn nest_toc(entries: &[TocEntry]) -> Vec<TocNode> {
    fn take(entries: &[TocEntry], i: &mut usize, level: u8) -> Vec<TocNode> {
        let mut nodes = Vec::new();
        while *i < entries.len() && entries[*i].level >= level {
            let e = &entries[*i];
            *i += 1;
            let children = take(entries, i, e.level + 1);
            nodes.push(TocNode { level: e.level, id: e.id.clone(), title: e.title.clone(), children });
        }
        nodes
    }
    let min = entries.iter().map(|e| e.level).min().unwrap_or(2);
    take(entries, &mut 0, min)
}

/// The inline TOC that replaces a kramdown `- TOC` marker.
fn toc_html(entries: &[TocEntry]) -> String {
    fn list(nodes: &[TocNode], out: &mut String) {
        out.push_str("<ul>");
        for n in nodes {
            out.push_str(&format!("<li><a href=\"#{}\">{}</a>", crate::html::escape(&n.id), crate::html::escape(&n.title)));
            if !n.children.is_empty() {
                list(&n.children, out);
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    let mut out = String::from("<nav class=\"toc inline-toc\" aria-label=\"On this page\">");
    list(&nest_toc(entries), &mut out);
    out.push_str("</nav>\n");
    out
}

#[cfg(test)]
mod style_check;
#[cfg(test)]
mod tests;
