//! Load stage: the walk over `content/` (no symlinks followed; hidden and editor temp files
//! skipped), split into Markdown pages and other files.

use crate::error::{Error, Result};
use std::path::Path;

#[derive(Debug, Default)]
pub struct SourceFiles {
    /// Paths relative to `content/`, `/` separators, sorted.
    pub markdown: Vec<String>,
    pub other: Vec<String>,
}

/// Editor droppings and hidden files never count as content (vim `.swp`/`~`/`4913`, emacs `.#x`
/// and `#x#`, JetBrains `___jb_tmp___`, Kate `.bck`).
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".bck", ".tmp", "___jb_tmp___", "___jb_old___"].iter().any(|s| name.ends_with(s))
}

impl SourceFiles {
    /// Every file under `static/` (relative paths, sorted); none when the folder is missing.
    pub fn static_files(dir: &Path) -> Result<Vec<String>> {
        let files = walk(dir)?;
        let mut all = files.markdown;
        all.extend(files.other);
        all.sort();
        Ok(all)
    }
}

pub fn walk(content: &Path) -> Result<SourceFiles> {
    let mut files = SourceFiles::default();
    if !content.is_dir() {
        return Ok(files);
    }
    let walker = walkdir::WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(content).to_path_buf();
            Error::Io { action: "read", path, source: e.into() }
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(content).expect("walk stays under content/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.ends_with(".md") {
            files.markdown.push(rel);
        } else {
            files.other.push(rel);
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ignores_editor_temp_files() {
        for name in [".x.md.swp", "x.md~", "4913", ".#x.md", "#x.md#", "x.md.bck", ".hidden.md"] {
            assert!(super::is_ignored_name(name), "{name}");
        }
        assert!(!super::is_ignored_name("x.md"));
    }
}
