//! Small HTML helpers shared by the render stage.

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    escape_with(out, text, "&#39;");
}

/// What Tera's `escape_xml` filter writes (`&apos;` for `'`), appending to `out`: for markup
/// built in Rust that must match what a template made.
pub fn escape_xml_into(out: &mut String, text: &str) {
    escape_with(out, text, "&apos;");
}

fn escape_with(out: &mut String, text: &str, apostrophe: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            _ => out.push(ch),
        }
    }
}

/// Every `id="…"` value in an HTML fragment (anchors a link may target).
pub fn ids(html: &str) -> impl Iterator<Item = &str> {
    // memchr's SIMD substring search: this runs over every rendered page.
    memchr::memmem::find_iter(html.as_bytes(), b" id=").filter_map(move |i| {
        let rest = &html[i + 4..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &rest[1..];
        value.find(quote).map(|end| &value[..end])
    })
}

/// Makes every `id` of `html` unique: a repeat becomes `x-2`, `x-3`… (HTML allows an id once,
/// and two `{{< counterparts >}}` tables on one page each write the same ids). The first keeps
/// its id, so links to it still land there. Most pages have no repeat and are not copied.
pub fn dedupe_ids(html: &mut String) {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut repeats: Vec<std::ops::Range<usize>> = Vec::new();
    for i in memchr::memmem::find_iter(html.as_bytes(), b" id=") {
        let start = i + 5;
        let Some(quote) = html[i + 4..].chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        let Some(len) = html[start..].find(quote) else { continue };
        if !seen.insert(&html[start..start + len]) {
            repeats.push(start..start + len);
        }
    }
    if repeats.is_empty() {
        return;
    }
    let mut taken: std::collections::HashSet<String> = seen.into_iter().map(str::to_string).collect();
    let mut out = String::with_capacity(html.len() + repeats.len() * 2);
    let mut from = 0;
    for range in repeats {
        let id = &html[range.clone()];
        let unique = (2..).map(|n| format!("{id}-{n}")).find(|c| !taken.contains(c)).expect("some suffix is free");
        out.push_str(&html[from..range.start]);
        out.push_str(&unique);
        taken.insert(unique);
        from = range.end;
    }
    out.push_str(&html[from..]);
    *html = out;
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeated_ids_get_a_suffix_and_the_first_keeps_its_own() {
        let mut html = String::from("<h3 id=\"a\">x</h3><th id=\"a\"></th><p id='a-2'></p><h3 id=\"a\">y</h3><i id=\"b\"></i>");
        super::dedupe_ids(&mut html);
        assert_eq!(html, "<h3 id=\"a\">x</h3><th id=\"a-3\"></th><p id='a-2'></p><h3 id=\"a-4\">y</h3><i id=\"b\"></i>");
        let mut once = String::from("<p id=\"a\"></p>");
        super::dedupe_ids(&mut once);
        assert_eq!(once, "<p id=\"a\"></p>");
    }

    #[test]
    fn escapes_and_finds_ids() {
        assert_eq!(super::escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        let ids: Vec<_> = super::ids("<h2 id=\"a\">x</h2><div class='x' id='b'></div><p>id=\"no\"</p>").collect();
        assert_eq!(ids, vec!["a", "b"]);
    }
}
