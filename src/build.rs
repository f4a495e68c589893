//! The pipeline: load → index → render (parallel) → check links → write, each stage a function
//! over the plain data the previous one produced.

use crate::config::Config;
use crate::content::{Asset, Content, LoadOptions};
use crate::data::SiteData;
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::links::{check_anchors, SiteIndex, Target};
use crate::markdown::{Highlighter, StyledClasses};
use crate::output::{DiskSink, HashingSink, Sink, Staging};
use crate::render::{render_batches, AssetSource, LinkRecord, RenderContext, RenderedPage, SearchEntry, Sidebars, Theme};
use crate::runbooks::RunbookIndex;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

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

/// What a render produced besides files.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    /// Internal links and refs resolved.
    pub links: usize,
    /// Links into the parent handbook left unchecked (no `known_urls`).
    pub unchecked_parent_links: usize,
    /// `http(s)` links, with where they are written (for `check --external`).
    pub external: Vec<(String, PathBuf, crate::diagnostics::Span)>,
    pub elapsed: Duration,
    pub digest: Option<String>,
    /// Groups without an AppSec counterpart, when counterparts are configured.
    pub counterpart_gaps: Option<usize>,
    /// `--verify`: (HTML files parsed, internal URLs checked).
    pub verified: Option<(usize, usize)>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Pages rendered per batch: enough to keep both cores busy and to highlight long runs of code
/// in one language, few enough to bound memory.
pub(crate) const BATCH: usize = 1024;
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

/// Renders the whole site into `sink` and checks every link.
pub fn render_site(loaded: &Loaded, options: &BuildOptions, sink: &dyn Sink) -> Result<Report> {
    let start = Instant::now();
    let Loaded { config, content, data, theme, assets, styled, diagnostics: load_diagnostics } = loaded;
    // Independent of each other: the index and runbooks on one core, sidebars and git on the other.
    let ((index, (runbooks, mut diagnostics)), (sidebars, last_updated)) = rayon::join(
        || (SiteIndex::new(config, content, assets.keys().cloned()), RunbookIndex::build(config, content, options.today())),
        || (Sidebars::render(config, content, theme), crate::dates::git_last_updated(&options.root)),
    );
    let sidebars = sidebars?;
    diagnostics.extend(load_diagnostics.iter().cloned());
    let highlighter = Highlighter::new(styled.clone());
    let ctx = RenderContext {
        config,
        content,
        index: &index,
        theme,
        highlighter: &highlighter,
        sidebars: &sidebars,
        data,
        runbooks: &runbooks,
        last_updated: &last_updated,
        source_date_epoch: options.source_date_epoch,
    };
    // Batches are rendered in parallel and handed to one writer thread, which writes them in
    // page order and keeps what the check stage needs while the next batch renders: output order
    // is deterministic, and I/O overlaps rendering.
    let (to_writer, rendered) = std::sync::mpsc::sync_channel::<Vec<RenderedPage>>(1);
    let collected = std::thread::scope(|scope| -> Result<Collected> {
        let writer = scope.spawn(move || -> Result<Collected> {
            let mut collected = Collected::new(content.pages.len());
            for batch in rendered {
                for page in batch {
                    sink.write(&format!("{}index.html", content.pages[page.id].url), page.html.as_bytes())?;
                    collected.add(page);
                }
            }
            Ok(collected)
        });
        let ids: Vec<usize> = (0..content.pages.len()).collect();
        // `send` fails only when the writer stopped on an error, which `join` returns.
        render_batches(&ctx, batches(ids.len()).into_iter().map(|range| &ids[range]), |pages| to_writer.send(pages).is_ok())?;
        drop(to_writer);
        writer.join().expect("writer thread does not panic")
    })?;
    let Collected { anchors, links, diagnostics: page_diagnostics, search } = collected;
    diagnostics.extend(page_diagnostics);
    let (broken_anchors, site_files) = rayon::join(
        || check_anchors(content, &links, &anchors, config.broken_link_severity),
        || write_site_files(&ctx, sink, &search).and_then(|d| write_assets(assets, sink).map(|()| d)),
    );
    diagnostics.extend(broken_anchors);
    diagnostics.extend(site_files?);
    diagnostics::sort_and_dedup(&mut diagnostics);
    let mut report = summarize(content, &links, diagnostics, start.elapsed());
    report.counterpart_gaps = data.gaps();
    Ok(report)
}

