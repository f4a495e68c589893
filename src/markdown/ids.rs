//! Render stage: GitHub-style heading ids, unique per page.

use std::collections::HashSet;

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
        let mut candidate = base.clone();
        let mut n = 1;
        while !self.used.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
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
    }
}
