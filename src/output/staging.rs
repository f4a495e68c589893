//! Write stage: the output folder's safety rules and the build-beside-then-swap dance.
//!
//! A build only ever replaces a folder it made itself: every build writes [`MARKER`] into its
//! output, and a non-empty folder without it is refused unless the user says `--force`. Folders
//! a killed build left beside the output (`.public.building-PID`, `.public.old-PID`) are removed
//! by the next build once their process is gone.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The file every build writes at the top of its output, and looks for before replacing one.
pub const MARKER: &str = ".handbook-output";
const MARKER_TEXT: &str = "This folder was written by `handbook build`, which replaces it as a whole on the next build.\n";

/// Refuses an output folder that would overwrite or hold the site's sources: the site root,
/// `content/`, `data/`, `static/`, `themes/`, any folder that holds one of them, or a folder
/// inside one of them. Both paths are resolved first ([`crate::io::absolute`]), `..` included.
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

/// Refuses to replace what is not a previous build: a file, or a non-empty folder without
/// [`MARKER`] (a home folder given as `--output` by mistake), unless `force`.
pub fn check_replaceable(output: &Path, force: bool) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(output) else { return Ok(()) };
    if !meta.is_dir() {
        return Err(Error::Usage(format!("refusing to build into {}: it is a file, not a folder", output.display())));
    }
    let empty = std::fs::read_dir(output).is_ok_and(|mut entries| entries.next().is_none());
    if empty || force || output.join(MARKER).is_file() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "refusing to replace {}: it is not empty and holds no {MARKER} file, so it is not the output of an earlier build; \
         choose another --output, empty it, or pass --force to replace it",
        output.display()
    )))
}

/// A temporary folder beside the output; `commit` swaps it in. Dropped uncommitted, it is
/// removed and the previous output stays untouched.
pub struct Staging {
    pub dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks where the output goes (see [`check_output_location`], [`check_replaceable`]) and
    /// makes the staging folder, with the marker already in it.
    pub fn new(root: &Path, output: &Path, force: bool) -> Result<Staging> {
        check_output_location(root, output)?;
        let output = crate::io::absolute(output);
        check_replaceable(&output, force)?;
        let parent = output.parent().ok_or_else(|| Error::Usage(format!("output folder {} has no parent", output.display())))?;
        crate::io::create_dir_all(parent)?;
        let name = output_name(&output);
        remove_stale(parent, &name);
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        crate::io::remove_dir_all(&dir)?;
        crate::io::create_dir_all(&dir)?;
        crate::io::write(&dir.join(MARKER), MARKER_TEXT.as_bytes())?;
        Ok(Staging { dir, output, committed: false })
    }

    /// Moves the new output into place; the old one is removed only after the swap.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(".{}.old-{}", output_name(&self.output), std::process::id()));
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

fn output_name(output: &Path) -> String {
    output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned())
}

/// Removes `.NAME.building-PID` and `.NAME.old-PID` folders in `parent` whose process has ended
/// and that hold a build's marker (or nothing): what a killed build left behind.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = stale_pid(&file_name, name) else { continue };
        let path = entry.path();
        let is_ours = path.join(MARKER).is_file() || std::fs::read_dir(&path).is_ok_and(|mut e| e.next().is_none());
        if pid != std::process::id() && !process_alive(pid) && is_ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// The PID in `.NAME.building-PID` or `.NAME.old-PID`.
fn stale_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest.strip_prefix(".building-").or_else(|| rest.strip_prefix(".old-"))?;
    pid.parse().ok()
}

/// Whether process `pid` runs. Where that cannot be known, it is taken to run (nothing removed).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_sources_and_their_ancestors() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/x"),
            root.parent().unwrap().to_path_buf(),
            root.join("static"),
            root.join("nonexistent/../content"),
        ] {
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
        std::fs::write(out.join(MARKER), "").unwrap();
        let staging = Staging::new(site.path(), &out, false).unwrap();
        std::fs::write(staging.dir.join("new.html"), "new").unwrap();
        let dir = staging.dir.clone();
        drop(staging);
        assert!(!dir.exists());
        assert_eq!(std::fs::read_to_string(out.join("old.html")).unwrap(), "old");
        let staging = Staging::new(site.path(), &out, false).unwrap();
        std::fs::write(staging.dir.join("new.html"), "new").unwrap();
        staging.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("new.html")).unwrap(), "new");
        assert!(out.join(MARKER).is_file(), "the new output is marked");
    }

    #[test]
    fn refuses_to_replace_a_folder_that_is_not_a_build() {
        let site = tempfile::tempdir().unwrap();
        let home = site.path().join("home");
        std::fs::create_dir_all(home.join(".ssh")).unwrap();
        std::fs::write(home.join(".ssh/authorized_keys"), "key").unwrap();
        let err = Staging::new(site.path(), &home, false).err().expect("refused").to_string();
        assert!(err.contains("not the output of an earlier build") && err.contains("--force"), "{err}");
        assert!(home.join(".ssh/authorized_keys").is_file());
        let file = site.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(Staging::new(site.path(), &file, true).is_err(), "a file is never replaced");
        assert!(Staging::new(site.path(), &home, true).is_ok(), "--force");
        std::fs::create_dir(site.path().join("empty")).unwrap();
        assert!(Staging::new(site.path(), &site.path().join("empty"), false).is_ok());
    }

    #[test]
    fn stale_folders_of_dead_builds_are_removed() {
        let site = tempfile::tempdir().unwrap();
        let dead = 999_999_999u32; // above any Linux pid_max
        let stale = site.path().join(format!(".public.old-{dead}"));
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join(MARKER), "").unwrap();
        let empty = site.path().join(format!(".public.building-{dead}"));
        std::fs::create_dir_all(&empty).unwrap();
        let foreign = site.path().join(format!(".public.old-{}", dead - 1));
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "not a build").unwrap();
        let _staging = Staging::new(site.path(), &site.path().join("public"), false).unwrap();
        if cfg!(target_os = "linux") {
            assert!(!stale.exists() && !empty.exists(), "a dead build's folders go");
        }
        assert!(foreign.exists(), "a folder without the marker stays");
        assert_eq!(stale_pid(".public.building-12", "public"), Some(12));
        assert_eq!(stale_pid(".publicx.old-12", "public"), None);
    }
}
