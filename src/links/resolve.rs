//! Render stage (link side): resolve one link or `ref` against the [`SiteIndex`], giving the
//! href to write and, when something is off, a problem with a fix.

use super::index::SiteIndex;
use super::parent::{self, Place};
use super::paths::{is_external, join, relative, split_dest};
use crate::content::PageId;
use crate::diagnostics::Severity;

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Page {
        id: PageId,
        anchor: Option<String>,
    },
    File(String),
    External,
    /// A page of the parent handbook; `checked` when `known_urls` confirmed it.
    Parent {
        path: String,
        checked: bool,
    },
}

/// Something to tell the author about a link that was resolved (or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub suggestion: Option<String>,
    /// `check --fix` may replace the link with `suggestion`.
    pub fixable: bool,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    pub target: Option<Target>,
    /// The href to write instead of the one in the source.
    pub href: Option<String>,
    pub problem: Option<Problem>,
}

/// How a page was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Direct,
    Alias,
    Legacy,
}

#[derive(Debug)]
enum Found {
    /// The page, how it was reached and the path that matched it as written (joined).
    Page(PageId, Via, Option<String>),
    File(String, Option<String>),
    /// A page of the parent handbook: whether `known_urls` has it, and its path there.
    Parent(Option<bool>, String),
    /// A relative link with more `../` than the parent handbook has folders.
    AboveRoot,
    Nothing,
}

/// Resolves a Markdown link destination written on page `from`.
pub fn resolve_link(ix: &SiteIndex, from: PageId, dest: &str) -> Resolution {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('{') && dest.ends_with('}') {
        return Resolution::default();
    }
    if is_external(dest) {
        return Resolution { target: Some(Target::External), ..Default::default() };
    }
    let (raw_path, fragment, query) = split_dest(dest);
    let path = decode(raw_path);
    let anchor = fragment.map(decode);
    if path.is_empty() {
        return Resolution { target: Some(Target::Page { id: from, anchor }), ..Default::default() };
    }
    let found = match path.starts_with('/') {
        true => root_absolute(ix, &path),
        false => match relative_link(ix, from, &path) {
            Found::Nothing => in_parent_space(ix, from, &path),
            found => found,
        },
    };
    let suffix = |href: String| match query {
        Some(q) => format!("{href}?{q}"),
        None => href,
    };
    match found {
        Found::Page(id, via, written) => {
            let mut href = suffix(ix.config.page_path(&ix.content.pages[id].url));
            if let Some(a) = &anchor {
                href.push('#');
                href.push_str(a);
            }
            let problem = via_problem(ix, from, id, via, dest, written.as_deref(), anchor.as_deref());
            Resolution { target: Some(Target::Page { id, anchor }), href: Some(href), problem }
        }
        Found::File(output, written) => {
            let href = suffix(format!("{}{output}", ix.config.base_path));
            let exact = written.as_deref().is_none_or(|w| super::paths::join("", w).as_deref() == Some(output.as_str()));
            let problem = (!exact).then(|| file_case_problem(ix, dest, &output));
            Resolution { target: Some(Target::File(output)), href: Some(href), problem }
        }
        Found::Parent(checked, parent_path) => {
            let mut resolution = parent(ix, &parent_path, checked);
            resolution.href = resolution.href.map(|href| with_fragment(suffix(href), anchor.as_deref()));
            resolution
        }
        Found::AboveRoot => Resolution { problem: Some(above_root(dest)), ..Default::default() },
        Found::Nothing => Resolution { problem: Some(broken(ix, from, dest, &path)), ..Default::default() },
    }
}

fn with_fragment(mut href: String, anchor: Option<&str>) -> String {
    if let Some(a) = anchor {
        href.push('#');
        href.push_str(a);
    }
    href
}

/// A relative link not found in the site, resolved where the page sits in the parent handbook:
/// back in this section under another name, or a page of the parent (see [`parent::place`]).
fn in_parent_space(ix: &SiteIndex, from: PageId, path: &str) -> Found {
    let Some(section) = ix.config.section_path.as_deref() else { return Found::Nothing };
    match parent::place(section, &ix.content.pages[from], path, has_md_extension(path)) {
        Place::AboveRoot => Found::AboveRoot,
        Place::Section(rest) => site_path(ix, &rest),
        Place::Parent(absolute) => {
            let url = parent::pretty(&absolute);
            Found::Parent(ix.known_parent_url(&url), url)
        }
    }
}

