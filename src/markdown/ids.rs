//! Render stage: GitHub-style heading ids, unique per page.

use std::collections::{HashMap, HashSet};

/// GitHub's slug: lowercase; letters, digits, `-` and `_` kept; spaces become `-`; the rest
/// dropped. `Roles & Responsibilities` → `roles--responsibilities`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        if ch.is_alphanumeric() || ch == '-' || ch == '_' {
            out.extend(ch.to_lowercase());
        } else if ch == ' ' {
            out.push('-');
        }
    }
    out
}

/// Hands out ids in document order, suffixing `-1`, `-2` … on repeats as GitHub does.
#[derive(Default)]
pub struct Ids {
    used: HashSet<String>,
    /// The next suffix to try for a base: every smaller one is taken already, so 20,000 equal
    /// headings cost 20,000 steps, not 200 million.
    next_suffix: HashMap<String, usize>,
}

impl Ids {
    /// Reserves an id the author chose (`{#id}`), as written.
    pub fn explicit(&mut self, id: &str) -> String {
        self.used.insert(id.to_string());
        id.to_string()
    }

    pub fn for_heading(&mut self, text: &str) -> String {
        let base = match slugify(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(slugify("Roles & Responsibilities"), "roles--responsibilities");
        assert_eq!(slugify("Application Security KPIs & Other Metrics in Sisense"), "application-security-kpis--other-metrics-in-sisense");
        assert_eq!(slugify("What's `new`? (v2.0)"), "whats-new-v20");
        assert_eq!(slugify("Ünïcode Ok"), "ünïcode-ok");
    }

    #[test]
    fn repeats_get_numbered_suffixes() {
        let mut ids = Ids::default();
        assert_eq!(ids.for_heading("Notes"), "notes");
        assert_eq!(ids.for_heading("Notes"), "notes-1");
        assert_eq!(ids.explicit("custom"), "custom");
        assert_eq!(ids.for_heading("Custom"), "custom-1");
        assert_eq!(ids.for_heading("?!"), "section");
        assert_eq!(ids.explicit("notes-2"), "notes-2");
        assert_eq!(ids.for_heading("Notes"), "notes-3", "an explicit id is skipped");
    }

    #[test]
    fn equal_headings_resume_at_the_next_free_suffix() {
        let mut ids = Ids::default();
        let last = (0..20_000).map(|_| ids.for_heading("Same")).last().unwrap();
        assert_eq!(last, "same-19999");
        // Each heading tried one candidate: the search resumed where the last one ended.
        assert_eq!(ids.next_suffix["same"], 20_000);
    }
}
