//! Write stage: tag pages. Every tag of every page gets `tags/<slug>/index.html` listing its
//! pages, and `tags/index.html` lists every tag. A slug is the tag in lower case with each run
//! of other characters than letters and digits made one `-`; it must pass
//! [`crate::safe_path::check_url_segment`], so no tag can name a path outside `tags/`.

use crate::config::Config;
use crate::content::{Content, PageId};
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::render::{SiteContext, Theme};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The URL segment of `tag`, or `None` when nothing is left of it (`"!!"`).
pub fn slug(tag: &str) -> Option<String> {
    let mut out = String::with_capacity(tag.len());
    for c in tag.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    crate::safe_path::check_url_segment(&out).ok().map(|()| out)
}

/// The URL of the page of `tag` (under the deploy prefix), when it has one.
pub fn tag_url(config: &Config, tag: &str) -> Option<String> {
    slug(tag).map(|s| config.page_path(&format!("tags/{s}/")))
}

#[derive(Serialize)]
struct Listed<'a> {
    title: &'a str,
    url: String,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct TagContext<'a> {
    /// The tag as first written (in page order).
    name: &'a str,
    url: String,
    count: usize,
    pages: Vec<Listed<'a>>,
}

/// Rendered tag pages: (output path, HTML), sorted by path.
pub type TagPages = Vec<(String, String)>;

/// Tag pages, and a warning for each one a content page already publishes at that path (the
/// page wins).
pub fn tag_pages(config: &Config, content: &Content, theme: &Theme, sidebar: &str) -> Result<(TagPages, Vec<Diagnostic>)> {
    // slug → (name, pages in reading order)
    let mut tags: BTreeMap<String, (&str, Vec<PageId>)> = BTreeMap::new();
    for &id in &content.tree.order {
        for tag in &content.pages[id].front.tags {
            if let Some(slug) = slug(tag) {
                let entry = tags.entry(slug).or_insert((tag.as_str(), Vec::new()));
                if !entry.1.contains(&id) {
                    entry.1.push(id);
                }
            }
        }
    }
    if tags.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let taken: HashSet<&str> = content.pages.iter().map(|p| p.url.as_str()).collect();
    let listed = |id: PageId| {
        let page = &content.pages[id];
        Listed { title: &page.title, url: config.page_path(&page.url), description: page.front.description.as_deref() }
    };
    let all: Vec<TagContext> = tags
        .iter()
        .map(|(slug, (name, ids))| TagContext {
            name,
            url: config.page_path(&format!("tags/{slug}/")),
            count: ids.len(),
            pages: ids.iter().map(|&id| listed(id)).collect(),
        })
        .collect();
    let mut context = tera::Context::new();
    context.insert("site", &SiteContext::new(config));
    context.insert("sidebar", sidebar);
    context.insert("tags", &all);
    let (mut out, mut warnings) = (Vec::new(), Vec::new());
    let mut emit = |url: String, context: &tera::Context| -> Result<()> {
        if taken.contains(url.as_str()) {
            let message = format!("a content page is published at /{url}, so the generated tag page is not written");
            warnings.push(Diagnostic::warning("tag-page-shadowed", "handbook.toml", message));
        } else {
            out.push((format!("{url}index.html"), theme.render("tags.html", context)?));
        }
        Ok(())
    };
    emit("tags/".to_string(), &context)?;
    for (slug, tag) in tags.keys().zip(&all) {
        context.insert("tag", tag);
        emit(format!("tags/{slug}/"), &context)?;
    }
    out.sort();
    Ok((out, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_segments_that_cannot_leave_tags() {
        assert_eq!(slug("Threat Modeling").as_deref(), Some("threat-modeling"));
        assert_eq!(slug("  C++ / Rust  ").as_deref(), Some("c-rust"));
        assert_eq!(slug("Säkerhet").as_deref(), Some("säkerhet"));
        for hostile in ["..", "../../etc", "/", "a/../../b", "%2e%2e", "..\\..", "a\u{0}b", "?#<>"] {
            let s = slug(hostile);
            assert!(
                s.as_deref().is_none_or(|s| !s.contains(['/', '\\', '.', '%', '\0']) && crate::safe_path::check_url_segment(s).is_ok()),
                "{hostile:?} → {s:?}"
            );
        }
        assert_eq!(slug("../../etc").as_deref(), Some("etc"));
        assert_eq!(slug("!!"), None);
        assert_eq!(slug(""), None);
    }
}