fn above_root(dest: &str) -> Problem {
    Problem {
        severity: Severity::Error,
        code: "link-above-root",
        message: format!("`{dest}` climbs above the parent handbook's root: it has more `../` than there are folders above this page"),
        suggestion: None,
        fixable: false,
        notes: Vec::new(),
    }
}

/// A link into the parent handbook: `parent_url` + its normalised path (`path` has no fragment).
fn parent(ix: &SiteIndex, path: &str, checked: Option<bool>) -> Resolution {
    let href = ix.config.parent_url.as_ref().map(|origin| format!("{origin}{path}"));
    let problem = (checked == Some(false)).then(|| Problem {
        severity: ix.config.broken_link_severity,
        code: "broken-parent-link",
        message: format!("`{path}` is not a page of the parent handbook (not in known_urls)"),
        suggestion: ix.config.known_urls.as_ref().and_then(|set| {
            crate::suggest::closest(&crate::config::normalize_known_url(path), set.iter().map(String::as_str)).map(str::to_string)
        }),
        fixable: false,
        notes: Vec::new(),
    });
    Resolution { target: Some(Target::Parent { path: path.to_string(), checked: checked == Some(true) }), href, problem }
}

/// `/…` links: this section's pages under `section_path`, the parent handbook elsewhere.
fn root_absolute(ix: &SiteIndex, path: &str) -> Found {
    let config = ix.config;
    let section = config.section_path.as_deref();
    let prefix = section.unwrap_or(&config.base_path);
    // Under the prefix but not a page or file: still an alias's old place, or a legacy link.
    let under_prefix = match strip_dir_prefix(path, prefix) {
        Some(rest) => match site_path(ix, rest) {
            found @ (Found::Page(..) | Found::File(..)) => return found,
            _ => true,
        },
        None => false,
    };
    if section.is_none() {
        if let found @ (Found::Page(..) | Found::File(..)) = site_path(ix, path) {
            return found;
        }
    }
    let bare = path.strip_suffix(".html").unwrap_or(path);
    if let Some(id) = ix.page_by_alias(bare) {
        return Found::Page(id, Via::Alias, None);
    }
    if let Some((section_id, rest)) = ix.under_section_alias(bare) {
        let base = &ix.content.pages[section_id].url;
        if let Found::Page(id, ..) = site_path(ix, &format!("{base}{rest}")) {
            return Found::Page(id, Via::Alias, None);
        }
    }
    if path.ends_with(".html") {
        if let Some(id) = legacy_by_name(ix, path) {
            return Found::Page(id, Via::Legacy, None);
        }
    }
    match section {
        Some(_) if !under_prefix => {
            let url = parent::pretty(path);
            Found::Parent(ix.known_parent_url(&url), url)
        }
        _ => Found::Nothing,
    }
}

/// A path relative to the site (or section) root: a URL, `.md` content path, `.html` or file.
fn site_path(ix: &SiteIndex, rest: &str) -> Found {
    let page = |id: Option<PageId>, via: Via| id.map_or(Found::Nothing, |id| Found::Page(id, via, Some(rest.to_string())));
    if has_md_extension(rest) {
        return page(ix.page_by_content_path(rest), Via::Direct);
    }
    if let Some(stem) = rest.strip_suffix(".html") {
        let stem = stem.strip_suffix("index").unwrap_or(stem);
        return page(ix.page_by_url(stem).or_else(|| ix.page_by_content_stem(stem)), Via::Legacy);
    }
    if let Some(id) = ix.page_by_url(rest) {
        return Found::Page(id, Via::Direct, Some(rest.to_string()));
    }
    ix.file(rest).map_or(Found::Nothing, |f| Found::File(f.to_string(), Some(rest.to_string())))
}

/// Relative links: as content paths from the page's folder first (Hugo's link render hook),
/// then as URLs relative to the page's URL, then as files.
fn relative_link(ix: &SiteIndex, from: PageId, path: &str) -> Found {
    let page = &ix.content.pages[from];
    let dir = page.dir();
    if has_md_extension(path) {
        let joined = join(dir, path);
        let id = joined.as_deref().and_then(|p| ix.page_by_content_path(p));
        return id.map_or(Found::Nothing, |id| Found::Page(id, Via::Direct, joined));
    }
    let (stem, via) = match path.strip_suffix(".html") {
        Some(stem) => (stem.strip_suffix("index").unwrap_or(stem), Via::Legacy),
        None => (path, Via::Direct),
    };
    let as_content = join(dir, stem).and_then(|j| Some((ix.page_by_content_stem(&j)?, j)));
    let as_url = || join(&page.url, stem).and_then(|j| Some((ix.page_by_url(&j)?, j)));
    if let Some((id, joined)) = as_content.or_else(as_url) {
        return Found::Page(id, via, Some(joined));
    }
    for base in [page.url.as_str(), dir] {
        if let Some(joined) = join(base, path) {
            if let Some(file) = ix.file(&joined) {
                return Found::File(file.to_string(), Some(joined));
            }
        }
    }
    Found::Nothing
}

