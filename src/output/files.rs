//! Write stage: site-level files derived from all pages.

use crate::config::Config;
use crate::content::Content;
use crate::error::Result;
use crate::render::{SearchEntry, SiteContext, Theme};

/// GitLab Pages reads at most this many `_redirects` rules and bytes.
pub const REDIRECT_LIMIT_RULES: usize = 1000;
pub const REDIRECT_LIMIT_BYTES: usize = 65_536;

/// One alias: where its redirect page goes and where it points.
pub struct Alias {
    /// Output file of the redirect page, relative to the output root: `old/path/index.html`, or
    /// `old/page.html` for an alias that names an `.html` file (served at exactly that path).
    pub output_file: String,
    /// Absolute path of the alias under the deploy prefix.
    pub from: String,
    /// Absolute path of the page.
    pub to: String,
}

/// Every alias of every page, sorted. Aliases under `section_path` are placed relative to it;
/// others keep their full path under the deploy prefix.
pub fn aliases(config: &Config, content: &Content) -> Vec<Alias> {
    let mut out: Vec<Alias> = content
        .pages
        .iter()
        .flat_map(|page| page.front.aliases.iter().map(move |alias| (page, alias)))
        .filter_map(|(page, alias)| {
            let path = alias.split(['#', '?']).next().unwrap_or(alias);
            let within = config.section_path.as_deref().and_then(|s| path.strip_prefix(s.trim_end_matches('/'))).unwrap_or(path);
            let clean = crate::links::paths::join("", within)?;
            let clean = clean.trim_end_matches('/');
            if clean.is_empty() {
                return None;
            }
            let (output_file, from) = if clean.ends_with(".html") {
                (clean.to_string(), config.page_path(clean))
            } else {
                (format!("{clean}/index.html"), config.page_path(&format!("{clean}/")))
            };
            Some(Alias { output_file, from, to: config.page_path(&page.url) })
        })
        .collect();
    out.sort_by(|a, b| a.output_file.cmp(&b.output_file));
    out.dedup_by(|a, b| a.output_file == b.output_file);
    out
}

/// Redirect pages for aliases: (output path, HTML).
pub fn alias_pages(config: &Config, theme: &Theme, aliases: &[Alias]) -> Result<Vec<(String, String)>> {
    aliases
        .iter()
        .map(|a| {
            let mut context = tera::Context::new();
            context.insert("site", &SiteContext::new(config));
            context.insert("target", &a.to);
            Ok((a.output_file.clone(), theme.render("alias.html", &context)?))
        })
        .collect()
}

/// `_redirects` in the Netlify/GitLab Pages format, and a warning when GitLab would ignore
/// some of it.
pub fn redirects(aliases: &[Alias]) -> (String, Option<String>) {
    let text: String = aliases.iter().map(|a| format!("{} {} 301\n", a.from, a.to)).collect();
    let warning = (aliases.len() > REDIRECT_LIMIT_RULES || text.len() > REDIRECT_LIMIT_BYTES).then(|| {
        format!(
            "_redirects has {} rules and {} bytes; GitLab Pages reads at most {REDIRECT_LIMIT_RULES} rules and {REDIRECT_LIMIT_BYTES} bytes",
            aliases.len(),
            text.len()
        )
    });
    (text, warning)
}

/// `sitemap.xml` with every page's permalink.
pub fn sitemap(config: &Config, content: &Content, lastmod: impl Fn(usize) -> Option<String>) -> String {
    let mut urls: Vec<(String, Option<String>)> =
        content.pages.iter().enumerate().map(|(id, p)| (config.permalink(&p.url), lastmod(id))).collect();
    urls.sort();
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in urls {
        out.push_str(&format!("  <url><loc>{}</loc>", crate::html::escape(&url)));
        if let Some(date) = lastmod {
            out.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `search-index.json`: title, URL, description and headings of every page.
pub fn search_index(entries: &[SearchEntry]) -> String {
    serde_json::to_string(entries).expect("search entries serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_warn_past_gitlab_limits() {
        let alias = |i: usize| Alias { output_file: format!("a{i}/index.html"), from: format!("/a{i}/"), to: "/x/".into() };
        let (text, warning) = redirects(&[alias(1)]);
        assert_eq!(text, "/a1/ /x/ 301\n");
        assert!(warning.is_none());
        let many: Vec<_> = (0..1001).map(alias).collect();
        assert!(redirects(&many).1.unwrap().contains("1001 rules"));
    }
}
