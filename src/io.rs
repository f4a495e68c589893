//! File I/O for every stage: the one place that touches the file system and names the path in
//! its errors.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io { action, path: path.to_path_buf(), source }
}

pub fn read_to_string(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(io_error("read", path))
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(io_error("read", path))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        ensure_dir(parent)?;
    }
    fs::write(path, bytes).map_err(io_error("write", path))
}

/// `create_dir_all` for a folder that usually is new while its parent exists (a page's folder):
/// one `mkdir`, where `create_dir_all` would `stat` first. A build makes thousands of them.
fn ensure_dir(dir: &Path) -> Result<()> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        // A file of that name makes the write fail, naming the path.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(_) => create_dir_all(dir),
    }
}

/// Writes a file that must not exist yet (`handbook new`, `handbook init`).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(io_error("create", path))?;
    file.write_all(bytes).map_err(io_error("write", path))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(io_error("create folder", path))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    fs::copy(from, to).map(drop).map_err(io_error("copy", from))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(io_error("move", from))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other.map_err(io_error("remove", path)),
    }
}

/// Canonical form of a path that may not exist yet: its existing ancestor canonicalized, plus
/// the rest. Used to compare output folders with the site root.
pub fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

/// Reads a file if it exists, `None` if it does not.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { action: "read", path: path.to_path_buf(), source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_creates_missing_folders_and_reuses_existing_ones() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("a/b/c/index.html"), b"1").unwrap();
        write(&dir.path().join("a/b/d/index.html"), b"2").unwrap();
        write(&dir.path().join("a/b/d/index.html"), b"3").unwrap();
        assert_eq!(fs::read(dir.path().join("a/b/c/index.html")).unwrap(), b"1");
        assert_eq!(fs::read(dir.path().join("a/b/d/index.html")).unwrap(), b"3");
    }

    #[test]
    fn write_under_a_file_fails_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("page"), b"file").unwrap();
        let target = dir.path().join("page/index.html");
        let err = write(&target, b"x").unwrap_err().to_string();
        assert!(err.contains(&target.display().to_string()), "{err}");
    }
}