/// `x.md` in any case, without allocating a lowercase copy.
fn has_md_extension(path: &str) -> bool {
    path.len() >= 3 && path.as_bytes()[path.len() - 3..].eq_ignore_ascii_case(b".md")
}

/// A legacy `.html` link whose path no longer exists: its file name, if unique, names the page.
fn legacy_by_name(ix: &SiteIndex, path: &str) -> Option<PageId> {
    let stem = path.trim_end_matches(".html").trim_end_matches("/index").trim_end_matches('/');
    let name = stem.rsplit('/').next()?;
    match ix.pages_by_file_name(&format!("{name}.md")) {
        [only] => Some(*only),
        _ => None,
    }
}

fn via_problem(
    ix: &SiteIndex,
    from: PageId,
    id: PageId,
    via: Via,
    dest: &str,
    written: Option<&str>,
    anchor: Option<&str>,
) -> Option<Problem> {
    let page = &ix.content.pages[id];
    let code = match via {
        Via::Direct => {
            return written.filter(|w| differs_in_case(w, &[&page.url, &page.rel])).map(|_| page_case_problem(ix, from, id, dest, anchor))
        }
        Via::Legacy => "legacy-link",
        Via::Alias => "alias-link",
    };
    // Only here: almost every link is direct and needs no canonical form.
    let canonical = ix.canonical_link(id, anchor);
    let file = page.file.display();
    let message = match via {
        Via::Alias => format!("`{dest}` reaches {file} only through one of its aliases; its URL is now `{canonical}`"),
        _ => format!("`{dest}` is a legacy link; {file} is now at `{canonical}`"),
    };
    Some(Problem { severity: Severity::Warning, code, message, suggestion: Some(canonical), fixable: true, notes: Vec::new() })
}

/// True when `written` (a joined path, as written) names `actual` only if case is ignored.
/// Lookups already matched ignoring case, so any difference in the normalized forms is case.
fn differs_in_case(written: &str, actuals: &[&str]) -> bool {
    let lowercase_ascii = |s: &str| s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
    if lowercase_ascii(written) && actuals.iter().all(|a| lowercase_ascii(a)) {
        return false; // nothing can differ in case: skip the normalizing (most links)
    }
    let norm = |s: &str| {
        let s = super::paths::join("", s).unwrap_or_default();
        let s = s.trim_end_matches('/');
        let s = s.strip_suffix(".md").or_else(|| s.strip_suffix(".html")).unwrap_or(s);
        let s = s.strip_suffix("/_index").or_else(|| s.strip_suffix("/index")).unwrap_or(s);
        s.strip_suffix("_index").or_else(|| s.strip_suffix("index")).unwrap_or(s).trim_end_matches('/').to_string()
    };
    let written = norm(written);
    !actuals.iter().any(|a| norm(a) == written)
}

fn page_case_problem(ix: &SiteIndex, from: PageId, id: PageId, dest: &str, anchor: Option<&str>) -> Problem {
    let target = &ix.content.pages[id];
    let written = split_dest(dest).0;
    let mut fixed =
        if has_md_extension(written) { relative(ix.content.pages[from].dir(), &target.rel) } else { ix.canonical_link(id, None) };
    if let Some(a) = anchor {
        fixed = format!("{fixed}#{a}");
    }
    Problem {
        severity: Severity::Warning,
        code: "link-case",
        message: format!("`{dest}` matches {} only when case is ignored", target.file.display()),
        suggestion: Some(fixed),
        fixable: true,
        notes: Vec::new(),
    }
}

fn file_case_problem(ix: &SiteIndex, dest: &str, output: &str) -> Problem {
    Problem {
        severity: Severity::Warning,
        code: "link-case",
        message: format!("`{dest}` matches the file `{output}` only when case is ignored"),
        suggestion: Some(format!("{}{output}", ix.config.base_path)),
        fixable: true,
        notes: Vec::new(),
    }
}

