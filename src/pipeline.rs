//! The pipeline's stages, shared by `build`, `check` and `serve`: load → index → render
//! (parallel) → check → write, each a function over the plain data the previous one produced.
//! [`render_into`] renders any set of pages (all of them for `build`, the changed ones and their
//! dependents for `serve`) into a [`Sink`]: a staging folder, memory, or nothing.

use crate::config::Config;
use crate::content::{Asset, Content, LoadOptions, PageId};
use crate::data::SiteData;
use crate::diagnostics::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::links::{check_anchors, LinkRecord};
use crate::markdown::StyledClasses;
use crate::output::search_index::{IndexWriter, SearchFiles, META_PATH};
use crate::output::Sink;
use crate::render::{render_batches, AssetSource, RenderContext, RenderedPage, SearchEntry, Theme};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Inputs of a build, already checked by the CLI layer.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `SOURCE_DATE_EPOCH`: the date of pages without a git history, and "today" for the
    /// runbook review check.
    pub source_date_epoch: Option<i64>,
    /// `build --verify`: parse the written HTML back and check every internal URL before the
    /// output is swapped in.
    pub verify: bool,
    /// `build --force`: replace an output folder even when it is not marked as an earlier
    /// build's (see [`crate::output::staging`]).
    pub force: bool,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }

    /// Day number used as today: `SOURCE_DATE_EPOCH` when set, else the clock.
    pub fn today(&self) -> i64 {
        crate::dates::today(self.source_date_epoch)
    }
}

/// The load stage's result: everything read from disk.
pub struct Loaded {
    pub config: Config,
    pub content: Content,
    pub data: SiteData,
    pub theme: Theme,
    /// Output path → source, for theme assets, `static/` and content files (site wins).
    pub assets: BTreeMap<String, AssetSource>,
    /// The `hl-` classes the templates, stylesheets and scripts name (what code keeps).
    pub styled: StyledClasses,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn load(options: &BuildOptions) -> Result<Loaded> {
    let config = Config::load(&options.root, options.base_url.as_deref())?;
    // The theme and data files load on one core while the pages load on the other.
    let (content, data_and_theme) = rayon::join(
        || crate::content::load(&options.root, &config.title, &LoadOptions { drafts: options.drafts }),
        || {
            Ok::<_, Error>((
                SiteData::load(&config)?,
                Theme::load(&options.root, &config.theme, &config.env_allow, options.source_date_epoch)?,
            ))
        },
    );
    let content = content?;
    let ((data, mut diagnostics), theme) = data_and_theme?;
    let mut assets = theme.assets.clone();
    for rel in crate::content::SourceFiles::static_files(&options.root.join("static"))? {
        assets.insert(rel.clone(), AssetSource::File(options.root.join("static").join(&rel)));
    }
    for Asset { source, output } in &content.assets {
        assets.insert(output.clone(), AssetSource::File(source.clone()));
    }
    diagnostics.extend(content.diagnostics.iter().cloned());
    diagnostics.extend(crate::output::alias_conflicts(&config, &content));
    let styled = styled_classes(&theme, &assets)?;
    Ok(Loaded { config, content, data, theme, assets, styled, diagnostics })
}

/// The theme's `hl-` classes and those of every stylesheet and script the site publishes.
fn styled_classes(theme: &Theme, assets: &BTreeMap<String, AssetSource>) -> Result<StyledClasses> {
    let mut styled = theme.styled.clone();
    for (_, source) in assets.iter().filter(|(path, _)| path.ends_with(".css") || path.ends_with(".js")) {
        match source {
            AssetSource::Embedded(text) => styled.scan(text),
            AssetSource::File(file) => styled.scan(&String::from_utf8_lossy(&crate::io::read(file)?)),
        }
    }
    Ok(styled)
}

/// Pages rendered per batch: enough to keep both cores busy and to highlight runs of code in
/// one language, few enough to bound memory: about five batches are alive at once (drafted,
/// highlighted, finished, queued, being written). 256 rather than 1,024: 10,000 pages peaked at
/// 210 MB instead of 245 MB, with no loss in highlighting (128 measured the same as 256).
pub(crate) const BATCH: usize = 256;
/// The smallest batch: the writer writes the last batch alone, while the cores idle.
const LAST_BATCH: usize = 128;

/// Batches of `BATCH` pages, then halving towards `LAST_BATCH` at the end so that the writer
/// has little left to write once rendering is done.
pub(crate) fn batches(pages: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < pages {
        let rest = pages - start;
        let len = if rest > 2 * BATCH {
            BATCH
        } else if rest > LAST_BATCH {
            (rest / 2).max(LAST_BATCH)
        } else {
            rest
        };
        out.push(start..start + len);
        start += len;
    }
    out
}

/// What rendering found on each page, by page id: what the check and write stages read.
/// `build` fills it once; `serve` keeps it and re-renders some pages into it.
#[derive(Default)]
pub struct PageResults {
    pub anchors: Vec<HashSet<String>>,
    pub links: Vec<Vec<LinkRecord>>,
    pub diagnostics: Vec<Vec<Diagnostic>>,
    /// Each page's search entry (`serve`, which updates the index page by page), or nothing
    /// when `index` takes them as they are written (`build`).
    pub search: Vec<SearchEntry>,
    pub index: Option<IndexWriter>,
}

impl PageResults {
    /// Results that keep every page's search entry.
    pub fn new(pages: usize) -> Self {
        PageResults {
            anchors: vec![HashSet::new(); pages],
            links: vec![Vec::new(); pages],
            diagnostics: vec![Vec::new(); pages],
            search: vec![SearchEntry::default(); pages],
            index: None,
        }
    }

