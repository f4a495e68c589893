//! Render stage: what the search index holds of a page. The index (`search/`: written as the
//! pages are written by `build`, kept and updated in memory by `serve`) carries each page's
//! title, section, description, headings and body as plain text, so the theme's `search.js`
//! finds a word wherever the reader sees it.

use serde::Serialize;

/// The most body text a page puts in the index, in bytes: a long page is found by what its first
/// [`BODY_LIMIT`] bytes say (a handful of pages of the AppSec section are longer).
pub const BODY_LIMIT: usize = 16 * 1024;

#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchEntry {
    pub title: String,
    pub url: String,
    /// The title of the section the page is in (none for the home page).
    pub section: Option<String>,
    pub description: Option<String>,
    pub headings: Vec<String>,
    /// The page's rendered body as plain text, at most [`BODY_LIMIT`] bytes.
    pub body: String,
    /// The page's words and their weights ([`page_terms`]): the term files of the index.
    #[serde(skip)]
    pub terms: Terms,
}

/// Longer "words" (hashes, base64, URLs run together) are not indexed.
pub const MAX_TERM_CHARS: usize = 40;

/// A page's terms with their weights: in the title 40, in a heading 15, in the description 10,
/// and 2 per occurrence in the body (at most five counted). Sorted by term.
pub fn page_terms(entry: &SearchEntry) -> Terms {
    // Each field lower-cased once; its words are slices of that (weight 0: the body).
    let mut fields: Vec<(String, u16)> = vec![(entry.title.to_lowercase(), 40)];
    fields.extend(entry.headings.iter().map(|h| (h.to_lowercase(), 15)));
    fields.push((entry.description.as_deref().unwrap_or("").to_lowercase(), 10));
    fields.push((entry.body.to_lowercase(), 0));
    // Word → (best field weight, body occurrences up to five).
    let mut weights: rustc_hash::FxHashMap<&str, (u16, u16)> = rustc_hash::FxHashMap::default();
    for (text, weight) in &fields {
        for word in words(text) {
            let (fixed, count) = weights.entry(word).or_default();
            if *weight == 0 {
                *count = (*count + 1).min(5);
            } else {
                *fixed = (*fixed).max(*weight);
            }
        }
    }
    // Sorted on each word's first eight bytes first (zero-padded, big-endian: the same order as
    // the bytes), ties on the whole word: comparing whole strings was a third of this time.
    let mut terms: Vec<(u64, &str, u16)> =
        weights.into_iter().map(|(word, (fixed, count))| (sort_prefix(word), word, fixed + 2 * count)).collect();
    terms.sort_unstable();
    let terms: Vec<(&str, u16)> = terms.into_iter().map(|(_, word, weight)| (word, weight)).collect();
    Terms::from_sorted(&terms)
}

/// A word's first eight bytes as a big-endian number: ordered like the words' bytes.
fn sort_prefix(word: &str) -> u64 {
    let mut prefix = [0u8; 8];
    let len = word.len().min(8);
    prefix[..len].copy_from_slice(&word.as_bytes()[..len]);
    u64::from_be_bytes(prefix)
}

/// A page's terms, sorted, with their weights, in one string: 10,000 pages have 1.5 million
/// terms, which as separate `String`s were a tenth of a build's memory and of its allocations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    text: String,
    /// Where each term ends in `text`, and its weight.
    ends: Vec<(u32, u16)>,
}

impl Terms {
    /// From `(term, weight)` pairs sorted by term, each term once.
    pub fn from_sorted(terms: &[(&str, u16)]) -> Terms {
        let mut text = String::with_capacity(terms.iter().map(|(t, _)| t.len()).sum());
        let ends = terms
            .iter()
            .map(|(term, weight)| {
                text.push_str(term);
                (text.len() as u32, *weight)
            })
            .collect();
        Terms { text, ends }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u16)> {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|(end, _)| *end as usize));
        starts.zip(&self.ends).map(|(start, (end, weight))| (&self.text[start..*end as usize], *weight))
    }
}

/// The words of `text` (lower-cased already) as the index and `search.js` split them: runs of
/// letters and digits, at most [`MAX_TERM_CHARS`] long.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty() && word.chars().count() <= MAX_TERM_CHARS)
}

