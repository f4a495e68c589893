//! Write stage: where rendered files go ([`Sink`]: a staging folder on disk, memory for the dev
//! server, nowhere for `check`), the site-level files (aliases, `_redirects`, sitemap, search
//! index), and the staged swap that keeps the previous `public/` when a build fails.

mod files;
mod staging;
pub mod verify;

pub use files::{alias_pages, aliases, redirects, search_index, sitemap, Alias, REDIRECT_LIMIT_BYTES, REDIRECT_LIMIT_RULES};
pub use staging::{check_output_location, Staging};

use crate::error::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Receives output files by path relative to the output root (`/` separators).
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()>;

    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        self.write(path, &crate::io::read(from)?)
    }
}

/// Writes under a folder.
pub struct DiskSink {
    pub dir: PathBuf,
}

impl Sink for DiskSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        crate::io::write(&self.dir.join(path), bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        crate::io::copy(from, &self.dir.join(path))
    }
}

/// Keeps every file in memory (the dev server serves from it).
#[derive(Default)]
pub struct MemorySink {
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.files.lock().expect("sink lock").insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().expect("sink lock")
    }
}

/// Discards everything (`handbook check`).
pub struct NullSink;

impl Sink for NullSink {
    fn write(&self, _: &str, _: &[u8]) -> Result<()> {
        Ok(())
    }

    fn copy(&self, _: &str, _: &Path) -> Result<()> {
        Ok(())
    }
}

/// SHA-256 over every file of a tree (path and bytes, in path order): one line for CI logs to
/// compare two builds.
pub fn tree_digest(dir: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| crate::Error::Io { action: "read", path: dir.to_path_buf(), source: e.into() })?;
        if entry.file_type().is_file() {
            paths.push(entry.path().to_path_buf());
        }
    }
    let mut hasher = Sha256::new();
    for path in paths {
        let rel = path.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
        let bytes = crate::io::read(&path)?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
