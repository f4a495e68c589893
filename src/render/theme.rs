//! Render stage: the theme. Templates and assets of the default theme are embedded in the binary;
//! a site's `themes/<name>/templates/x.html` overrides one template, its `static/` adds or
//! replaces assets, and `shortcodes/<name>.html` (theme or site) adds custom shortcodes.

use crate::diagnostics::{Diagnostic, LineIndex, Span};
use crate::error::{Error, Result};
use crate::markdown::StyledClasses;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/handbook/", $path)))),*]
    };
}

const EMBEDDED: &[(&str, &str)] = embedded!(
    "templates/base.html",
    "templates/page.html",
    "templates/section.html",
    "templates/sidebar.html",
    "templates/404.html",
    "templates/alias.html",
    "templates/tags.html",
    "static/css/handbook.css",
    "static/css/syntax-light.css",
    "static/css/syntax-dark.css",
    "static/js/search.js",
    "static/js/reader.js",
    "static/js/vendor/mermaid-11.17.2.min.js",
    "static/js/vendor/mermaid-11.17.2.LICENSE.txt",
);

/// Where an asset's bytes come from.
#[derive(Debug, Clone)]
pub enum AssetSource {
    Embedded(&'static str),
    File(PathBuf),
}

pub struct Theme {
    pub tera: tera::Tera,
    /// The `hl-` classes the templates name (stylesheets are added by `pipeline::load`).
    pub styled: StyledClasses,
    /// Custom shortcode name → whether it takes a body (its template uses `inner`).
    pub shortcodes: BTreeMap<String, bool>,
    /// Output path → source.
    pub assets: BTreeMap<String, AssetSource>,
}

impl Theme {
    /// Loads theme `name` of the site at `root` over the embedded theme, and the site's own
    /// `templates/` over both. Templates may read only the environment variables in
    /// `env_allow` (see [`allowed_env`]); `now()` is `source_date_epoch` when set.
    pub fn load(root: &Path, name: &str, env_allow: &[String], source_date_epoch: Option<i64>) -> Result<Theme> {
        let dir = root.join("themes").join(name);
        if name != "handbook" && !dir.is_dir() {
            return Err(Error::Usage(format!("theme `{name}` not found: there is no {} folder", dir.display())));
        }
        // Template name → (its file as shown in diagnostics, its text).
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut assets = BTreeMap::new();
        // Every theme inherits what it does not override from the embedded one, and the site's
        // own `templates/` override the theme's one file at a time (Hugo's `layouts/` habit).
        for (path, text) in EMBEDDED {
            if let Some(t) = path.strip_prefix("templates/") {
                templates.insert(t.to_string(), (format!("(embedded theme) {path}"), text.to_string()));
            } else if let Some(s) = path.strip_prefix("static/") {
                assets.insert(s.to_string(), AssetSource::Embedded(text));
            }
        }
        let shown = |path: &Path| path.strip_prefix(root).unwrap_or(path).display().to_string();
        for folder in [dir.join("templates"), root.join("templates")] {
            for (rel, path) in files_under(&folder)? {
                templates.insert(rel, (shown(&path), crate::io::read_to_string(&path)?));
            }
        }
        for (rel, path) in files_under(&dir.join("static"))? {
            assets.insert(rel, AssetSource::File(path));
        }
        let mut shortcodes = BTreeMap::new();
        for folder in [dir.join("shortcodes"), root.join("shortcodes")] {
            for (rel, path) in files_under(&folder)? {
                let Some(name) = rel.strip_suffix(".html").filter(|n| !n.contains('/')) else { continue };
                let text = crate::io::read_to_string(&path)?;
                shortcodes.insert(name.to_string(), text.contains("inner"));
                templates.insert(format!("shortcodes/{name}.html"), (shown(&path), text));
            }
        }
        let tera = compile(&templates, env_allow, source_date_epoch)?;
        let styled = StyledClasses::of_texts(templates.values().map(|(_, text)| text.as_str()));
        Ok(Theme { tera, styled, shortcodes, assets })
    }

