//! Serve stage: the site kept in memory between rebuilds. A full rebuild runs the same stages as
//! `handbook build` into memory; a change to a page's body re-renders only that page and the pages
//! whose output can depend on it, then reruns the cheap whole-site passes (anchor check, sitemap,
//! search index, redirects). Both give exactly what a fresh build gives (see tests/testsuite/serve_incremental.rs).

use crate::content::{Page, PageId, PageKind};
use crate::diagnostics::{self, Diagnostic};
use crate::error::Result;
use crate::links::{SiteIndex, Target};
use crate::markdown::Highlighter;
use crate::output::search_index::{SearchFiles, META_PATH};
pub use crate::output::Files;
use crate::output::{MemorySink, Sink};
use crate::pipeline::{
    check_page_anchors, load, render_into, sitemap_xml, write_assets, write_search_index, write_site_files, BuildOptions, Loaded,
    PageResults,
};
use crate::render::{RenderContext, Sidebars};
use crate::runbooks::RunbookIndex;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// Every page was rendered again (and why), rather than only the changed ones.
    pub full: Option<String>,
    pub pages_rendered: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
}

impl Rebuilt {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The in-memory site: owned by the rebuild thread, never shared.
pub struct LiveSite {
    options: BuildOptions,
    /// Loaded once: the syntax set takes a while to build.
    highlighter: Highlighter,
    /// `None` until a full rebuild succeeds, and after one fails: the next change rebuilds fully.
    state: Option<State>,
}

/// Everything a later incremental rebuild reuses.
struct State {
    loaded: Loaded,
    sidebars: Sidebars,
    last_updated: HashMap<String, i64>,
    /// The day the runbook review check used; a new day means a full rebuild.
    today: i64,
    /// By page id, from the last render of each page.
    results: PageResults,
    /// Broken-anchor diagnostics of each page's links.
    anchor_diagnostics: Vec<Vec<Diagnostic>>,
    /// The search index's files, so that a page edit rewrites its chunk and the term files of
    /// its words, not the whole index.
    search: SearchFiles,
    /// Diagnostics of the site-level files (redirect limits), from the last full rebuild.
    site_diagnostics: Vec<Diagnostic>,
    /// Which page sources mention `include` / `runbooks` (candidates for dependents).
    mentions: Vec<Mentions>,
    files: Files,
}

#[derive(Debug, Clone, Copy, Default)]
struct Mentions {
    include: bool,
    runbooks: bool,
}

impl Mentions {
    fn of(page: &Page) -> Mentions {
        Mentions { include: page.text.contains("include"), runbooks: page.text.contains("runbooks") }
    }
}

/// How to bring the site up to date with a set of changed files.
enum Plan {
    Full(String),
    /// Pages whose source changed only in ways that keep the site's structure (URLs, titles,
    /// order, aliases), with their new content and load warnings; plus every page to render.
    Pages {
        changed: Vec<(PageId, Page, Vec<Diagnostic>)>,
        render: Vec<PageId>,
    },
}

impl LiveSite {
    pub fn new(options: BuildOptions) -> LiveSite {
        LiveSite { options, highlighter: Highlighter::new(crate::render::Theme::embedded_styled_classes()), state: None }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The files of the last rebuild (empty before the first successful one).
    pub fn files(&self) -> Option<&Files> {
        self.state.as_ref().map(|s| &s.files)
    }

    /// Renders everything again.
    pub fn rebuild_all(&mut self, why: &str) -> Result<Rebuilt> {
        let start = Instant::now();
        self.state = None;
        let loaded = load(&self.options)?;
        // A stylesheet or template may have changed which classes highlighted code keeps.
        self.highlighter.restyle(&loaded.styled);
        let sidebars = Sidebars::render(&loaded.config, &loaded.content, &loaded.theme)?;
        let pages = loaded.content.pages.len();
        let mut state = State {
            last_updated: crate::dates::git_last_updated(&self.options.root),
            today: self.options.today(),
            results: PageResults::new(pages),
            anchor_diagnostics: vec![Vec::new(); pages],
            search: SearchFiles::default(),
            site_diagnostics: Vec::new(),
            mentions: loaded.content.pages.iter().map(Mentions::of).collect(),
            files: Files::new(),
            loaded,
            sidebars,
        };
        let ids: Vec<PageId> = (0..pages).collect();
        let diagnostics = state.render(&self.highlighter, self.options.source_date_epoch, &ids, true)?;
        self.state = Some(state);
        Ok(Rebuilt { full: Some(why.to_string()), pages_rendered: pages, diagnostics, elapsed: start.elapsed() })
    }

    /// Brings the site up to date after `changed` (paths relative to the site root) changed on
    /// disk: only the affected pages when that is enough, everything otherwise.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>) -> Result<Rebuilt> {
        let start = Instant::now();
        let plan = match &self.state {
            None => Plan::Full("the last build failed".into()),
            Some(state) if state.today != self.options.today() => Plan::Full("a new day began (runbook review dates)".into()),
            Some(state) => state.plan(&self.options, changed)?,
        };
        let (changed_pages, render) = match plan {
            Plan::Full(why) => return self.rebuild_all(&why),
            Plan::Pages { changed, render } => (changed, render),
        };
        let state = self.state.as_mut().expect("planned from a state");
        state.replace_pages(changed_pages);
        match state.render(&self.highlighter, self.options.source_date_epoch, &render, false) {
            Ok(diagnostics) => Ok(Rebuilt { full: None, pages_rendered: render.len(), diagnostics, elapsed: start.elapsed() }),
            Err(e) => {
                // Half-updated caches are worse than none.
                self.state = None;
                Err(e)
            }
        }
    }
}

impl State {
    /// Decides between re-rendering some pages and a full rebuild.
    fn plan(&self, options: &BuildOptions, changed: &BTreeSet<PathBuf>) -> Result<Plan> {
        let content = &self.loaded.content;
        let mut changed_pages = Vec::new();
        for path in changed {
            let Some(rel) = page_rel(path) else {
                return Ok(Plan::Full(format!("{} changed", display(path))));
            };
            let Some(id) = content.pages.iter().position(|p| p.rel == rel && !p.generated) else {
                return Ok(Plan::Full(format!("{} was added", display(path))));
            };
            let full_path = options.root.join(path);
            if !full_path.exists() {
                return Ok(Plan::Full(format!("{} was removed", display(path))));
            }
            let Ok(text) = crate::io::read_text(&full_path, crate::io::MAX_TEXT_BYTES)? else {
                return Ok(Plan::Full(format!("{} is not a readable text file", display(path))));
            };
            let (page, warnings) = crate::content::load_page(&rel, text);
            let old = &content.pages[id];
            let Some(mut page) = page.filter(|p| options.drafts || !p.front.draft) else {
                return Ok(Plan::Full(format!("{} left the site (draft or unreadable front matter)", display(path))));
            };
            if !same_structure(old, &page) {
                return Ok(Plan::Full(format!("{} changed its title, URL, weight or aliases", display(path))));
            }
            if self.loaded.diagnostics.iter().any(|d| d.file == old.file && d.code == "duplicate-url") {
                return Ok(Plan::Full(format!("{} shares its URL with another page", display(path))));
            }
            page.parent = old.parent;
            changed_pages.push((id, page, warnings));
        }
        let render = self.dependents(&changed_pages);
        Ok(Plan::Pages { changed: changed_pages, render })
    }

