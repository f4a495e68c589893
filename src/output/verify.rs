//! Write stage: the `build --verify` self-check. Reads the finished output back, parses every
//! HTML file with a WHATWG-conformant parser (html5ever) and checks that every internal
//! `href`/`src` (and redirect, sitemap, search index page chunk and `_redirects` URL) lands on a generated
//! file under the deploy prefix, and every `#fragment` on an element of that page. It shares no
//! code with the link resolver: it checks what was written, not what the resolver meant.

use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::{Diagnostic, Span};
use crate::error::{Error, Result};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use rayon::prelude::*;
use std::borrow::Cow;
use std::cell::{Ref, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What a verify found, besides its diagnostics.
#[derive(Debug, Default)]
pub struct Verified {
    pub diagnostics: Vec<Diagnostic>,
    pub html_files: usize,
    /// Internal URLs checked (in HTML files and the site files).
    pub urls: usize,
}

/// Checks the output tree in `dir` (the staging folder) that will be published as `output`.
pub fn verify(dir: &Path, output: &Path, config: &Config, content: &Content) -> Result<Verified> {
    let files = list_files(dir)?;
    let html: BTreeMap<&str, Parsed> = files
        .par_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| Ok((f.as_str(), parse_html(&crate::io::read_to_string(&dir.join(f))?))))
        .collect::<Result<_>>()?;
    let shown = shown_output(&config.root, output);
    let site = Site { files: &files, html: &html, config, content, sources: sources(config, content), shown };
    let mut verified = Verified { html_files: html.len(), ..Verified::default() };
    let mut report = |file: &str, url: &str, checked: Result<(), Problem>| {
        verified.urls += 1;
        if let Err(problem) = checked {
            verified.diagnostics.push(site.diagnostic(file, url, problem));
        }
    };
    for (file, parsed) in &html {
        for url in &parsed.urls {
            if let Some(checked) = site.check(file, parsed.base.as_deref(), url) {
                report(file, url, checked);
            }
        }
    }
    let read = |name: &str| if files.contains(name) { crate::io::read_to_string(&dir.join(name)).map(Some) } else { Ok(None) };
    for rule in read("_redirects")?.as_deref().map(redirect_rules).unwrap_or_default() {
        report("_redirects", rule, site.check_rule(rule));
    }
    for loc in read("sitemap.xml")?.as_deref().map(sitemap_locs).unwrap_or_default() {
        report("sitemap.xml", &loc, site.check_absolute(&loc));
    }
    let mut chunks: Vec<&String> = files.iter().filter(|f| f.starts_with("search/p/") && f.ends_with(".json")).collect();
    chunks.sort();
    for chunk in chunks {
        for url in read(chunk)?.as_deref().map(search_urls).unwrap_or_default() {
            report(chunk, &url, site.check_absolute(&url));
        }
    }
    crate::diagnostics::sort_and_dedup(&mut verified.diagnostics);
    verified.diagnostics = collapse_repeats(std::mem::take(&mut verified.diagnostics));
    Ok(verified)
}

