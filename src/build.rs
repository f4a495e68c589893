//! `handbook build` and `handbook check`: the [`crate::pipeline`] over the whole site, into a
//! staging folder that replaces the output only when the site has no errors.

use crate::content::{Content, PageId};
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::links::{LinkRecord, SiteIndex, Target};
use crate::markdown::Highlighter;
use crate::output::{DiskSink, HashingSink, Sink, Staging};
pub use crate::pipeline::BuildOptions;
use crate::pipeline::{check_page_anchors, load, render_into, write_assets, write_site_files, Loaded, PageResults};
use crate::render::{RenderContext, Sidebars};
use crate::runbooks::RunbookIndex;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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

/// Renders the whole site into `sink` and checks every link: the pipeline's render, check and
/// write stages for `build` (a staging folder) and `check` (no sink).
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
    let mut results = PageResults::indexing(content.pages.len());
    let all: Vec<PageId> = (0..content.pages.len()).collect();
    render_into(&ctx, &all, sink, &mut results)?;
    diagnostics.extend(results.diagnostics.iter().flatten().cloned());
    let index = results.index.take().ok_or_else(|| Error::Internal("the build's results lost their search index".into()))?;
    let (broken_anchors, (index_written, site_files)) = rayon::join(
        || check_page_anchors(content, &results, &all, config.broken_link_severity),
        || rayon::join(|| index.finish(sink), || write_site_files(&ctx, sink).and_then(|d| write_assets(assets, sink).map(|()| d))),
    );
    diagnostics.extend(broken_anchors.into_iter().flat_map(|(_, found)| found));
    index_written?;
    diagnostics.extend(site_files?);
    diagnostics::sort_and_dedup(&mut diagnostics);
    let mut report = summarize(content, results.links.iter().flatten(), diagnostics, start.elapsed());
    report.counterpart_gaps = data.gaps();
    Ok(report)
}

/// Counts the links by kind.
fn summarize<'l>(
    content: &Content,
    links: impl Iterator<Item = &'l LinkRecord>,
    diagnostics: Vec<Diagnostic>,
    elapsed: Duration,
) -> Report {
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
