use super::*;

fn html(text: &str) -> Rendered {
    let highlighter = Highlighter::default();
    let mut r = render(text, &highlighter, Extensions::default(), false, &mut |_| None);
    r.highlight_code(&highlighter);
    r
}

/// The HTML of `text` rendered with `extensions`.
pub fn html_with(text: &str, extensions: Extensions) -> String {
    let highlighter = Highlighter::default();
    let mut r = render(text, &highlighter, extensions, false, &mut |_| None);
    r.highlight_code(&highlighter);
    r.html
}

#[test]
fn headings_get_unique_github_ids_and_toc_h2_to_h4() {
    let r = html("# Title\n## Roles & Responsibilities\n### A\n#### B\n##### C\n## A\n## Custom {#mine}\n");
    assert!(r.html.contains("<h2 id=\"roles--responsibilities\">Roles &amp; Responsibilities"), "{}", r.html);
    let ids: Vec<_> = r.toc.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["roles--responsibilities", "a", "b", "a-1", "mine"]);
    assert!(r.html.contains("<a class=\"anchor\" href=\"#a-1\" aria-hidden=\"true\">#</a></h2>"));
}

#[test]
fn gfm_extensions_render() {
    let r = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ text[^1]\n\n[^1]: note\n");
    for needle in ["<table>", "<th>a</th>", "type=\"checkbox\"", "<del>old</del>", "<div class=\"footnotes\""] {
        assert!(r.html.contains(needle), "missing {needle} in {}", r.html);
    }
}

#[test]
fn task_list_boxes_have_a_name_for_screen_readers() {
    let r = html(
        "- [x] rotate the key
- [ ] tell the reporter
",
    );
    assert!(
        r.html.contains("<li><input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"> rotate the key</li>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<li><input type=\"checkbox\" disabled=\"\" aria-label=\"To do\"> tell the reporter</li>"), "{}", r.html);
}

#[test]
fn comments_are_dropped_but_raw_html_passes() {
    let r = html("<!-- markdownlint-disable MD052 -->\n\n<div id=\"raw\">x</div>\n\ntext <!-- inline --> more\n");
    assert!(!r.html.contains("markdownlint"), "{}", r.html);
    assert!(!r.html.contains("inline"));
    assert!(r.html.contains("<div id=\"raw\">x</div>"));
}

#[test]
fn legacy_kramdown_toc_and_attributes_never_leak() {
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages/landing-legacy.md"));
    let body = &text[text.find("\n---\n").map_or(0, |i| i + 5)..];
    let r = html(body);
    assert!(!r.html.contains("{:"), "{}", r.html);
    assert!(!r.html.contains("TOC</li>"), "{}", r.html);
    assert!(r.inline_toc);
    assert!(r.html.contains("<nav class=\"toc inline-toc\""));
    assert!(r.html.contains("<a href=\"#why-the-team-exists\">Why the team exists</a>"));
    assert!(!r.toc.iter().any(|e| e.id == "on-this-page"), "no_toc heading must stay out of the TOC");
    assert!(r.html.contains("class=\"no_toc hidden-md hidden-lg\""), "{}", r.html);
}

#[test]
fn links_report_destination_spans_for_each_form() {
    let text = "See [a](runbooks}) and [b][1] and <https://x.example/> ![i](img.png \"t\")\n\n[1]: /old/page.html\n";
    let r = html(text);
    let spans: Vec<_> = r.links.iter().map(|l| (&text[l.span.start..l.span.end], l.image, l.via_definition)).collect();
    assert_eq!(
        spans,
        [("runbooks}", false, false), ("/old/page.html", false, true), ("https://x.example/", false, false), ("img.png", true, false)]
    );
}

#[test]
fn angle_email_autolinks_are_reported_as_mailto_links() {
    let r = html("Write to <team@example.com>.\n");
    assert_eq!(r.links[0].dest, "mailto:team@example.com");
    assert!(r.html.contains("<a href=\"mailto:team@example.com\">team@example.com</a>"), "{}", r.html);
}

#[test]
fn rewrite_changes_hrefs() {
    let r = render("[a](x.md)", &Highlighter::default(), Extensions::default(), false, &mut |l| {
        Some(format!("/base/{}", l.dest.replace(".md", "/")))
    });
    assert!(r.html.contains("href=\"/base/x/\""), "{}", r.html);
}

#[test]
fn code_blocks_are_highlighted() {
    let r = html("```yaml\nkey: value\n```\n\n    indented\n");
    assert!(r.html.contains("class=\"language-yaml\""));
    assert!(r.html.contains("hl-"));
    assert!(r.html.contains("<pre class=\"code\"><code>indented\n</code></pre>"));
}

#[test]
fn nests_toc_entries() {
    let e = |level, id: &str| TocEntry { level, id: id.into(), title: id.into() };
    let nested = nest_toc(&[e(2, "a"), e(3, "b"), e(4, "c"), e(2, "d")]);
    assert_eq!(nested.len(), 2);
    assert_eq!(nested[0].children[0].children[0].id, "c");
}

#[test]
fn drop_title_removes_only_the_first_h1() {
    let r = render("# Title\n\ntext\n\n# Second\n", &Highlighter::default(), Extensions::default(), true, &mut |_| None);
    assert!(!r.html.contains(">Title<"), "{}", r.html);
    assert!(r.html.contains("<h1 id=\"second\">Second"), "{}", r.html);
}

