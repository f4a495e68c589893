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

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_and_finds_ids() {
        assert_eq!(super::escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        let ids: Vec<_> = super::ids("<h2 id=\"a\">x</h2><div class='x' id='b'></div><p>id=\"no\"</p>").collect();
        assert_eq!(ids, vec!["a", "b"]);
    }
}
