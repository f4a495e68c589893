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

/// The named references in this tool's HTML: XML's five and `&nbsp;`, and those goldmark's
/// typographer and emoji write.
const NAMED_REFERENCES: [(&str, char); 16] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("zwj", '\u{200D}'),
];

/// `text` with the character references this tool's HTML holds decoded: XML's five and
/// `&nbsp;` (Tera and the Markdown stage), the typographer's and emoji's named ones, and numeric
/// ones. Anything else stays as written.
pub fn decode_references(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            n => NAMED_REFERENCES.iter().find(|(name, _)| *name == n).map(|(_, c)| *c),
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Every `id="…"` value in an HTML fragment (anchors a link may target).
pub fn ids(html: &str) -> impl Iterator<Item = &str> {
    id_attributes(html).map(|(_, value)| &html[value])
}

/// Each `id` attribute: where its ` id=` starts, and the range of its value.
fn id_attributes(html: &str) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + '_ {
    // memchr's SIMD substring search: this runs over every rendered page.
    memchr::memmem::find_iter(html.as_bytes(), b" id=").filter_map(move |i| {
        let quote = html[i + 4..].chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let start = i + 5;
        html[start..].find(quote).map(|len| (i, start..start + len))
    })
}

/// Makes every `id` of `html` unique: a repeat becomes `x-2`, `x-3`… (HTML allows an id once,
/// and two `{{< counterparts >}}` tables on one page each write the same ids). Of the elements
/// sharing an id, the page's own heading (`is_heading`: an id of the table of contents, which
/// links to it) keeps it, else the first one, so links to it still land there. Only attributes
/// inside tags count: `id="x"` written in a code sample is text. Most pages have no repeat: one
/// pass over their ids, and no copy.
pub fn dedupe_ids(html: &mut String, is_heading: impl Fn(&str) -> bool) {
    let mut seen = std::collections::HashSet::new();
    if ids(html).all(|id| seen.insert(id)) {
        return;
    }
    // Every id attribute inside a tag: its value's range, and whether it is a page heading's.
    let mut found: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, value) in id_attributes(html) {
        // The tag this attribute is in: the last `<` before it, with no `>` in between.
        let Some(tag) = html[..i].rfind(['<', '>']).filter(|&at| html.as_bytes()[at] == b'<') else { continue };
        let id = &html[value.clone()];
        let heading = matches!(html.as_bytes().get(tag + 1..tag + 3), Some([b'h', b'1'..=b'6'])) && is_heading(id);
        *count.entry(id).or_default() += 1;
        found.push((value, heading));
    }
    // Which occurrence keeps each repeated id.
    let mut keeper: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (n, (range, heading)) in found.iter().enumerate() {
        let id = &html[range.clone()];
        if count[id] > 1 && (*heading || !keeper.contains_key(id)) {
            keeper.insert(id, n);
        }
    }
    let mut taken: std::collections::HashSet<String> = count.keys().map(|id| id.to_string()).collect();
    let mut out = String::with_capacity(html.len() + 16);
    let mut from = 0;
    for (n, (range, _)) in found.iter().enumerate() {
        let id = &html[range.clone()];
        if count[id] == 1 || keeper[id] == n {
            continue;
        }
        let unique = (2..).map(|k| format!("{id}-{k}")).find(|c| !taken.contains(c)).expect("some suffix is free");
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
        let none = |_: &str| false;
        let mut html = String::from("<h3 id=\"a\">x</h3><th id=\"a\"></th><p id='a-2'></p><h3 id=\"a\">y</h3><i id=\"b\"></i>");
        super::dedupe_ids(&mut html, none);
        assert_eq!(html, "<h3 id=\"a\">x</h3><th id=\"a-3\"></th><p id='a-2'></p><h3 id=\"a-4\">y</h3><i id=\"b\"></i>");
        let mut once = String::from("<p id=\"a\"></p>");
        super::dedupe_ids(&mut once, none);
        assert_eq!(once, "<p id=\"a\"></p>");
        // The page's own heading keeps its id although a shortcode's element came first.
        let mut shared = String::from("<table id=\"steps\"></table><h2 id=\"steps\">Steps</h2>");
        super::dedupe_ids(&mut shared, |id| id == "steps");
        assert_eq!(shared, "<table id=\"steps-2\"></table><h2 id=\"steps\">Steps</h2>");
        // Text that looks like an attribute is left alone, and so is a heading's id.
        let text = "<p id=\"x\"></p><pre><code>&lt;img id=\"x\"&gt;</code></pre>";
        let mut kept = String::from(text);
        super::dedupe_ids(&mut kept, |id| id == "x");
        assert_eq!(kept, text);
    }

    #[test]
    fn escapes_and_finds_ids() {
        assert_eq!(super::escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        let ids: Vec<_> = super::ids("<h2 id=\"a\">x</h2><div class='x' id='b'></div><p>id=\"no\"</p>").collect();
        assert_eq!(ids, vec!["a", "b"]);
    }
}