    /// The `hl-` classes the embedded theme's templates, stylesheets and script name.
    pub fn embedded_styled_classes() -> StyledClasses {
        StyledClasses::of_texts(EMBEDDED.iter().map(|(_, text)| *text))
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String> {
        self.tera.render(name, context).map_err(template_error)
    }

    /// Like [`Theme::render`] into a buffer of `capacity` bytes: Tera's own starts at 2 KB and
    /// doubles, copying a page several times over as it grows.
    pub fn render_sized(&self, name: &str, context: &tera::Context, capacity: usize) -> Result<String> {
        let mut out = Vec::with_capacity(capacity);
        self.tera.render_to(name, context, &mut out).map_err(template_error)?;
        String::from_utf8(out).map_err(|e| Error::Template(format!("{name} rendered invalid UTF-8: {e}")))
    }
}

/// Parses and checks every template; a problem is a diagnostic in the template's file.
fn compile(templates: &BTreeMap<String, (String, String)>, env_allow: &[String], source_date_epoch: Option<i64>) -> Result<tera::Tera> {
    let syntax: Vec<Diagnostic> = templates
        .iter()
        .filter_map(|(name, (file, text))| tera::Template::new(name, None, text).err().map(|e| syntax_diagnostic(file, text, &e)))
        .collect();
    if !syntax.is_empty() {
        return Err(Error::Site(syntax));
    }
    let mut tera = tera::Tera::default();
    tera.register_function("get_env", allowed_env(env_allow.to_vec()));
    tera.register_function("now", reproducible_now(source_date_epoch));
    tera.register_function("get_random", no_random);
    tera.add_raw_templates(templates.iter().map(|(n, (_, t))| (n.as_str(), t.as_str()))).map_err(template_error)?;
    let source = |name: &str| templates.get(name).cloned().unwrap_or_else(|| (name.to_string(), String::new()));
    let problems = super::template_check::check(&tera, &source);
    if !problems.is_empty() {
        return Err(Error::Site(problems));
    }
    Ok(tera)
}

/// A Tera parse error at its line:column (pest writes ` --> L:C` and `= what was expected`).
fn syntax_diagnostic(file: &str, text: &str, e: &tera::Error) -> Diagnostic {
    let chain = crate::error::chain(e);
    let expected = chain.rsplit("= ").next().filter(|_| chain.contains("= ")).map(str::trim);
    let mut d = Diagnostic::error("template-syntax", file, format!("template syntax error: {}", expected.unwrap_or(&chain)));
    let position = chain.split("--> ").nth(1).and_then(|rest| {
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse::<usize>().ok()?, column.parse::<usize>().ok()?))
    });
    if let Some((line, column)) = position {
        let lines = LineIndex::new(text);
        let at = lines.offset(text, line, column);
        d = d.with_span(Span::new(at, at + 1)).located(text, &lines);
    }
    d
}

/// The embedded theme's syntax stylesheets and the syntect themes they are generated from
/// (`cargo run --example syntax_css` writes them; a test checks they are current).
/// The third field is the background `handbook.css` gives code blocks (`--code-bg`) in that scheme.
pub const SYNTAX_STYLESHEETS: [(&str, &str, [u8; 3]); 2] =
    [("syntax-light.css", "InspiredGitHub", [0xf6, 0xf8, 0xfa]), ("syntax-dark.css", "base16-ocean.dark", [0x18, 0x1b, 0x22])];

/// The stylesheet for a bundled syntect theme, as shipped: its colours made readable (4.5:1) on
/// `code_background` ([`super::contrast`]).
pub fn syntax_stylesheet(theme: &str, code_background: [u8; 3]) -> Option<String> {
    let css = super::contrast::readable_css(&crate::markdown::theme_css(theme)?, code_background);
    Some(format!("/* Generated from syntect's `{theme}` theme, colours raised to 4.5:1; see src/render/theme.rs. */\n{css}"))
}

/// Tera's `now` reads the clock and `get_random` draws a number: both would make two builds of
/// one commit differ. `now` gives `SOURCE_DATE_EPOCH` when it is set (the clock otherwise), in
/// UTC; `get_random` is refused.
fn reproducible_now(epoch: Option<i64>) -> impl tera::Function {
    move |args: &std::collections::HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        let seconds =
            epoch.unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64));
        if args.get("timestamp").and_then(tera::Value::as_bool) == Some(true) {
            return Ok(tera::Value::from(seconds));
        }
        let days = seconds.div_euclid(86_400);
        let rest = seconds.rem_euclid(86_400);
        let time = format!("{:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
        Ok(tera::Value::String(format!("{}T{time}+00:00", crate::dates::format_days(days))))
    }
}

fn no_random(_: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    Err("get_random is not available: the same commit must build the same site".into())
}

