//! Check stage: the on-disk cache of external link results (`.handbook/external-links.json`), so
//! repeated `handbook check --external` runs do not hammer the same hosts every time.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name inside the cache directory (`.handbook/` under the site root).
pub(crate) const CACHE_FILE: &str = "external-links.json";

/// One remembered answer. Only successes are stored, so `status` is always a 2xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CacheEntry {
    pub status: u16,
    /// Unix seconds of the check.
    pub checked_at: u64,
}

/// URL (without `#fragment`) -> last successful check.
#[derive(Debug)]
pub(crate) struct LinkCache {
    path: PathBuf,
    // BTreeMap so the file is written in a stable order and diffs stay small.
    entries: BTreeMap<String, CacheEntry>,
    changed: bool,
}

impl LinkCache {
    /// Reads the cache in `dir`. A missing, unreadable or corrupt file gives an empty cache: a cache
    /// is only an optimisation, so it must never be the reason a check fails.
    pub fn load(dir: &Path) -> Self {
        let path = dir.join(CACHE_FILE);
        let entries = fs::read_to_string(&path).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
        LinkCache { path, entries, changed: false }
    }

    /// The cached status of `url`, if it was checked less than `ttl` before `now`.
    pub fn fresh_status(&self, url: &str, now: u64, ttl: Duration) -> Option<u16> {
        self.entries.get(url).filter(|entry| is_fresh(entry, now, ttl)).map(|entry| entry.status)
    }

    /// Remembers a successful check of `url` at `now`.
    pub fn record_success(&mut self, url: &str, status: u16, now: u64) {
        let entry = CacheEntry { status, checked_at: now };
        self.entries.insert(url.to_string(), entry);
        self.changed = true;
    }

    /// Writes the cache if anything was recorded, dropping expired entries so the file does not
    /// grow forever with links that were removed from the site.
    pub fn save(&mut self, now: u64, ttl: Duration) -> io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        self.entries.retain(|_, entry| is_fresh(entry, now, ttl));
        let json = serde_json::to_string_pretty(&self.entries).map_err(io::Error::other)?;
        write_atomically(&self.path, json.as_bytes())?;
        self.changed = false;
        Ok(())
    }
}

/// Younger than `ttl`. An entry stamped in the future (the clock went back) counts as stale:
/// re-checking one link is cheaper than trusting a timestamp we cannot explain.
fn is_fresh(entry: &CacheEntry, now: u64, ttl: Duration) -> bool {
    entry.checked_at <= now && now - entry.checked_at < ttl.as_secs()
}

/// Temp file in the same directory + rename, so a crash or a concurrent reader never sees a
/// half-written cache (rename within one directory is atomic on POSIX and replaces on Windows).
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    // The pid keeps two concurrent `handbook` runs from writing into the same temp file.
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = write_and_sync(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp); // best effort: do not leave litter behind
    }
    result
}

fn write_and_sync(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(24 * 60 * 60);

    #[test]
    fn missing_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = LinkCache::load(dir.path());
        assert_eq!(cache.fresh_status("https://example.com/", 10, DAY), None);
    }

    #[test]
    fn round_trips_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = LinkCache::load(&dir.path().join(".handbook"));
        cache.record_success("https://example.com/", 200, 1_000);
        cache.save(1_000, DAY).unwrap();

        let again = LinkCache::load(&dir.path().join(".handbook"));
        assert_eq!(again.fresh_status("https://example.com/", 1_001, DAY), Some(200));
    }

    #[test]
    fn file_maps_url_to_status_and_checked_at() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = LinkCache::load(dir.path());
        cache.record_success("https://example.com/a", 204, 42);
        cache.save(42, DAY).unwrap();

        let text = fs::read_to_string(dir.path().join(CACHE_FILE)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value, serde_json::json!({"https://example.com/a": {"status": 204, "checked_at": 42}}));
    }

    #[test]
    fn entries_expire_after_ttl() {
        let entry = CacheEntry { status: 200, checked_at: 1_000 };
        assert!(is_fresh(&entry, 1_000, DAY));
        assert!(is_fresh(&entry, 1_000 + DAY.as_secs() - 1, DAY));
        assert!(!is_fresh(&entry, 1_000 + DAY.as_secs(), DAY));
        assert!(!is_fresh(&entry, 999, DAY), "future timestamps are stale");
    }

    #[test]
    fn corrupt_file_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(CACHE_FILE), "{not json").unwrap();

        let mut cache = LinkCache::load(dir.path());
        assert_eq!(cache.fresh_status("https://example.com/", 1, DAY), None);
        cache.record_success("https://example.com/", 200, 1);
        cache.save(1, DAY).unwrap();
        assert_eq!(LinkCache::load(dir.path()).fresh_status("https://example.com/", 1, DAY), Some(200));
    }

    #[test]
    fn save_drops_expired_entries_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = LinkCache::load(dir.path());
        cache.record_success("https://old.example/", 200, 1);
        cache.record_success("https://new.example/", 200, DAY.as_secs() + 5);
        cache.save(DAY.as_secs() + 5, DAY).unwrap();

        let text = fs::read_to_string(dir.path().join(CACHE_FILE)).unwrap();
        assert!(!text.contains("old.example"));
        assert!(text.contains("new.example"));
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the cache file remains: {names:?}");
    }

    #[test]
    fn unchanged_cache_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = LinkCache::load(dir.path());
        cache.save(1, DAY).unwrap();
        assert!(!dir.path().join(CACHE_FILE).exists());
    }
}
