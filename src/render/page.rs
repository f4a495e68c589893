//! Render stage: a batch of pages, from source text to the finished HTML documents plus what the
//! check and write stages need (anchors, links with spans, diagnostics, search entries). Each page
//! goes draft (shortcodes, Markdown) → code highlighted with the whole batch → template.

use super::host::PageHost;
use super::search::{page_terms, plain_text, SearchEntry, BODY_LIMIT};
use super::{RenderContext, SiteContext};
use crate::content::{PageId, PageKind};
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::links::{problem_diagnostic, resolve_link, LinkRecord};
use crate::markdown::{nest_toc, PendingCode, Rendered, TocNode};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug)]
pub struct RenderedPage {
    pub id: PageId,
    pub html: String,
    pub anchors: HashSet<String>,
    pub links: Vec<LinkRecord>,
    pub diagnostics: Vec<Diagnostic>,
    pub search: SearchEntry,
}

/// Renders a batch of pages: shortcodes and Markdown page by page in parallel, then every code
/// block of the batch highlighted grouped by language, then each page through its template.
/// Results are in the order of `ids`.
pub fn render_pages(ctx: &RenderContext, ids: &[PageId]) -> Result<Vec<RenderedPage>> {
    finish_all(ctx, highlight_drafts(ctx, draft_all(ctx, ids)))
}

/// Renders `batches` in order, handing each one's pages to `emit` (which returns false to stop).
/// The three steps of [`render_pages`] run as a pipeline: in one parallel step, one batch goes
/// through its templates while the next has its code highlighted and the one after is drafted.
/// Each step only ends when all three are done, so a core that finishes its share of one takes
/// work from the others instead of waiting at the end of every step of every batch.
pub fn render_batches<'b>(
    ctx: &RenderContext,
    batches: impl IntoIterator<Item = &'b [PageId]>,
    mut emit: impl FnMut(Vec<RenderedPage>) -> bool,
) -> Result<()> {
    let mut batches = batches.into_iter();
    let (mut drafted, mut highlighted): (Option<Vec<Draft>>, Option<Highlighted>) = (None, None);
    loop {
        let ids = batches.next();
        if ids.is_none() && drafted.is_none() && highlighted.is_none() {
            return Ok(());
        }
        let (to_highlight, to_finish) = (drafted.take(), highlighted.take());
        let ((next_drafted, next_highlighted), finished) = rayon::join(
            || rayon::join(|| ids.map(|ids| draft_all(ctx, ids)), || to_highlight.map(|drafts| highlight_drafts(ctx, drafts))),
            || to_finish.map(|batch| finish_all(ctx, batch)).transpose(),
        );
        (drafted, highlighted) = (next_drafted, next_highlighted);
        if let Some(pages) = finished? {
            if !emit(pages) {
                return Ok(());
            }
        }
    }
}

fn draft_all(ctx: &RenderContext, ids: &[PageId]) -> Vec<Draft> {
    ids.par_iter().map(|&id| draft(ctx, id)).collect()
}

/// A batch of drafts with the HTML of their code blocks (one list per draft).
struct Highlighted {
    drafts: Vec<Draft>,
    code: Vec<Vec<String>>,
}

/// Every code block of `drafts`, highlighted together.
fn highlight_drafts(ctx: &RenderContext, drafts: Vec<Draft>) -> Highlighted {
    let pending: Vec<&PendingCode> = drafts.iter().flat_map(|d| &d.rendered.code).collect();
    let mut blocks = ctx.highlighter.highlight_all(&pending).into_iter();
    let code = drafts.iter().map(|d| blocks.by_ref().take(d.rendered.code.len()).collect()).collect();
    Highlighted { drafts, code }
}

fn finish_all(ctx: &RenderContext, batch: Highlighted) -> Result<Vec<RenderedPage>> {
    // Each rayon job (a few per batch and thread) reuses one template context: `data` can be
    // large, and copying it into a fresh context for every page cost as much as the page itself.
    let shared = shared_context(ctx);
    let Highlighted { drafts, code } = batch;
    drafts.into_par_iter().zip(code).map_init(|| shared.clone(), |context, (draft, code)| finish(ctx, context, draft, code)).collect()
}

