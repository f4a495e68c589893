//! Render stage: GFM's extended autolinks. A bare `https://…`, `http://…` or `www.…` in text
//! becomes a link, as GitHub and Hugo (goldmark's linkify) render it; pulldown-cmark only knows
//! the `<…>` form.

use super::Events;
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::ops::Range;

/// Splits text events around bare URLs, outside links, images, code and raw HTML.
pub fn linkify(events: &mut Events, source: &str) {
    if !events.iter().any(|(e, _)| matches!(e, Event::Text(t) if has_candidate(t))) {
        return;
    }
    let mut out: Events = Vec::with_capacity(events.len() + 8);
    let mut depth = 0usize;
    for (event, range) in events.drain(..) {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock) => depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock | TagEnd::HtmlBlock) => depth = depth.saturating_sub(1),
            Event::Text(text) if depth == 0 && has_candidate(text) => {
                split(text, &range, source, &mut out);
                continue;
            }
            _ => {}
        }
        out.push((event, range));
    }
    *events = out;
}

/// Whether `text` contains `http://`, `https://` or `www.`: one memchr pass over the bytes that
/// can start a candidate, instead of three substring searches per text event.
fn has_candidate(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b':', b'w', bytes).any(|i| match bytes[i] {
        b':' => bytes[i + 1..].starts_with(b"//") && (bytes[..i].ends_with(b"http") || bytes[..i].ends_with(b"https")),
        _ => bytes[i..].starts_with(b"www."),
    })
}

/// Pushes `text` as text and link events. Each link's range is where its URL is written: found
/// by searching for it in the text event's source `range`.
fn split(text: &str, range: &Range<usize>, source: &str, out: &mut Events) {
    let mut rest = 0;
    let mut search_from = range.start;
    for (start, end) in urls(text) {
        if start > rest {
            out.push((Event::Text(CowStr::from(text[rest..start].to_string())), range.clone()));
        }
        let url = &text[start..end];
        let dest = if url.starts_with("www.") { format!("http://{url}") } else { url.to_string() };
        let tag = Tag::Link { link_type: LinkType::Autolink, dest_url: dest.into(), title: CowStr::from(""), id: CowStr::from("") };
        let written = source.get(search_from..range.end).and_then(|s| s.find(url)).map(|i| search_from + i);
        let url_range = written.map_or(range.clone(), |at| at..at + url.len());
        search_from = url_range.end;
        out.push((Event::Start(tag), url_range));
        out.push((Event::Text(CowStr::from(url.to_string())), range.clone()));
        out.push((Event::End(TagEnd::Link), range.clone()));
        rest = end;
    }
    if rest < text.len() {
        out.push((Event::Text(CowStr::from(text[rest..].to_string())), range.clone()));
    }
}

/// Byte ranges of the bare URLs in `text`.
fn urls(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some((start, prefix)) = ["https://", "http://", "www."].iter().filter_map(|p| text[at..].find(p).map(|i| (at + i, *p))).min()
        else {
            break;
        };
        let boundary = text[..start].chars().next_back().is_none_or(|c| c.is_whitespace() || "*_~(".contains(c));
        let end = start + text[start..].find(|c: char| c.is_whitespace() || c == '<').unwrap_or(text.len() - start);
        let end = trim_trailing(&text[start..end]) + start;
        if boundary && end > start + prefix.len() && text[start + prefix.len()..end].contains(|c: char| c.is_alphanumeric()) {
            found.push((start, end));
            at = end;
        } else {
            at = start + prefix.len();
        }
    }
    found
}

/// GFM's rule: trailing punctuation is not part of the URL, nor an unbalanced closing `)`.
fn trim_trailing(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let s = &url[..end];
        match s.chars().next_back() {
            Some('?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"' | ';') => end -= 1,
            Some(')') if s.matches(')').count() > s.matches('(').count() => end -= 1,
            _ => return end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::urls;

    fn found(text: &str) -> Vec<&str> {
        urls(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn finds_bare_urls_with_gfm_trailing_rules() {
        assert_eq!(found("see https://gitlab.com/x/-/issues?a=1. Then"), ["https://gitlab.com/x/-/issues?a=1"]);
        assert_eq!(found("(www.example.com/a_(b)) and http://x.io!"), ["www.example.com/a_(b)", "http://x.io"]);
        assert_eq!(found("nohttps://x or https:// alone or www."), Vec::<&str>::new());
    }

    #[test]
    fn candidates_are_exactly_the_three_prefixes() {
        for (text, expected) in [
            ("see http://a", true),
            ("https://a", true),
            ("www.a", true),
            ("ftp://a", false),
            ("a://b", false),
            ("ttps://a", false),
            ("www", false),
            ("wwwx.", false),
            ("http:/", false),
            ("plain words with w and : in them", false),
            ("", false),
        ] {
            let slow = text.contains("http://") || text.contains("https://") || text.contains("www.");
            assert_eq!(slow, expected, "{text:?}");
            assert_eq!(super::has_candidate(text), expected, "{text:?}");
        }
    }
}