#[test]
fn bare_urls_become_links_outside_code_and_links() {
    let r = html("Visit https://gitlab.com/appsec. or www.example.com, `https://in.code` and [https://x.io](https://y.io)\n\n```\nhttps://in.block\n```\n");
    assert!(r.html.contains("<a href=\"https://gitlab.com/appsec\">https://gitlab.com/appsec</a>."), "{}", r.html);
    // `www.` links get `https://`, as Hugo's `linkifyProtocol` gives them.
    assert!(r.html.contains("<a href=\"https://www.example.com\">www.example.com</a>,"), "{}", r.html);
    assert!(r.html.contains("<code>https://in.code</code>"));
    assert!(r.html.contains("<a href=\"https://y.io\">https://x.io</a>"));
    assert!(!r.html.contains("href=\"https://in.block"));
    let dests: Vec<_> = r.links.iter().map(|l| l.dest.as_str()).collect();
    assert_eq!(dests, ["https://gitlab.com/appsec", "https://www.example.com", "https://y.io"]);
    let text = "x\n\nA *b* https://a.io/1 and https://a.io/1 again\n";
    let spans: Vec<_> = html(text).links.iter().map(|l| (l.span.start, l.span.end)).collect();
    assert_eq!(spans, [(9, 23), (28, 42)], "each bare URL's span is where it is written");
}

#[test]
fn known_languages_wait_as_markers_until_filled_in_order() {
    let h = Highlighter::default();
    let text = "```rust\nfn a() {}\n```\n\n```\nplain\n```\n\n```nolang\nx\n```\n\n```yaml\nk: v\n```\n";
    let mut r = render(text, &h, Extensions::default(), false, &mut |_| None);
    let langs: Vec<_> = r.code.iter().map(|b| b.lang.as_str()).collect();
    assert_eq!(langs, ["rust", "yaml"], "only blocks a grammar can highlight wait");
    assert_eq!(r.html.matches(CODE_MARKER).count(), 2);
    assert!(r.html.contains("<pre class=\"code\"><code>plain\n</code></pre>"), "plain blocks are rendered at once");
    r.fill_code(vec!["<i>first</i>".into(), "<i>second</i>".into()]);
    assert!(r.code.is_empty());
    let (first, second) = (r.html.find("<i>first</i>").unwrap(), r.html.find("<i>second</i>").unwrap());
    assert!(first < r.html.find("plain").unwrap() && r.html.find("nolang").unwrap() < second, "{}", r.html);
}

#[test]
fn a_page_containing_the_marker_text_is_highlighted_at_once() {
    let h = Highlighter::default();
    let text = format!("Odd text {CODE_MARKER} here\n\n```rust\nfn a() {{}}\n```\n");
    let r = render(&text, &h, Extensions::default(), false, &mut |_| None);
    assert!(r.code.is_empty());
    assert!(r.html.contains("<span class=\"hl-keyword\">fn</span>"), "{}", r.html);
}

#[test]
fn deferred_highlighting_gives_the_same_html_as_highlighting_at_once() {
    let h = Highlighter::default();
    let text = "```python\ndef f():\n    return 1\n```\n\n```shell\necho hi\n```\n\n- item\n\n  ```rust\n  let x = 1;\n  ```\n- next\n\n> ```yaml\n> k: v\n> ```\n\n1. ```toml\n   a = 1\n   ```\n";
    let mut r = render(text, &h, Extensions::default(), false, &mut |_| None);
    r.highlight_code(&h);
    let at_once = render(&format!("{CODE_MARKER}\n\n{text}"), &h, Extensions::default(), false, &mut |_| None);
    let marker_paragraph = format!("<p>{}</p>\n", CODE_MARKER.trim_end());
    assert!(at_once.html.starts_with(&marker_paragraph), "{}", at_once.html);
    assert_eq!(at_once.html[marker_paragraph.len()..], r.html);
}

#[test]
fn filling_code_skips_shortcode_placeholders() {
    let h = Highlighter::default();
    let text = "\u{1A}hbsc0\u{1A}\n\n```rust\nfn a() {}\n```\n\nafter \u{1A}hbsc1\u{1A}\n";
    let mut r = render(text, &h, Extensions::default(), false, &mut |_| None);
    r.fill_code(vec!["<i>code</i>\n".into()]);
    assert_eq!(r.html.matches('\u{1A}').count(), 4, "both shortcode placeholders stay: {}", r.html);
    let (first, code, second) = (r.html.find("hbsc0").unwrap(), r.html.find("<i>code</i>").unwrap(), r.html.find("hbsc1").unwrap());
    assert!(first < code && code < second, "{}", r.html);
}

#[test]
fn unknown_fence_languages_are_plain_and_reported_where_written() {
    let h = Highlighter::default();
    let text =
        "```klingon\nqapla'\n```\n\n- item\n\n  ~~~ nolang {.x}\n  <b>\n  ~~~\n\n```text\nplain\n```\n\n```rust,ignore\nfn a() {}\n```\n";
    let r = render(text, &h, Extensions::default(), false, &mut |_| None);
    let found: Vec<_> = r.unknown_languages.iter().map(|u| (u.lang.as_str(), &text[u.span.start..u.span.end])).collect();
    assert_eq!(found, [("klingon", "klingon"), ("nolang", "nolang")]);
    assert!(r.html.contains("<code class=\"language-klingon\">qapla&#39;\n</code>"), "{}", r.html);
    assert!(r.html.contains("<code class=\"language-nolang\">&lt;b&gt;\n</code>"), "{}", r.html);
    assert_eq!(r.code.len(), 1, "rust waits for highlighting");
}
