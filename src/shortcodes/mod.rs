//! Render stage, step 1: expand Hugo shortcodes in a page body before Markdown, keeping a map
//! from every output byte back to the source so later diagnostics point at the file.

mod expand;
mod offsets;
pub mod parse;

pub use expand::{expand, Expanded, Host, Invocation, BUILTIN_BLOCKS, BUILTIN_INLINE};
pub use offsets::OffsetMap;

/// Raw HTML a `{{< >}}` shortcode produced is kept out of the Markdown parser behind this
/// marker and swapped back in after rendering (Zola does the same).
pub const PLACEHOLDER_MARK: char = '\u{1A}';

/// Puts raw shortcode HTML back in place of its placeholders in rendered HTML.
pub fn restore_placeholders(html: &mut String, raw: &[String]) {
    if raw.is_empty() {
        return;
    }
    let mut out = String::with_capacity(html.len() + raw.iter().map(String::len).sum::<usize>());
    let mut rest = html.as_str();
    while let Some(start) = rest.find(PLACEHOLDER_MARK) {
        let after = &rest[start + 1..];
        let Some(len) = after.find(PLACEHOLDER_MARK) else { break };
        let index: Option<usize> = after[..len].strip_prefix("hbsc").and_then(|n| n.parse().ok());
        let (before, block) = strip_paragraph(&rest[..start], &after[len + 1..]);
        out.push_str(before);
        match index.and_then(|i| raw.get(i)) {
            Some(html) => out.push_str(html),
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = block;
    }
    out.push_str(rest);
    *html = out;
}

/// A placeholder alone in a paragraph replaces the whole `<p>…</p>`.
fn strip_paragraph<'a>(before: &'a str, after: &'a str) -> (&'a str, &'a str) {
    match (before.strip_suffix("<p>"), after.strip_prefix("</p>\n")) {
        (Some(b), Some(a)) => (b, a),
        _ => (before, after),
    }
}

/// The placeholder text for raw HTML number `index`.
pub fn placeholder(index: usize) -> String {
    format!("{PLACEHOLDER_MARK}hbsc{index}{PLACEHOLDER_MARK}")
}
