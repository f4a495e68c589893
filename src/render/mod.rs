//! Render stage: every page through shortcodes, Markdown and the Tera theme, in parallel over
//! shared `&` references to the loaded content, the index and the theme.

mod contrast;
mod host;
mod page;
pub mod search;
pub mod sidebar;
mod template_check;
pub mod theme;

pub use page::{render_batches, render_pages, RenderedPage};
pub use search::SearchEntry;
pub use sidebar::Sidebars;
pub use theme::{syntax_stylesheet, AssetSource, Theme, SYNTAX_STYLESHEETS};

use crate::config::Config;
use crate::content::Content;
use crate::data::SiteData;
use crate::links::SiteIndex;
use crate::markdown::Highlighter;
use crate::runbooks::RunbookIndex;
use serde::Serialize;
use std::collections::HashMap;

/// `site` in every template.
#[derive(Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
}

impl<'a> SiteContext<'a> {
    pub fn new(config: &'a Config) -> Self {
        SiteContext { title: &config.title, base_url: &config.base_url, base_path: &config.base_path }
    }
}

/// Everything a page render reads, all shared.
pub struct RenderContext<'a> {
    pub config: &'a Config,
    pub content: &'a Content,
    pub index: &'a SiteIndex<'a>,
    pub theme: &'a Theme,
    pub highlighter: &'a Highlighter,
    pub sidebars: &'a Sidebars,
    pub data: &'a SiteData,
    pub runbooks: &'a RunbookIndex,
    /// Unix seconds of the last change, by path from the site root.
    pub last_updated: &'a HashMap<String, i64>,
    /// Used for pages without a git date, when set (`SOURCE_DATE_EPOCH`).
    pub source_date_epoch: Option<i64>,
}