/// Tera's `get_env` reads any variable of the process: in CI, every secret of the job, which a
/// template or shortcode from a merge request would publish. This one replaces it and reads
/// only the variables `[env] allow` in handbook.toml names.
fn allowed_env(allow: Vec<String>) -> impl tera::Function {
    move |args: &std::collections::HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        let name = match args.get("name") {
            Some(tera::Value::String(name)) => name,
            _ => return Err("get_env needs a `name` argument, e.g. get_env(name=\"CI_COMMIT_SHA\")".into()),
        };
        if !allow.contains(name) {
            return Err(format!("get_env: `{name}` is not in `[env] allow` of handbook.toml, so templates cannot read it").into());
        }
        match (std::env::var(name), args.get("default")) {
            (Ok(value), _) => Ok(tera::Value::String(value)),
            (Err(_), Some(default)) => Ok(default.clone()),
            (Err(_), None) => Err(format!("get_env: `{name}` is not set and no default was given").into()),
        }
    }
}

/// A Tera error with its whole cause chain on one line (Tera puts the useful part last).
pub fn template_error(e: tera::Error) -> Error {
    Error::Template(crate::error::chain(&e))
}

/// Files under `dir` (none if it does not exist), as (relative path with `/`, full path), sorted.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Io { action: "read", path: dir.to_path_buf(), source: e.into() })?;
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && !crate::content::is_ignored_name(&name) {
            let rel = entry.path().strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            out.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_loads_without_a_themes_folder() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path(), "handbook", &[], None).unwrap();
        for t in ["base.html", "page.html", "section.html", "sidebar.html", "404.html", "alias.html", "tags.html"] {
            assert!(theme.has_template(t), "{t}");
        }
        assert!(theme.assets.contains_key("css/handbook.css"));
    }

    #[test]
    fn get_env_reads_only_allowed_variables() {
        let dir = tempfile::tempdir().unwrap();
        let mut theme = Theme::load(dir.path(), "handbook", &["PATH".to_string(), "HANDBOOK_TEST_UNSET".to_string()], None).unwrap();
        let render = |theme: &mut Theme, t: &str| theme.tera.render_str(t, &tera::Context::new()).map_err(|e| crate::error::chain(&e));
        assert_eq!(render(&mut theme, "{{ get_env(name=\"PATH\") }}").unwrap(), std::env::var("PATH").unwrap());
        let err = render(&mut theme, "{{ get_env(name=\"HOME\") }}").unwrap_err();
        assert!(err.contains("`HOME` is not in `[env] allow`"), "{err}");
        assert_eq!(render(&mut theme, "{{ get_env(name=\"HANDBOOK_TEST_UNSET\", default=\"d\") }}").unwrap(), "d");
    }

    #[test]
    fn template_syntax_errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("shortcodes")).unwrap();
        std::fs::write(dir.path().join("shortcodes/box.html"), "<div>\n{{ inner | }}</div>\n").unwrap();
        let Err(Error::Site(d)) = Theme::load(dir.path(), "handbook", &[], None) else { panic!("a syntax error") };
        assert_eq!(d[0].file, Path::new("shortcodes/box.html"));
        assert_eq!(d[0].line_col(), (2, 12), "{d:?}");
        assert_eq!(d[0].code, "template-syntax");
    }

    #[test]
    fn tera_builtins_are_there_and_reproducible() {
        let dir = tempfile::tempdir().unwrap();
        let mut theme = Theme::load(dir.path(), "handbook", &[], Some(86_400 + 3_661)).unwrap();
        let mut render = |t: &str| theme.tera.render_str(t, &tera::Context::new()).map_err(|e| crate::error::chain(&e));
        assert_eq!(render("{{ now() }}").unwrap(), "1970-01-02T01:01:01+00:00");
        assert_eq!(render("{{ now() | date(format=\"%Y-%m-%d\") }}").unwrap(), "1970-01-02");
        assert_eq!(render("{{ \"Hello World!\" | slugify }}").unwrap(), "hello-world");
        assert_eq!(render("{{ \"a b&c\" | urlencode }}").unwrap(), "a%20b%26c");
        assert_eq!(render("{{ 1234567 | filesizeformat }}").unwrap(), "1.18 MB");
        assert!(render("{{ get_random(end=10) }}").unwrap_err().contains("not available"));
    }

    #[test]
    fn missing_named_theme_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(Theme::load(dir.path(), "fancy", &[], None), Err(Error::Usage(_))));
    }

    /// The shipped syntax stylesheets are generated from syntect's bundled themes (as two-face
    /// ships them); `cargo run --example syntax_css` regenerates them after an upgrade of either.
    #[test]
    fn shipped_syntax_css_matches_syntect_themes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/handbook/static/css");
        for (file, theme, background) in SYNTAX_STYLESHEETS {
            let shipped = std::fs::read_to_string(root.join(file)).unwrap();
            assert_eq!(shipped, syntax_stylesheet(theme, background).unwrap(), "{file} is stale: run `cargo run --example syntax_css`");
        }
    }
}
