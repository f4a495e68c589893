//! Render stage: goldmark's typographer (Hugo's default), decision for decision. goldmark does
//! not pair quotes: at each `'` or `"` it looks at the character before, the rest of the line
//! and how many quotes of the block are still open, and picks an entity or leaves the
//! character. Its rules have odd corners that Hugo's output shows and this keeps: `'never`
//! gets an apostrophe (a `'t`/`'e`/`'n`/`'l` after a space is taken for `'twas`, `'em`),
//! `5'10"` keeps both straight characters, `---` then `-` is `&mdash;-`.
//!
//! pulldown-cmark's smart punctuation pairs quotes like CommonMark emphasis and gives other
//! answers on those corners, so it is not used.

/// How many quotes are open, for the whole page. goldmark means to forget them at the end of
/// each block, but its reset method does not have the signature of the hook it is meant for,
/// so it is never called: a quote left open in one paragraph lets a later one close (Hugo's
/// output shows it, case 007 of tests/fixtures/goldmark).
#[derive(Debug, Default)]
pub struct Quotes {
    single: u32,
    double: u32,
}

/// The substitution for the trigger at `line[0]` and how many bytes it replaces. `line` is
/// the rest of the source line (with its `\n`, except on a block's last line), `before` the
/// source character before it (`\n` at the start of a block) and `after` the character after
/// the run of `line[0]`'s character (` ` at the end of the line): the caller works that out once
/// per run, as a page of quote characters must not cost quadratic time.
pub fn substitute(line: &[u8], before: char, after: char, quotes: &mut Quotes) -> Option<(&'static str, usize)> {
    let c = line[0];
    let next = |s: &[u8]| line.get(1..1 + s.len()) == Some(s);
    match c {
        b'-' if next(b"--") => Some(("&mdash;", 3)),
        b'-' if next(b"-") => Some(("&ndash;", 2)),
        b'.' if next(b"..") => Some(("&hellip;", 3)),
        b'<' if next(b"<") => Some(("&laquo;", 2)),
        b'>' if next(b">") => Some(("&raquo;", 2)),
        b'\'' => single(line, flanking(before, after), before, quotes).map(|entity| (entity, 1)),
        b'"' => double(line, flanking(before, after), before, quotes).map(|entity| (entity, 1)),
        _ => None,
    }
}

fn single(line: &[u8], (open, close): (bool, bool), before: char, quotes: &mut Quotes) -> Option<&'static str> {
    if let Some(apostrophe) = apostrophe(line, before, open, close) {
        return Some(apostrophe);
    }
    if open && !close {
        // `'s`, `'m`, `'t`, `'d`, `'ve`, `'ll`, `'re` ending a word close something (`I'm`).
        let word_end = |i: usize| line.get(i).is_none_or(|b| b.is_ascii_punctuation() || is_space_byte(*b));
        let contraction = (matches!(line.get(1), Some(b's' | b'm' | b't' | b'd')) && word_end(2))
            || ([&b"ve"[..], b"ll", b"re"].iter().any(|s| line.get(1..3) == Some(s)) && word_end(3));
        if contraction {
            return Some("&rsquo;");
        }
        quotes.single += 1;
        return Some("&lsquo;");
    }
    // goldmark's "plural possessive" test reads `line[0]`, the quote itself, so it comes down to
    // this: anything but a digit after it, with a third byte on the line.
    if line.len() > 2 && !rune_at(line, 1).is_numeric() {
        return Some("&rsquo;");
    }
    if quotes.single > 0 && closes(line, open, close) {
        quotes.single -= 1;
        return Some("&rsquo;");
    }
    None
}

/// `'90s`, `'twas`, `'em`, and an apostrophe between a letter or digit and a letter.
fn apostrophe(line: &[u8], before: char, open: bool, close: bool) -> Option<&'static str> {
    let decade = open && !close && line.len() > 3 && line[1].is_ascii_digit() && line[2].is_ascii_digit() && line[3] == b's';
    if decade {
        let after = if line.len() > 4 { rune_at(line, 4) } else { ' ' };
        if is_space(after) || is_punct(after) {
            return Some("&rsquo;");
        }
    }
    let elided = (is_punct_only(before) || before.is_whitespace()) && matches!(line.get(1), Some(b't' | b'e' | b'n' | b'l'));
    let inner = line.len() > 1 && before.is_alphanumeric() && rune_at(line, 1).is_alphabetic();
    (elided || inner).then_some("&rsquo;")
}

