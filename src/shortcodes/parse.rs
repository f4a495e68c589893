//! Render stage, step 1a: parse Hugo shortcode syntax (`{{< >}}`, `{{% %}}`, closing tags, the
//! escaped `{{</* */>}}` form) into a tree of nodes with byte spans.

use crate::diagnostics::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Plain text, copied through.
    Text(Span),
    /// `{{</* x */>}}`: rendered literally as `{{< x >}}`.
    Escaped {
        span: Span,
        literal: String,
    },
    Call(Call),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Arg>,
    /// `{{% %}}`: inner text and output are Markdown. `{{< >}}`: raw.
    pub markdown: bool,
    /// The opening tag.
    pub span: Span,
    pub body: Option<Body>,
}

impl Call {
    /// The whole shortcode, from its opening tag to the end of its closing tag.
    pub fn full_span(&self) -> Span {
        Span::new(self.span.start, self.body.as_ref().map_or(self.span.end, |b| b.close.end))
    }

    pub fn named(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.name.as_deref() == Some(key))
    }

    pub fn positional(&self, index: usize) -> Option<&Arg> {
        self.args.iter().filter(|a| a.name.is_none()).nth(index)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub nodes: Vec<Node>,
    /// The inner text between the tags.
    pub inner: Span,
    /// The closing tag.
    pub close: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub name: Option<String>,
    pub value: String,
    /// The value as written (inside the quotes, if quoted).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    pub label: String,
}

impl ParseError {
    fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        ParseError { message: message.into(), span, label: label.into() }
    }
}

/// One tag as scanned, before pairing.
#[derive(Debug)]
struct Tag {
    span: Span,
    markdown: bool,
    closing: bool,
    self_closing: bool,
    name: String,
    name_span: Span,
    args: Vec<Arg>,
}

/// How deep shortcodes with a body may nest. Real pages nest two or three; expanding a tree
/// recurses once per level, and 2,000 levels overflowed the stack and killed the process.
pub const MAX_NESTING: usize = 64;

/// Parses `src[range]`; spans are offsets into `src`. `has_body(name)` says whether a shortcode
/// expects a closing tag (only those can be unclosed).
pub fn parse(src: &str, start: usize, has_body: &dyn Fn(&str) -> bool) -> Result<Vec<Node>, ParseError> {
    let mut stack: Vec<(Call, Vec<Node>)> = Vec::new();
    let mut nodes = Vec::new();
    let mut pos = start;
    while let Some(at) = next_tag(src, pos) {
        push_text(&mut nodes, &mut stack, pos, at);
        if let Some((escaped, end)) = escaped(src, at) {
            let node = Node::Escaped { span: Span::new(at, end), literal: escaped };
            current(&mut nodes, &mut stack).push(node);
            pos = end;
            continue;
        }
        let tag = scan_tag(src, at)?;
        pos = tag.span.end;
        if tag.closing {
            close(&mut nodes, &mut stack, tag)?;
        } else {
            let call =
                Call { name: tag.name, name_span: tag.name_span, args: tag.args, markdown: tag.markdown, span: tag.span, body: None };
            if !tag.self_closing && has_body(&call.name) {
                if stack.len() >= MAX_NESTING {
                    return Err(ParseError::new(
                        call.span,
                        format!("shortcodes are nested more than {MAX_NESTING} deep here"),
                        "this shortcode opens one level too many",
                    ));
                }
                stack.push((call, Vec::new()));
            } else {
                current(&mut nodes, &mut stack).push(Node::Call(call));
            }
        }
    }
    push_text(&mut nodes, &mut stack, pos, src.len());
    if let Some((open, _)) = stack.pop() {
        let (left, right) = if open.markdown { ("%", "%") } else { ("<", ">") };
        return Err(ParseError::new(
            open.span,
            format!("shortcode `{}` is never closed", open.name),
            format!("expected a closing `{{{{{left} /{} {right}}}}}` after this", open.name),
        ));
    }
    Ok(nodes)
}

