//! `handbook`: a static site generator for the Application Security handbook section.
//!
//! The stages, each over plain data: [`config`] → [`content`] (load) → [`links::SiteIndex`]
//! (index) → [`render`] (parallel, over `&` references) → [`links`] (check) → [`output`] (write).

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod html;
pub mod io;
pub mod markdown;
pub mod shortcodes;
pub mod suggest;

pub use error::{Error, Result};
