//! Render stage: legacy kramdown syntax, handled before Markdown parsing without moving any byte:
//! `{: ...}` attribute lines are blanked and remembered, and the `- TOC` + `{:toc}` marker
//! becomes a position where the table of contents goes.

/// Attributes of one `{: .class #id}` line, applying to the block that ends right before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockAttrs {
    /// Offset of the attribute line (the block before it ends at or before this offset).
    pub line_start: usize,
    pub id: Option<String>,
    pub classes: Vec<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Legacy {
    /// The text with kramdown lines replaced by spaces (same length, same line breaks).
    pub text: Option<String>,
    pub attrs: Vec<BlockAttrs>,
    /// Where a `- TOC` marker stood.
    pub toc_marker: Option<usize>,
}

/// Scans `text` for kramdown constructs; cheap when there are none.
pub fn preprocess(text: &str) -> Legacy {
    if !text.contains("{:") {
        return Legacy::default();
    }
    let mut out = text.as_bytes().to_vec();
    let mut legacy = Legacy::default();
    let mut previous: Option<(usize, &str)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(inner) = trimmed.strip_prefix("{:").and_then(|t| t.strip_suffix('}')) {
            blank(&mut out, offset, line);
            let inner = inner.trim_start_matches(':').trim();
            if inner.starts_with("toc") {
                if let Some((start, prev)) = previous.filter(|(_, p)| matches!(p.trim(), "- TOC" | "* TOC" | "1. TOC")) {
                    blank(&mut out, start, prev);
                    legacy.toc_marker = Some(start);
                }
            } else {
                legacy.attrs.push(parse_attrs(offset, inner));
            }
        }
        previous = Some((offset, line));
        offset += line.len();
    }
    legacy.text = Some(String::from_utf8(out).expect("only ASCII bytes were replaced"));
    legacy
}

/// Replaces a line's content (not its line break) with spaces.
fn blank(out: &mut [u8], start: usize, line: &str) {
    let content = line.trim_end_matches(['\n', '\r']).len();
    out[start..start + content].fill(b' ');
}

fn parse_attrs(line_start: usize, inner: &str) -> BlockAttrs {
    let mut attrs = BlockAttrs { line_start, id: None, classes: Vec::new() };
    for token in inner.split_whitespace() {
        if let Some(id) = token.strip_prefix('#') {
            attrs.id = Some(id.to_string());
        } else if let Some(class) = token.strip_prefix('.') {
            attrs.classes.push(class.to_string());
        }
    }
    attrs
}

/// Removes inline attribute lists (`text{: .x}`) from a piece of text, so none leak.
pub fn strip_inline(text: &str) -> Option<String> {
    let start = text.find("{:")?;
    let end = text[start..].find('}')? + start;
    let mut out = String::with_capacity(text.len());
    out.push_str(text[..start].trim_end());
    out.push_str(&strip_inline(&text[end + 1..]).unwrap_or_else(|| text[end + 1..].to_string()));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_seed_constructs() {
        let text = "## On this page\n{:.no_toc .hidden-md}\n\n- TOC\n{:toc .hidden-md}\n\n## Mission\n";
        let l = preprocess(text);
        let out = l.text.unwrap();
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("{:") && !out.contains("TOC"));
        assert_eq!(l.toc_marker, Some(text.find("- TOC").unwrap()));
        assert_eq!(l.attrs, vec![BlockAttrs { line_start: 16, id: None, classes: vec!["no_toc".into(), "hidden-md".into()] }]);
    }

    #[test]
    fn text_without_kramdown_is_untouched() {
        assert_eq!(preprocess("# a\n{not kramdown}\n"), Legacy::default());
    }

    #[test]
    fn inline_attribute_lists_are_removed() {
        assert_eq!(strip_inline("Warning{: .red} text {:#x}").as_deref(), Some("Warning text"));
        assert_eq!(strip_inline("plain"), None);
    }
}
