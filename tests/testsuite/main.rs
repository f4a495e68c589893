//! The integration test suite: one test binary (as mdBook's `tests/testsuite`), a module per
//! area. Each builds fixture sites from `tests/fixtures/` or small sites of its own in a temp
//! folder, with the library or the real `handbook` binary.

mod common;
mod serve_support;

mod build;
mod ci_config;
mod cli;
mod data;
mod goldmark;
mod hostile;
mod links;
mod markdown_extensions;
mod parent;
mod properties;
mod publish;
mod reader;
mod robustness;
mod serve;
mod serve_browser;
mod serve_incremental;
