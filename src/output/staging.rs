//! Write stage: the output folder's safety rules and the build-beside-then-swap dance.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Refuses an output folder that would overwrite or hold the site's sources: the site root,
/// `content/`, `data/`, `static/`, `themes/`, any folder that holds one of them, or a folder
/// inside one of them.
pub fn check_output_location(root: &Path, output: &Path) -> Result<()> {
    let root = crate::io::absolute(root);
    let output = crate::io::absolute(output);
    let protected = ["content", "data", "static", "themes"].map(|d| root.join(d));
    let refuse = |why: String| Err(Error::Usage(format!("refusing to build into {}: {why}", output.display())));
    if root.starts_with(&output) {
        return refuse("it is the site root or holds it".into());
    }
    for dir in &protected {
        if dir.starts_with(&output) || output.starts_with(dir) {
            return refuse(format!("it overlaps the source folder {}", dir.display()));
        }
    }
    Ok(())
}

/// A temporary folder beside the output; `commit` swaps it in. Dropped uncommitted, it is
/// removed and the previous output stays untouched.
pub struct Staging {
    pub dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(root: &Path, output: &Path) -> Result<Staging> {
        check_output_location(root, output)?;
        let output = crate::io::absolute(output);
        let parent = output.parent().ok_or_else(|| Error::Usage(format!("output folder {} has no parent", output.display())))?;
        crate::io::create_dir_all(parent)?;
        let name = output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        crate::io::remove_dir_all(&dir)?;
        crate::io::create_dir_all(&dir)?;
        Ok(Staging { dir, output, committed: false })
    }

    /// Moves the new output into place; the old one is removed only after the swap.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.output.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let had_old = self.output.exists();
        if had_old {
            crate::io::rename(&self.output, &old)?;
        }
        if let Err(e) = crate::io::rename(&self.dir, &self.output) {
            if had_old {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            crate::io::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_sources_and_their_ancestors() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for bad in
            [root.to_path_buf(), root.join("content"), root.join("content/x"), root.parent().unwrap().to_path_buf(), root.join("static")]
        {
            assert!(check_output_location(root, &bad).is_err(), "{}", bad.display());
        }
        assert!(check_output_location(root, &root.join("public")).is_ok());
        assert!(check_output_location(root, &root.join("../elsewhere")).is_ok());
    }

    #[test]
    fn uncommitted_staging_leaves_the_old_output() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        let staging = Staging::new(site.path(), &out).unwrap();
        std::fs::write(staging.dir.join("new.html"), "new").unwrap();
        let dir = staging.dir.clone();
        drop(staging);
        assert!(!dir.exists());
        assert_eq!(std::fs::read_to_string(out.join("old.html")).unwrap(), "old");
        let staging = Staging::new(site.path(), &out).unwrap();
        std::fs::write(staging.dir.join("new.html"), "new").unwrap();
        staging.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("new.html")).unwrap(), "new");
    }
}
