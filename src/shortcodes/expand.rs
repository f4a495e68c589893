//! Render stage, step 1b: expand a parsed shortcode tree into Markdown text plus an offset map,
//! asking a [`Host`] for everything that needs the rest of the site.

use super::offsets::OffsetMap;
use super::parse::{self, Arg, Call, Node};
use crate::diagnostics::{Diagnostic, Span};
use crate::html::escape;

/// Shortcodes built in that take a body.
pub const BUILTIN_BLOCKS: &[&str] = &["details", "alert"];
/// Shortcodes built in that stand alone.
pub const BUILTIN_INLINE: &[&str] = &["ref", "relref", "include", "counterparts", "runbooks", "include-remote"];

/// One shortcode call, as a host sees it.
pub struct Invocation<'a> {
    pub call: &'a Call,
    /// The expanded inner text, for calls with a body.
    pub inner: Option<&'a str>,
}

/// What a shortcode produced.
pub enum Output {
    /// Text that goes on through the Markdown parser (a URL, Markdown).
    Markdown(String),
    /// HTML kept away from the Markdown parser.
    Html(String),
}

/// The site-dependent half of shortcode expansion, one per page.
pub trait Host {
    /// `Some(has_body)` when `name` is a custom shortcode of the site or theme.
    fn custom(&self, name: &str) -> Option<bool>;
    /// `ref` / `relref`: the URL of the target (the host records the link for checking).
    fn reference(&mut self, call: &Call, target: &Arg) -> Result<String, Diagnostic>;
    fn counterparts(&mut self, call: &Call) -> Result<String, Diagnostic>;
    fn runbooks(&mut self, call: &Call) -> Result<String, Diagnostic>;
    /// `include`: the text of a file of the site (inserted as Markdown).
    fn include(&mut self, call: &Call, path: &Arg) -> Result<String, Diagnostic>;
    fn render_custom(&mut self, invocation: &Invocation) -> Result<String, Diagnostic>;
    /// The page file, for diagnostics.
    fn file(&self) -> &std::path::Path;
}

#[derive(Debug, Default)]
pub struct Expanded {
    pub text: String,
    pub map: OffsetMap,
    /// HTML behind placeholders, by index.
    pub raw_html: Vec<String>,
    /// Spans are source-file offsets, not yet located.
    pub diagnostics: Vec<Diagnostic>,
}

/// Expands `src[start..]` (the page body). Without `{{<`/`{{%` this is a copy and an identity map.
pub fn expand(src: &str, start: usize, host: &mut dyn Host) -> Expanded {
    let body = &src[start..];
    if parse::next_tag(body, 0).is_none() {
        return Expanded { text: body.to_string(), map: OffsetMap::identity(start, body.len()), ..Default::default() };
    }
    let has_body = |name: &str| BUILTIN_BLOCKS.contains(&name) || host.custom(name).unwrap_or(false);
    let nodes = match parse::parse(src, start, &has_body) {
        Ok(nodes) => nodes,
        Err(e) => {
            let d = Diagnostic::error("shortcode", host.file(), e.message).with_span(e.span).with_label(e.label);
            return Expanded {
                text: body.to_string(),
                map: OffsetMap::identity(start, body.len()),
                diagnostics: vec![d],
                ..Default::default()
            };
        }
    };
    let mut out = Expanded::default();
    Expander { src, host, out: &mut out }.nodes(&nodes);
    out
}

struct Expander<'a, 'h> {
    src: &'a str,
    host: &'h mut dyn Host,
    out: &'a mut Expanded,
}

