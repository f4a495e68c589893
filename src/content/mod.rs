//! Load stage: walk `content/`, read every page with its front matter, give it a URL, and build
//! the section tree. Produces plain data ([`Content`]) for the index and render stages.

pub mod front_matter;
mod tree;
mod url_checks;
pub mod walk;

pub use front_matter::FrontMatter;
pub use tree::{sort_children, Tree};
pub use url_checks::front_value_span;
pub use walk::{is_ignored_name, SourceFiles};

use crate::diagnostics::{Diagnostic, LineIndex, Span};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Index of a page in [`Content::pages`].
pub type PageId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `x.md`
    Page,
    /// `x/_index.md`: has children.
    Section,
    /// `x/index.md`: a page whose folder's other files are its resources.
    Bundle,
}

/// One Markdown page, as loaded.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path from the site root, e.g. `content/runbooks/triage.md` (what diagnostics show).
    pub file: PathBuf,
    /// Path from `content/` with `/` separators, e.g. `runbooks/triage.md`.
    pub rel: String,
    pub text: String,
    pub lines: LineIndex,
    pub body_start: usize,
    pub front: FrontMatter,
    pub kind: PageKind,
    /// URL relative to the site root: `runbooks/triage/`, or `` for the home page.
    pub url: String,
    pub title: String,
    /// The section this page belongs to (`None` only for the root).
    pub parent: Option<PageId>,
    /// True for a root section made up because `content/_index.md` does not exist.
    pub generated: bool,
    /// The title is the body's first `# heading` (the template shows it; the body drops it).
    pub title_from_h1: bool,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The folder of the page's file, relative to `content/`, with a trailing `/` (or ``).
    pub fn dir(&self) -> &str {
        self.rel.rfind('/').map_or("", |i| &self.rel[..=i])
    }

    pub fn is_section(&self) -> bool {
        self.kind == PageKind::Section
    }
}

/// A non-Markdown file to copy into the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub source: PathBuf,
    /// Output path relative to the output root, `/` separators.
    pub output: String,
}

/// Everything the load stage found.
#[derive(Debug, Default)]
pub struct Content {
    /// Sorted by `rel`; the root section is always present.
    pub pages: Vec<Page>,
    pub tree: Tree,
    /// Files under `content/` that are not pages (bundle resources, images next to pages).
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Content {
    pub fn root(&self) -> PageId {
        self.tree.root
    }
}

pub struct LoadOptions {
    pub drafts: bool,
}

/// Reads `content/` under `root`. Problems in single pages are diagnostics; only I/O failures
/// on the folder itself are errors.
pub fn load(root: &Path, site_title: &str, options: &LoadOptions) -> crate::Result<Content> {
    let files = walk::walk(&root.join("content"))?;
    let read: Vec<_> = files
        .markdown
        .par_iter()
        .map(|rel| {
            let path = root.join("content").join(rel);
            Ok(match crate::io::read_text(&path, crate::io::MAX_TEXT_BYTES)? {
                Ok(text) => load_page(rel, text),
                Err(problem) => (None, vec![problem.diagnostic(&Path::new("content").join(rel))]),
            })
        })
        .collect::<crate::Result<_>>()?;
    let mut pages = Vec::with_capacity(read.len() + 1);
    let mut diagnostics = Vec::new();
    for (page, mut problems) in read {
        diagnostics.append(&mut problems);
        if let Some(page) = page.filter(|p| options.drafts || !p.front.draft) {
            pages.push(page);
        }
    }
    if !pages.iter().any(|p| p.rel == "_index.md" || p.rel == "index.html.md") {
        pages.push(generated_section("", site_title.to_string()));
    }
    let missing = top_level_folders_without_index(&pages);
    pages.extend(missing.into_iter().map(|dir| {
        let title = readable(&dir);
        generated_section(&dir, title)
    }));
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    diagnostics.extend(duplicate_urls(&pages));
    let tree = Tree::build(&mut pages);
    let (assets, bad_names) = assets(root, &files.other, &pages);
    diagnostics.extend(bad_names);
    Ok(Content { pages, tree, assets, diagnostics })
}

/// Parses one page file; `None` when its front matter is unreadable (reported, page skipped).
pub fn load_page(rel: &str, text: String) -> (Option<Page>, Vec<Diagnostic>) {
    let file = Path::new("content").join(rel);
    let text = lone_cr_to_lf(text);
    let lines = LineIndex::new(&text);
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err(span) => {
            let d = Diagnostic::error("front-matter-unclosed", &file, "front matter is opened here but never closed")
                .with_span(span)
                .with_label("no closing delimiter line after this")
                .located(&text, &lines);
            return (None, vec![d]);
        }
    };
    let (front, warnings) = match front_matter::parse(&file, &text, &lines, &split) {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let bad_urls = url_checks::check(&file, &text, &lines, &split, &front);
    if !bad_urls.is_empty() {
        return (None, bad_urls);
    }
    // `index.html.md` is a Middleman-era folder index: a section, as `_index.md`.
    let kind = match rel.rsplit('/').next() {
        Some("_index.md" | "index.html.md") => PageKind::Section,
        Some("index.md") => PageKind::Bundle,
        _ => PageKind::Page,
    };
    let url = page_url(rel, kind, &front);
    let h1 = front.title.is_none().then(|| first_h1(&text[split.body_start..])).flatten();
    let title_from_h1 = h1.is_some();
    let title = front.title.clone().or(h1).unwrap_or_else(|| fallback_title(rel));
    let page = Page {
        file,
        rel: rel.to_string(),
        text,
        lines,
        body_start: split.body_start,
        front,
        kind,
        url,
        title,
        parent: None,
        generated: false,
        title_from_h1,
    };
    (Some(page), warnings)
}

/// Old Mac line endings (`\r` alone) become `\n`, as CommonMark reads them: the front matter is
/// found and lines are counted. One byte for one byte, so every offset stays the file's own.
fn lone_cr_to_lf(text: String) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    String::from_utf8(bytes).expect("an ASCII byte replaced by an ASCII byte")
}