/// (code, URL) of a verify problem: the same for every page a template puts the URL on.
type ProblemKey = (&'static str, Option<String>);

/// A broken link in a template fails on every page: report it once, on the first page, with
/// the others listed in a note. Problems located in a page's own text stay one per page.
fn collapse_repeats(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    let mut first: HashMap<ProblemKey, (usize, Vec<PathBuf>)> = HashMap::new();
    for d in diagnostics {
        if d.span.is_some() {
            out.push(d);
            continue;
        }
        match first.get_mut(&(d.code, d.target.clone())) {
            Some((_, others)) => others.push(d.file),
            None => {
                first.insert((d.code, d.target.clone()), (out.len(), Vec::new()));
                out.push(d);
            }
        }
    }
    for (index, others) in first.into_values().filter(|(_, others)| !others.is_empty()) {
        let names: Vec<String> = others.iter().take(5).map(|f| f.display().to_string()).collect();
        let more = if others.len() > names.len() { format!(" and {} more", others.len() - names.len()) } else { String::new() };
        out[index].notes.push(format!("the same URL also fails in the output of {}{more}", names.join(", ")));
    }
    out
}

/// How the output folder is named in messages: relative to the site root when inside it
/// (`public/x/index.html`), as given otherwise.
fn shown_output(root: &Path, output: &Path) -> PathBuf {
    let (root, absolute) = (crate::io::absolute(root), crate::io::absolute(output));
    absolute.strip_prefix(&root).map_or_else(|_| output.to_path_buf(), Path::to_path_buf)
}

/// Every file of the tree, relative, with `/` separators.
fn list_files(dir: &Path) -> Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| Error::Io { action: "read", path: dir.to_path_buf(), source: e.into() })?;
        if entry.file_type().is_file() {
            files.insert(entry.path().strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(files)
}

/// Output file → the source page it was generated from: pages and their alias redirect pages.
fn sources(config: &Config, content: &Content) -> HashMap<String, PathBuf> {
    let mut map: HashMap<String, PathBuf> = content.pages.iter().map(|p| (format!("{}index.html", p.url), p.file.clone())).collect();
    let by_path: HashMap<String, &PathBuf> = content.pages.iter().map(|p| (config.page_path(&p.url), &p.file)).collect();
    for alias in super::aliases(config, content) {
        if let Some(file) = by_path.get(&alias.to) {
            map.insert(alias.output_file, (*file).clone());
        }
    }
    map
}

/// Why a URL does not work when the site is served under its prefix.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    /// No generated file answers the path (the file looked for is given).
    Missing(String),
    /// The target exists, but has no element with that id.
    Fragment { target: String, id: String },
    /// A root-absolute or same-host URL outside the deploy prefix.
    OutsidePrefix,
    /// `..` climbs above the site root.
    AboveRoot,
    /// A `_redirects` rule GitLab Pages would not apply.
    BadRule(String),
}

struct Site<'a> {
    files: &'a BTreeSet<String>,
    html: &'a BTreeMap<&'a str, Parsed>,
    config: &'a Config,
    content: &'a Content,
    /// Output file → source page.
    sources: HashMap<String, PathBuf>,
    /// The output folder as messages name it.
    shown: PathBuf,
}

