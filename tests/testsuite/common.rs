//! Helpers shared by the integration test crates (each uses only some of them).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

/// The smallest valid `handbook.toml`.
pub const CONFIG: &str = "title = \"T\"\nbase_url = \"https://h.example/\"\n";

/// A site in a temp folder: `handbook.toml` ([`CONFIG`] unless `files` has one) and `files`
/// (path from the site root → text).
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if !files.iter().any(|(p, _)| *p == "handbook.toml") {
        std::fs::write(dir.path().join("handbook.toml"), CONFIG).unwrap();
    }
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Copies a fixture tree, so a test can change it.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`: relative path with `/` → bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir).into_iter().filter(|(path, _)| !path.ends_with('/')).collect()
}

/// Every file under `dir` (relative path with `/` → bytes), and every folder as `path/` with no
/// bytes, so an added empty folder shows too. Empty when `dir` does not exist.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut entries = BTreeMap::new();
    if !dir.exists() {
        return entries;
    }
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            entries.insert(format!("{rel}/"), Vec::new());
        } else {
            entries.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    entries
}
