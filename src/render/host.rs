//! Render stage: the shortcode host of one page: resolves `ref`s, renders data tables, reads
//! includes and runs custom shortcode templates, recording links and problems as it goes.

use super::RenderContext;
use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Span};
use crate::links::resolve_ref;
use crate::links::{problem_diagnostic, LinkRecord};
use crate::shortcodes::parse::{Arg, Call};
use crate::shortcodes::{Host, Invocation};
use std::path::Path;

pub struct PageHost<'a, 'c> {
    pub ctx: &'a RenderContext<'c>,
    pub id: PageId,
    pub links: Vec<LinkRecord>,
    pub diagnostics: Vec<Diagnostic>,
    /// The page used `{{< runbooks >}}` itself.
    pub placed_runbooks: bool,
    /// Full spans of the page's `ref`/`relref` calls: links whose destination they produced
    /// are already resolved.
    pub ref_calls: Vec<Span>,
}

impl<'a, 'c> PageHost<'a, 'c> {
    pub fn new(ctx: &'a RenderContext<'c>, id: PageId) -> Self {
        PageHost { ctx, id, links: Vec::new(), diagnostics: Vec::new(), placed_runbooks: false, ref_calls: Vec::new() }
    }

    fn error(&self, span: Span, code: &'static str, message: String) -> Diagnostic {
        Diagnostic::error(code, self.file(), message).with_span(span)
    }
}

impl Host for PageHost<'_, '_> {
    fn custom(&self, name: &str) -> Option<bool> {
        self.ctx.theme.shortcodes.get(name).copied()
    }

    fn reference(&mut self, call: &Call, target: &Arg) -> Result<String, Diagnostic> {
        self.ref_calls.push(call.full_span());
        let resolution = resolve_ref(self.ctx.index, self.id, &target.value);
        let record = LinkRecord::new(self.id, target.span, target.value.clone(), true, &resolution);
        let href = resolution.href.clone();
        self.links.push(record);
        match (href, resolution.problem) {
            (href, Some(problem)) if problem.severity == crate::diagnostics::Severity::Warning => {
                self.diagnostics.push(problem_diagnostic(self.file(), target.span, &target.value, problem));
                Ok(href.unwrap_or_default())
            }
            (_, Some(problem)) => Err(problem_diagnostic(self.file(), target.span, &target.value, problem)),
            (href, None) => Ok(href.unwrap_or_default()),
        }
    }

    fn counterparts(&mut self, call: &Call) -> Result<String, Diagnostic> {
        self.ctx.data.counterparts_html(call).map_err(|message| self.error(call.span, "counterparts", message))
    }

    fn runbooks(&mut self, _call: &Call) -> Result<String, Diagnostic> {
        self.placed_runbooks = true;
        Ok(self.ctx.runbooks.to_html())
    }

    fn include(&mut self, call: &Call, path: &Arg) -> Result<String, Diagnostic> {
        let rel = path.value.trim_start_matches('/');
        let inside = !rel.split(['/', '\\']).any(|s| s == "..") && !rel.is_empty();
        if !inside {
            return Err(self.error(path.span, "include", format!("`include` takes a file of this site, not `{}`", path.value)));
        }
        let root = &self.ctx.config.root;
        let full = root.join(rel);
        if !full.exists() {
            return Err(self
                .error(path.span, "include", format!("included file `{rel}` does not exist"))
                .with_label("no such file in the site"));
        }
        // After symlinks: a link inside the site may point anywhere (`/etc/passwd`).
        let inside_root = match (std::fs::canonicalize(&full), std::fs::canonicalize(root)) {
            (Ok(file), Ok(root)) => file.starts_with(root),
            _ => false,
        };
        if !inside_root {
            return Err(self
                .error(path.span, "include", format!("included file `{rel}` is a link to a file outside the site"))
                .with_label("only files of this site can be included"));
        }
        match crate::io::read_text(&full, crate::io::MAX_TEXT_BYTES) {
            Ok(Ok(text)) => {
                let body = crate::content::front_matter::split(&text).map_or(0, |s| s.body_start);
                Ok(text[body..].to_string())
            }
            Ok(Err(problem)) => {
                let why = problem.diagnostic(Path::new(rel)).message;
                Err(self.error(path.span, "include", format!("included file `{rel}` cannot be used: {why}")))
            }
            Err(e) => Err(self.error(call.span, "include", e.to_string())),
        }
    }

    fn render_custom(&mut self, invocation: &Invocation) -> Result<String, Diagnostic> {
        let call = invocation.call;
        let mut args = serde_json::Map::new();
        for (i, arg) in call.args.iter().enumerate() {
            let key = arg.name.clone().unwrap_or_else(|| i.to_string());
            args.insert(key, serde_json::Value::String(arg.value.clone()));
        }
        let page = &self.ctx.content.pages[self.id];
        let mut context = tera::Context::new();
        context.insert("args", &args);
        context.insert("inner", &invocation.inner);
        context.insert("page", &serde_json::json!({ "title": page.title, "url": self.ctx.config.page_path(&page.url) }));
        context.insert("site", &super::SiteContext::new(self.ctx.config));
        context.insert("data", &self.ctx.data.files);
        self.ctx
            .theme
            .render(&format!("shortcodes/{}.html", call.name), &context)
            .map_err(|e| self.error(call.span, "shortcode-template", format!("shortcode `{}` failed: {e}", call.name)))
    }

    fn file(&self) -> &Path {
        &self.ctx.content.pages[self.id].file
    }
}
