//! Index stage: the runbook index, from the front matter of every page under the runbooks
//! section, with the stale and missing-owner checks.

use crate::config::Config;
use crate::content::{Content, PageId, PageKind};
use crate::dates::{format_days, parse_date};
use crate::diagnostics::{Diagnostic, Span};
use crate::html::escape;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Runbook {
    #[serde(skip)]
    pub id: PageId,
    pub title: String,
    /// Under the deploy prefix.
    pub url: String,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub last_reviewed: Option<String>,
    pub tags: Vec<String>,
    pub stale: bool,
}

#[derive(Debug, Clone, Default)]
pub struct RunbookIndex {
    /// The runbooks section page, if the site has one.
    pub section: Option<PageId>,
    /// Sorted like the sidebar: weight, then title.
    pub runbooks: Vec<Runbook>,
    /// Pages of `runbooks` that are stale: every page render asks, so it is a set, not a scan.
    stale: std::collections::HashSet<PageId>,
}

impl RunbookIndex {
    /// `today` is a day number (see [`crate::dates`]).
    pub fn build(config: &Config, content: &Content, today: i64) -> (RunbookIndex, Vec<Diagnostic>) {
        let prefix = format!("{}/", config.runbooks.section);
        let section = content.pages.iter().position(|p| p.kind == PageKind::Section && p.dir() == prefix);
        let mut ids: Vec<PageId> = content
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.rel.starts_with(&prefix) && p.kind != PageKind::Section)
            .map(|(id, _)| id)
            .collect();
        crate::content::sort_children(&mut ids, &content.pages);
        let mut diagnostics = Vec::new();
        let runbooks: Vec<Runbook> = ids
            .into_iter()
            .map(|id| {
                let page = &content.pages[id];
                let reviewed = page.front.last_reviewed.as_deref();
                let stale = match reviewed.map(|r| (r, parse_date(r))) {
                    None => {
                        diagnostics.push(runbook_warning(
                            content,
                            id,
                            "last_reviewed",
                            "stale-runbook",
                            "runbook has no `last_reviewed` date".into(),
                        ));
                        true
                    }
                    Some((text, None)) => {
                        diagnostics.push(runbook_warning(
                            content,
                            id,
                            "last_reviewed",
                            "stale-runbook",
                            format!("`last_reviewed: {text}` is not a date (use YYYY-MM-DD)"),
                        ));
                        true
                    }
                    Some((_, Some(day))) if today - day > i64::from(config.runbooks.review_after_days) => {
                        let message = format!(
                            "runbook was last reviewed on {}, {} days ago (review every {} days)",
                            format_days(day),
                            today - day,
                            config.runbooks.review_after_days
                        );
                        diagnostics.push(runbook_warning(content, id, "last_reviewed", "stale-runbook", message));
                        true
                    }
                    Some(_) => false,
                };
                if page.front.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
                    diagnostics.push(runbook_warning(content, id, "owner", "runbook-owner", "runbook has no `owner`".into()));
                }
                Runbook {
                    id,
                    title: page.title.clone(),
                    url: config.page_path(&page.url),
                    description: page.front.description.clone(),
                    owner: page.front.owner.clone(),
                    last_reviewed: reviewed.map(|r| r.get(..10).unwrap_or(r).to_string()),
                    tags: page.front.tags.clone(),
                    stale,
                }
            })
            .collect();
        let stale = runbooks.iter().filter(|r| r.stale).map(|r| r.id).collect();
        (RunbookIndex { section, runbooks, stale }, diagnostics)
    }

    pub fn is_stale(&self, id: PageId) -> bool {
        self.stale.contains(&id)
    }

    /// The index table (`{{< runbooks >}}` and the runbooks section page).
    pub fn to_html(&self) -> String {
        if self.runbooks.is_empty() {
            return "<p class=\"empty\">No runbooks yet.</p>\n".to_string();
        }
        let mut out = String::from("<div class=\"table-wrapper\"><table class=\"runbooks\">\n<thead><tr><th scope=\"col\">Runbook</th><th scope=\"col\">Owner</th><th scope=\"col\">Last reviewed</th><th scope=\"col\">Tags</th></tr></thead>\n<tbody>\n");
        for r in &self.runbooks {
            let description =
                r.description.as_deref().map(|d| format!("<br><span class=\"description\">{}</span>", escape(d))).unwrap_or_default();
            let owner = r.owner.as_deref().map_or("<span class=\"badge gap\">No owner</span>".to_string(), escape);
            let reviewed = r.last_reviewed.as_deref().map_or("never".to_string(), escape);
            let badge = if r.stale { " <span class=\"badge stale\">Review overdue</span>" } else { "" };
            let tags: String = r.tags.iter().map(|t| format!("<span class=\"tag\">{}</span>", escape(t))).collect::<Vec<_>>().join(" ");
            let row_class = if r.stale { " class=\"stale\"" } else { "" };
            out.push_str(&format!(
                "<tr{row_class}><td><a href=\"{}\">{}</a>{description}</td><td>{owner}</td><td>{reviewed}{badge}</td><td>{tags}</td></tr>\n",
                escape(&r.url),
                escape(&r.title)
            ));
        }
        out.push_str("</tbody>\n</table></div>\n");
        out
    }
}

