//! Write stage: site-level files derived from all pages.

use crate::config::Config;
use crate::content::{Content, PageId};
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::render::{SiteContext, Theme};
use std::collections::HashMap;

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
    let mut out: Vec<Alias> = page_aliases(config, content).map(|(_, _, alias)| alias).collect();
    out.sort_by(|a, b| a.output_file.cmp(&b.output_file));
    out.dedup_by(|a, b| a.output_file == b.output_file);
    out
}

/// (page, alias as written, alias) for every alias that names a place.
fn page_aliases<'a>(config: &'a Config, content: &'a Content) -> impl Iterator<Item = (PageId, &'a str, Alias)> + 'a {
    content.pages.iter().enumerate().flat_map(move |(id, page)| {
        page.front.aliases.iter().filter_map(move |written| {
            let path = written.split(['#', '?']).next().unwrap_or(written);
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
            Some((id, written.as_str(), Alias { output_file, from, to: config.page_path(&page.url) }))
        })
    })
}

/// An alias whose redirect page would replace a page, or that another page claims too: errors
/// at the alias, naming the other file. (Left alone, the redirect silently replaced the page.)
pub fn alias_conflicts(config: &Config, content: &Content) -> Vec<Diagnostic> {
    let pages: HashMap<String, PageId> = content.pages.iter().enumerate().map(|(id, p)| (format!("{}index.html", p.url), id)).collect();
    let mut claimed: HashMap<String, PageId> = HashMap::new();
    let mut out = Vec::new();
    for (id, written, alias) in page_aliases(config, content) {
        let other = match pages.get(&alias.output_file) {
            Some(&page) => Some((page, "is the URL of")),
            None => match claimed.insert(alias.output_file.clone(), id) {
                Some(first) if first != id => Some((first, "is also an alias of")),
                _ => None,
            },
        };
        if let Some((other, why)) = other {
            let page = &content.pages[id];
            let span = crate::content::front_value_span(&page.text, "aliases", written);
            out.push(
                Diagnostic::error("alias-conflict", &page.file, format!("alias `{written}` {why} {}", content.pages[other].file.display()))
                    .with_span(span)
                    .with_label("two sources for one output path")
                    .with_target(written.to_string())
                    .located(&page.text, &page.lines),
            );
        }
    }
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