/// What every page's template context holds: `site` and `data`.
fn shared_context(ctx: &RenderContext) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("site", &SiteContext::new(ctx.config));
    context.insert("data", &ctx.data.files);
    context
}

/// A page after shortcodes and Markdown, before its code is highlighted and its template runs.
struct Draft {
    id: PageId,
    rendered: Rendered,
    /// Raw HTML of `{{< >}}` shortcodes, behind placeholders in `rendered.html`.
    raw_html: Vec<String>,
    placed_runbooks: bool,
    links: Vec<LinkRecord>,
    diagnostics: Vec<Diagnostic>,
}

fn draft(ctx: &RenderContext, id: PageId) -> Draft {
    let page = &ctx.content.pages[id];
    let mut host = PageHost::new(ctx, id);
    let expanded = crate::shortcodes::expand(&page.text, page.body_start, &mut host);
    let PageHost { mut links, diagnostics: host_diagnostics, placed_runbooks, ref_calls, .. } = host;
    let mut diagnostics = expanded.diagnostics;
    diagnostics.extend(host_diagnostics);
    let rendered = crate::markdown::render(&expanded.text, ctx.highlighter, ctx.config.markdown, page.title_from_h1, &mut |link| {
        let generated_by = expanded.map.generated_by(link.span.start);
        if generated_by.is_some_and(|s| ref_calls.contains(&s)) {
            return None; // the `ref` already resolved and recorded it
        }
        let span = expanded.map.span(link.span);
        let resolution = resolve_link(ctx.index, id, &link.dest);
        if let Some(problem) = resolution.problem.clone() {
            diagnostics.push(problem_diagnostic(&page.file, span, &link.dest, problem));
        }
        links.push(LinkRecord::new(id, span, link.dest.clone(), false, &resolution));
        resolution.href
    });
    for unknown in &rendered.unknown_languages {
        let span = expanded.map.span(unknown.span);
        let message = format!("no syntax highlighting for `{}`: the block is shown as plain code", unknown.lang);
        diagnostics.push(
            Diagnostic::warning("unknown-language", &page.file, message)
                .with_span(span)
                .with_label("unknown language")
                .with_target(unknown.lang.clone())
                .with_note("write `text` for code that is plain on purpose"),
        );
    }
    for d in &mut diagnostics {
        d.locate(&page.text, &page.lines);
    }
    Draft { id, rendered, raw_html: expanded.raw_html, placed_runbooks, links, diagnostics }
}

fn finish(ctx: &RenderContext, context: &mut tera::Context, draft: Draft, code: Vec<String>) -> Result<RenderedPage> {
    let Draft { id, mut rendered, raw_html, placed_runbooks, links, diagnostics } = draft;
    let page = &ctx.content.pages[id];
    rendered.fill_code(code);
    let mut body = rendered.html;
    crate::shortcodes::restore_placeholders(&mut body, &raw_html);
    if ctx.runbooks.section == Some(id) && !placed_runbooks {
        body.push_str(&ctx.runbooks.to_html());
    }
    accessible_heading_anchors(&mut body);
    close_heading_gaps(&mut body);
    crate::html::dedupe_ids(&mut body, |id| rendered.toc.iter().any(|e| e.id == id));
    let anchors: HashSet<String> = crate::html::ids(&body).map(str::to_string).collect();
    let toc = nest_toc(&rendered.toc);
    let mut search = SearchEntry {
        title: page.title.clone(),
        url: ctx.config.page_path(&page.url),
        section: page.parent.map(|p| ctx.content.pages[p].title.clone()),
        description: page.front.description.clone(),
        headings: rendered.toc.iter().map(|e| e.title.clone()).collect(),
        body: plain_text(&body, BODY_LIMIT),
        terms: Default::default(),
    };
    search.terms = page_terms(&search);
    let html = document(ctx, context, id, &body, toc, !rendered.inline_toc)?;
    Ok(RenderedPage { id, html, anchors, links, diagnostics, search })
}

