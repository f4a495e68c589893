//! Render stage: the sidebar, rendered once per section (not once per page) from the section
//! tree; each page then only marks its own link as current.

use super::theme::Theme;
use crate::config::Config;
use crate::content::{Content, PageId};
use crate::error::Result;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct Node<'a> {
    title: &'a str,
    url: String,
    is_section: bool,
    expanded: bool,
    children: Vec<Node<'a>>,
}

/// Sidebar HTML per section.
pub struct Sidebars {
    by_section: HashMap<PageId, String>,
}

impl Sidebars {
    pub fn render(config: &Config, content: &Content, theme: &Theme) -> Result<Sidebars> {
        use rayon::prelude::*;
        let sections: Vec<PageId> = (0..content.pages.len()).filter(|&id| content.pages[id].is_section()).collect();
        let by_section = sections
            .par_iter()
            .map(|&section| {
                let mut open = content.tree.ancestors(&content.pages, section);
                open.push(section);
                let tree = nodes(config, content, content.root(), &open);
                let mut context = tera::Context::new();
                context.insert("tree", &tree);
                context.insert("site", &super::SiteContext::new(config));
                Ok((section, theme.render("sidebar.html", &context)?))
            })
            .collect::<Result<_>>()?;
        Ok(Sidebars { by_section })
    }

    /// The sidebar for page `id`, with its own link marked current.
    pub fn for_page(&self, config: &Config, content: &Content, id: PageId) -> String {
        let page = &content.pages[id];
        let section = if page.is_section() { id } else { page.parent.unwrap_or(content.root()) };
        let html = self.by_section.get(&section).map_or("", String::as_str);
        let href = crate::html::escape(&config.page_path(&page.url));
        let link = format!("<a href=\"{href}\">");
        // memchr's SIMD search: `replacen` built a two-way searcher for every page's sidebar.
        let Some(at) = memchr::memmem::find(html.as_bytes(), link.as_bytes()) else { return html.to_string() };
        let mut marked = String::with_capacity(html.len() + 24);
        marked.push_str(&html[..at]);
        marked.push_str(&format!("<a href=\"{href}\" aria-current=\"page\">"));
        marked.push_str(&html[at + link.len()..]);
        marked
    }

    pub fn root(&self, content: &Content) -> &str {
        self.by_section.get(&content.root()).map_or("", String::as_str)
    }
}

/// The children of `parent`; sections on the open path are expanded.
fn nodes<'a>(config: &Config, content: &'a Content, parent: PageId, open: &[PageId]) -> Vec<Node<'a>> {
    content.tree.children[parent]
        .iter()
        .map(|&id| {
            let page = &content.pages[id];
            let expanded = page.is_section() && open.contains(&id);
            Node {
                title: &page.title,
                url: config.page_path(&page.url),
                is_section: page.is_section(),
                expanded,
                children: if expanded { nodes(config, content, id, open) } else { Vec::new() },
            }
        })
        .collect()
}
