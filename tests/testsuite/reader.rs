//! What a reader of the built site gets beyond the page itself: previous/next links in reading
//! order, tag pages (safe slugs, nothing outside `tags/`), and the reading-aid script.

use crate::common;

use handbook::diagnostics::render_text;
use handbook::BuildOptions;
use std::collections::BTreeMap;
use std::path::Path;

const EPOCH: i64 = 1_700_000_000;

/// Builds a site of `pages` (path under `content/` → text) at `https://h.test/sub/`; returns the
/// output files and the build's diagnostics as text.
fn build(pages: &[(&str, &str)]) -> (BTreeMap<String, String>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("handbook.toml"), "title = \"Reader\"\nbase_url = \"https://h.test/sub/\"\n").unwrap();
    for (rel, text) in pages {
        let path = root.join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = tmp.path().join("public");
    let options = BuildOptions { root, output: Some(out.clone()), source_date_epoch: Some(EPOCH), ..Default::default() };
    let report = handbook::build(&options).unwrap_or_else(|e| panic!("build failed: {e}\n{}", render_text(e.diagnostics(), false)));
    let files = common::files(&out).into_iter().map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned())).collect();
    (files, render_text(&report.diagnostics, false))
}

const SITE: &[(&str, &str)] = &[
    ("_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
    ("a/_index.md", "---\ntitle: Area\nweight: 1\n---\nArea.\n"),
    ("a/one.md", "---\ntitle: One\nweight: 1\ntags: [Threat Modeling, \"../../escape\", \"!!\"]\n---\n## Steps\n\nText.\n"),
    ("a/two.md", "---\ntitle: Two\nweight: 2\ntags: [threat modeling]\n---\nText.\n"),
    ("b.md", "---\ntitle: Bee\nweight: 2\n---\nText.\n"),
];

fn rel(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!("rel=\"{rel}\" href=\""))?;
    let rest = &html[at + rel.len() + 13..];
    Some(rest[..rest.find('"')?].to_string())
}

#[test]
fn previous_and_next_follow_reading_order() {
    let (files, _) = build(SITE);
    // Home, Area, One, Two (Area's pages, by weight), then Bee.
    let order = ["index.html", "a/index.html", "a/one/index.html", "a/two/index.html", "b/index.html"];
    let urls = ["/sub/", "/sub/a/", "/sub/a/one/", "/sub/a/two/", "/sub/b/"];
    for (n, file) in order.iter().enumerate() {
        let html = &files[*file];
        assert_eq!(rel(html, "prev"), n.checked_sub(1).map(|p| urls[p].to_string()), "prev of {file}");
        assert_eq!(rel(html, "next"), urls.get(n + 1).map(|u| u.to_string()), "next of {file}");
    }
}

#[test]
fn tags_link_to_generated_tag_pages_that_stay_under_tags() {
    let (files, diagnostics) = build(SITE);
    let one = &files["a/one/index.html"];
    assert!(one.contains("<a href=\"/sub/tags/threat-modeling/\" rel=\"tag\">Threat Modeling</a>"), "{one}");
    assert!(one.contains("<a href=\"/sub/tags/escape/\" rel=\"tag\">..&#x2F;..&#x2F;escape</a>"), "{one}");
    assert!(one.contains("<li class=\"tag\">!!</li>"), "a tag with no slug is shown without a link");
    let tag = &files["tags/threat-modeling/index.html"];
    let (first, second) = (tag.find("href=\"/sub/a/one/\"").unwrap(), tag.find("href=\"/sub/a/two/\"").unwrap());
    assert!(first < second, "pages in reading order");
    assert!(tag.contains("<h1>Tag: Threat Modeling</h1>"));
    let index = &files["tags/index.html"];
    assert!(index.contains("href=\"/sub/tags/escape/\""));
    assert!(index.contains("href=\"/sub/tags/threat-modeling/\">Threat Modeling</a> <span class=\"tag-count\">(2)</span>"), "{index}");
    let tag_files: Vec<&String> = files.keys().filter(|p| p.starts_with("tags/")).collect();
    assert_eq!(tag_files, ["tags/escape/index.html", "tags/index.html", "tags/threat-modeling/index.html"]);
    assert!(files.keys().all(|p| !p.split('/').any(|s| s == ".." || s.is_empty())));
    assert!(!Path::new("escape").exists());
    assert!(diagnostics.is_empty(), "{diagnostics}");
}

#[test]
fn a_content_page_at_a_tag_url_wins_with_a_warning() {
    let mut site = SITE.to_vec();
    site.push(("tags.md", "---\ntitle: Our tags\n---\nHand written.\n"));
    let (files, diagnostics) = build(&site);
    assert!(files["tags/index.html"].contains("Hand written."));
    assert!(files.contains_key("tags/threat-modeling/index.html"));
    assert!(diagnostics.contains("tag-page-shadowed"), "{diagnostics}");
}