/// The Markdown stage ends each heading with `<a class="anchor" href="#id" aria-hidden="true">#</a>`:
/// a link that the keyboard reaches but a screen reader is told does not exist (axe's
/// `aria-hidden-focus`). This keeps the link and its `#`, hides only the `#` from screen
/// readers and names the link for them.
fn accessible_heading_anchors(body: &mut String) {
    const OPEN: &str = "<a class=\"anchor\" href=\"#";
    const HIDDEN: &str = "\" aria-hidden=\"true\">#</a>";
    const NAMED: &str = "\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section</span></a>";
    if !body.contains(OPEN) {
        return;
    }
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body.as_str();
    while let Some(start) = memchr::memmem::find(rest.as_bytes(), OPEN.as_bytes()) {
        let id_start = start + OPEN.len();
        let id_len = rest[id_start..].find(['"', '>']).unwrap_or(rest.len() - id_start);
        let after_id = id_start + id_len;
        out.push_str(&rest[..after_id]);
        if rest[after_id..].starts_with(HIDDEN) {
            out.push_str(NAMED);
            rest = &rest[after_id + HIDDEN.len()..];
        } else {
            rest = &rest[after_id..];
        }
    }
    out.push_str(rest);
    *body = out;
}

/// Heading levels that skip (an `h3` straight after the page's `h1`, as a data table or a
/// writer puts it) leave screen-reader users guessing at the outline: each heading is raised
/// to one level below the heading it is under, the page's `h1` being the first. Siblings stay
/// siblings (two `h3` under the `h1` both become `h2`); ids, and so links, do not change.
fn close_heading_gaps(body: &mut String) {
    // (level written, level given), the page's title first.
    let mut open: Vec<(u8, u8)> = vec![(1, 1)];
    let mut edits: Vec<(usize, u8)> = Vec::new();
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&bytes[from..], b"<h") {
        let at = from + found;
        from = at + 2;
        let (Some(&digit), Some(&after)) = (bytes.get(at + 2), bytes.get(at + 3)) else { break };
        if !(b'1'..=b'6').contains(&digit) || !matches!(after, b'>' | b' ' | b'\t' | b'\n') {
            continue;
        }
        let level = digit - b'0';
        while open.len() > 1 && open.last().is_some_and(|&(written, _)| written >= level) {
            open.pop();
        }
        let given = if level == 1 { 1 } else { (open.last().map_or(1, |&(_, g)| g) + 1).min(level) };
        open.push((level, given));
        if given != level {
            let close = format!("</h{level}>");
            if let Some(end) = memchr::memmem::find(&bytes[at..], close.as_bytes()) {
                edits.push((at + 2, given));
                edits.push((at + end + 3, given));
            }
        }
    }
    for (at, level) in edits {
        body.replace_range(at..at + 1, &level.to_string());
    }
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    permalink: String,
    content: &'a str,
    toc: Vec<TocNode>,
    /// `toc` as nested lists (see [`toc_html`]).
    toc_html: String,
    show_toc: bool,
    edit_url: Option<String>,
    last_updated: Option<String>,
    owner: Option<&'a str>,
    last_reviewed: Option<&'a str>,
    tags: &'a [String],
    /// `tags` with the URL of each one's tag page (none for a tag with nothing to slug).
    tag_links: Vec<TagLink<'a>>,
    stale: bool,
    kind: &'static str,
    date: Option<&'a str>,
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    source: String,
}

/// The table of contents as the nested lists templates show (`page.toc_html`, like Hugo's
/// `.TableOfContents`; `page.toc` has the same headings as data). The embedded theme built them
/// with a recursive Tera macro, which cost about 90,000 instructions a page, a third of the
/// template's work: this writes the same markup, escaped as Tera's autoescape and `escape_xml`
/// escape, in a few thousand.
fn toc_html(nodes: &[TocNode]) -> String {
    fn list(nodes: &[TocNode], out: &mut String) {
        out.push_str("<ul>");
        for node in nodes {
            out.push_str("\n<li><a href=\"#");
            crate::html::escape_xml_into(out, &node.id);
            out.push_str("\">");
            out.push_str(&tera::escape_html(&node.title));
            out.push_str("</a>");
            if !node.children.is_empty() {
                list(&node.children, out);
            }
            out.push_str("</li>");
        }
        out.push_str("\n</ul>");
    }
    let mut out = String::new();
    if !nodes.is_empty() {
        list(nodes, &mut out);
    }
    out
}