/// Where the next `{{<` or `{{%` at or after `from` starts. memchr's SIMD search: this runs
/// over every page, and `str::find` with a two-byte pattern cost about 12,000 instructions per
/// search of a typical page; a page's two searches were a sixth of what its links cost.
pub(crate) fn next_tag(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    memchr::memmem::find_iter(&bytes[from..], b"{{").map(|i| from + i).find(|&at| matches!(bytes.get(at + 2), Some(b'<' | b'%')))
}

fn current<'a>(nodes: &'a mut Vec<Node>, stack: &'a mut [(Call, Vec<Node>)]) -> &'a mut Vec<Node> {
    match stack.last_mut() {
        Some((_, inner)) => inner,
        None => nodes,
    }
}

fn push_text(nodes: &mut Vec<Node>, stack: &mut [(Call, Vec<Node>)], from: usize, to: usize) {
    if from >= to {
        return;
    }
    let list = current(nodes, stack);
    if let Some(Node::Text(span)) = list.last_mut() {
        if span.end == from {
            span.end = to;
            return;
        }
    }
    list.push(Node::Text(Span::new(from, to)));
}

fn close(nodes: &mut Vec<Node>, stack: &mut Vec<(Call, Vec<Node>)>, tag: Tag) -> Result<(), ParseError> {
    let Some((mut open, inner)) = stack.pop() else {
        return Err(ParseError::new(tag.span, format!("closing tag `{}` has no opening shortcode", tag.name), "nothing to close here"));
    };
    if open.name != tag.name {
        return Err(ParseError::new(
            tag.span,
            format!("closing tag `{}` does not match the open shortcode `{}`", tag.name, open.name),
            format!("expected `/{}` here", open.name),
        ));
    }
    open.body = Some(Body { nodes: inner, inner: Span::new(open.span.end, tag.span.start), close: tag.span });
    current(nodes, stack).push(Node::Call(open));
    Ok(())
}

/// `{{</* ... */>}}` or `{{%/* ... */%}}` at `at`: the literal text and the end offset.
fn escaped(src: &str, at: usize) -> Option<(String, usize)> {
    let rest = &src[at..];
    let (open, close, delim_open, delim_close) = if rest.starts_with("{{</*") {
        ("{{</*", "*/>}}", "{{<", ">}}")
    } else if rest.starts_with("{{%/*") {
        ("{{%/*", "*/%}}", "{{%", "%}}")
    } else {
        return None;
    };
    // After the opening: in `{{</*/>}}` the closing `*/>}}` overlaps it.
    let end = open.len() + rest[open.len()..].find(close)?;
    let inner = &rest[open.len()..end];
    Some((format!("{delim_open}{inner}{delim_close}"), at + end + close.len()))
}

