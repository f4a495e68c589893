//! Render stage: what goldmark's Linkify (Hugo's `linkify = true`) takes for a bare URL or e-mail
//! address, read at one position of a line. [`super::inline`] decides where it looks, as goldmark's
//! inline parser does; this module only matches.
//!
//! goldmark matches with two regular expressions (below as comments) and then trims the end; the
//! matchers here follow them step by step, greedy with backtracking as Go's `regexp` resolves
//! them. The trimming is what Hugo 0.168 (goldmark 1.8.6) does, read off its output
//! (tests/fixtures/goldmark, cases 059–072): first trailing `?!.,:*_~`, then unbalanced `)`
//! or a trailing `&entity;`.

/// A URL or address found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autolink {
    /// Bytes of the line it covers.
    pub len: usize,
    /// The `href`: `www.` gets `https://` (Hugo's `linkifyProtocol`), an address `mailto:`.
    pub href: String,
}

/// The autolink that starts at `line[0]`, if any.
pub fn at(line: &[u8]) -> Option<Autolink> {
    let text = |len: usize| String::from_utf8_lossy(&line[..len]).into_owned();
    if let Some(len) = url(line) {
        return Some(Autolink { len, href: text(len) });
    }
    if let Some(len) = www(line) {
        return Some(Autolink { len, href: format!("https://{}", text(len)) });
    }
    email(line).map(|len| Autolink { len, href: format!("mailto:{}", text(len)) })
}

/// `(?:http|https|ftp)://DOMAIN\.[a-z]+(?::\d+)?PATH?`
fn url(line: &[u8]) -> Option<usize> {
    let scheme = [&b"http://"[..], b"https://", b"ftp://"].into_iter().find(|s| line.starts_with(s))?.len();
    let host = host_end(line, scheme)?;
    let port = match line.get(host) {
        Some(b':') => host + 1 + digits(&line[host + 1..]),
        _ => host,
    };
    // `:` without digits is no port: the optional group matches nothing.
    let port = if port == host + 1 { host } else { port };
    Some(trim(line, path_end(line, port, true)))
}

/// `www\.DOMAIN\.[a-z]+PATH?` (no port, and `$` is no path character here).
fn www(line: &[u8]) -> Option<usize> {
    if !line.starts_with(b"www.") {
        return None;
    }
    let host = host_end(line, 4)?;
    Some(trim(line, path_end(line, host, false)))
}

/// `[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+` from `from`: the longest domain that a `.` and a
/// lowercase run follow (the greedy repetition gives back characters until one does).
fn host_end(line: &[u8], from: usize) -> Option<usize> {
    let run = line[from..].iter().take(256).take_while(|&&b| b.is_ascii_alphanumeric() || b"-@:%._+~#=".contains(&b)).count();
    (from + 1..=from + run).rev().find_map(|dot| {
        if line.get(dot) != Some(&b'.') {
            return None;
        }
        let tld = line[dot + 1..].iter().take_while(|b| b.is_ascii_lowercase()).count();
        (tld > 0).then_some(dot + 1 + tld)
    })
}

/// `(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=();,'">^{}[\]` + "`" + `]*)?` from `from`.
fn path_end(line: &[u8], from: usize, dollar: bool) -> usize {
    if !matches!(line.get(from), Some(b'/' | b'#' | b'?')) {
        return from;
    }
    let ok = |b: &u8| b.is_ascii_alphanumeric() || b"-@:%_+.~#!?&/=();,'\">^{}[]`".contains(b) || (dollar && *b == b'$');
    from + 1 + line[from + 1..].iter().take_while(|b| ok(b)).count()
}

fn digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// The end of a URL match after goldmark's trimming: trailing `?!.,:*_~` (never the first
/// character), then as many `)` as are unbalanced, or an `&name;` character reference.
fn trim(line: &[u8], end: usize) -> usize {
    let mut end = end;
    while end > 1 && b"?!.,:*_~".contains(&line[end - 1]) {
        end -= 1;
    }
    match line[end - 1] {
        b')' => {
            let unbalanced = line[..end].iter().fold(0i32, |n, b| n + i32::from(*b == b')') - i32::from(*b == b'('));
            end - unbalanced.max(0) as usize
        }
        b';' => {
            let name = line[..end - 1].iter().rev().take_while(|b| b.is_ascii_alphanumeric()).count();
            let name_start = end - 1 - name;
            match name_start.checked_sub(1) {
                Some(amp) if name > 0 && line[amp] == b'&' => amp,
                _ => end,
            }
        }
        _ => end,
    }
}