impl Site<'_> {
    /// Checks one URL written in the HTML file `from` (against `<base href>` when present);
    /// `None` when the URL is not this site's.
    fn check(&self, from: &str, base: Option<&str>, url: &str) -> Option<Result<(), Problem>> {
        let url = url.trim_matches(|c: char| c.is_ascii_whitespace());
        let (before, fragment) = split_fragment(url);
        let path = before.split('?').next().unwrap_or(before);
        if let Some(target) = self.site_path(path) {
            return Some(self.check_target(target, fragment));
        }
        if path.starts_with('/') || crate::links::paths::is_external(path) {
            return None; // another site's, or a parent-handbook link (see `site_path`)
        }
        let document = match base {
            Some(base) => match self.site_path(base)? {
                Ok(document) => document,
                Err(problem) => return Some(Err(problem)),
            },
            None => from.to_string(),
        };
        if path.is_empty() {
            return Some(self.check_target(Ok(document), fragment));
        }
        let dir = document.rfind('/').map_or("", |i| &document[..=i]);
        let joined = crate::links::paths::join(dir, &crate::links::decode(path)).ok_or(Problem::AboveRoot);
        Some(self.check_target(joined, fragment))
    }

    /// A sitemap or search index URL: absolute, and under the prefix.
    fn check_absolute(&self, url: &str) -> Result<(), Problem> {
        let (before, fragment) = split_fragment(url);
        self.check_target(self.site_path(before).unwrap_or(Err(Problem::OutsidePrefix)), fragment)
    }

    /// A `_redirects` line as GitLab Pages reads it: `from to [status]`, `from` under the prefix
    /// (GitLab wants the project path in every rule), `to` a generated page or another site.
    fn check_rule(&self, rule: &str) -> Result<(), Problem> {
        let (from, to) = match rule.split_whitespace().collect::<Vec<_>>().as_slice() {
            [from, to] | [from, to, "301" | "302" | "200"] => (*from, *to),
            _ => return Err(Problem::BadRule(format!("`{rule}` is not `from to [301|302|200]`"))),
        };
        if !from.starts_with(self.config.base_path.as_str()) {
            return Err(Problem::BadRule(format!("`{from}` does not start with the deploy prefix `{}`", self.config.base_path)));
        }
        if to.starts_with("http://") || to.starts_with("https://") {
            return Ok(());
        }
        self.check_absolute(to)
    }

    /// An absolute URL or root-absolute path as a path in the output tree; `None` when it is
    /// not this site's (another host, `mailto:`, a parent-handbook path) or not absolute.
    fn site_path(&self, url: &str) -> Option<Result<String, Problem>> {
        let (base_url, base_path) = (self.config.base_url.as_str(), self.config.base_path.as_str());
        if let Some(rest) = url.strip_prefix(base_url).or_else(|| (url == base_url.trim_end_matches('/')).then_some("")) {
            return Some(Ok(crate::links::decode(rest)));
        }
        if url.starts_with('/') && !url.starts_with("//") {
            let rest = url.strip_prefix(base_path).or_else(|| (url == base_path.trim_end_matches('/')).then_some(""));
            let rest = rest.map(crate::links::decode);
            let ours = rest.as_deref().is_some_and(|r| self.served_file(r).is_some());
            return match rest {
                _ if self.parent_link(url) && !ours => None,
                Some(rest) => Some(Ok(rest)),
                None => Some(Err(Problem::OutsidePrefix)),
            };
        }
        same_host(base_url, url).then_some(Err(Problem::OutsidePrefix))
    }

    /// A root-absolute link the resolver left as written because it belongs to the parent
    /// handbook (`section_path` set, no `parent_url`): `check` counts these as unchecked.
    fn parent_link(&self, path: &str) -> bool {
        self.config.parent_url.is_none()
            && self.config.section_path.as_deref().is_some_and(|s| !path.to_lowercase().starts_with(&s.to_lowercase()))
    }

    fn check_target(&self, target: Result<String, Problem>, fragment: Option<&str>) -> Result<(), Problem> {
        let path = target?;
        let Some(file) = self.served_file(&path) else {
            return Err(Problem::Missing(if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path }));
        };
        // `#` and `#top` scroll to the top of any page (HTML spec, "find a potential indicated
        // element"); fragments of other files (`x.pdf#page=2`) are not ids.
        let fragment = fragment.filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("top"));
        let (Some(fragment), Some(parsed)) = (fragment, self.html.get(file.as_str())) else { return Ok(()) };
        let decoded = crate::links::decode(fragment);
        if parsed.ids.contains(fragment) || parsed.ids.contains(&decoded) {
            Ok(())
        } else {
            Err(Problem::Fragment { target: file, id: decoded })
        }
    }

    /// The file GitLab Pages and GitHub Pages both answer for a path: `x/` → `x/index.html`;
    /// `x` → `x`, else `x/index.html` (after a redirect to `x/`), else `x.html`.
    fn served_file(&self, path: &str) -> Option<String> {
        let candidates = if path.is_empty() || path.ends_with('/') {
            vec![format!("{path}index.html")]
        } else {
            vec![path.to_string(), format!("{path}/index.html"), format!("{path}.html")]
        };
        candidates.into_iter().find(|c| self.files.contains(c))
    }

    /// An error on the source page of `file` (its output file named in the message), or on
    /// the output file itself when no single page made it (theme files, sitemap).
    fn diagnostic(&self, file: &str, url: &str, problem: Problem) -> Diagnostic {
        let shown = self.shown.join(file).to_string_lossy().replace('\\', "/");
        let there = |f: &str| self.shown.join(f).to_string_lossy().replace('\\', "/");
        let (code, message) = match &problem {
            Problem::Missing(looked_for) => {
                ("verify-broken-href", format!("`{url}` in {shown} does not resolve to a generated file (no {})", there(looked_for)))
            }
            Problem::Fragment { target, id } if target == file => {
                ("verify-broken-fragment", format!("`{url}` in {shown}: no element of that page has the id `{id}`"))
            }
            Problem::Fragment { target, id } => {
                ("verify-broken-fragment", format!("`{url}` in {shown}: {} has no element with id `{id}`", there(target)))
            }
            Problem::OutsidePrefix => (
                "verify-outside-prefix",
                format!("`{url}` in {shown} is outside the deploy prefix `{}`: it leaves the published site", self.config.base_path),
            ),
            Problem::AboveRoot => ("verify-broken-href", format!("`{url}` in {shown} climbs above the site root")),
            Problem::BadRule(why) => ("verify-redirect-rule", format!("{shown}: {why}")),
        };
        let source = self.sources.get(file).cloned().or_else(|| self.source_of(file, url));
        let mut d = Diagnostic::error(code, source.clone().unwrap_or_else(|| PathBuf::from(&shown)), message).with_target(url);
        match source.and_then(|s| self.content.pages.iter().find(|p| p.file == s)) {
            Some(page) => {
                if let Some(span) = unique_occurrence(&page.text, url) {
                    d = d.with_span(span).with_label("written here").located(&page.text, &page.lines);
                }
            }
            None => d = d.with_note(format!("{shown} comes from the theme or the site files, not from one page")),
        }
        d
    }

    /// The page a site-file entry is about: the page its URL (a rule's target) names.
    fn source_of(&self, file: &str, url: &str) -> Option<PathBuf> {
        let target = if file == "_redirects" { url.split_whitespace().nth(1)? } else { url };
        let path = self.site_path(split_fragment(target).0)?.ok()?;
        self.sources.get(&self.served_file(&path)?).cloned()
    }
}