impl Expander<'_, '_> {
    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Text(span) => self.copy(*span),
                Node::Escaped { span, literal } => self.generate(literal, *span),
                Node::Call(call) => self.call(call),
            }
        }
    }

    fn copy(&mut self, span: Span) {
        self.out.map.copied(self.out.text.len(), span.start, span.end - span.start);
        self.out.text.push_str(&self.src[span.start..span.end]);
    }

    fn generate(&mut self, text: &str, origin: Span) {
        self.out.map.generated(self.out.text.len(), text.len(), origin);
        self.out.text.push_str(text);
    }

    fn html(&mut self, html: String, origin: Span) {
        let index = self.out.raw_html.len();
        self.out.raw_html.push(html);
        self.generate(&super::placeholder(index), origin);
    }

    fn call(&mut self, call: &Call) {
        let origin = call.full_span();
        let result = match call.name.as_str() {
            "details" | "alert" => return self.block(call),
            "ref" | "relref" => match call.positional(0).or_else(|| call.named("path")) {
                Some(target) => self.host.reference(call, target).map(Output::Markdown),
                None => Err(self.error(call.span, format!("`{}` needs a page path, e.g. {{{{< ref \"inventory\" >}}}}", call.name))),
            },
            "include" => match call.positional(0).or_else(|| call.named("file")) {
                Some(path) => self.host.include(call, path).map(Output::Markdown),
                None => Err(self.error(call.span, "`include` needs a file path".to_string())),
            },
            "counterparts" => self.host.counterparts(call).map(Output::Html),
            "runbooks" => self.host.runbooks(call).map(Output::Html),
            "include-remote" => Ok(self.remote(call)),
            name => match self.host.custom(name) {
                Some(_) => self.custom(call),
                None => Err(self.unknown(call)),
            },
        };
        match result {
            Ok(Output::Markdown(text)) => self.generate(&text, origin),
            Ok(Output::Html(html)) => self.html(html, origin),
            Err(d) => {
                self.out.diagnostics.push(d);
                self.generate("", origin);
            }
        }
    }

    /// `details` and `alert`: an HTML wrapper around Markdown inner text, whose spans stay exact.
    fn block(&mut self, call: &Call) {
        let arg = |key: &str| call.named(key).map(|a| escape(&a.value));
        let (open, close) = if call.name == "details" {
            let summary = arg("summary").or_else(|| call.positional(0).map(|a| escape(&a.value))).unwrap_or_else(|| "Details".into());
            let open_attr = if call.named("open").is_some_and(|a| a.value == "true") { " open" } else { "" };
            (format!("<details{open_attr}>\n<summary>{summary}</summary>\n\n"), "\n\n</details>\n")
        } else {
            let color = arg("color").unwrap_or_else(|| "info".into());
            let title = arg("title").map(|t| format!("<p class=\"alert-title\">{t}</p>\n")).unwrap_or_default();
            (format!("<div class=\"alert alert-{color}\" role=\"note\">\n{title}\n"), "\n\n</div>\n")
        };
        self.generate(&open, call.span);
        if let Some(body) = &call.body {
            self.nodes(&body.nodes);
        }
        let end = call.full_span();
        self.generate(close, Span::new(end.end, end.end));
    }

    fn custom(&mut self, call: &Call) -> Result<Output, Diagnostic> {
        let inner = call.body.as_ref().map(|b| {
            let mut inner = Expanded::default();
            Expander { src: self.src, host: &mut *self.host, out: &mut inner }.nodes(&b.nodes);
            self.out.diagnostics.append(&mut inner.diagnostics);
            super::restore_placeholders(&mut inner.text, &inner.raw_html);
            inner.text
        });
        let html = self.host.render_custom(&Invocation { call, inner: inner.as_deref() })?;
        Ok(if call.markdown { Output::Markdown(html) } else { Output::Html(html) })
    }

    /// Network shortcodes never fetch at build time: a link to the source and a warning.
    fn remote(&mut self, call: &Call) -> Output {
        let url = call.positional(0).or_else(|| call.named("url")).map(|a| a.value.clone()).unwrap_or_default();
        self.out.diagnostics.push(
            Diagnostic::warning(
                "remote-include",
                self.host.file(),
                format!("`{}` is not fetched at build time; a link to its source is shown instead", call.name),
            )
            .with_span(call.span)
            .with_target(url.clone()),
        );
        Output::Html(format!("<p class=\"remote-include\"><a href=\"{0}\">{0}</a></p>", escape(&url)))
    }

    fn unknown(&self, call: &Call) -> Diagnostic {
        let mut known: Vec<&str> = BUILTIN_BLOCKS.iter().chain(BUILTIN_INLINE).copied().collect();
        known.sort_unstable();
        let mut d = self.error(call.name_span, format!("unknown shortcode `{}`", call.name));
        match crate::suggest::closest(&call.name, known.iter().copied()) {
            Some(best) => d = d.with_label(format!("did you mean `{best}`?")).with_suggestion(best),
            None => {
                d = d
                    .with_label("no built-in or template shortcode has this name")
                    .with_note(format!("built-in shortcodes: {}; custom ones are templates in shortcodes/<name>.html", known.join(", ")))
            }
        }
        d.with_target(call.name.clone())
    }

    fn error(&self, span: Span, message: String) -> Diagnostic {
        Diagnostic::error("shortcode", self.host.file(), message).with_span(span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[derive(Default)]
    struct TestHost {
        refs: Vec<String>,
    }

    impl Host for TestHost {
        fn custom(&self, name: &str) -> Option<bool> {
            match name {
                "box" => Some(true),
                "badge" => Some(false),
                _ => None,
            }
        }
        fn reference(&mut self, _: &Call, target: &Arg) -> Result<String, Diagnostic> {
            self.refs.push(target.value.clone());
            if target.value == "missing" {
                return Err(Diagnostic::error("broken-ref", "p.md", "no such page").with_span(target.span));
            }
            Ok(format!("/{}/", target.value))
        }
        fn counterparts(&mut self, _: &Call) -> Result<String, Diagnostic> {
            Ok("<table></table>".into())
        }
        fn runbooks(&mut self, _: &Call) -> Result<String, Diagnostic> {
            Ok("<ul></ul>".into())
        }
        fn include(&mut self, _: &Call, path: &Arg) -> Result<String, Diagnostic> {
            Ok(format!("included {}", path.value))
        }
        fn render_custom(&mut self, inv: &Invocation) -> Result<String, Diagnostic> {
            Ok(format!("<div class=\"{}\">{}</div>", inv.call.name, inv.inner.unwrap_or("")))
        }
        fn file(&self) -> &Path {
            Path::new("content/p.md")
        }
    }

    fn run(src: &str) -> Expanded {
        expand(src, 0, &mut TestHost::default())
    }

    #[test]
    fn ref_becomes_a_url_and_later_text_keeps_its_offsets() {
        let src = "[a]({{< ref \"inv\" >}}) tail";
        let e = run(src);
        assert_eq!(e.text, "[a](/inv/) tail");
        let tail_out = e.text.find("tail").unwrap();
        assert_eq!(e.map.offset(tail_out), src.find("tail").unwrap());
    }

    #[test]
    fn details_wraps_markdown_and_maps_inner_spans_to_source() {
        let src = "{{% details summary=\"Why <b>\" %}}\n**inner**\n{{% /details %}}\n";
        let e = run(src);
        assert!(e.text.starts_with("<details>\n<summary>Why &lt;b&gt;</summary>\n\n"), "{}", e.text);
        assert!(e.text.contains("**inner**") && e.text.contains("</details>"));
        let inner_out = e.text.find("**inner**").unwrap();
        assert_eq!(e.map.offset(inner_out), src.find("**inner**").unwrap());
    }

    #[test]
    fn raw_html_hides_behind_a_placeholder() {
        let mut e = run("x\n\n{{< counterparts >}}\n");
        assert_eq!(e.raw_html, vec!["<table></table>"]);
        let mut html = format!("<p>x</p>\n<p>{}</p>\n", super::super::placeholder(0));
        super::super::restore_placeholders(&mut html, &e.raw_html);
        assert_eq!(html, "<p>x</p>\n<table></table>");
        e.raw_html.clear();
    }

    #[test]
    fn custom_shortcodes_get_expanded_inner() {
        let e = run("{{< box >}}in {{< ref \"x\" >}}{{< /box >}}");
        assert_eq!(e.raw_html, vec!["<div class=\"box\">in /x/</div>"]);
    }

    #[test]
    fn unknown_shortcode_points_at_its_name_with_suggestion() {
        let src = "a\n{{< detials >}}";
        let e = run(src);
        let d = &e.diagnostics[0];
        assert_eq!(d.message, "unknown shortcode `detials`");
        assert_eq!(d.span, Some(Span::new(6, 13)));
        assert_eq!(d.suggestion.as_deref(), Some("details"));
    }

    #[test]
    fn escaped_shortcodes_render_literally_and_are_not_called() {
        let mut host = TestHost::default();
        let e = expand("{{</* ref \"x\" */>}}", 0, &mut host);
        assert_eq!(e.text, "{{< ref \"x\" >}}");
        assert!(host.refs.is_empty());
    }

    #[test]
    fn remote_include_warns_and_links() {
        let e = run("{{< include-remote \"https://example.com/x.md\" >}}");
        assert_eq!(e.diagnostics[0].code, "remote-include");
        assert!(e.raw_html[0].contains("href=\"https://example.com/x.md\""));
    }

    #[test]
    fn parse_errors_are_diagnostics_and_keep_the_text() {
        let e = run("{{% details %}} open");
        assert_eq!(e.diagnostics[0].code, "shortcode");
        assert_eq!(e.text, "{{% details %}} open");
    }
}