/// Scans one tag starting at `at` (which holds `{{<` or `{{%`).
fn scan_tag(src: &str, at: usize) -> Result<Tag, ParseError> {
    let markdown = src.as_bytes()[at + 2] == b'%';
    let close_delim = if markdown { "%}}" } else { ">}}" };
    let bytes = src.as_bytes();
    let mut pos = at + 3;
    // The quote character and where it opened.
    let mut in_quote: Option<(u8, usize)> = None;
    let end = loop {
        match (bytes.get(pos), in_quote) {
            (None, None) => {
                return Err(ParseError::new(
                    Span::new(at, at + 3),
                    "shortcode tag is not terminated",
                    format!("no `{close_delim}` after this"),
                ));
            }
            (Some(b'\\'), Some((b'"', _))) => pos += 1,
            (Some(&q), Some((open, _))) if q == open => in_quote = None,
            (Some(&q @ (b'"' | b'`')), None) => in_quote = Some((q, pos)),
            (None | Some(b'\n'), Some((_, opened))) => {
                return Err(ParseError::new(
                    Span::new(opened, opened + 1),
                    "unterminated string in shortcode arguments",
                    "this quote is not closed on its line",
                ));
            }
            _ if in_quote.is_none() && bytes[pos..].starts_with(close_delim.as_bytes()) => break pos,
            _ => {}
        }
        pos += 1;
    };
    let span = Span::new(at, end + 3);
    let mut inner_start = at + 3;
    let mut inner_end = end;
    let trimmed = src[inner_start..inner_end].trim_start();
    inner_start = inner_end - trimmed.len();
    let closing = trimmed.starts_with('/');
    if closing {
        inner_start += 1;
    }
    let self_closing = !closing && src[inner_start..inner_end].trim_end().ends_with('/');
    if self_closing {
        inner_end = inner_start + src[inner_start..inner_end].trim_end().len() - 1;
    }
    let mut tokens = tokenize(src, inner_start, inner_end)?;
    if tokens.is_empty() || tokens[0].0.is_some() {
        return Err(ParseError::new(span, "shortcode has no name", "expected a name after the opening delimiter"));
    }
    let name = tokens.remove(0);
    let args = tokens.into_iter().map(|(name, value, span)| Arg { name, value, span }).collect();
    Ok(Tag { span, markdown, closing, self_closing, name: name.1, name_span: name.2, args })
}

type Token = (Option<String>, String, Span);

/// Splits arguments: `word`, `"quoted \" string"`, `` `raw` ``, `key=value` with either form.
fn tokenize(src: &str, start: usize, end: usize) -> Result<Vec<Token>, ParseError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut pos = start;
    loop {
        while pos < end && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= end {
            return Ok(out);
        }
        let word_end =
            (pos..end).find(|&i| bytes[i].is_ascii_whitespace() || bytes[i] == b'=' || bytes[i] == b'"' || bytes[i] == b'`').unwrap_or(end);
        let (name, value_start) = if word_end < end && bytes[word_end] == b'=' && word_end > pos {
            (Some(src[pos..word_end].to_string()), word_end + 1)
        } else {
            (None, pos)
        };
        let (value, span, next) = value(src, value_start, end)?;
        out.push((name, value, span));
        pos = next;
    }
}