fn split_fragment(url: &str) -> (&str, Option<&str>) {
    url.split_once('#').map_or((url, None), |(before, fragment)| (before, Some(fragment)))
}

/// `https://host/other` when the base URL is `https://host/sub/`: same site, outside the prefix.
fn same_host(base_url: &str, url: &str) -> bool {
    let origin = |u: &str| -> Option<String> {
        let (scheme, rest) = u.split_once("://")?;
        Some(format!("{}://{}", scheme.to_ascii_lowercase(), rest.split('/').next()?.to_ascii_lowercase()))
    };
    origin(base_url).is_some_and(|o| origin(url) == Some(o))
}

/// Where the URL is written in the page, when it is written there exactly once.
fn unique_occurrence(text: &str, url: &str) -> Option<Span> {
    let mut found = text.match_indices(url).map(|(i, _)| Span::new(i, i + url.len()));
    let first = found.next().filter(|_| url.len() > 1)?;
    found.next().is_none().then_some(first)
}

/// The rules of a `_redirects` file (comments and blank lines dropped).
fn redirect_rules(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}

fn sitemap_locs(text: &str) -> Vec<String> {
    let unescape =
        |s: &str| s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    text.split("<loc>").skip(1).filter_map(|s| s.split_once("</loc>")).map(|(loc, _)| unescape(loc.trim())).collect()
}

fn search_urls(text: &str) -> Vec<String> {
    let entries: Vec<serde_json::Value> = serde_json::from_str(text).unwrap_or_default();
    entries.iter().filter_map(|e| e.get("url")?.as_str()).map(str::to_string).collect()
}

/// What one HTML file offers and asks for.
#[derive(Debug, Default)]
struct Parsed {
    /// `id`s, and `name`s of `<a>` (both are fragment targets).
    ids: HashSet<String>,
    /// Every URL attribute value, as written (entities decoded).
    urls: Vec<String>,
    /// `<base href>`, when the page has one.
    base: Option<String>,
}