/// A section page made up for a folder without `_index.md`: the root, or (Hugo's rule) a
/// top-level folder of `content/`. `dir` is `` or `name/`.
fn generated_section(dir: &str, title: String) -> Page {
    Page {
        file: PathBuf::from(format!("content/{dir}_index.md")),
        rel: format!("{dir}_index.md"),
        text: String::new(),
        lines: LineIndex::new(""),
        body_start: 0,
        front: FrontMatter::default(),
        kind: PageKind::Section,
        url: dir.to_string(),
        title,
        parent: None,
        generated: true,
        title_from_h1: false,
    }
}

/// Top-level folders (`name/`) that hold pages but neither a section index nor a bundle index:
/// Hugo makes each a section all the same (deeper folders need an `_index.md`).
fn top_level_folders_without_index(pages: &[Page]) -> std::collections::BTreeSet<String> {
    let top = |p: &Page| p.rel.split_once('/').map(|(dir, _)| format!("{dir}/"));
    let indexed: std::collections::HashSet<String> =
        pages.iter().filter(|p| p.kind != PageKind::Page && p.dir().matches('/').count() == 1).map(|p| p.dir().to_string()).collect();
    pages.iter().filter_map(top).filter(|dir| !indexed.contains(dir)).collect()
}

/// URL rules of the spec: pretty URLs, `slug` replaces the last segment, `url` replaces all.
pub fn page_url(rel: &str, kind: PageKind, front: &FrontMatter) -> String {
    if let Some(url) = &front.url {
        return wrap_url(url);
    }
    let without_ext = rel.strip_suffix(".md").unwrap_or(rel);
    // Middleman's `x.html.md` is the page `/x/`, exactly as `x.md`.
    let without_ext = without_ext.strip_suffix(".html").unwrap_or(without_ext);
    let path = match kind {
        PageKind::Section | PageKind::Bundle => without_ext.rsplit_once('/').map_or("", |(dir, _)| dir),
        PageKind::Page => without_ext,
    };
    let path = match (&front.slug, path.rsplit_once('/')) {
        (Some(slug), Some((dir, _))) => format!("{dir}/{slug}"),
        (Some(slug), None) if !path.is_empty() => slug.clone(),
        _ => path.to_string(),
    };
    wrap_url(&path)
}

/// `/a/b` → `a/b/`, `/` → ``.
fn wrap_url(path: &str) -> String {
    let inner: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if inner.is_empty() {
        String::new()
    } else {
        format!("{}/", inner.join("/"))
    }
}

/// The text of the first `# ` heading outside code fences.
fn first_h1(body: &str) -> Option<String> {
    let mut in_fence = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence {
            if let Some(title) = trimmed.strip_prefix("# ") {
                let title = title.trim().trim_end_matches('#').trim();
                let title = title.split(" {").next().unwrap_or(title);
                return Some(title.to_string());
            }
        }
    }
    None
}

/// The title of a page with neither `title` nor a `# ` heading: its file (or folder) name made
/// readable, so `supply-chain-security-for-dependencies` never shows raw in the sidebar.
fn fallback_title(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = stem.strip_suffix(".html").unwrap_or(stem);
    let stem = stem.strip_suffix("/_index").or_else(|| stem.strip_suffix("/index")).unwrap_or(stem);
    readable(stem.rsplit('/').next().unwrap_or(stem))
}

/// `supply-chain_security` → `Supply chain security`.
pub fn readable(name: &str) -> String {
    let words = name.trim_matches('/').replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

fn duplicate_urls(pages: &[Page]) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<&str, &Page> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for page in pages {
        if let Some(first) = seen.insert(&page.url, page) {
            // Point at the front-matter key that set the URL, if one did; else the file's start.
            let front = &page.text[..page.body_start];
            let at = ["\nurl", "\nslug"].iter().find_map(|key| front.find(key)).map_or(0, |i| i + 1);
            out.push(
                Diagnostic::error(
                    "duplicate-url",
                    &page.file,
                    format!("this page's URL `/{}` is also the URL of {}", page.url, first.file.display()),
                )
                .with_span(Span::new(at, at))
                .located(&page.text, &page.lines),
            );
            seen.insert(&page.url, first);
        }
    }
    out
}