fn value(src: &str, start: usize, end: usize) -> Result<(String, Span, usize), ParseError> {
    let bytes = src.as_bytes();
    match bytes.get(start) {
        Some(&q @ (b'"' | b'`')) => {
            let mut out = String::new();
            let mut pos = start + 1;
            while pos < end && bytes[pos] != q {
                if q == b'"' && bytes[pos] == b'\\' && pos + 1 < end {
                    pos += 1;
                }
                let ch = src[pos..].chars().next().expect("in bounds");
                out.push(ch);
                pos += ch.len_utf8();
            }
            if pos >= end {
                return Err(ParseError::new(Span::new(start, end), "unterminated string in shortcode arguments", "string starts here"));
            }
            Ok((out, Span::new(start + 1, pos), pos + 1))
        }
        _ => {
            let stop = (start..end).find(|&i| bytes[i].is_ascii_whitespace()).unwrap_or(end);
            Ok((src[start..stop].to_string(), Span::new(start, stop), stop))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Both found by tests/testsuite/properties.rs: each panicked on a slice before the fixes.
    #[test]
    fn escape_whose_close_overlaps_its_open_does_not_panic() {
        let _ = parse("{{</*/>}} text", 0, &|_| false);
    }

    #[test]
    fn backslash_before_a_multibyte_character_in_quotes_does_not_panic() {
        let src = "{{< x a=\"\\𖽫\" >}} {{< y \"\\é >}}";
        let _ = parse(src, 0, &|_| false);
    }

    fn parse_all(src: &str) -> Result<Vec<Node>, ParseError> {
        parse(src, 0, &|name| matches!(name, "details" | "alert" | "box"))
    }

    fn call(node: &Node) -> &Call {
        match node {
            Node::Call(c) => c,
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn inline_ref_with_quoted_argument() {
        let src = r#"see [x]({{< ref "inventory#policies" >}}) now"#;
        let nodes = parse_all(src).unwrap();
        assert_eq!(nodes.len(), 3);
        let c = call(&nodes[1]);
        assert_eq!(c.name, "ref");
        assert_eq!(c.args[0].value, "inventory#policies");
        assert_eq!(&src[c.args[0].span.start..c.args[0].span.end], "inventory#policies");
        assert!(!c.markdown);
    }

    #[test]
    fn named_and_positional_arguments() {
        let src = r#"{{< alert color="warning" title='x' plain `raw "q"` k=v esc="a \"b\"" >}}{{< /alert >}}"#;
        let c = call(&parse_all(src).unwrap()[0]).clone();
        assert_eq!(c.named("color").unwrap().value, "warning");
        assert_eq!(c.named("k").unwrap().value, "v");
        assert_eq!(c.named("esc").unwrap().value, "a \"b\"");
        // Like Hugo, single quotes are not quotes.
        assert_eq!(c.named("title").unwrap().value, "'x'");
        assert_eq!(c.positional(0).unwrap().value, "plain");
        assert_eq!(c.positional(1).unwrap().value, "raw \"q\"");
    }

    #[test]
    fn nested_bodies_with_markdown_delimiters() {
        let src = "{{% details summary=\"S\" %}}\nouter {{< box >}}in{{< /box >}}\n{{% /details %}}";
        let nodes = parse_all(src).unwrap();
        let outer = call(&nodes[0]);
        assert!(outer.markdown);
        let body = outer.body.as_ref().unwrap();
        assert_eq!(body.nodes.len(), 3);
        assert_eq!(call(&body.nodes[1]).name, "box");
        assert_eq!(&src[body.close.start..body.close.end], "{{% /details %}}");
    }

    #[test]
    fn next_tag_skips_braces_that_open_no_shortcode() {
        let src = "a {{ b }} {{{< c {{% d";
        // Three braces and `<` read as `{{` then `{<`: text, not a tag.
        assert_eq!(next_tag(src, 0), Some(17));
        assert_eq!(next_tag(src, 18), None);
        assert_eq!(next_tag("{{< x >}}", 0), Some(0));
        assert_eq!(next_tag("no tags {{ here", 0), None);
    }

    #[test]
    fn escaped_form_is_literal() {
        let nodes = parse_all("a {{</* ref \"x\" */>}} b").unwrap();
        assert!(matches!(&nodes[1], Node::Escaped { literal, .. } if literal == "{{< ref \"x\" >}}"));
    }

    #[test]
    fn self_closing_needs_no_close() {
        let nodes = parse_all("{{< details />}} after").unwrap();
        assert!(call(&nodes[0]).body.is_none());
    }

    #[test]
    fn unclosed_mismatched_and_stray_closers_are_errors_with_spans() {
        let e = parse_all("x\n{{< details >}} never").unwrap_err();
        assert_eq!((e.span, e.message.as_str()), (Span::new(2, 17), "shortcode `details` is never closed"));
        let e = parse_all("{{< details >}}{{< /alert >}}").unwrap_err();
        assert_eq!(e.span, Span::new(15, 29));
        assert!(e.message.contains("does not match"));
        let e = parse_all("{{< /alert >}}").unwrap_err();
        assert!(e.message.contains("no opening"));
        let e = parse_all("{{< ref \"x >}}").unwrap_err();
        assert!(e.message.contains("not terminated") || e.message.contains("unterminated"), "{}", e.message);
    }

    #[test]
    fn braces_that_are_not_shortcodes_stay_text() {
        let nodes = parse_all("{{ not }} and {x}").unwrap();
        assert_eq!(nodes, vec![Node::Text(Span::new(0, 17))]);
    }
}