/// A warning on a runbook, pointing at `key` in its front matter (or the first line).
fn runbook_warning(content: &Content, id: PageId, key: &str, code: &'static str, message: String) -> Diagnostic {
    let page = &content.pages[id];
    let front = &page.text[..page.body_start];
    let at = front.find(&format!("\n{key}")).map_or(0, |i| i + 1);
    let len = if at == 0 { 3.min(page.text.len()) } else { key.len() };
    Diagnostic::warning(code, &page.file, message)
        .with_span(Span::new(at, at + len))
        .with_target(key.to_string())
        .located(&page.text, &page.lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{load_page, Tree};
    use crate::dates::days_from_civil;

    fn site(pages: &[(&str, &str)]) -> (Config, Content) {
        let config = Config::parse(std::path::Path::new("/s"), "title = \"T\"\nbase_url = \"https://h/\"\n", None).unwrap();
        let mut list: Vec<_> = pages.iter().map(|(rel, text)| load_page(rel, text.to_string()).0.unwrap()).collect();
        list.sort_by(|a, b| a.rel.cmp(&b.rel));
        let tree = Tree::build(&mut list);
        (config, Content { pages: list, tree, ..Default::default() })
    }

    #[test]
    fn stale_missing_and_ownerless_runbooks_warn() {
        let (config, content) = site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("runbooks/_index.md", "---\ntitle: Runbooks\n---\n"),
            ("runbooks/fresh.md", "---\ntitle: Fresh\nowner: \"@a\"\nlast_reviewed: 2026-10-01\ntags: [x]\n---\n"),
            ("runbooks/old.md", "---\ntitle: Old\nowner: \"@b\"\nlast_reviewed: 2025-01-01\n---\n"),
            ("runbooks/none.md", "---\ntitle: None\n---\n"),
        ]);
        let today = days_from_civil(2026, 11, 22);
        let (index, warnings) = RunbookIndex::build(&config, &content, today);
        let stale: Vec<_> = index.runbooks.iter().map(|r| (r.title.as_str(), r.stale)).collect();
        assert_eq!(stale, [("Fresh", false), ("None", true), ("Old", true)]);
        let codes: Vec<_> = warnings.iter().map(|w| (w.code, w.file.to_string_lossy().into_owned(), w.line_col().0)).collect();
        assert!(codes.contains(&("stale-runbook", "content/runbooks/old.md".into(), 4)), "{codes:?}");
        assert!(codes.contains(&("runbook-owner", "content/runbooks/none.md".into(), 1)), "{codes:?}");
        assert!(warnings.iter().any(|w| w.message.contains("690 days ago")), "{warnings:?}");
        let html = index.to_html();
        assert!(html.contains("<a href=\"/runbooks/fresh/\">Fresh</a>"));
        assert_eq!(html.matches("Review overdue").count(), 2);
    }
}
