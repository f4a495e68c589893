//! Data stage: the site's `data/` files and the stable-counterparts model built from `stages.yml`.
//!
//! Every problem is a [`Diagnostic`] with a byte span into the file's text (and its line:column
//! filled in while the text is at hand). YAML positions come from `serde_yaml_ng`'s own error
//! locations (see `yaml.rs`), JSON and TOML ones from their parsers.
//!
//! Decisions the contract leaves open:
//! - sections, stages and groups are sorted by key (stable, and the same keys give the same ids);
//! - a stage without `section` is listed under an `other` section named "Other";
//! - a stage whose section is not in `sections:` is an `unknown-section` error, yet still listed,
//!   under the section key;
//! - `TBD` (any case) beside real names is dropped; alone it is a gap shown as "TBD";
//! - `<<: *anchor` merge keys are followed for the fields that are read;
//! - engineers are joined to the team file by name with case and spacing ignored, and shown with
//!   the team file's spelling.

mod counterparts;
mod files;
mod site;
mod stages;
mod tables;
mod team;
mod yaml;

pub use site::SiteData;

use std::path::Path;

use crate::diagnostics::{Diagnostic, LineIndex};

pub use counterparts::{build_counterparts, Counterparts, EngineerRow, Filter, GroupRow, SectionRow, StageRow};
pub use files::load_data_files;
pub use stages::{parse_stages, Assignment, Engineer, Group, Section, Stage, Stages};
pub use tables::{render_by_engineer, render_table};
pub use team::{parse_team, Team, TeamMember};

/// Largest data file read. Real `stages.yml` files are ~100 KB; anything far bigger is a mistake,
/// and refusing it keeps a build's time and memory bounded.
pub const MAX_DATA_FILE_BYTES: usize = 2 * 1024 * 1024;

/// A `data-too-large` error for a text over [`MAX_DATA_FILE_BYTES`].
pub(crate) fn check_size(file: &Path, text: &str) -> Option<Diagnostic> {
    (text.len() > MAX_DATA_FILE_BYTES).then(|| {
        let message =
            format!("data file is {} bytes, over the limit of {} bytes (2 MiB); it was not read", text.len(), MAX_DATA_FILE_BYTES);
        Diagnostic::error("data-too-large", file, message)
    })
}

/// How names are compared (engineers in `stages.yml` and the team file): case and spacing ignored.
pub(crate) fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Fills each diagnostic's line:column while the file's text is at hand, so diagnostics can be
/// printed after the text is gone.
pub(crate) fn locate_all(diagnostics: &mut [Diagnostic], text: &str) {
    if diagnostics.iter().all(|d| d.span.is_none()) {
        return;
    }
    let lines = LineIndex::new(text);
    for diagnostic in diagnostics {
        diagnostic.locate(text, &lines);
    }
}
