//! Render stage: which `hl-` classes highlighted code carries. syntect gives every token one span
//! per scope with a class per scope atom (`<span class="hl-meta hl-function hl-python">`); most
//! of them are styled by nothing. A block keeps only the classes the site's stylesheets, scripts
//! and templates name, and a span left with no class is not written at all.
//!
//! This changes no style. A selector's compound (`.hl-storage.hl-type`) matches an element when
//! the element has all of its classes. A scope keeps every atom of every compound it fully
//! contains, so each element still matches exactly the compounds it matched before, and so the
//! same rules; an element that matched none is the one that is dropped.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};
use syntect::parsing::Scope;

/// The `hl-` class compounds named in a site's stylesheets, scripts and templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StyledClasses {
    /// Each compound's atoms without the prefix, sorted (`.hl-storage.hl-type` → storage, type).
    compounds: BTreeSet<Vec<String>>,
    /// Set when a name could not be read (a CSS escape): then every class is kept.
    keep_all: bool,
}

const PREFIX: &str = ".hl-";

impl StyledClasses {
    /// Every class kept: the full markup, to compare against.
    #[cfg(test)]
    pub fn all() -> Self {
        StyledClasses { keep_all: true, ..StyledClasses::default() }
    }

    /// The compounds named in `texts` (stylesheets, scripts, templates).
    pub fn of_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut styled = StyledClasses::default();
        texts.into_iter().for_each(|text| styled.scan(text));
        styled
    }

    /// Adds the compounds in `text`: runs of `.hl-x` class selectors with nothing between them.
    /// Anything else (a space, `>`, `,`, `:hover`, a class without the prefix) ends a compound;
    /// ending one too early only keeps more classes than needed, never fewer.
    pub fn scan(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let finder = memchr::memmem::Finder::new(PREFIX);
        let mut at = 0;
        while let Some(found) = finder.find(&bytes[at..]) {
            let mut compound = Vec::new();
            let mut pos = at + found;
            while text[pos..].starts_with(PREFIX) {
                let start = pos + PREFIX.len();
                let end = start + bytes[start..].iter().take_while(|&&b| is_name_byte(b)).count();
                if bytes.get(end) == Some(&b'\\') {
                    self.keep_all = true;
                }
                if end > start {
                    compound.push(text[start..end].to_string());
                }
                pos = end;
            }
            at = pos.max(at + found + 1);
            compound.sort();
            compound.dedup();
            if !compound.is_empty() {
                self.compounds.insert(compound);
            }
        }
    }

    /// The class attribute for `scope`'s span, or `None` when no compound needs it.
    fn classes_for(&self, scope: Scope) -> Option<Box<str>> {
        let name = scope.build_string();
        let atoms: Vec<&str> = name.split('.').collect();
        let needed = |atom: &str| {
            self.keep_all || self.compounds.iter().any(|c| c.iter().any(|a| a == atom) && c.iter().all(|a| atoms.contains(&a.as_str())))
        };
        let classes: Vec<String> = atoms.iter().filter(|a| needed(a)).map(|a| format!("hl-{a}")).collect();
        (!classes.is_empty()).then(|| classes.join(" ").into_boxed_str())
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

/// [`StyledClasses`] with each scope's answer remembered. Render threads highlight thousands of
/// blocks with a few hundred distinct scopes, so each thread has its own memo: no lock is shared.
#[derive(Debug)]
pub struct ScopeClasses {
    styled: StyledClasses,
    /// One memo per rayon worker, and a last one for any other thread.
    memos: Vec<Mutex<HashMap<Scope, Option<Box<str>>>>>,
}

impl ScopeClasses {
    pub fn new(styled: StyledClasses) -> Self {
        ScopeClasses { styled, memos: thread_slots() }
    }

    pub fn styled(&self) -> &StyledClasses {
        &self.styled
    }

    /// Runs `f` with this thread's memo.
    pub fn with_memo<R>(&self, f: impl FnOnce(&mut Memo) -> R) -> R {
        let mut memo = thread_slot(&self.memos);
        f(&mut Memo { styled: &self.styled, memo: &mut memo })
    }
}

/// One slot per rayon worker and a last one for any other thread, for per-thread scratch state
/// that render threads would otherwise contend for.
pub fn thread_slots<T: Default>() -> Vec<Mutex<T>> {
    (0..=rayon::current_num_threads()).map(|_| Mutex::default()).collect()
}

/// This thread's slot of [`thread_slots`]: uncontended on a rayon worker.
pub fn thread_slot<T>(slots: &[Mutex<T>]) -> MutexGuard<'_, T> {
    let last = slots.len() - 1;
    let slot = rayon::current_thread_index().filter(|&i| i < last).unwrap_or(last);
    slots[slot].lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One thread's view of [`ScopeClasses`].
pub struct Memo<'a> {
    styled: &'a StyledClasses,
    memo: &'a mut HashMap<Scope, Option<Box<str>>>,
}

impl Memo<'_> {
    pub fn classes(&mut self, scope: Scope) -> Option<&str> {
        let styled = self.styled;
        self.memo.entry(scope).or_insert_with(|| styled.classes_for(scope)).as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(css: &str, scope: &str) -> Option<String> {
        StyledClasses::of_texts([css]).classes_for(Scope::new(scope).unwrap()).map(String::from)
    }

    #[test]
    fn compounds_are_runs_of_prefixed_classes() {
        let styled = StyledClasses::of_texts([".hl-a.hl-b .hl-c, .hl-d:hover>.hl-e.x.hl-f { color: red }"]);
        let expected: BTreeSet<Vec<String>> = [vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"], vec!["f"]]
            .iter()
            .map(|c| c.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(styled.compounds, expected);
        assert!(!styled.keep_all);
    }

    #[test]
    fn a_scope_keeps_the_atoms_of_the_compounds_it_contains() {
        let css = ".hl-storage.hl-type { } .hl-entity.hl-name.hl-function { } .hl-comment { }";
        assert_eq!(classes(css, "storage.type.function.python").as_deref(), Some("hl-storage hl-type"));
        assert_eq!(classes(css, "storage.modifier.python"), None, "storage alone is no compound");
        assert_eq!(classes(css, "entity.name.function.rust").as_deref(), Some("hl-entity hl-name hl-function"));
        assert_eq!(classes(css, "comment.line.double-slash").as_deref(), Some("hl-comment"));
        assert_eq!(classes(css, "meta.function.python"), None);
    }

    #[test]
    fn an_escaped_name_keeps_every_class() {
        assert_eq!(classes(".hl-c\\+\\+ { }", "meta.block.c++").as_deref(), Some("hl-meta hl-block hl-c++"));
    }

    #[test]
    fn text_without_prefixed_classes_keeps_nothing() {
        assert_eq!(classes("body { color: red } .hl { } .xhl-a { }", "source.rust"), None);
        assert_eq!(StyledClasses::of_texts([".hl- .hl-"]).compounds.len(), 0);
    }
}
