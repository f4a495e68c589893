//! `handbook`: a static site generator for the Application Security handbook section.
//!
//! The stages, each over plain data: [`config`] → [`content`] (load) → [`links::SiteIndex`]
//! (index) → [`render`] (parallel, over `&` references) → [`links`] (check) → [`output`] (write).

// A `Diagnostic` is the error value of the functions that report one, and returning it is
// already the slow path; boxing every one would only add noise at each call site.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod config;
pub mod content;
pub mod data;
pub mod dates;
pub mod diagnostics;
pub mod error;
pub mod fix;
pub mod html;
pub mod io;
pub mod known_urls;
pub mod links;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod runbooks;
pub mod safe_path;
pub mod scaffold;
pub mod serve;
pub mod shortcodes;
pub mod suggest;

pub use build::{build, check, BuildOptions, Report};
pub use error::{Error, Result};
