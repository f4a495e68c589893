//! Index stage helpers: normalizing link paths the way page lookups compare them.

/// Splits `dest` into (path, fragment, query) — `x?q#a` → (`x`, Some(`a`), Some(`q`)).
pub fn split_dest(dest: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    match rest.split_once('?') {
        Some((p, q)) => (p, fragment, Some(q)),
        None => (rest, fragment, None),
    }
}

/// True for `https:`, `mailto:`, `//host` and other links that leave the site.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else { return false };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !dest[..colon].contains('/')
}

/// Joins `base` (a folder, `` or ending in `/`) and a relative `path`, resolving `.` and `..` and
/// collapsing repeated slashes. `None` when `..` climbs above the root. Keeps a trailing slash.
pub fn join(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut full = String::with_capacity(base.len() + path.len());
    full.push_str(base);
    full.push_str(path);
    for segment in full.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Lookup key of a URL or content path: lowercase, no leading/trailing or repeated slashes.
pub fn key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if !out.is_empty() {
            out.push('/');
        }
        if segment.is_ascii() {
            // The common case, without the allocation `to_lowercase` makes.
            let start = out.len();
            out.push_str(segment);
            out[start..].make_ascii_lowercase();
        } else {
            out.push_str(&segment.to_lowercase());
        }
    }
    out
}

/// The relative path from folder `from` (`a/b/` or ``) to `to` (`a/c/x/`).
pub fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    if to.ends_with('/') && !out.is_empty() && !out.ends_with('/') {
        out.push('/');
    }
    if out.is_empty() {
        out.push_str("./");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_classifies() {
        assert_eq!(split_dest("a/b.md?x=1#top"), ("a/b.md", Some("top"), Some("x=1")));
        assert!(is_external("https://x") && is_external("mailto:a@b") && is_external("//cdn/x"));
        assert!(!is_external("runbooks/") && !is_external("a/b:c") && !is_external("#x"));
    }

    #[test]
    fn joins_and_normalizes() {
        assert_eq!(join("runbooks/", "../inventory.md").as_deref(), Some("inventory.md"));
        assert_eq!(join("", "runbooks/").as_deref(), Some("runbooks/"));
        assert_eq!(join("a//b/", "./c").as_deref(), Some("a/b/c"));
        assert_eq!(join("", "../x"), None);
        assert_eq!(key("/Handbook//X/"), "handbook/x");
        assert_eq!(key("Équipe/ÜBER/ΟΔΟΣ"), "équipe/über/οδος", "non-ASCII segments lowercase like str::to_lowercase");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative("", "runbooks/"), "runbooks/");
        assert_eq!(relative("runbooks/", "inventory/"), "../inventory/");
        assert_eq!(relative("a/", "a/b.md"), "b.md");
    }
}
