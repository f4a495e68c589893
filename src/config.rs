//! Config stage: `handbook.toml` read with serde (`deny_unknown_fields`), then validated once into
//! the checked [`Config`] every later stage uses.

use crate::diagnostics::{Diagnostic, LineIndex, Severity, Span};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "handbook.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    section_path: Option<String>,
    parent_url: Option<String>,
    theme: Option<String>,
    edit_url: Option<String>,
    #[serde(default)]
    links: RawLinks,
    counterparts: Option<RawCounterparts>,
    #[serde(default)]
    runbooks: RawRunbooks,
    #[serde(default)]
    env: RawEnv,
    #[serde(default)]
    markdown: RawMarkdown,
}

/// `[markdown]`: the goldmark extensions, each on unless turned off.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    typographer: Option<bool>,
    emoji: Option<bool>,
    footnotes: Option<bool>,
    linkify: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnv {
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLinks {
    level: Option<LinkLevel>,
    known_urls: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum LinkLevel {
    Error,
    Warning,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounterparts {
    data: PathBuf,
    team: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRunbooks {
    section: Option<String>,
    review_after_days: Option<u32>,
}

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder (holds `handbook.toml`).
    pub root: PathBuf,
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`: the deploy prefix. Starts and ends with `/`.
    pub base_path: String,
    /// Where this section lives in the parent handbook; starts and ends with `/`.
    pub section_path: Option<String>,
    /// The parent handbook's origin, without a trailing slash.
    pub parent_url: Option<String>,
    pub theme: String,
    pub edit_url: Option<String>,
    /// Severity of a broken internal link.
    pub broken_link_severity: Severity,
    /// Parent-handbook paths (normalized, see [`normalize_known_url`]), when `known_urls` is set.
    pub known_urls: Option<std::collections::HashSet<String>>,
    pub counterparts: Option<CounterpartsConfig>,
    pub runbooks: RunbooksConfig,
    /// Environment variables templates may read with `get_env` (`[env] allow`); no other is
    /// readable, so a template cannot publish a CI job's secrets.
    pub env_allow: Vec<String>,
    /// Which of Hugo's goldmark extensions Markdown is rendered with (`[markdown]`).
    pub markdown: crate::markdown::Extensions,
}

#[derive(Debug, Clone)]
pub struct CounterpartsConfig {
    pub data: PathBuf,
    pub team: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct RunbooksConfig {
    /// Content folder of the runbooks, relative to `content/`, without slashes around it.
    pub section: String,
    pub review_after_days: u32,
}

impl Config {
    /// Loads `<root>/handbook.toml`. `base_url_override` (from `--base-url` or
    /// `HANDBOOK_BASE_URL`) replaces the file's `base_url`.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = crate::io::read_optional(&path)?.ok_or_else(|| Error::MissingConfig(crate::io::absolute(root)))?;
        Config::parse(root, &text, base_url_override)
    }

    /// Parses and validates config text (no file access except `known_urls`).
    pub fn parse(root: &Path, text: &str, base_url_override: Option<&str>) -> Result<Config> {
        let lines = LineIndex::new(text);
        let raw: RawConfig = toml::from_str(text).map_err(|e| Error::InvalidConfig(vec![toml_diagnostic(&e, text, &lines)]))?;
        validate(root, raw, text, &lines, base_url_override)
    }

    /// The URL path of a page URL relative to the site (`x/y/`), with the deploy prefix.
    pub fn page_path(&self, relative_url: &str) -> String {
        format!("{}{}", self.base_path, relative_url)
    }

    /// The absolute URL (permalink) of a site-relative URL.
    pub fn permalink(&self, relative_url: &str) -> String {
        format!("{}{}", self.base_url, relative_url)
    }
}

fn validate(root: &Path, raw: RawConfig, text: &str, lines: &LineIndex, base_url_override: Option<&str>) -> Result<Config> {
    let mut problems = Vec::new();
    let mut problem = |key: &str, message: String| {
        let span = key_span(text, key);
        let mut d = Diagnostic::error("invalid-config", CONFIG_FILE, message);
        if let Some(span) = span {
            d = d.with_span(span).located(text, lines);
        }
        problems.push(d);
    };
    let base_url = base_url_override.map(str::to_string).unwrap_or(raw.base_url);
    let base_path = match parse_base_url(&base_url) {
        Some(path) => path,
        None => {
            problem("base_url", format!("base_url `{base_url}` must be an absolute http(s) URL such as https://example.gitlab.io/"));
            String::from("/")
        }
    };
    let section_path = raw.section_path.map(|p| slash_wrap(&p));
    if section_path.as_deref().is_some_and(|p| p.contains("//") || p.contains(char::is_whitespace)) {
        problem("section_path", "section_path must be a URL path such as /handbook/security/".to_string());
    }
    let parent_url = raw.parent_url.map(|u| u.trim_end_matches('/').to_string());
    if parent_url.as_deref().is_some_and(|u| !(u.starts_with("http://") || u.starts_with("https://"))) {
        problem("parent_url", "parent_url must be an absolute http(s) URL".to_string());
    }
    if raw.edit_url.as_deref().is_some_and(|u| !u.contains("{path}")) {
        problem("edit_url", "edit_url must contain `{path}` where the file path goes".to_string());
    }
    let known_urls = match raw.links.known_urls {
        Some(file) if !root.join(&file).exists() => {
            problem("known_urls", format!("known_urls file `{}` does not exist", file.display()));
            None
        }
        Some(file) => match crate::io::read_text(&root.join(&file), crate::io::MAX_TEXT_BYTES)? {
            Ok(list) => {
                Some(list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(normalize_known_url).collect())
            }
            Err(why) => {
                problem("known_urls", format!("known_urls file `{}` cannot be used: {}", file.display(), why.diagnostic(&file).message));
                None
            }
        },
        None => None,
    };
    for (key, file) in raw.counterparts.iter().flat_map(|c| [("data", Some(&c.data)), ("team", c.team.as_ref())]) {
        let Some(file) = file else { continue };
        match std::fs::metadata(root.join(file)) {
            Ok(meta) if !meta.is_file() => problem(key, format!("`{}` is not a regular file (a folder or a device)", file.display())),
            Err(_) => problem(key, format!("`{}` does not exist", file.display())),
            Ok(_) => {}
        }
    }
    let runbooks_section = raw.runbooks.section.unwrap_or_else(|| "runbooks".to_string()).trim_matches('/').to_string();
    if !problems.is_empty() {
        return Err(Error::InvalidConfig(problems));
    }
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.title,
        base_url: if base_url.ends_with('/') { base_url } else { format!("{base_url}/") },
        base_path,
        section_path,
        parent_url,
        theme: raw.theme.unwrap_or_else(|| "handbook".to_string()),
        edit_url: raw.edit_url,
        broken_link_severity: match raw.links.level {
            Some(LinkLevel::Warning) => Severity::Warning,
            _ => Severity::Error,
        },
        known_urls,
        counterparts: raw.counterparts.map(|c| CounterpartsConfig { data: c.data, team: c.team }),
        runbooks: RunbooksConfig { section: runbooks_section, review_after_days: raw.runbooks.review_after_days.unwrap_or(180) },
        env_allow: raw.env.allow,
        markdown: markdown_extensions(&raw.markdown),
    })
}

fn markdown_extensions(raw: &RawMarkdown) -> crate::markdown::Extensions {
    let on = crate::markdown::Extensions::default();
    crate::markdown::Extensions {
        typographer: raw.typographer.unwrap_or(on.typographer),
        emoji: raw.emoji.unwrap_or(on.emoji),
        footnotes: raw.footnotes.unwrap_or(on.footnotes),
        linkify: raw.linkify.unwrap_or(on.linkify),
    }
}

/// The path of an http(s) URL, wrapped in slashes; `None` if it is not such a URL.
fn parse_base_url(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(char::is_whitespace) || path.contains(['?', '#']) {
        return None;
    }
    Some(slash_wrap(path))
}

/// `a/b` → `/a/b/`, `` → `/`.
pub fn slash_wrap(path: &str) -> String {
    let inner = path.trim_matches('/');
    if inner.is_empty() {
        "/".to_string()
    } else {
        format!("/{inner}/")
    }
}

/// Parent-handbook paths compare without a trailing slash, `.html` or case.
pub fn normalize_known_url(path: &str) -> String {
    let path = path.split(['#', '?']).next().unwrap_or(path);
    let path = path.strip_suffix(".html").unwrap_or(path);
    let mut out = String::with_capacity(path.len() + 1);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(&segment.to_lowercase());
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Span of `key = ...` in the config text, for validation messages.
fn key_span(text: &str, key: &str) -> Option<Span> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            let start = offset + (line.len() - trimmed.len());
            return Some(Span::new(start, start + key.len()));
        }
        offset += line.len();
    }
    None
}

/// A TOML error as a diagnostic; an unknown key gets a "did you mean".
fn toml_diagnostic(e: &toml::de::Error, text: &str, lines: &LineIndex) -> Diagnostic {
    let message = e.message().trim().to_string();
    let span = e.span().map(|r| Span::new(r.start, r.end)).unwrap_or_default();
    let mut d = Diagnostic::error("invalid-config", CONFIG_FILE, message.clone()).with_span(span);
    if let Some(unknown) = between_backticks(&message, "unknown field `") {
        d.code = "unknown-key";
        d.message = format!("unknown key `{unknown}` in {CONFIG_FILE}");
        d.target = Some(unknown.to_string());
        let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
        if let Some(best) = crate::suggest::closest(unknown, expected.iter().copied()) {
            d.label = Some(format!("did you mean `{best}`?"));
            d.suggestion = Some(best.to_string());
        } else {
            d.label = Some(format!("expected one of: {}", expected.join(", ")));
        }
    }
    d.located(text, lines)
}

fn between_backticks<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(&rest[..rest.find('`')?])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(Path::new("/site"), text, None)
    }

    fn first_problem(text: &str) -> Diagnostic {
        match parse(text) {
            Err(Error::InvalidConfig(d)) => d[0].clone(),
            other => panic!("expected invalid config, got {other:?}"),
        }
    }

    #[test]
    fn derives_deploy_prefix_and_normalizes_paths() {
        let c = parse("title = \"T\"\nbase_url = \"https://h.example/sub/path\"\nsection_path = \"handbook/sec\"\n").unwrap();
        assert_eq!(c.base_url, "https://h.example/sub/path/");
        assert_eq!(c.base_path, "/sub/path/");
        assert_eq!(c.section_path.as_deref(), Some("/handbook/sec/"));
        assert_eq!(c.theme, "handbook");
        assert_eq!(c.runbooks.section, "runbooks");
        assert_eq!(c.runbooks.review_after_days, 180);
        assert_eq!(c.broken_link_severity, Severity::Error);
    }

    #[test]
    fn unknown_key_has_line_column_and_suggestion() {
        let d = first_problem("title = \"T\"\nbase_url = \"https://h/\"\n\n[links]\nlevle = \"error\"\n");
        assert_eq!(d.code, "unknown-key");
        assert_eq!(d.line_col(), (5, 1));
        assert_eq!(d.suggestion.as_deref(), Some("level"));
        assert_eq!(d.message, "unknown key `levle` in handbook.toml");
    }

    #[test]
    fn top_level_typo_is_caught() {
        let d = first_problem("titel = \"T\"\nbase_url = \"https://h/\"\n");
        assert_eq!(d.line_col(), (1, 1));
        assert_eq!(d.suggestion.as_deref(), Some("title"));
    }

    #[test]
    fn bad_base_url_and_level_are_rejected_with_position() {
        let d = first_problem("title = \"T\"\nbase_url = \"ftp:/x\"\n");
        assert_eq!(d.line_col(), (2, 1));
        let d = first_problem("title = \"T\"\nbase_url = \"https://h/\"\n[links]\nlevel = \"fatal\"\n");
        assert_eq!(d.line_col().0, 4);
    }

    #[test]
    fn base_url_override_wins() {
        let c = Config::parse(Path::new("/s"), "title = \"T\"\nbase_url = \"https://a/\"\n", Some("https://b/x/")).unwrap();
        assert_eq!(c.base_path, "/x/");
    }

    #[test]
    fn markdown_extensions_default_on_and_turn_off_one_by_one() {
        let c = parse("title = \"T\"\nbase_url = \"https://h/\"\n").unwrap();
        assert_eq!(c.markdown, crate::markdown::Extensions::default());
        let c = parse("title = \"T\"\nbase_url = \"https://h/\"\n[markdown]\ntypographer = false\nlinkify = false\n").unwrap();
        let expected = crate::markdown::Extensions { typographer: false, linkify: false, ..Default::default() };
        assert_eq!(c.markdown, expected);
    }

    #[test]
    fn unknown_markdown_key_is_rejected_with_position_and_suggestion() {
        let d = first_problem("title = \"T\"\nbase_url = \"https://h/\"\n\n[markdown]\nemoji = true\nfootnote = false\n");
        assert_eq!(d.code, "unknown-key");
        assert_eq!(d.line_col(), (6, 1));
        assert_eq!(d.suggestion.as_deref(), Some("footnotes"));
        let d = first_problem("title = \"T\"\nbase_url = \"https://h/\"\n[markdown]\nemoji = \"yes\"\n");
        assert_eq!(d.line_col().0, 4, "{}", d.message);
    }

    #[test]
    fn known_urls_normalize() {
        assert_eq!(normalize_known_url("/Handbook/x.html#a"), "/handbook/x");
        assert_eq!(normalize_known_url("//handbook//x/"), "/handbook/x");
    }
}
