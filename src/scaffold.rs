//! `handbook init` and `handbook new`: starting files, never overwriting one.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Runbook,
    Page,
}

/// Writes a new page or runbook named after `title`; `today` (a day number) fills
/// `last_reviewed`. Fails if the file exists.
pub fn new_page(root: &Path, kind: NewKind, title: &str, today: i64) -> Result<PathBuf> {
    let config = crate::config::Config::load(root, None)?;
    let slug = crate::markdown::slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!("cannot make a file name from `{title}`")));
    }
    let quoted = serde_json::to_string(title).expect("a string serializes");
    let (path, text) = match kind {
        NewKind::Runbook => (
            format!("content/{}/{slug}.md", config.runbooks.section),
            format!(
                "---\ntitle: {quoted}\ndescription: \"\"\nowner: \"\"  # who keeps this runbook current, e.g. \"@handle\"\nlast_reviewed: {}\ntags: []\n---\n\n## When to use this runbook\n\n## Steps\n\n1. \n\n## Escalation\n",
                crate::dates::format_days(today)
            ),
        ),
        NewKind::Page => (format!("content/{slug}.md"), format!("---\ntitle: {quoted}\ndescription: \"\"\n---\n\n## Overview\n")),
    };
    let full = root.join(&path);
    if full.exists() {
        return Err(Error::Usage(format!("{path} already exists; not overwriting it")));
    }
    crate::io::write_new(&full, text.as_bytes())?;
    Ok(PathBuf::from(path))
}

/// Creates a minimal site in `dir` (which may exist but must not hold a `handbook.toml`).
pub fn init(dir: &Path) -> Result<()> {
    if dir.join(crate::config::CONFIG_FILE).exists() {
        return Err(Error::Usage(format!("{} already has a handbook.toml", dir.display())));
    }
    let files: [(&str, &str); 4] = [
        (
            "handbook.toml",
            "title = \"Application Security\"\nbase_url = \"https://example.gitlab.io/\"\n\n[links]\nlevel = \"error\"\n\n[runbooks]\nsection = \"runbooks\"\nreview_after_days = 180\n",
        ),
        ("content/_index.md", "---\ntitle: \"Application Security\"\n---\n\n## Mission\n\nWhat this section is for.\n\nSee the [runbooks](runbooks/).\n"),
        ("content/runbooks/_index.md", "---\ntitle: \"Runbooks\"\n---\n\nEvery runbook of the team, generated from their front matter.\n"),
        ("static/.gitkeep", ""),
    ];
    for (path, text) in files {
        crate::io::write_new(&dir.join(path), text.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_new_runbook_then_refuse_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path()).unwrap();
        assert!(matches!(init(dir.path()), Err(Error::Usage(_))));
        let today = crate::dates::days_from_civil(2026, 11, 22);
        let path = new_page(dir.path(), NewKind::Runbook, "Rotate a leaked token", today).unwrap();
        assert_eq!(path, PathBuf::from("content/runbooks/rotate-a-leaked-token.md"));
        let text = std::fs::read_to_string(dir.path().join(&path)).unwrap();
        assert!(text.contains("title: \"Rotate a leaked token\"") && text.contains("last_reviewed: 2026-11-22"), "{text}");
        assert!(
            matches!(new_page(dir.path(), NewKind::Runbook, "Rotate a leaked token", today), Err(Error::Usage(m)) if m.contains("already exists"))
        );
    }
}