    /// The changed pages and the pages whose output can depend on them: their sections, pages
    /// linking to them, pages that `include` them, and the runbook index when a runbook changed.
    fn dependents(&self, changed: &[(PageId, Page, Vec<Diagnostic>)]) -> Vec<PageId> {
        let content = &self.loaded.content;
        let runbooks = format!("{}/", self.loaded.config.runbooks.section);
        let mut out = BTreeSet::new();
        for (id, page, _) in changed {
            out.insert(*id);
            out.extend(page.parent);
            for (from, links) in self.results.links.iter().enumerate() {
                if links.iter().any(|l| matches!(l.target, Some(Target::Page { id: to, .. }) if to == *id)) {
                    out.insert(from);
                }
            }
            let name = page.rel.rsplit('/').next().unwrap_or(&page.rel);
            let is_runbook = page.rel.starts_with(&runbooks) && page.kind != PageKind::Section;
            for (other, mentions) in self.mentions.iter().enumerate() {
                let p = &content.pages[other];
                let includes = mentions.include && p.text.contains(name);
                let shows_runbooks = is_runbook && (mentions.runbooks || p.rel == format!("{runbooks}_index.md"));
                if includes || shows_runbooks {
                    out.insert(other);
                }
            }
        }
        out.into_iter().collect()
    }

    /// Swaps in new page sources and their load warnings.
    fn replace_pages(&mut self, changed: Vec<(PageId, Page, Vec<Diagnostic>)>) {
        let loaded = &mut self.loaded;
        for (id, page, warnings) in changed {
            let file = page.file.clone();
            loaded.diagnostics.retain(|d| d.file != file);
            loaded.content.diagnostics.retain(|d| d.file != file);
            loaded.diagnostics.extend(warnings.iter().cloned());
            loaded.content.diagnostics.extend(warnings);
            self.mentions[id] = Mentions::of(&page);
            loaded.content.pages[id] = page;
        }
    }

