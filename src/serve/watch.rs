//! Serve stage: watching the site's sources with notify's full debouncer (which pairs the halves
//! of a rename and drops duplicate events), filtering out editor droppings and our own reads,
//! and grouping a burst of changes (a save, a `git checkout`) into one rebuild.

use crate::error::{Error, Result};
use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// Folders of the site whose files feed the build, watched recursively.
pub const SOURCE_DIRS: [&str; 6] = ["content", "data", "static", "themes", "templates", "shortcodes"];

/// How long a path must be quiet before the debouncer reports it, and how often it looks.
const DEBOUNCE: Duration = Duration::from_millis(10);
const TICK: Duration = Duration::from_millis(5);
/// After a batch, more batches arriving within this long join it: a burst whose writes are
/// closer together than this is one rebuild. Several debouncer ticks, so that a burst spread
/// over consecutive ticks is never split.
const SETTLE: Duration = Duration::from_millis(20);
/// When a burst removed a file, how long to wait for it to come back: saves that delete (or move
/// away) the original and then write it anew must not rebuild, and reload, in between.
const SETTLE_AFTER_REMOVAL: Duration = Duration::from_millis(150);

/// One group of changes, paths relative to the site root.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub paths: BTreeSet<PathBuf>,
    /// The watcher lost events (queue overflow): only a full rebuild is safe.
    pub rescan: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    fn merge(&mut self, other: Changes) {
        self.paths.extend(other.paths);
        self.rescan |= other.rescan;
    }

    /// "content/x.md changed", "3 files changed (a, b, c)".
    pub fn describe(&self) -> String {
        let names: Vec<String> = self.paths.iter().map(|p| p.to_string_lossy().replace('\\', "/")).collect();
        match names.len() {
            0 => "the watcher asked for a rescan".to_string(),
            1 => format!("{} changed", names[0]),
            n => {
                let shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
                format!("{n} files changed ({shown}{})", if n > 3 { ", …" } else { "" })
            }
        }
    }
}

pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<Changes>,
}

impl Watcher {
    /// Starts watching `root` (the site folder): its top level for `handbook.toml` and data
    /// files, and every source folder that exists.
    pub fn start(root: &Path) -> Result<Watcher> {
        let root = crate::io::absolute(root);
        let (tx, events) = mpsc::channel();
        let filter_root = root.clone();
        let handler = move |result: DebounceEventResult| {
            let changes = match result {
                Ok(events) => classify(&filter_root, &events),
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: file watcher: {e}");
                    }
                    Changes { rescan: true, ..Changes::default() }
                }
            };
            if !changes.is_empty() {
                let _ = tx.send(changes);
            }
        };
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), handler).map_err(watch_error(&root))?;
        let mut watcher = Watcher { root, debouncer, events };
        watcher.debouncer.watch(&watcher.root, RecursiveMode::NonRecursive).map_err(watch_error(&watcher.root))?;
        for dir in SOURCE_DIRS {
            watcher.watch_dir(dir)?;
        }
        Ok(watcher)
    }

    fn watch_dir(&mut self, dir: &str) -> Result<()> {
        let path = self.root.join(dir);
        if path.is_dir() {
            self.debouncer.watch(&path, RecursiveMode::Recursive).map_err(watch_error(&path))?;
        }
        Ok(())
    }

    /// Blocks until the next burst of changes is over; `None` once the watcher has stopped.
    pub fn next_burst(&mut self) -> Option<Changes> {
        let mut changes = self.events.recv().ok()?;
        while let Ok(more) = self.events.recv_timeout(SETTLE) {
            changes.merge(more);
        }
        if changes.paths.iter().any(|p| !self.root.join(p).exists()) {
            while let Ok(more) = self.events.recv_timeout(SETTLE_AFTER_REMOVAL) {
                changes.merge(more);
            }
        }
        // A source folder created (or re-created) after the start needs its own watch.
        for dir in SOURCE_DIRS {
            if changes.paths.contains(Path::new(dir)) {
                if let Err(e) = self.watch_dir(dir) {
                    eprintln!("warning: {e}");
                }
            }
        }
        Some(changes)
    }
}

fn watch_error(path: &Path) -> impl FnOnce(notify::Error) -> Error + '_ {
    move |e| Error::Io { action: "watch", path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) }
}

/// The paths of a debounced batch that can change the site.
fn classify(root: &Path, events: &[notify_debouncer_full::DebouncedEvent]) -> Changes {
    let mut changes = Changes::default();
    for event in events {
        if event.need_rescan() {
            changes.rescan = true;
            continue;
        }
        if !is_change(&event.kind) {
            continue;
        }
        for path in &event.paths {
            if let Some(rel) = path.strip_prefix(root).ok().filter(|rel| is_source(rel)) {
                changes.paths.insert(rel.to_path_buf());
            }
        }
    }
    changes
}

/// Writes, creations, removals and renames; not reads (the build's own), nor metadata-only
/// changes like `chmod`.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Other => true,
    }
}

/// Whether a path relative to the site root is one the build reads: anything under a source
/// folder, the folders themselves, `handbook.toml`, and data-like files beside it (a
/// `counterparts.data` or `known_urls` kept at the top). Editor temp files and hidden files
/// never are.
pub fn is_source(rel: &Path) -> bool {
    let mut names = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => names.push(name.to_string_lossy()),
            _ => return false,
        }
    }
    if names.is_empty() || names.iter().any(|n| crate::content::is_ignored_name(n)) {
        return false;
    }
    if SOURCE_DIRS.contains(&names[0].as_ref()) {
        return true;
    }
    let name = names[0].as_ref();
    names.len() == 1 && (name == crate::config::CONFIG_FILE || [".yml", ".yaml", ".json", ".txt", ".csv"].iter().any(|e| name.ends_with(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_editor_droppings() {
        for yes in
            ["content/x.md", "content", "data/stages.yml", "themes/t/templates/page.html", "handbook.toml", "stages.yml", "static/a.png"]
        {
            assert!(is_source(Path::new(yes)), "{yes}");
        }
        for no in [
            "content/.x.md.swp",
            "content/x.md~",
            "content/4913",
            "content/.#x.md",
            "content/x.md.bck",
            "content/x.md___jb_tmp___",
            "public/index.html",
            "README.md",
            "Cargo.lock",
            ".git/index",
            ".public.building-12",
            "",
        ] {
            assert!(!is_source(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn reads_and_metadata_are_not_changes() {
        use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind};
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(DataChange::Content))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Remove(RemoveKind::File)));
        assert!(is_change(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(!is_change(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions))));
    }

    #[test]
    fn describes_what_changed() {
        let mut c = Changes::default();
        c.paths.insert("content/a.md".into());
        assert_eq!(c.describe(), "content/a.md changed");
        for p in ["content/b.md", "content/c.md", "content/d.md"] {
            c.paths.insert(p.into());
        }
        assert_eq!(c.describe(), "4 files changed (content/a.md, content/b.md, content/c.md, …)");
    }
}