    /// Results whose search entries go into the index as the pages are written (all pages of
    /// the site, rendered once); `search` stays empty.
    pub fn indexing(pages: usize) -> Self {
        PageResults { search: Vec::new(), index: Some(IndexWriter::new(pages)), ..PageResults::new(pages) }
    }

    fn set(&mut self, page: RenderedPage, sink: &dyn Sink) -> Result<()> {
        self.anchors[page.id] = page.anchors;
        self.links[page.id] = page.links;
        self.diagnostics[page.id] = page.diagnostics;
        match &mut self.index {
            Some(index) => index.add(page.id, page.search, sink),
            None => {
                self.search[page.id] = page.search;
                Ok(())
            }
        }
    }
}

/// The render stage for `ids`: batches rendered in parallel and handed to one writer thread,
/// which writes each page to `sink` in the order of `ids` and records its results while the
/// next batch renders. Output order is deterministic, and I/O overlaps rendering.
pub fn render_into(ctx: &RenderContext, ids: &[PageId], sink: &dyn Sink, results: &mut PageResults) -> Result<()> {
    let content = ctx.content;
    let (to_writer, rendered) = std::sync::mpsc::sync_channel::<Vec<RenderedPage>>(1);
    std::thread::scope(|scope| -> Result<()> {
        let writer = scope.spawn(move || -> Result<()> {
            for batch in rendered {
                for page in batch {
                    sink.write(&format!("{}index.html", content.pages[page.id].url), page.html.as_bytes())?;
                    results.set(page, sink)?;
                }
            }
            Ok(())
        });
        // `send` fails only when the writer stopped on an error, which `join` returns.
        let sent = render_batches(ctx, batches(ids.len()).into_iter().map(|range| &ids[range]), |pages| to_writer.send(pages).is_ok());
        drop(to_writer);
        let written = writer.join().expect("writer thread does not panic");
        sent.and(written)
    })
}

/// The check stage for the links of `pages`: each one's broken anchors (other pages' ids are
/// known only once every page has rendered).
pub fn check_page_anchors(
    content: &Content,
    results: &PageResults,
    pages: &[PageId],
    severity: Severity,
) -> Vec<(PageId, Vec<Diagnostic>)> {
    pages.par_iter().map(|&id| (id, check_anchors(content, &results.links[id], &results.anchors, severity))).collect()
}

/// Aliases, `_redirects`, sitemap, Atom feed, 404, tag pages and data files (the search index
/// is written by whoever holds it: [`write_search_index`], or the build's `IndexWriter`).
pub(crate) fn write_site_files(ctx: &RenderContext, sink: &dyn Sink) -> Result<Vec<Diagnostic>> {
    let (config, content) = (ctx.config, ctx.content);
    let mut diagnostics = Vec::new();
    let aliases = crate::output::aliases(config, content);
    for (path, html) in crate::output::alias_pages(config, ctx.theme, &aliases)? {
        sink.write(&path, html.as_bytes())?;
    }
    let (redirects, too_big) = crate::output::redirects(&aliases);
    sink.write("_redirects", redirects.as_bytes())?;
    if let Some(message) = too_big {
        diagnostics.push(Diagnostic::warning("redirects-limit", "handbook.toml", message));
    }
    sink.write("sitemap.xml", sitemap_xml(ctx).as_bytes())?;
    sink.write("atom.xml", atom_xml(ctx).as_bytes())?;
    let mut context = tera::Context::new();
    context.insert("site", &crate::render::SiteContext::new(config));
    context.insert("sidebar", ctx.sidebars.root(content));
    sink.write("404.html", ctx.theme.render("404.html", &context)?.as_bytes())?;
    let (tag_pages, shadowed) = crate::output::tags::tag_pages(config, content, ctx.theme, ctx.sidebars.root(content))?;
    for (path, html) in tag_pages {
        sink.write(&path, html.as_bytes())?;
    }
    diagnostics.extend(shadowed);
    for (path, bytes) in ctx.data.output_files() {
        sink.write(&path, &bytes)?;
    }
    Ok(diagnostics)
}

/// The files of a search index kept in memory (`serve`): `pages.json`, term files and page
/// chunks on both cores, then `search/meta.json`.
pub(crate) fn write_search_index(index: &SearchFiles, sink: &dyn Sink) -> Result<()> {
    index.files().par_iter().try_for_each(|(path, text)| sink.write(path, text.as_bytes()))?;
    sink.write(META_PATH, index.meta_json().as_bytes())
}

/// `sitemap.xml`, with each page's `lastmod`, else its git date.
pub(crate) fn sitemap_xml(ctx: &RenderContext) -> String {
    let content = ctx.content;
    crate::output::sitemap(ctx.config, content, |id| {
        let page = &content.pages[id];
        let file = page.file.to_string_lossy().replace('\\', "/");
        page.front.lastmod.clone().or_else(|| ctx.last_updated.get(&file).map(|s| crate::dates::format_days(s.div_euclid(86_400))))
    })
}

/// `atom.xml`: the pages by the date they show as last updated (`lastmod`, else the git date,
/// else `SOURCE_DATE_EPOCH`).
pub(crate) fn atom_xml(ctx: &RenderContext) -> String {
    let content = ctx.content;
    crate::output::atom(ctx.config, content, |id| {
        let page = &content.pages[id];
        let file = page.file.to_string_lossy().replace('\\', "/");
        page.front.lastmod.clone().or_else(|| {
            let seconds = ctx.last_updated.get(&file).copied().or(ctx.source_date_epoch)?;
            Some(crate::dates::format_days(seconds.div_euclid(86_400)))
        })
    })
}

pub(crate) fn write_assets(assets: &BTreeMap<String, AssetSource>, sink: &dyn Sink) -> Result<()> {
    assets.par_iter().try_for_each(|(path, source)| match source {
        AssetSource::Embedded(text) => sink.write(path, text.as_bytes()),
        AssetSource::File(file) => sink.copy(path, file),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_every_page_once_and_shrink_towards_the_end() {
        for pages in [0, 1, LAST_BATCH, LAST_BATCH + 1, BATCH, 2 * BATCH + 1, 10_221] {
            let ranges = batches(pages);
            let covered: Vec<usize> = ranges.iter().flat_map(|r| r.clone()).collect();
            assert_eq!(covered, (0..pages).collect::<Vec<_>>(), "{pages} pages");
            assert!(ranges.iter().all(|r| !r.is_empty() && r.len() <= BATCH), "{pages}: {ranges:?}");
            if let Some(last) = ranges.last() {
                assert!(last.len() <= LAST_BATCH, "{pages}: the last batch is small: {ranges:?}");
            }
        }
        let sizes: Vec<usize> = batches(10_221).iter().map(|r| r.len()).collect();
        assert_eq!(sizes.len(), 41);
        assert!(sizes[..37].iter().all(|&n| n == BATCH));
        assert_eq!(sizes[37..], [256, 246, 128, 119]);
    }
}