#[test]
fn the_reading_aids_script_ships_and_every_page_loads_it() {
    let (files, _) = build(SITE);
    let script = &files["js/reader.js"];
    for aid in ["copy-button", "nav-fold", "handbook-nav", "handbook-theme"] {
        assert!(script.contains(aid), "{aid}");
    }
    for page in ["index.html", "a/one/index.html", "tags/index.html", "404.html"] {
        assert!(files[page].contains("<script src=\"/sub/js/reader.js\" defer></script>"), "{page}");
    }
}

#[test]
fn the_search_index_holds_bodies_and_sections_as_plain_text() {
    let (files, _) = build(SITE);
    let entries: Vec<serde_json::Value> = files
        .iter()
        .filter(|(path, _)| path.starts_with("search/p/"))
        .flat_map(|(_, text)| serde_json::from_str::<Vec<serde_json::Value>>(text).unwrap())
        .collect();
    let one = entries.iter().find(|e| e["url"] == "/sub/a/one/").unwrap();
    assert_eq!(one["section"], "Area");
    assert_eq!(one["headings"], serde_json::json!(["Steps"]));
    assert_eq!(one["body"], "Steps Text.", "plain text, without the heading's anchor");
    let home = entries.iter().find(|e| e["url"] == "/sub/").unwrap();
    assert!(home["section"].is_null());
}

/// What `search.js` does with the chunked index: the term file of a word's first two
/// characters, its delta-coded postings, and the page chunk of each posting.
fn search_pages(files: &BTreeMap<String, String>, word: &str) -> Vec<String> {
    let meta: serde_json::Value = serde_json::from_str(&files["search/meta.json"]).unwrap();
    let chunk = meta["chunk"].as_u64().unwrap() as usize;
    let shard: String = word.chars().take(2).collect::<String>().bytes().map(|b| format!("{b:02x}")).collect();
    let Some(terms) = files.get(&format!("search/t/{shard}.json")) else { return Vec::new() };
    let terms: serde_json::Value = serde_json::from_str(terms).unwrap();
    let Some(list) = terms[word].as_array() else { return Vec::new() };
    let mut page = 0;
    let mut urls: Vec<String> = list
        .chunks(2)
        .map(|pair| {
            page += pair[0].as_u64().unwrap() as usize;
            let entries: serde_json::Value = serde_json::from_str(&files[&format!("search/p/{}.json", page / chunk)]).unwrap();
            entries[page % chunk]["url"].as_str().unwrap().to_string()
        })
        .collect();
    urls.sort();
    urls
}

#[test]
fn the_chunked_search_index_finds_a_word_of_a_body_on_every_page_that_has_it() {
    let mut site = SITE.to_vec();
    let pages: Vec<(String, String)> = (0..25)
        .map(|i| {
            (format!("a/p{i:02}.md"), format!("---\ntitle: Page {i}\n---\n{}\n", if i % 7 == 0 { "Zebra crossing." } else { "Plain." }))
        })
        .collect();
    site.extend(pages.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let (files, _) = build(&site);
    assert_eq!(search_pages(&files, "zebra"), ["/sub/a/p00/", "/sub/a/p07/", "/sub/a/p14/", "/sub/a/p21/"]);
    assert_eq!(search_pages(&files, "steps"), ["/sub/a/one/"], "a heading's word");
    assert!(search_pages(&files, "nowhere").is_empty());
    assert!(files.keys().filter(|p| p.starts_with("search/p/")).count() >= 3, "pages in chunks, not one file");
}

#[test]
fn the_atom_feed_lists_pages_by_their_date_and_is_deterministic() {
    let mut site = SITE.to_vec();
    site.push(("news.md", "---\ntitle: News\nlastmod: 2030-05-06\ndescription: Fresh\n---\nNew.\n"));
    let (files, _) = build(&site);
    let feed = &files["atom.xml"];
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    // The newest page first; the rest carry SOURCE_DATE_EPOCH (2023-11-14), by URL.
    let ids: Vec<&str> = feed.lines().filter_map(|l| l.trim().strip_prefix("<id>")?.strip_suffix("</id>")).collect();
    assert_eq!(ids[..3], ["https://h.test/sub/", "https://h.test/sub/news/", "https://h.test/sub/"]);
    assert!(feed.contains("<updated>2030-05-06T00:00:00Z</updated>\n  <author>"));
    assert!(feed.contains("<summary>Fresh</summary>"));
    assert_eq!(feed.matches("<entry>").count(), 6);
    assert_eq!(build(&site).0["atom.xml"], *feed, "the same site gives the same feed");
    assert!(files["index.html"]
        .contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Reader: recently updated\" href=\"/sub/atom.xml\">"));
}

#[test]
fn headings_under_the_title_do_not_skip_a_level() {
    let (files, _) = build(&[("_index.md", "---\ntitle: Home\n---\n### Straight to three\n\n#### Four\n\n### Three again\n")]);
    let html = &files["index.html"];
    assert!(html.contains("<h1>Home</h1>"));
    assert!(html.contains("<h2 id=\"straight-to-three\">Straight to three"), "{html}");
    assert!(html.contains("<h3 id=\"four\">Four"), "{html}");
    assert!(html.contains("<h2 id=\"three-again\">Three again"), "{html}");
    assert!(html.contains("<a href=\"#straight-to-three\">"), "the table of contents keeps the ids");
}
