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

/// Canonical form of a path that may not exist yet, as the system will resolve it once its
/// missing folders are created: existing parts with symlinks resolved, `.` dropped, and `..`
/// taken lexically where the folder it leaves does not exist yet (`a/missing/../b` is `a/b`).
/// Used to compare output folders with the site root, and as the output folder itself, so the
/// path checked is the path written.
pub fn absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let start = if path.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    let mut out = fs::canonicalize(&start).unwrap_or(start);
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if fs::symlink_metadata(&out).is_ok() {
                    out = fs::canonicalize(&out).unwrap_or(out);
                }
            }
        }
    }
    out
}

/// Largest page, include or URL list read (data files have their own, smaller limit).
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// Why a source file's text could not be used, for a diagnostic naming the file (the build goes
/// on with the other files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// A folder, device or pipe (`/dev/zero` read until memory runs out).
    NotAFile,
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// Not UTF-8: `text` is the file with bad bytes replaced, `at` the first bad byte's offset
    /// in it (the text before it is the file's own), to locate the diagnostic.
    NotUtf8 {
        text: String,
        at: usize,
    },
}

impl TextProblem {
    /// The problem as a diagnostic of `file` (the path shown to the user).
    pub fn diagnostic(self, file: &Path) -> crate::diagnostics::Diagnostic {
        use crate::diagnostics::{Diagnostic, LineIndex, Span};
        match self {
            TextProblem::NotAFile => Diagnostic::error("not-a-file", file, "this is not a regular file; it was not read"),
            TextProblem::TooLarge { size, limit } => {
                Diagnostic::error("file-too-large", file, format!("file is {size} bytes, over the limit of {limit} bytes; it was not read"))
            }
            TextProblem::NotUtf8 { text, at } => {
                Diagnostic::error("invalid-utf8", file, "file is not UTF-8 text (binary, or another encoding); it was not read")
                    .with_span(Span::new(at, at + 1))
                    .with_label("first byte that is not UTF-8")
                    .located(&text, &LineIndex::new(&text))
            }
        }
    }
}

/// Reads a text file of at most `limit` bytes. The size and kind are checked on the open file
/// before anything is read; the outer error is an I/O failure, the inner one a problem with
/// the file's content.
pub fn read_text(path: &Path, limit: u64) -> Result<std::result::Result<String, TextProblem>> {
    use std::io::Read;
    let file = fs::File::open(path).map_err(io_error("read", path))?;
    let meta = file.metadata().map_err(io_error("read", path))?;
    if !meta.is_file() {
        return Ok(Err(TextProblem::NotAFile));
    }
    if meta.len() > limit {
        return Ok(Err(TextProblem::TooLarge { size: meta.len(), limit }));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take`: a file that grows while it is read still stops at the limit.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io_error("read", path))?;
    if bytes.len() as u64 > limit {
        return Ok(Err(TextProblem::TooLarge { size: bytes.len() as u64, limit }));
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        TextProblem::NotUtf8 { text: String::from_utf8_lossy(e.as_bytes()).into_owned(), at }
    }))
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
    fn absolute_resolves_dot_dot_through_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(base.join("content")).unwrap();
        assert_eq!(absolute(&base.join("nonexistent/../content")), base.join("content"));
        assert_eq!(absolute(&base.join("a/./b/../../content/x")), base.join("content/x"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("content"), base.join("link")).unwrap();
            assert_eq!(absolute(&base.join("link/new")), base.join("content/new"), "symlinks resolve");
        }
    }

    #[test]
    fn read_text_refuses_devices_big_files_and_binary_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        if Path::new("/dev/zero").exists() {
            assert_eq!(read_text(Path::new("/dev/zero"), 10).unwrap(), Err(TextProblem::NotAFile));
        }
        assert_eq!(read_text(dir.path(), 10).unwrap(), Err(TextProblem::NotAFile));
        let big = dir.path().join("big");
        fs::write(&big, "x".repeat(11)).unwrap();
        assert_eq!(read_text(&big, 10).unwrap(), Err(TextProblem::TooLarge { size: 11, limit: 10 }));
        let bad = dir.path().join("bad.md");
        fs::write(&bad, b"ok\nline \xff two").unwrap();
        let problem = read_text(&bad, 100).unwrap().unwrap_err();
        assert_eq!(problem.clone().diagnostic(Path::new("content/bad.md")).line_col(), (2, 6));
        fs::write(&bad, "fine").unwrap();
        assert_eq!(read_text(&bad, 100).unwrap().unwrap(), "fine");
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