fn broken(ix: &SiteIndex, from: PageId, dest: &str, path: &str) -> Problem {
    Problem {
        severity: ix.config.broken_link_severity,
        code: "broken-link",
        message: format!("link target `{dest}` does not exist"),
        suggestion: suggest_link(ix, from, path).map(|s| match split_dest(dest).1 {
            Some(f) => format!("{s}#{f}"),
            None => s,
        }),
        fixable: false,
        notes: Vec::new(),
    }
}

/// The closest existing link written in the same style as `path`.
fn suggest_link(ix: &SiteIndex, from: PageId, path: &str) -> Option<String> {
    let dir = ix.content.pages[from].dir();
    let pages = &ix.content.pages;
    let candidates: Vec<String> = if path.starts_with('/') {
        let base = ix.config.section_path.as_deref().unwrap_or(&ix.config.base_path);
        pages.iter().map(|p| format!("{base}{}", p.url)).collect()
    } else if has_md_extension(path) {
        pages.iter().filter(|p| !p.generated).map(|p| relative(dir, &p.rel)).collect()
    } else {
        pages.iter().map(|p| relative(dir, &p.url)).chain(ix.file_paths().map(|f| relative(dir, f))).collect()
    };
    crate::suggest::closest(path, candidates.iter().map(String::as_str)).map(str::to_string)
}

/// `{{< ref "p#a" >}}` with Hugo's rules.
pub fn resolve_ref(ix: &SiteIndex, from: PageId, target: &str) -> Resolution {
    let (path, fragment, _) = split_dest(target.trim());
    let anchor = fragment.map(str::to_string);
    if path.is_empty() {
        let href = ix.href(from, anchor.as_deref());
        return Resolution { target: Some(Target::Page { id: from, anchor }), href: Some(href), problem: None };
    }
    match find_ref(ix, from, path) {
        Ok(id) => {
            let href = ix.href(id, anchor.as_deref());
            Resolution { target: Some(Target::Page { id, anchor }), href: Some(href), problem: None }
        }
        Err(candidates) if candidates.len() > 1 => {
            let files: Vec<String> = candidates.iter().map(|&id| ix.content.pages[id].file.display().to_string()).collect();
            Resolution { problem: Some(ambiguous(target, &files)), ..Default::default() }
        }
        Err(_) => unresolved_ref(ix, from, target, path),
    }
}

/// The page a ref names, or the candidates when the bare name is ambiguous (empty: none).
fn find_ref(ix: &SiteIndex, from: PageId, path: &str) -> Result<PageId, Vec<PageId>> {
    let last = path.rsplit('/').next().unwrap_or(path);
    let with_ext = if last.contains('.') { path.to_string() } else { format!("{}.md", path.trim_end_matches('/')) };
    let lookup = |p: &str| ix.page_by_content_path(p).or_else(|| p.strip_suffix(".md").and_then(|s| ix.page_by_content_stem(s)));
    if let Some(rooted) = with_ext.strip_prefix('/') {
        return lookup(rooted).ok_or_else(Vec::new);
    }
    let dir = ix.content.pages[from].dir();
    if let Some(id) = join(dir, &with_ext).and_then(|p| lookup(&p)).or_else(|| lookup(&with_ext)) {
        return Ok(id);
    }
    if path.contains('/') {
        return Err(Vec::new());
    }
    match ix.pages_by_file_name(&with_ext) {
        [only] => Ok(*only),
        many => Err(many.to_vec()),
    }
}

fn ambiguous(target: &str, files: &[String]) -> Problem {
    Problem {
        severity: Severity::Error,
        code: "ambiguous-ref",
        message: format!("ambiguous reference `{target}`: it matches {}", files.join(" and ")),
        suggestion: None,
        fixable: false,
        notes: vec![format!("write the path from content/, e.g. `/{}`", files[0].trim_start_matches("content/"))],
    }
}

/// A `ref` that names no page of this site: with `section_path`, a relative or absolute one is
/// placed in the parent handbook, a bare name is looked up in `known_urls`; the href is never a
/// guess.
fn unresolved_ref(ix: &SiteIndex, from: PageId, target: &str, path: &str) -> Resolution {
    let Some(section) = ix.config.section_path.as_deref() else {
        return Resolution { problem: Some(broken_ref(ix, from, target, path)), ..Default::default() };
    };
    if !path.contains('/') {
        return bare_parent_ref(ix, from, target, path);
    }
    let with_ext =
        if path.rsplit('/').next().unwrap_or(path).contains('.') { path.to_string() } else { format!("{}.md", path.trim_end_matches('/')) };
    match parent::place(section, &ix.content.pages[from], &with_ext, true) {
        Place::AboveRoot => Resolution { problem: Some(above_root(target)), ..Default::default() },
        Place::Section(_) => Resolution { problem: Some(broken_ref(ix, from, target, path)), ..Default::default() },
        Place::Parent(absolute) => {
            let url = parent::pretty(&absolute);
            let mut resolution = parent(ix, &url, ix.known_parent_url(&url));
            if let Some(Problem { code, .. }) = &mut resolution.problem {
                *code = "broken-ref";
            }
            resolution
        }
    }
}