    /// Renders `ids` (all pages, or the affected ones) into `files` with the build's pipeline,
    /// then the whole-site passes; returns every diagnostic of the site, in print order.
    fn render(&mut self, highlighter: &Highlighter, source_date_epoch: Option<i64>, ids: &[PageId], full: bool) -> Result<Vec<Diagnostic>> {
        let State { loaded, sidebars, last_updated, results, anchor_diagnostics, search, site_diagnostics, files, today, .. } = self;
        let Loaded { config, content, data, theme, assets, styled: _, diagnostics: load_diagnostics } = &*loaded;
        let index = SiteIndex::new(config, content, assets.keys().cloned());
        let (runbooks, mut diagnostics) = RunbookIndex::build(config, content, *today);
        diagnostics.extend(load_diagnostics.iter().cloned());
        let ctx = RenderContext {
            config,
            content,
            index: &index,
            theme,
            highlighter,
            sidebars,
            data,
            runbooks: &runbooks,
            last_updated,
            source_date_epoch,
        };
        let sink = MemorySink::over(std::mem::take(files));
        let old_terms: Vec<crate::render::search::Terms> =
            if full { Vec::new() } else { ids.iter().map(|&id| std::mem::take(&mut results.search[id].terms)).collect() };
        render_into(&ctx, ids, &sink, results)?;
        diagnostics.extend(results.diagnostics.iter().flatten().cloned());
        // Anchor checks of the rendered pages, and of every page linking to one of them (whose
        // ids may have changed); the others' results still hold.
        let mut rendered = vec![false; content.pages.len()];
        for &id in ids {
            rendered[id] = true;
        }
        let affected: Vec<PageId> = (0..content.pages.len())
            .filter(|&from| {
                rendered[from] || results.links[from].iter().any(|l| matches!(l.target, Some(Target::Page { id, .. }) if rendered[id]))
            })
            .collect();
        for (id, found) in check_page_anchors(content, results, &affected, config.broken_link_severity) {
            anchor_diagnostics[id] = found;
        }
        diagnostics.extend(anchor_diagnostics.iter().flatten().cloned());
        let mut gone = Vec::new();
        if full {
            *search = SearchFiles::new(&results.search);
            write_search_index(search, &sink)?;
            *site_diagnostics = write_site_files(&ctx, &sink)?;
            write_assets(assets, &sink)?;
        } else {
            // Aliases, redirects, the 404 page and data files depend only on what a page edit
            // cannot change here (URLs, titles, theme, data); the search index and the sitemap
            // (`lastmod`) can change.
            let mut changed = BTreeSet::new();
            for (&id, old) in ids.iter().zip(&old_terms) {
                changed.extend(search.update(id, &results.search, old));
            }
            for path in &changed {
                if let Some(text) = search.file(path) {
                    sink.write(path, text.as_bytes())?;
                }
            }
            sink.write(META_PATH, search.meta_json().as_bytes())?;
            sink.write("sitemap.xml", sitemap_xml(&ctx).as_bytes())?;
            gone = changed.into_iter().filter(|path| search.file(path).is_none()).collect();
        }
        diagnostics.extend(site_diagnostics.iter().cloned());
        *files = sink.into_files();
        // A term file whose last word the edit removed: a fresh build would not have it.
        for path in gone {
            files.remove(&path);
        }
        diagnostics::sort_and_dedup(&mut diagnostics);
        Ok(diagnostics)
    }
}

/// Whether a page edit keeps everything other pages show of it: the site tree, the sidebar,
/// every URL and alias.
fn same_structure(old: &Page, new: &Page) -> bool {
    old.title == new.title
        && old.url == new.url
        && old.kind == new.kind
        && old.front.weight == new.front.weight
        && old.front.aliases == new.front.aliases
        && old.front.slug == new.front.slug
        && old.front.url == new.front.url
}

/// `content/x/y.md` → `x/y.md`; `None` for anything that is not a page source.
fn page_rel(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("content").ok()?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    rel.ends_with(".md").then_some(rel)
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sources_are_markdown_under_content() {
        assert_eq!(page_rel(Path::new("content/a/b.md")).as_deref(), Some("a/b.md"));
        assert_eq!(page_rel(Path::new("content/a/b.png")), None);
        assert_eq!(page_rel(Path::new("data/x.md")), None);
    }

    #[test]
    fn structure_ignores_the_body_but_not_the_title() {
        let (a, _) = crate::content::load_page("x.md", "---\ntitle: A\n---\nbody one\n".into());
        let (b, _) = crate::content::load_page("x.md", "---\ntitle: A\n---\nbody two\n".into());
        let (c, _) = crate::content::load_page("x.md", "---\ntitle: C\n---\nbody one\n".into());
        let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
        assert!(same_structure(&a, &b));
        assert!(!same_structure(&a, &c));
    }
}