/// What the writer thread keeps of each rendered page for the check and write stages.
struct Collected {
    anchors: Vec<HashSet<String>>,
    links: Vec<LinkRecord>,
    diagnostics: Vec<Diagnostic>,
    search: Vec<SearchEntry>,
}

impl Collected {
    fn new(pages: usize) -> Self {
        Collected { anchors: vec![HashSet::new(); pages], links: Vec::new(), diagnostics: Vec::new(), search: Vec::with_capacity(pages) }
    }

    fn add(&mut self, page: RenderedPage) {
        self.anchors[page.id] = page.anchors;
        self.links.extend(page.links);
        self.diagnostics.extend(page.diagnostics);
        self.search.push(page.search);
    }
}

/// Counts the links by kind. Takes them by reference: freeing 100,000 records here, with nothing
/// left to run beside it, was 5–6 ms at the end of a 10,000-page build (the caller frees them
/// on another thread).
fn summarize(content: &Content, links: &[LinkRecord], diagnostics: Vec<Diagnostic>, elapsed: Duration) -> Report {
    let mut report = Report { diagnostics, pages: content.pages.len(), elapsed, ..Default::default() };
    for link in links {
        match link.target {
            Some(Target::External) if link.dest.starts_with("http://") || link.dest.starts_with("https://") => {
                report.external.push((link.dest.clone(), content.pages[link.from].file.clone(), link.span));
            }
            Some(Target::Parent { checked: false, .. }) => report.unchecked_parent_links += 1,
            Some(Target::External) => {}
            _ => report.links += 1,
        }
    }
    report
}

/// Aliases, `_redirects`, sitemap, 404, search index and data files.
pub(crate) fn write_site_files(ctx: &RenderContext, sink: &dyn Sink, search: &[SearchEntry]) -> Result<Vec<Diagnostic>> {
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
    let mut context = tera::Context::new();
    context.insert("site", &crate::render::SiteContext::new(config));
    context.insert("sidebar", ctx.sidebars.root(content));
    sink.write("404.html", ctx.theme.render("404.html", &context)?.as_bytes())?;
    sink.write("search-index.json", crate::output::search_index(search).as_bytes())?;
    for (path, bytes) in ctx.data.output_files() {
        sink.write(&path, &bytes)?;
    }
    Ok(diagnostics)
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

pub(crate) fn write_assets(assets: &BTreeMap<String, AssetSource>, sink: &dyn Sink) -> Result<()> {
    assets.par_iter().try_for_each(|(path, source)| match source {
        AssetSource::Embedded(text) => sink.write(path, text.as_bytes()),
        AssetSource::File(file) => sink.copy(path, file),
    })
}

/// `handbook build`: render into a staging folder beside the output and swap it in, unless the
/// site has errors (then the previous output stays as it was).
pub fn build(options: &BuildOptions) -> Result<Report> {
    let output = options.output_dir();
    crate::output::check_output_location(&options.root, &output)?;
    crate::output::check_replaceable(&crate::io::absolute(&output), options.force)?;
    let loaded = load(options)?;
    let staging = Staging::new(&options.root, &output, options.force)?;
    let sink = HashingSink::new(DiskSink { dir: staging.dir.clone() });
    let mut report = render_site(&loaded, options, &sink)?;
    if report.has_errors() {
        return Err(Error::Site(report.diagnostics));
    }
    if let Some(path) = sink.clash() {
        return Err(Error::OutputClash(path));
    }
    if options.verify {
        // Before the swap: a failed verify leaves the previous output in place.
        let verified = crate::output::verify::verify(&staging.dir, &output, &loaded.config, &loaded.content)?;
        report.verified = Some((verified.html_files, verified.urls));
        report.diagnostics.extend(verified.diagnostics);
        diagnostics::sort_and_dedup(&mut report.diagnostics);
        if report.has_errors() {
            return Err(Error::Site(report.diagnostics));
        }
    }
    report.digest = Some(sink.digest());
    staging.commit()?;
    Ok(report)
}

/// `handbook check`: every check, nothing written.
pub fn check(options: &BuildOptions) -> Result<Report> {
    let loaded = load(options)?;
    render_site(&loaded, options, &crate::output::NullSink)
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
        assert_eq!(sizes, [1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1014, 507, 254, 128, 126]);
    }
}