/// A bare `ref` name that is no page of this site: a page of the parent, found in `known_urls`
/// by its last segments (Hugo's rule); without `known_urls` a warning that says how to check it.
fn bare_parent_ref(ix: &SiteIndex, from: PageId, target: &str, name: &str) -> Resolution {
    let origin = ix.config.parent_url.as_deref().unwrap_or("");
    let Some(known) = &ix.config.known_urls else {
        let problem = Problem {
            severity: Severity::Warning,
            code: "unchecked-ref",
            message: format!("reference `{target}` is no page of this section and cannot be checked: it may be a page of the parent handbook"),
            suggestion: None,
            fixable: false,
            notes: vec![
                "write its path instead (e.g. `/handbook/…/page`), or set `[links] known_urls` (made with `handbook known-urls PARENT/content`) to find it by name".to_string(),
            ],
        };
        return Resolution { problem: Some(problem), ..Default::default() };
    };
    match parent::ref_candidates(known.iter(), name)[..] {
        [url] => Resolution {
            target: Some(Target::Parent { path: url.clone(), checked: true }),
            href: Some(format!("{origin}{url}/")),
            problem: None,
        },
        [] => Resolution { problem: Some(broken_ref(ix, from, target, name)), ..Default::default() },
        ref many => {
            let urls: Vec<String> = many.iter().map(|u| format!("{u}/")).collect();
            let mut problem = ambiguous(target, &urls);
            problem.notes = vec![format!("write the path instead, e.g. `{}`", urls[0].trim_end_matches('/'))];
            Resolution { problem: Some(problem), ..Default::default() }
        }
    }
}

fn broken_ref(ix: &SiteIndex, _from: PageId, target: &str, path: &str) -> Problem {
    let names: Vec<String> = ix.content.pages.iter().filter(|p| !p.generated).map(|p| p.rel.trim_end_matches(".md").to_string()).collect();
    let wanted = path.trim_start_matches('/').trim_end_matches(".md");
    let suggestion = crate::suggest::closest(wanted, names.iter().map(String::as_str))
        .or_else(|| {
            crate::suggest::closest(wanted.rsplit('/').next().unwrap_or(wanted), names.iter().map(|n| n.rsplit('/').next().unwrap_or(n)))
        })
        .map(str::to_string);
    Problem {
        severity: ix.config.broken_link_severity,
        code: "broken-ref",
        message: format!("reference `{target}` matches no page"),
        suggestion,
        fixable: false,
        notes: Vec::new(),
    }
}

/// `a` when `path` is `prefix` itself or lies under it (`/x/` prefix: `/x`, `/x/`, `/X/a`).
fn strip_dir_prefix<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let bare = prefix.trim_end_matches('/');
    if path.len() >= bare.len() && path[..bare.len()].eq_ignore_ascii_case(bare) {
        let rest = &path[bare.len()..];
        if rest.is_empty() || rest.starts_with('/') {
            return Some(rest.trim_start_matches('/'));
        }
        if matches!(rest, ".md" | ".html") {
            return Some("");
        }
    }
    None
}

/// Percent-decodes a link path (`my%20page.md`); invalid escapes stay as written, and so does
/// a path that does not decode to UTF-8.
pub(crate) fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8().map_or_else(|_| text.to_string(), |d| d.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_extension_in_any_case() {
        assert!(has_md_extension("a/b.md") && has_md_extension("B.MD") && has_md_extension(".md"));
        assert!(!has_md_extension("md") && !has_md_extension("a.mdx") && !has_md_extension("a/é"));
    }

    #[test]
    fn case_differences_are_found_with_and_without_uppercase() {
        assert!(!differs_in_case("runbooks/triage.md", &["runbooks/triage/", "runbooks/triage.md"]));
        assert!(differs_in_case("Runbooks/Triage.md", &["runbooks/triage/", "runbooks/triage.md"]));
        assert!(differs_in_case("runbooks/triage.md", &["runbooks/Triage/", "runbooks/Triage.md"]));
        assert!(!differs_in_case("Équipe/", &["Équipe/"]));
        assert!(differs_in_case("équipe/", &["Équipe/"]));
    }
}