fn parse_html(text: &str) -> Parsed {
    let sink = Collector { names: RefCell::new(vec![placeholder()]), parsed: RefCell::default() };
    html5ever::parse_document(sink, Default::default()).one(text)
}

/// A tree sink that builds no tree: the tree builder still runs the full HTML5 algorithm
/// (raw-text elements, comments, entity decoding, misnested tags), and every element it
/// creates passes through [`Collector::record`].
struct Collector {
    /// Node names by handle; handle 0 is the document.
    names: RefCell<Vec<QualName>>,
    parsed: RefCell<Parsed>,
}

impl Collector {
    fn new_node(&self, name: QualName) -> usize {
        let mut names = self.names.borrow_mut();
        names.push(name);
        names.len() - 1
    }

    fn record(&self, name: &QualName, attrs: &[Attribute]) {
        let mut parsed = self.parsed.borrow_mut();
        let element = &*name.local;
        for attr in attrs {
            let (attr_name, value) = (&*attr.name.local, attr.value.to_string());
            match (element, attr_name) {
                (_, "id") | ("a", "name") => {
                    parsed.ids.insert(value);
                }
                ("base", "href") if parsed.base.is_none() => parsed.base = Some(value),
                (_, "href" | "src" | "poster") | ("object", "data") => parsed.urls.push(value),
                (_, "srcset") => parsed.urls.extend(srcset_urls(&value)),
                ("meta", "content") if is_refresh(attrs) => parsed.urls.extend(refresh_url(&value)),
                _ => {}
            }
        }
    }
}

fn placeholder() -> QualName {
    QualName::new(None, html5ever::ns!(), html5ever::local_name!(""))
}

fn is_refresh(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| &*a.name.local == "http-equiv" && a.value.eq_ignore_ascii_case("refresh"))
}

/// `0; url=/x/` → `/x/`.
fn refresh_url(content: &str) -> Option<String> {
    let (_, rest) = content.split_once([';', ','])?;
    let rest = rest.trim_start();
    let rest = if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case("url=") { &rest[4..] } else { rest };
    Some(rest.trim().trim_matches(['\'', '"']).to_string()).filter(|u| !u.is_empty())
}

/// `a.png 1x, b.png 2x` → `a.png`, `b.png` (data: URLs hold commas, and are not ours anyway).
fn srcset_urls(srcset: &str) -> Vec<String> {
    if srcset.contains("data:") {
        return Vec::new();
    }
    srcset.split(',').filter_map(|c| c.split_whitespace().next()).map(str::to_string).collect()
}

impl TreeSink for Collector {
    type Handle = usize;
    type Output = Parsed;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Parsed {
        self.parsed.into_inner()
    }

    fn parse_error(&self, _: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.names.borrow(), |names| &names[*target])
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> usize {
        self.record(&name, &attrs);
        self.new_node(name)
    }

    fn create_comment(&self, _: StrTendril) -> usize {
        self.new_node(placeholder())
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> usize {
        self.new_node(placeholder())
    }

    fn append(&self, _: &usize, _: NodeOrText<usize>) {}

    fn append_based_on_parent_node(&self, _: &usize, _: &usize, _: NodeOrText<usize>) {}

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        *target
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _: QuirksMode) {}

