//! Write stage: `atom.xml`, the pages most recently updated, so a team can follow changes (to
//! runbooks, say) in a feed reader. A page's date is its `lastmod`, else its git date, else
//! `SOURCE_DATE_EPOCH`, as the page shows it; the feed depends on nothing else, so one commit
//! builds one feed.

use crate::config::Config;
use crate::content::{Content, PageId};

/// How many pages the feed lists.
pub const FEED_ENTRIES: usize = 30;

/// The Atom feed of the `FEED_ENTRIES` most recently updated pages (newest first, then by URL);
/// `date(id)` is a page's `YYYY-MM-DD`, pages without one are left out.
pub fn atom(config: &Config, content: &Content, date: impl Fn(PageId) -> Option<String>) -> String {
    let mut entries: Vec<(String, String, PageId)> = (0..content.pages.len())
        .filter(|&id| !content.pages[id].generated)
        .filter_map(|id| {
            let day = date(id)?.get(..10)?.to_string();
            let valid = day.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
            valid.then(|| (day, config.permalink(&content.pages[id].url), id))
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    entries.truncate(FEED_ENTRIES);
    let esc = crate::html::escape;
    let updated = entries.first().map_or_else(|| "1970-01-01".to_string(), |e| e.0.clone());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{} · recently updated</title>\n", esc(&config.title)));
    out.push_str(&format!("  <id>{}</id>\n", esc(&config.base_url)));
    out.push_str(&format!("  <link rel=\"self\" href=\"{}\"/>\n", esc(&config.permalink("atom.xml"))));
    out.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", esc(&config.base_url)));
    out.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    out.push_str(&format!("  <author><name>{}</name></author>\n", esc(&config.title)));
    for (day, permalink, id) in &entries {
        let page = &content.pages[*id];
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", esc(&page.title)));
        out.push_str(&format!("    <link href=\"{}\"/>\n", esc(permalink)));
        out.push_str(&format!("    <id>{}</id>\n", esc(permalink)));
        out.push_str(&format!("    <updated>{day}T00:00:00Z</updated>\n"));
        if let Some(description) = page.front.description.as_deref().filter(|d| !d.trim().is_empty()) {
            out.push_str(&format!("    <summary>{}</summary>\n", esc(description)));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{load_page, Tree};

    #[test]
    fn newest_first_then_by_url_escaped_and_bounded() {
        let config = Config::parse(std::path::Path::new("/s"), "title = \"A & B\"\nbase_url = \"https://h/\"\n", None).unwrap();
        let mut pages: Vec<_> = [
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("a.md", "---\ntitle: A <old>\n---\n"),
            ("b.md", "---\ntitle: B\ndescription: \"x < y\"\n---\n"),
            ("c.md", "---\ntitle: C\n---\n"),
            ("d.md", "---\ntitle: D\n---\n"),
        ]
        .into_iter()
        .map(|(rel, text)| load_page(rel, text.to_string()).0.unwrap())
        .collect();
        let tree = Tree::build(&mut pages);
        let content = Content { pages, tree, ..Default::default() };
        let dates = ["2026-01-01", "2025-01-01", "2026-03-04", "2026-03-04T10:00:00Z", "bad-date!!"];
        let feed = atom(&config, &content, |id| Some(dates[id].to_string()));
        let order: Vec<&str> = feed.lines().filter_map(|l| l.trim().strip_prefix("<id>")).collect();
        assert_eq!(order, ["https://h/</id>", "https://h/b/</id>", "https://h/c/</id>", "https://h/</id>", "https://h/a/</id>"]);
        assert!(feed.contains("<title>A &amp; B · recently updated</title>"));
        assert!(feed.contains("<title>A &lt;old&gt;</title>") && feed.contains("<summary>x &lt; y</summary>"));
        assert!(feed.contains("<updated>2026-03-04T00:00:00Z</updated>\n  <author>"));
        assert!(!feed.contains("https://h/d/"), "an unreadable date is left out");
        let many = atom(&config, &content, |_| Some("2026-01-01".into()));
        assert_eq!(many.matches("<entry>").count(), 5.min(FEED_ENTRIES));
    }
}