/// The text of `html` as a reader sees it: tags removed, entities decoded, whitespace collapsed,
/// without scripts, styles, heading anchors and screen-reader-only text; cut at `limit` bytes
/// (on a character boundary).
pub fn plain_text(html: &str, limit: usize) -> String {
    let mut out = String::with_capacity(html.len().min(limit) / 2);
    let mut rest = html;
    // Whitespace runs become one space, none at the start; a run may span two pushes.
    let mut space = false;
    let mut push = |out: &mut String, text: &str| push_collapsed(out, text, &mut space);
    while !rest.is_empty() && out.len() < limit {
        let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) else {
            push(&mut out, &crate::html::decode_references(rest));
            break;
        };
        push(&mut out, &crate::html::decode_references(&rest[..lt]));
        let tag_end = memchr::memchr(b'>', &rest.as_bytes()[lt..]).map_or(rest.len(), |e| lt + e + 1);
        let tag = &rest[lt..tag_end];
        // The element's name, lower-cased only when a page's own HTML wrote it otherwise.
        let name_len = tag[1..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'/').count();
        let lower;
        let name = match &tag[1..1 + name_len] {
            written if written.bytes().any(|b| b.is_ascii_uppercase()) => {
                lower = written.to_ascii_lowercase();
                lower.as_str()
            }
            written => written,
        };
        rest = &rest[tag_end..];
        // Elements whose text is not read as part of the page.
        let skip_to = match name {
            "script" => Some("</script>"),
            "style" => Some("</style>"),
            "a" if tag.contains("class=\"anchor\"") => Some("</a>"),
            "span" if tag.contains("class=\"visually-hidden\"") => Some("</span>"),
            _ => None,
        };
        if let Some(close) = skip_to {
            rest = rest.find(close).map_or("", |at| &rest[at + close.len()..]);
        }
        let inline = matches!(
            name.trim_start_matches('/'),
            "a" | "span"
                | "code"
                | "em"
                | "strong"
                | "b"
                | "i"
                | "mark"
                | "kbd"
                | "abbr"
                | "sup"
                | "sub"
                | "small"
                | "del"
                | "ins"
                | "s"
                | "u"
                | "q"
                | "time"
        );
        if !inline {
            push(&mut out, " ");
        }
    }
    if out.len() > limit {
        let mut cut = limit;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

/// Appends `text` with each run of whitespace as one space, none at the start of `out`;
/// `space` carries a run from one call to the next. Scans bytes, decoding only non-ASCII
/// characters: `split_whitespace` took twice as long on a page's text.
fn push_collapsed(out: &mut String, text: &str, space: &mut bool) {
    let bytes = text.as_bytes();
    let (mut at, mut run) = (0, 0);
    let flush = |out: &mut String, words: &str, space: &mut bool| {
        if std::mem::take(space) {
            out.push(' ');
        }
        out.push_str(words);
    };
    while at < bytes.len() {
        let (white, len) = match bytes[at] {
            b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => (true, 1),
            b if b.is_ascii() => (false, 1),
            _ => text[at..].chars().next().map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        if white {
            if run < at {
                flush(out, &text[run..at], space);
            }
            *space |= !out.is_empty();
            run = at + len;
        }
        at += len;
    }
    if run < bytes.len() {
        flush(out, &text[run..], space);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_what_a_reader_reads() {
        let html = "<h2 id=\"a\">Steps <a class=\"anchor\" href=\"#a\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section</span></a></h2>\n\
                    <p>Rotate the <code>AWS&nbsp;key</code> &amp; tell <em>HackerOne</em>&#x27;s triager.</p><ul><li>one</li><li>two</li></ul>\
                    <script>var x = 1;</script><pre><code><span class=\"hl-k\">fn</span> main()</code></pre>";
        assert_eq!(plain_text(html, BODY_LIMIT), "Steps Rotate the AWS key & tell HackerOne's triager. one two fn main()");
        assert_eq!(plain_text("<p>a &unknown; b &#9999999999;</p>", 100), "a &unknown; b &#9999999999;");
        // What the typographer writes reads as its characters, not as `rsquo` (a word to index).
        assert_eq!(plain_text("<p>the team&rsquo;s &ldquo;fix&rdquo; &mdash; done&hellip;</p>", 100), "the team’s “fix” — done…");
        assert_eq!(plain_text("\n<p> a \t</p>\n<p>b<em>c</em>\u{a0}d</p> ", 100), "a bc d");
        assert_eq!(plain_text("<p>héllo wörld</p>", 2), "h");
        assert_eq!(plain_text("<p>héllo wörld</p>", 3), "hé");
        assert_eq!(plain_text("<p>a\u{2003}\u{85}b\x0bc\u{a0}</p><p>\u{3000}d</p>", 100), "a b c d", "Unicode whitespace");
    }

    #[test]
    fn terms_are_sorted_by_their_bytes() {
        let entry = SearchEntry {
            title: "abcdefghij abcdefgh abcdefghi abcdefgha b ab zzzzzzzzzz é e".into(),
            body: "abcdefghij".into(),
            ..SearchEntry::default()
        };
        let page = page_terms(&entry);
        let terms: Vec<&str> = page.iter().map(|(t, _)| t).collect();
        let mut sorted = terms.clone();
        sorted.sort();
        assert_eq!(terms, sorted);
        assert_eq!(terms.len(), 9);
    }
}
