//! Index stage: every way a link can name a page or file (content path, URL, alias, file name),
//! built once per build and shared by reference while pages render.

use super::paths::key;
use crate::config::Config;
use crate::content::{Content, PageId, PageKind};
use std::collections::{HashMap, HashSet};

pub struct SiteIndex<'a> {
    pub config: &'a Config,
    pub content: &'a Content,
    /// `key(rel)` → page; `_index.md`/`index.md` pages also under their folder's key.
    by_content_path: HashMap<String, PageId>,
    /// `key(url)` → page.
    by_url: HashMap<String, PageId>,
    /// `key(alias path)` → page.
    by_alias: HashMap<String, PageId>,
    /// Aliases of sections, as key prefixes: old locations of a whole subtree.
    section_aliases: Vec<(String, PageId)>,
    /// Lowercase logical file name (`inventory.md`; `x.md` for `x/_index.md`) → pages.
    by_file_name: HashMap<String, Vec<PageId>>,
    /// `key(output path)` → output path of every file the site publishes besides pages.
    files: HashMap<String, String>,
}

impl<'a> SiteIndex<'a> {
    /// `files` are the output paths of static files and content assets.
    pub fn new(config: &'a Config, content: &'a Content, files: impl IntoIterator<Item = String>) -> Self {
        let mut index = SiteIndex {
            config,
            content,
            by_content_path: HashMap::new(),
            by_url: HashMap::new(),
            by_alias: HashMap::new(),
            section_aliases: Vec::new(),
            by_file_name: HashMap::new(),
            files: files.into_iter().map(|f| (key(&f), f)).collect(),
        };
        for (id, page) in content.pages.iter().enumerate() {
            index.add_page(id);
            if page.generated {
                continue;
            }
            for alias in &page.front.aliases {
                let alias_key = key(alias.split(['#', '?']).next().unwrap_or(alias));
                index.by_alias.insert(alias_key.clone(), id);
                if page.kind != PageKind::Page {
                    index.section_aliases.push((alias_key, id));
                }
            }
        }
        index.section_aliases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        index
    }

    fn add_page(&mut self, id: PageId) {
        let page = &self.content.pages[id];
        self.by_content_path.insert(key(&page.rel), id);
        self.by_url.insert(key(&page.url), id);
        let logical = match page.kind {
            // `x.html.md` is found by refs as `x` (`x.md`), like its Hugo twin.
            PageKind::Page => page.rel.rsplit('/').next().unwrap_or(&page.rel).replace(".html.md", ".md"),
            _ => format!("{}.md", page.dir().trim_end_matches('/').rsplit('/').next().unwrap_or("")),
        };
        if logical != ".md" {
            self.by_file_name.entry(logical.to_lowercase()).or_default().push(id);
        }
    }

    pub fn page_by_content_path(&self, rel: &str) -> Option<PageId> {
        self.by_content_path.get(&key(rel)).copied()
    }

    /// A content path written without `.md`: `x` → `x.md`, `x/_index.md`, `x/index.md`, and the
    /// Middleman forms `x.html.md`, `x/index.html.md`.
    pub fn page_by_content_stem(&self, stem: &str) -> Option<PageId> {
        let stem = stem.trim_end_matches('/');
        [
            format!("{stem}.md"),
            format!("{stem}/_index.md"),
            format!("{stem}/index.md"),
            format!("{stem}.html.md"),
            format!("{stem}/index.html.md"),
        ]
        .iter()
        .find_map(|p| self.page_by_content_path(p))
    }

    pub fn page_by_url(&self, url: &str) -> Option<PageId> {
        self.by_url.get(&key(url)).copied()
    }

    pub fn page_by_alias(&self, path: &str) -> Option<PageId> {
        self.by_alias.get(&key(path)).copied()
    }

    /// A path under a section's alias: the section and the rest of the path.
    pub fn under_section_alias(&self, path: &str) -> Option<(PageId, String)> {
        let path_key = key(path);
        self.section_aliases.iter().find_map(|(prefix, id)| {
            let rest = path_key.strip_prefix(prefix.as_str())?.strip_prefix('/')?;
            Some((*id, rest.to_string()))
        })
    }

    pub fn pages_by_file_name(&self, name: &str) -> &[PageId] {
        self.by_file_name.get(&name.to_lowercase()).map_or(&[], Vec::as_slice)
    }

    /// The output path of a published file, matched ignoring case and repeated slashes.
    pub fn file(&self, output_path: &str) -> Option<&str> {
        self.files.get(&key(output_path)).map(String::as_str)
    }

    /// Every page URL (for suggestions).
    pub fn urls(&self) -> impl Iterator<Item = (&str, PageId)> {
        self.content.pages.iter().enumerate().map(|(id, p)| (p.url.as_str(), id))
    }

    pub fn file_paths(&self) -> impl Iterator<Item = &str> {
        self.files.values().map(String::as_str)
    }

    /// The link under the deploy prefix for a page (and optional anchor).
    pub fn href(&self, id: PageId, anchor: Option<&str>) -> String {
        let mut href = self.config.page_path(&self.content.pages[id].url);
        if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
            href.push('#');
            href.push_str(anchor);
        }
        href
    }

    /// How a page is linked in fixes and messages: under `section_path` when there is one.
    pub fn canonical_link(&self, id: PageId, anchor: Option<&str>) -> String {
        let base = self.config.section_path.as_deref().unwrap_or(&self.config.base_path);
        let mut link = format!("{base}{}", self.content.pages[id].url);
        if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
            link.push('#');
            link.push_str(anchor);
        }
        link
    }

    pub fn known_parent_url(&self, path: &str) -> Option<bool> {
        self.config.known_urls.as_ref().map(|set: &HashSet<String>| set.contains(&crate::config::normalize_known_url(path)))
    }
}