fn double(line: &[u8], (open, close): (bool, bool), before: char, quotes: &mut Quotes) -> Option<&'static str> {
    if open && !close {
        quotes.double += 1;
        return Some("&ldquo;");
    }
    if quotes.double > 0 && closes(line, open, close) {
        // `Monitor 21""`: inches, then a closing quote
        if line.get(1) == Some(&b'"') && before.is_numeric() {
            return None;
        }
        quotes.double -= 1;
        return Some("&rdquo;");
    }
    None
}

/// A quote that can only close, or that could do both and is followed by punctuation that
/// ends a word.
fn closes(line: &[u8], open: bool, close: bool) -> bool {
    let maybe = close
        && open
        && line.len() > 1
        && is_punct_only(rune_at(line, 1))
        && (line.len() == 2 || line[2].is_ascii_punctuation() || is_space_byte(line[2]));
    (close && !open) || maybe
}

/// CommonMark's left- and right-flanking rules for a run of quotes (can open, can close).
fn flanking(before: char, after: char) -> (bool, bool) {
    let (before_punct, before_space) = (is_punct(before), is_space(before));
    let (after_punct, after_space) = (is_punct(after), is_space(after));
    let left = !after_space && (!after_punct || before_space || before_punct);
    let right = !before_space && (!before_punct || after_space || after_punct);
    (left, right)
}

/// The character starting at byte `i` of `line`, ` ` past its end.
pub fn rune_at(line: &[u8], i: usize) -> char {
    line.get(i..).and_then(|rest| String::from_utf8_lossy(&rest[..rest.len().min(4)]).chars().next()).unwrap_or(' ')
}

fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `unicode.IsPunct || unicode.IsSymbol`. Outside ASCII, Rust's standard library has no
/// general categories: anything that is not a letter, digit, space or control character counts.
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    !(c.is_alphanumeric() || c.is_whitespace() || c.is_control())
}

/// Go's `unicode.IsPunct` alone: ASCII symbols (`$+<=>^`|~`) are not punctuation.
fn is_punct_only(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c);
    }
    is_punct(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the typographer over one block of text the way the inline pass does.
    fn smart(text: &str) -> String {
        let (bytes, mut quotes, mut out, mut i) = (text.as_bytes(), Quotes::default(), String::new(), 0);
        while i < bytes.len() {
            let before = if i == 0 { '\n' } else { text[..i].chars().next_back().unwrap() };
            let run = bytes[i..].iter().take_while(|&&b| b == bytes[i]).count();
            if let Some((entity, len)) = substitute(&bytes[i..], before, rune_at(bytes, i + run), &mut quotes) {
                out.push_str(entity);
                i += len;
            } else {
                let c = text[i..].chars().next().unwrap();
                out.push(c);
                i += c.len_utf8();
            }
        }
        out
    }

    #[test]
    fn quotes_pair_up_in_plain_text() {
        assert_eq!(smart("say \"hi\" and 'bye' now"), "say &ldquo;hi&rdquo; and &lsquo;bye&rsquo; now");
        assert_eq!(smart("Wait.\"Really?\" she"), "Wait.&ldquo;Really?&rdquo; she");
    }

    #[test]
    fn apostrophes_follow_goldmarks_special_cases() {
        assert_eq!(smart("don't rock'n'roll"), "don&rsquo;t rock&rsquo;n&rsquo;roll");
        assert_eq!(smart("the '90s, 'Tis 'em"), "the &rsquo;90s, &lsquo;Tis &rsquo;em");
        assert_eq!(smart("James' book"), "James&rsquo; book");
        assert_eq!(smart("me 'never again' x"), "me &rsquo;never again&rsquo; x");
    }

    #[test]
    fn measurements_keep_straight_quotes() {
        assert_eq!(smart("He is 5'10\" tall"), "He is 5'10\" tall");
    }

    #[test]
    fn dashes_ellipses_and_guillemets() {
        assert_eq!(smart("a--b---c----d"), "a&ndash;b&mdash;c&mdash;-d");
        assert_eq!(smart("wait.... <<x>> 1 << 2"), "wait&hellip;. &laquo;x&raquo; 1 &laquo; 2");
        assert_eq!(smart("a - b .. c < d"), "a - b .. c < d");
    }
}