/// An e-mail address: goldmark's `FindEmailIndex` (a local part, `@`, dot-separated labels of
/// letters, digits and inner hyphens), with a `.` in the domain and no `-` or `_` right after.
/// Unlike goldmark, a local part is at most 64 bytes (the most an address may have): Linkify is
/// tried at every `_` of a word, and an unbounded scan from each would cost quadratic time.
fn email(line: &[u8]) -> Option<usize> {
    if line.first().is_none_or(|b| b.is_ascii_punctuation()) {
        return None;
    }
    let local = line.iter().take(65).take_while(|&&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-./=?^_`{|}~".contains(&b)).count();
    if local == 0 || line.get(local) != Some(&b'@') {
        return None;
    }
    let mut end = local + 1;
    let mut labels = 0;
    while let Some(len) = label(&line[end..]) {
        end += len;
        labels += 1;
        match (line.get(end), line.get(end + 1).and_then(|_| label(&line[end + 1..]))) {
            (Some(b'.'), Some(_)) => end += 1,
            _ => break,
        }
    }
    let no_dot = !line[local + 1..end].contains(&b'.');
    if labels == 0 || no_dot || matches!(line.get(end), Some(b'-' | b'_')) {
        return None;
    }
    Some(end)
}

/// `[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?`: up to 63 letters, digits and hyphens, not
/// ending with a hyphen.
fn label(bytes: &[u8]) -> Option<usize> {
    if !bytes.first()?.is_ascii_alphanumeric() {
        return None;
    }
    let run = bytes.iter().take(63).take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
    (1..=run).rev().find(|&n| bytes[n - 1].is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(line: &str) -> Option<(&str, String)> {
        at(line.as_bytes()).map(|a| (&line[..a.len], a.href))
    }

    fn text(line: &str) -> Option<&str> {
        found(line).map(|(t, _)| t)
    }

    #[test]
    fn urls_with_goldmark_trailing_rules() {
        assert_eq!(text("https://gitlab.com/x/-/issues?a=1. Then"), Some("https://gitlab.com/x/-/issues?a=1"));
        assert_eq!(text("https://example.com/b; x"), Some("https://example.com/b;"));
        assert_eq!(text("https://example.com/e:"), Some("https://example.com/e"));
        assert_eq!(text("https://a.com/b)."), Some("https://a.com/b"));
        assert_eq!(text("https://a.com/b.)"), Some("https://a.com/b."));
        assert_eq!(text("https://a.com/(b))."), Some("https://a.com/(b)"));
        assert_eq!(text("https://a.com/b_)"), Some("https://a.com/b_"));
        assert_eq!(text("https://a.com/&amp;."), Some("https://a.com/"));
        assert_eq!(text("https://a.com/b\"."), Some("https://a.com/b\""));
        assert_eq!(text("https://example.com/x* and"), Some("https://example.com/x"));
        assert_eq!(text("https://example.com:8080/path,"), Some("https://example.com:8080/path"));
        assert_eq!(text("ftp://files.example.com/pub,"), Some("ftp://files.example.com/pub"));
    }

    #[test]
    fn www_gets_https_and_needs_a_dot_and_letters() {
        assert_eq!(found("www.example.com/path for"), Some(("www.example.com/path", "https://www.example.com/path".into())));
        assert_eq!(text("www.example.com."), Some("www.example.com"));
        assert_eq!(text("www.google.com/search?q=Markup+(business)))"), Some("www.google.com/search?q=Markup+(business)"));
        assert_eq!(text("www. alone"), None);
        assert_eq!(text("www.localhost"), None);
        assert_eq!(text("https:// alone"), None);
        assert_eq!(text("nohttps://x.com"), None);
    }

    #[test]
    fn email_addresses_get_mailto() {
        assert_eq!(
            found("first.last+tag@sub.example.org today"),
            Some(("first.last+tag@sub.example.org", "mailto:first.last+tag@sub.example.org".into()))
        );
        assert_eq!(text("support@example.com."), Some("support@example.com"));
        assert_eq!(text("user@localhost"), None);
        assert_eq!(text("a@b.c-"), None);
        assert_eq!(text("a@b.c_"), None);
        assert_eq!(text("mailto:team@example.com"), None, "`:` ends the local part");
        assert_eq!(text("(a@b.com"), None, "punctuation cannot start one");
    }
}