#[derive(Serialize)]
struct TagLink<'a> {
    name: &'a str,
    url: Option<String>,
}

#[derive(Serialize)]
struct Crumb<'a> {
    title: &'a str,
    url: String,
}

/// A child page or subsection as a section page lists it.
#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    url: String,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct SectionContext<'a> {
    pages: Vec<Card<'a>>,
    subsections: Vec<Card<'a>>,
    is_runbooks: bool,
}

/// The page through its Tera template. `context` holds `site` and `data`; the page's own keys
/// are replaced.
fn document(
    ctx: &RenderContext,
    context: &mut tera::Context,
    id: PageId,
    body: &str,
    toc: Vec<TocNode>,
    allow_toc: bool,
) -> Result<String> {
    let config = ctx.config;
    let page = &ctx.content.pages[id];
    let source = page.file.to_string_lossy().replace('\\', "/");
    let page_context = PageContext {
        title: &page.title,
        description: page.front.description.as_deref(),
        url: config.page_path(&page.url),
        permalink: config.permalink(&page.url),
        content: body,
        toc_html: toc_html(&toc),
        toc,
        show_toc: allow_toc && page.front.toc.unwrap_or(true),
        edit_url: config.edit_url.as_ref().filter(|_| !page.generated).map(|u| u.replace("{path}", &source)),
        last_updated: last_updated(ctx, id, &source),
        owner: page.front.owner.as_deref(),
        last_reviewed: page.front.last_reviewed.as_deref(),
        tags: &page.front.tags,
        tag_links: page.front.tags.iter().map(|t| TagLink { name: t, url: crate::output::tags::tag_url(config, t) }).collect(),
        stale: ctx.runbooks.is_stale(id),
        kind: if page.is_section() { "section" } else { "page" },
        date: page.front.date.as_deref(),
        extra: &page.front.extra,
        source,
    };
    let crumbs: Vec<Crumb> = ctx.content.tree.ancestors(&ctx.content.pages, id).into_iter().map(|a| crumb(ctx, a)).collect();
    context.insert("page", &page_context);
    context.insert("breadcrumbs", &crumbs);
    // Previous and next page in reading order (`Tree::order`), as `{title, url}` or nothing.
    let (prev, next) = ctx.content.tree.neighbours(id);
    context.insert("prev", &prev.map(|p| crumb(ctx, p)));
    context.insert("next", &next.map(|p| crumb(ctx, p)));
    let sidebar = ctx.sidebars.for_page(config, ctx.content, id);
    // The page is its body and sidebar plus a few KB of template.
    let capacity = body.len() + sidebar.len() + 8 * 1024;
    context.insert("sidebar", &sidebar);
    let template = match &page.front.layout {
        Some(layout) if ctx.theme.has_template(&format!("{layout}.html")) => format!("{layout}.html"),
        _ if page.kind == PageKind::Section => "section.html".to_string(),
        _ => "page.html".to_string(),
    };
    if page.is_section() {
        let (subsections, pages): (Vec<PageId>, Vec<PageId>) =
            ctx.content.tree.children[id].iter().partition(|&&c| ctx.content.pages[c].is_section());
        context.insert(
            "section",
            &SectionContext {
                pages: pages.into_iter().map(|c| card(ctx, c)).collect(),
                subsections: subsections.into_iter().map(|c| card(ctx, c)).collect(),
                is_runbooks: ctx.runbooks.section == Some(id),
            },
        );
    } else {
        // The context is reused: a page must not see the previous section's listing.
        context.remove("section");
    }
    ctx.theme.render_sized(&template, context, capacity).map_err(|e| match e {
        crate::Error::Template(m) => crate::Error::Template(format!("{} (rendering {})", m, page.file.display())),
        other => other,
    })
}

fn crumb<'a>(ctx: &RenderContext<'a>, id: PageId) -> Crumb<'a> {
    let page = &ctx.content.pages[id];
    Crumb { title: &page.title, url: ctx.config.page_path(&page.url) }
}