/// Bundle resources go beside their page's output (following a `slug`/`url`); other files keep
/// their path under `content/`. A file whose name could not be published as it is (a backslash
/// or a control character in it) is an error and is left out.
fn assets(root: &Path, files: &[String], pages: &[Page]) -> (Vec<Asset>, Vec<Diagnostic>) {
    let bundles: std::collections::HashMap<&str, &str> =
        pages.iter().filter(|p| p.kind == PageKind::Bundle).map(|p| (p.dir(), p.url.as_str())).collect();
    let mut diagnostics = Vec::new();
    let mut out = Vec::with_capacity(files.len());
    for rel in files {
        let output = bundle_of(rel, &bundles).map_or_else(|| rel.clone(), |(dir, url)| format!("{url}{}", &rel[dir.len()..]));
        match output.split('/').try_for_each(crate::safe_path::check_file_segment) {
            Ok(()) => out.push(Asset { source: root.join("content").join(rel), output }),
            Err(why) => diagnostics.push(Diagnostic::error(
                "invalid-file-name",
                Path::new("content").join(rel),
                format!("this file's name has {why}; rename it to publish it"),
            )),
        }
    }
    (out, diagnostics)
}

fn bundle_of<'a>(rel: &str, bundles: &std::collections::HashMap<&'a str, &'a str>) -> Option<(&'a str, &'a str)> {
    let mut dir = rel;
    while let Some(i) = dir[..dir.len().saturating_sub(1)].rfind('/') {
        dir = &rel[..=i];
        if let Some((&d, &url)) = bundles.get_key_value(dir) {
            return Some((d, url));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(rel: &str, front: &str) -> String {
        let (page, d) = load_page(rel, format!("---\n{front}\n---\n"));
        assert!(d.is_empty(), "{d:?}");
        page.unwrap().url
    }

    #[test]
    fn url_rules() {
        assert_eq!(url("x.md", "title: a"), "x/");
        assert_eq!(url("x/_index.md", "title: a"), "x/");
        assert_eq!(url("x/index.md", "title: a"), "x/");
        assert_eq!(url("_index.md", "title: a"), "");
        assert_eq!(url("a/x.md", "slug: y"), "a/y/");
        assert_eq!(url("a/x/_index.md", "slug: y"), "a/y/");
        assert_eq!(url("a/x.md", "url: /elsewhere/page"), "elsewhere/page/");
    }

    #[test]
    fn title_falls_back_to_h1_then_file_name() {
        let (p, _) = load_page("a/b.md", "Intro\n\n```\n# not this\n```\n# The Title {#x}\n".into());
        assert_eq!(p.unwrap().title, "The Title");
        let (p, _) = load_page("a/b/_index.md", "no heading".into());
        assert_eq!(p.unwrap().title, "B");
        let (p, _) = load_page("a/supply-chain-security-for-dependencies.md", "no front matter, no heading".into());
        assert_eq!(p.unwrap().title, "Supply chain security for dependencies");
    }

    #[test]
    fn middleman_pages_map_like_their_hugo_twins() {
        assert_eq!(url("legacy/old-page.html.md", "title: a"), "legacy/old-page/");
        assert_eq!(url("legacy/index.html.md", "title: a"), "legacy/");
        let (p, _) = load_page("legacy/index.html.md", "# Legacy\n".into());
        assert_eq!(p.unwrap().kind, PageKind::Section);
    }

    #[test]
    fn duplicate_url_points_at_the_front_matter_key_not_the_body() {
        let a = load_page("plain.md", "---\ntitle: A\n---\n".into()).0.unwrap();
        let b = load_page("clash.md", "---\ntitle: B\nslug: plain\n---\nSee url: in prose.\n".into()).0.unwrap();
        let d = duplicate_urls(&[a, b]);
        assert_eq!((d[0].code, d[0].line_col()), ("duplicate-url", (3, 1)));
    }

    #[test]
    fn old_mac_line_endings_still_have_front_matter_and_lines() {
        let (p, d) = load_page("mac.md", "---\rtitle: Mac\r---\r# Body\r\rtext [x](#nowhere)\r\n".into());
        let page = p.unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(page.title, "Mac");
        assert_eq!(page.lines.line_col(&page.text, page.text.find("text").unwrap()), (6, 1));
        assert!(page.text.ends_with("\r\n"), "CRLF stays");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let (p, d) = load_page("x.md", "---\ntitle: x\n".into());
        assert!(p.is_none());
        assert_eq!((d[0].code, d[0].line_col()), ("front-matter-unclosed", (1, 1)));
    }
}
