//! Write stage: where rendered files go ([`Sink`]: a staging folder on disk, memory for the dev
//! server, nowhere for `check`), the site-level files (aliases, `_redirects`, sitemap, search
//! index), and the staged swap that keeps the previous `public/` when a build fails.

mod feed;
mod files;
pub mod search_index;
pub mod staging;
pub mod tags;
pub mod verify;

pub use feed::{atom, FEED_ENTRIES};
pub use files::{alias_conflicts, alias_pages, aliases, redirects, sitemap, Alias, REDIRECT_LIMIT_BYTES, REDIRECT_LIMIT_RULES};
pub use staging::{check_output_location, check_replaceable, Staging, MARKER};

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

impl DiskSink {
    /// Where `path` goes: always under `dir` ([`crate::safe_path::checked_join`]).
    fn target(&self, path: &str) -> Result<PathBuf> {
        crate::safe_path::checked_join(&self.dir, path).map_err(|why| crate::Error::OutputPath { path: path.to_string(), why })
    }
}

impl Sink for DiskSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        crate::io::write(&self.target(path)?, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        crate::io::copy(from, &self.target(path)?)
    }
}

/// Output files by path relative to the site root (`a/b/index.html`), as the dev server holds
/// them (`Bytes`: handed to each response without a copy).
pub type Files = std::collections::HashMap<String, bytes::Bytes>;

/// Keeps every file in memory (the dev server serves from it); a write replaces the file.
#[derive(Default)]
pub struct MemorySink {
    pub files: Mutex<Files>,
}

impl MemorySink {
    /// A sink that starts from `files` (the last render's, for an incremental rebuild).
    pub fn over(files: Files) -> Self {
        MemorySink { files: Mutex::new(files) }
    }

    pub fn into_files(self) -> Files {
        self.files.into_inner().expect("sink lock")
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.files.lock().expect("sink lock").insert(path.to_string(), bytes::Bytes::copy_from_slice(bytes));
        Ok(())
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

/// Passes files through to another sink and remembers each file's BLAKE3 hash, so the digest of
/// the output tree costs no second read of the written files.
pub struct HashingSink<S> {
    inner: S,
    hashes: Mutex<BTreeMap<String, [u8; 32]>>,
    clashes: Mutex<Vec<String>>,
}

impl<S: Sink> HashingSink<S> {
    pub fn new(inner: S) -> Self {
        HashingSink { inner, hashes: Mutex::default(), clashes: Mutex::default() }
    }

    /// Remembers the file's hash, and the path when a file was already written there.
    fn record(&self, path: &str, bytes: &[u8]) {
        let hash: [u8; 32] = *blake3::hash(bytes).as_bytes();
        if self.hashes.lock().expect("hash lock").insert(path.to_string(), hash).is_some() {
            self.clashes.lock().expect("clash lock").push(path.to_string());
        }
    }

    /// A path two sources wrote, if any. The build's own checks (`duplicate-url`,
    /// `alias-conflict`) name the files first; this is the guard behind them, so that one
    /// source never silently replaces another.
    pub fn clash(&self) -> Option<String> {
        self.clashes.lock().expect("clash lock").iter().min().cloned()
    }

    /// BLAKE3 over every file's path and BLAKE3 hash, in path order: one line for CI logs to
    /// compare two builds. (BLAKE3 rather than SHA-256: as strong, and hashing 170 MB of pages
    /// took half the CPU time.)
    pub fn digest(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        for (path, hash) in self.hashes.lock().expect("hash lock").iter() {
            hasher.update(path.as_bytes());
            hasher.update(&[0]);
            hasher.update(hash);
        }
        hasher.finalize().to_hex().to_string()
    }
}

impl<S: Sink> Sink for HashingSink<S> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.record(path, bytes);
        self.inner.write(path, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        self.record(path, &crate::io::read(from)?);
        self.inner.copy(path, from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_depends_on_paths_and_bytes_not_write_order() {
        let digest = |files: &[(&str, &str)]| {
            let sink = HashingSink::new(NullSink);
            files.iter().for_each(|(p, b)| sink.write(p, b.as_bytes()).unwrap());
            sink.digest()
        };
        let a = digest(&[("a.html", "1"), ("b.html", "2")]);
        assert_eq!(a, digest(&[("b.html", "2"), ("a.html", "1")]));
        assert_ne!(a, digest(&[("a.html", "1"), ("b.html", "3")]));
        assert_ne!(a, digest(&[("a.html", "1"), ("c.html", "2")]));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn a_second_file_at_one_path_is_an_error() {
        let sink = HashingSink::new(NullSink);
        sink.write("x/index.html", b"page").unwrap();
        assert_eq!(sink.clash(), None);
        sink.write("x/index.html", b"alias").unwrap();
        assert_eq!(sink.clash().as_deref(), Some("x/index.html"));
    }
}