fn card<'a>(ctx: &RenderContext<'a>, id: PageId) -> Card<'a> {
    let page = &ctx.content.pages[id];
    Card { title: &page.title, url: ctx.config.page_path(&page.url), description: page.front.description.as_deref() }
}

/// `lastmod` from front matter, else the git date, else `SOURCE_DATE_EPOCH`; never the clock.
fn last_updated(ctx: &RenderContext, id: PageId, source: &str) -> Option<String> {
    let page = &ctx.content.pages[id];
    if let Some(lastmod) = &page.front.lastmod {
        return Some(lastmod.get(..10).unwrap_or(lastmod).to_string());
    }
    let seconds = ctx.last_updated.get(source).copied().or(ctx.source_date_epoch).filter(|_| !page.generated)?;
    Some(crate::dates::format_days(seconds.div_euclid(86_400)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, title: &str, children: Vec<TocNode>) -> TocNode {
        TocNode { level: 2, id: id.to_string(), title: title.to_string(), children }
    }

    /// The recursive macro the embedded theme used before `page.toc_html`.
    const TOC_MACRO: &str = r##"{%- macro toc_list(items) -%}
<ul>
{%- for h in items %}
<li><a href="#{{ h.id | escape_xml | safe }}">{{ h.title }}</a>
{%- if h.children %}{{ self::toc_list(items=h.children) }}{% endif -%}
</li>
{%- endfor %}
</ul>
{%- endmacro toc_list -%}
{{ self::toc_list(items=toc) }}"##;

    #[test]
    fn heading_anchors_are_named_links_not_hidden_ones() {
        let mut body = crate::markdown::render(
            "## Steps\n\nText <a class=\"anchor\" href=\"#x\">kept</a>.\n",
            &crate::markdown::Highlighter::default(),
            crate::markdown::Extensions::default(),
            false,
            &mut |_| None,
        )
        .html;
        accessible_heading_anchors(&mut body);
        assert!(
            body.contains("<h2 id=\"steps\">Steps <a class=\"anchor\" href=\"#steps\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section</span></a></h2>"),
            "{body}"
        );
        assert!(body.contains("<a class=\"anchor\" href=\"#x\">kept</a>"), "{body}");
        assert!(!body.contains("aria-hidden=\"true\">#</a>"), "{body}");
    }

    #[test]
    fn heading_levels_never_skip() {
        let fix = |html: &str| {
            let mut body = html.to_string();
            close_heading_gaps(&mut body);
            body
        };
        assert_eq!(
            fix("<h3 id=\"a\">A</h3><p>x</p><h3 id=\"b\">B</h3><h4>C</h4><h2>D</h2><h4>E</h4><header><hr><h5>F</h5>"),
            "<h2 id=\"a\">A</h2><p>x</p><h2 id=\"b\">B</h2><h3>C</h3><h2>D</h2><h3>E</h3><header><hr><h4>F</h4>"
        );
        let fine = "<h2>A</h2><h3>B</h3><h2>C</h2><h1>D</h1><h2>E</h2><p>&lt;h4&gt;</p>";
        assert_eq!(fix(fine), fine);
    }

    #[test]
    fn toc_html_is_what_the_theme_macro_made() {
        let toc = vec![
            node("a-b", "A & B <tags> \"quoted\" it's a/b", vec![node("deep", "Deep", vec![node("x-y", "x'y", vec![])])]),
            node("q&a'\"<>", "Q&A", vec![]),
            node("last", "Last", vec![node("one", "One", vec![]), node("two", "Two", vec![])]),
        ];
        let mut tera = tera::Tera::default();
        tera.add_raw_template("toc.html", TOC_MACRO).unwrap();
        let mut context = tera::Context::new();
        context.insert("toc", &toc);
        let expected = tera.render("toc.html", &context).unwrap();
        assert_eq!(toc_html(&toc), expected);
        assert!(expected.contains("<ul>\n<li><a href=\"#deep\">Deep</a><ul>"), "{expected}");
        assert_eq!(toc_html(&[]), "");
    }
}
