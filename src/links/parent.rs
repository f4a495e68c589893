//! Render stage (link side): the parent handbook's space. A page of this site sits at
//! `section_path` + its URL in the parent handbook, and its file at the same place in the
//! parent's content tree; relative links are resolved there first, and only then is it decided
//! whether the target is this site (under `section_path`) or the parent.

use super::paths::join;
use crate::content::Page;

/// Where a relative path lands in the parent handbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Under `section_path`: the rest of the path, relative to this site's root.
    Section(String),
    /// Outside it: the absolute path in the parent (`/handbook/legal/`), normalised.
    Parent(String),
    /// More `../` than the parent has folders.
    AboveRoot,
}

/// Resolves `path` written on `page`: `.md` paths (and `ref` targets, `file_relative`) from the
/// page file's folder, like Hugo's link render hook; other paths as a browser resolves them
/// against the page's URL (a section's URL ends in `/`).
pub fn place(section_path: &str, page: &Page, path: &str, file_relative: bool) -> Place {
    let base = if file_relative { page.dir() } else { page.url.as_str() };
    let full = if path.starts_with('/') { path.to_string() } else { format!("{section_path}{base}{path}") };
    let Some(joined) = join("", &full) else { return Place::AboveRoot };
    let absolute = format!("/{joined}");
    let section = section_path.trim_end_matches('/');
    match absolute.strip_prefix(section) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => Place::Section(rest.trim_start_matches('/').to_string()),
        _ => Place::Parent(absolute),
    }
}

/// The URL a content path of the parent handbook is published at, with Hugo's rules:
/// `x.md`, `x/index.md` and `x/_index.md` (and Middleman's `x.html.md`) are `/x/`, lower case.
/// Other paths are URLs already and stay as written.
pub fn pretty(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix(".md") else { return path.to_string() };
    let stem = stem.strip_suffix(".html").unwrap_or(stem);
    let stem = ["/_index", "/index", "_index", "index"].iter().find_map(|s| stem.strip_suffix(s)).unwrap_or(stem);
    format!("{}/", stem.trim_end_matches('/'))
}

/// Parent-handbook paths (as in `known_urls`) a bare `ref` name can mean, with Hugo's rules: the
/// path ends with the name as a whole segment (`engaging-security-on-call`, or `team/x`).
pub fn ref_candidates<'a>(known: impl Iterator<Item = &'a String>, name: &str) -> Vec<&'a String> {
    let name = name.trim_matches('/').trim_end_matches(".md").to_ascii_lowercase();
    let mut found: Vec<&String> = known.filter(|url| url.strip_suffix(name.as_str()).is_some_and(|rest| rest.ends_with('/'))).collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTION: &str = "/handbook/security/product-security/application-security/";

    fn page(rel: &str) -> Page {
        crate::content::load_page(rel, "# T\n".into()).0.unwrap()
    }

    #[test]
    fn the_issues_worked_examples() {
        let home = page("_index.md");
        assert_eq!(
            place(SECTION, &home, "../security-platforms-architecture/", false),
            Place::Parent("/handbook/security/product-security/security-platforms-architecture/".into())
        );
        assert_eq!(place(SECTION, &home, "../../../legal/", false), Place::Parent("/handbook/legal/".into()));
        let sdd = page("appsec-operations/sdd-services.md");
        assert_eq!(
            place(SECTION, &sdd, "../../../root-cause-analysis.md", true),
            Place::Parent("/handbook/security/root-cause-analysis.md".into())
        );
        assert_eq!(pretty("/handbook/security/root-cause-analysis.md"), "/handbook/security/root-cause-analysis/");
    }

    #[test]
    fn leaving_the_section_and_coming_back_by_name_is_this_site() {
        let home = page("_index.md");
        assert_eq!(
            place(SECTION, &home, "../application-security/responding-customers.md", true),
            Place::Section("responding-customers.md".into())
        );
        assert_eq!(place(SECTION, &page("runbooks/x.md"), "../inventory/", false), Place::Section("runbooks/inventory/".into()));
        assert_eq!(place(SECTION, &page("runbooks/x.md"), "../inventory.md", true), Place::Section("inventory.md".into()));
    }

    #[test]
    fn climbing_above_the_root_is_reported() {
        assert_eq!(place(SECTION, &page("_index.md"), "../../../../../x/", false), Place::AboveRoot);
    }

    #[test]
    fn pretty_urls_follow_hugo() {
        assert_eq!(pretty("/handbook/company/Strategy.md"), "/handbook/company/strategy/");
        assert_eq!(pretty("/handbook/legal/_index.md"), "/handbook/legal/");
        assert_eq!(pretty("/handbook/old/index.html.md"), "/handbook/old/");
        assert_eq!(pretty("/handbook/legal/"), "/handbook/legal/");
    }

    #[test]
    fn bare_ref_names_match_whole_last_segments() {
        let known: Vec<String> = ["/handbook/security/engaging-security-on-call", "/handbook/x/on-call", "/handbook/y/on-call"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(ref_candidates(known.iter(), "engaging-security-on-call").len(), 1);
        assert_eq!(ref_candidates(known.iter(), "on-call").len(), 2);
        assert_eq!(ref_candidates(known.iter(), "call").len(), 0);
        assert_eq!(ref_candidates(known.iter(), "x/on-call.md"), [&known[1]]);
    }
}