    fn append_before_sibling(&self, _: &usize, _: NodeOrText<usize>) {}

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        let name = self.names.borrow()[*target].clone();
        self.record(&name, &attrs);
    }

    fn remove_from_parent(&self, _: &usize) {}

    fn reparent_children(&self, _: &usize, _: &usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_reads_urls_and_ids_as_a_browser_does() {
        let parsed = parse_html(concat!(
            "<!doctype html><html><head><base href=\"/p/\"><meta http-equiv=Refresh content=\"0; URL='/p/new/'\">",
            "<script>var s = '<a href=\"/in-script/\">';</script></head><body>",
            "<!-- <a href=\"/in-comment/\"> --><a href=/p/x/?a=1&amp;b=2#h%C3%A9 id=top-link>x</a>",
            "<img srcset=\"a.png 1x, b.png 2x\" src=c.png><a name=legacy></a><h2 id=\"caf&eacute;\">x</h2>",
            "<svg><use href=\"#icon\"></use></svg><textarea><a href=\"/in-textarea/\"></textarea></body></html>",
        ));
        assert_eq!(parsed.base.as_deref(), Some("/p/"));
        assert_eq!(parsed.urls, ["/p/new/", "/p/x/?a=1&b=2#h%C3%A9", "a.png", "b.png", "c.png", "#icon"]);
        let ids: BTreeSet<&str> = parsed.ids.iter().map(String::as_str).collect();
        assert_eq!(ids, BTreeSet::from(["café", "legacy", "top-link"]));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(crate::links::decode("a%20b%C3%A9%zz%4"), "a bé%zz%4");
    }

    #[test]
    fn refresh_and_srcset_forms() {
        assert_eq!(refresh_url("0;url=/x/").as_deref(), Some("/x/"));
        assert_eq!(refresh_url("5").as_deref(), None);
        assert_eq!(srcset_urls(" a.png 1x,b.png"), ["a.png", "b.png"]);
    }

    fn site_config(base_url: &str, extra: &str) -> Config {
        Config::parse(Path::new("/site"), &format!("title = \"T\"\nbase_url = \"{base_url}\"\n{extra}"), None).unwrap()
    }

    fn check(config: &Config, files: &[&str], from: &str, url: &str) -> Option<Problem> {
        let files: BTreeSet<String> = files.iter().map(|f| f.to_string()).collect();
        let mut html = BTreeMap::new();
        html.insert("x/index.html", parse_html("<h2 id=a>A</h2>"));
        let content = Content::default();
        let site = Site { files: &files, html: &html, config, content: &content, sources: HashMap::new(), shown: PathBuf::from("public") };
        site.check(from, None, url).and_then(Result::err)
    }

    #[test]
    fn urls_resolve_under_the_prefix_only() {
        let config = site_config("https://host/sub/path/", "");
        let files = ["index.html", "x/index.html", "y/index.html", "css/a.css", "old.html"];
        for ok in ["/sub/path/x/", "/sub/path/x", "/sub/path/x/#a", "../x/#a", "./", "/sub/path/", "/sub/path", "https://host/sub/path/x/"]
        {
            assert_eq!(check(&config, &files, "y/index.html", ok), None, "{ok}");
        }
        for ok in ["https://elsewhere/x/", "mailto:a@b", "#", "?q=1", "/sub/path/old", "../css/a.css"] {
            assert_eq!(check(&config, &files, "y/index.html", ok), None, "{ok}");
        }
        assert_eq!(check(&config, &files, "y/index.html", "/css/a.css"), Some(Problem::OutsidePrefix));
        assert_eq!(check(&config, &files, "y/index.html", "https://host/css/a.css"), Some(Problem::OutsidePrefix));
        assert_eq!(check(&config, &files, "y/index.html", "/sub/path/X/"), Some(Problem::Missing("X/index.html".into())));
        assert_eq!(check(&config, &files, "y/index.html", "../../../x/"), Some(Problem::AboveRoot));
        assert_eq!(
            check(&config, &files, "y/index.html", "/sub/path/x/#b"),
            Some(Problem::Fragment { target: "x/index.html".into(), id: "b".into() })
        );
    }

    #[test]
    fn parent_handbook_links_left_as_written_are_not_ours() {
        let config = site_config("https://host/", "section_path = \"/handbook/sec/\"\n");
        assert_eq!(check(&config, &["index.html"], "index.html", "/handbook/other/"), None);
        assert!(check(&config, &["index.html"], "index.html", "/handbook/sec/gone/").is_some());
    }
}
