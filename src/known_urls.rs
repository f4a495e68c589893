//! `handbook known-urls`: the URL of every page of a Hugo content tree (the parent handbook's
//! checkout), one per line, for `[links] known_urls`. Hugo's URL rules: `x.md` is `/x/`,
//! `x/_index.md` and `x/index.md` are `/x/`, `slug` replaces the last segment, `url` the whole
//! path, and paths are lower case.

use crate::diagnostics::Diagnostic;
use std::collections::BTreeSet;
use std::path::Path;

/// The URLs (sorted, each once, `/a/b/`) and the problems of the pages that could not be read.
pub fn from_content(content: &Path) -> crate::Result<(Vec<String>, Vec<Diagnostic>)> {
    if !content.is_dir() {
        return Err(crate::Error::Usage(format!("{} is not a folder (give the parent handbook's content/ folder)", content.display())));
    }
    let files = crate::content::walk::walk(content)?;
    let mut urls = BTreeSet::new();
    let mut problems = Vec::new();
    for rel in &files.markdown {
        let shown = content.join(rel);
        match crate::io::read_text(&shown, crate::io::MAX_TEXT_BYTES)? {
            Err(problem) => problems.push(problem.diagnostic(&shown)),
            Ok(text) => match crate::content::load_page(rel, text) {
                (Some(page), _) => {
                    urls.insert(format!("/{}", page.url.to_lowercase()));
                }
                (None, mut why) => problems.append(&mut why),
            },
        }
    }
    Ok((urls.into_iter().collect(), problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_hugos_rules() {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in [
            ("_index.md", "# Home\n"),
            ("handbook/_index.md", "# Handbook\n"),
            ("handbook/Legal/index.md", "# Legal\n"),
            ("handbook/security/Engaging-Security.md", "# E\n"),
            ("handbook/security/renamed.md", "---\nslug: new-name\n---\n"),
            ("handbook/moved.md", "---\nurl: /elsewhere/page/\n---\n"),
            ("handbook/old/index.html.md", "# Old\n"),
            ("handbook/broken.md", "---\ntitle: [\n---\n"),
        ] {
            std::fs::create_dir_all(dir.path().join(rel).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(rel), text).unwrap();
        }
        let (urls, problems) = from_content(dir.path()).unwrap();
        assert_eq!(
            urls,
            [
                "/",
                "/elsewhere/page/",
                "/handbook/",
                "/handbook/legal/",
                "/handbook/old/",
                "/handbook/security/engaging-security/",
                "/handbook/security/new-name/"
            ]
        );
        assert_eq!(problems.len(), 1);
        assert!(problems[0].file.ends_with("handbook/broken.md"));
    }
}
