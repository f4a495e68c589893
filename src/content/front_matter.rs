//! Load stage: splitting a page into front matter and body, and reading the front matter (YAML
//! between `---` lines or TOML between `+++` lines) with positions in the file.
//!
//! Why not gray_matter: it rebuilds the body line by line (byte offsets and `\r\n` are lost) and
//! reports front-matter errors without a position, while every diagnostic here must carry the
//! line:column in the file. Splitting is a dozen lines; parsing uses serde_yaml_ng and toml, whose
//! errors carry positions that we shift by the block's offset.

use crate::diagnostics::{Diagnostic, LineIndex, Span};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::Path;

/// Keys the generator understands; any other key goes to `extra`.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "draft",
    "aliases",
    "date",
    "lastmod",
    "slug",
    "url",
    "toc",
    "layout",
    "owner",
    "last_reviewed",
    "tags",
];

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    #[serde(deserialize_with = "one_or_many")]
    pub aliases: Vec<String>,
    #[serde(deserialize_with = "date")]
    pub date: Option<String>,
    #[serde(deserialize_with = "date")]
    pub lastmod: Option<String>,
    pub slug: Option<String>,
    pub url: Option<String>,
    pub toc: Option<bool>,
    pub layout: Option<String>,
    pub owner: Option<String>,
    #[serde(deserialize_with = "date")]
    pub last_reviewed: Option<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub tags: Vec<String>,
    /// Every key not listed in [`KNOWN_KEYS`], untouched, for templates (`page.extra`).
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Where the parts of a page file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub format: Option<Format>,
    /// The front matter text's byte range (between the delimiter lines).
    pub matter: Span,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    Json,
}

/// Finds the front matter block. A file that opens a block and never closes it is an error.
pub fn split(text: &str) -> Result<Split, Span> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
    let first = text[start..first_line_end].trim_end();
    let format = match first {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        // Hugo's JSON front matter: an object whose `}` closes on a line of its own. Only `{`
        // alone or `{"` opens it, so a kramdown `{: .class}` line stays Markdown.
        _ if first == "{" || first.starts_with("{\"") => return split_json(text, start),
        _ => return Ok(Split { format: None, matter: Span::new(start, start), body_start: start }),
    };
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        let closes = match format {
            Format::Yaml => matches!(line.trim_end(), "---" | "..."),
            Format::Toml => line.trim_end() == "+++",
            Format::Json => false, // split by split_json, never here
        };
        if closes {
            return Ok(Split { format: Some(format), matter: Span::new(first_line_end, offset), body_start: offset + line.len() });
        }
        offset += line.len();
    }
    Err(Span::new(start, first_line_end.saturating_sub(1).max(start)))
}

/// The JSON object from `start` to the first line that is `}` alone (both braces included).
fn split_json(text: &str, start: usize) -> Result<Split, Span> {
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "}" || (offset - line.len() == start && line.trim_end().ends_with('}')) {
            return Ok(Split { format: Some(Format::Json), matter: Span::new(start, offset), body_start: offset });
        }
    }
    Err(Span::new(start, start + 1))
}

/// Parses the front matter of `text` as split by [`split`]. Errors are located in the file.
pub fn parse(file: &Path, text: &str, lines: &LineIndex, split: &Split) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    let block = &text[split.matter.start..split.matter.end];
    let located = |d: Diagnostic| d.located(text, lines);
    let (mut front, extra) = match split.format {
        None => return Ok((FrontMatter::default(), Vec::new())),
        _ if block.trim().is_empty() => return Ok((FrontMatter::default(), Vec::new())),
        Some(Format::Yaml) => {
            parse_yaml(block).map_err(|(msg, at)| located(error_at(file, "yaml-front-matter", msg, split.matter.start + at)))?
        }
        Some(Format::Toml) => {
            parse_toml(block).map_err(|(msg, at)| located(error_at(file, "toml-front-matter", msg, split.matter.start + at)))?
        }
        Some(Format::Json) => {
            parse_json(block).map_err(|(msg, at)| located(error_at(file, "json-front-matter", msg, split.matter.start + at)))?
        }
    };
    let mut warnings = Vec::new();
    for (key, value) in extra {
        if KNOWN_KEYS.contains(&key.as_str()) {
            continue;
        }
        if let Some(known) = crate::suggest::closest(&key, KNOWN_KEYS.iter().copied()) {
            let at = key_offset(block, &key).map_or(split.matter.start, |o| split.matter.start + o);
            warnings.push(located(
                Diagnostic::warning(
                    "unknown-front-matter-key",
                    file,
                    format!("front matter key `{key}` is not one the generator knows; it goes to page.extra"),
                )
                .with_span(Span::new(at, at + key.len()))
                .with_label(format!("did you mean `{known}`?"))
                .with_target(key.clone())
                .with_suggestion(known),
            ));
        }
        front.extra.insert(key, value);
    }
    Ok((front, warnings))
}

type Parsed = (FrontMatter, BTreeMap<String, serde_json::Value>);

/// How deep YAML may nest (flow brackets, or block markers on one line). libyaml's time grows
/// with the square of the depth (40,000 levels took 7 s); real front matter nests two or three.
pub const MAX_YAML_DEPTH: usize = 64;

/// Where YAML `text` nests deeper than [`MAX_YAML_DEPTH`], found in one linear pass before the
/// parser sees it. Quoted strings and comments are skipped; a misread only ever stops the scan
/// from counting, so the parser's own limits stay behind it.
pub fn yaml_too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut flow, mut quote, mut i) = (0usize, None::<u8>, 0);
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start && flow == 0 && quote.is_none() {
            // `- - - x` or `? ? x`: block collections opened on one line.
            let mut markers = 0;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            while i + 1 < bytes.len() && matches!(bytes[i], b'-' | b'?') && bytes[i + 1] == b' ' {
                markers += 1;
                i += 2;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
            }
            if markers > MAX_YAML_DEPTH {
                return Some(i);
            }
            line_start = false;
            continue;
        }
        let after_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':');
        match (quote, b) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if after_space => quote = Some(b),
            (None, b'#') if after_space => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                continue;
            }
            (None, b'[' | b'{') => {
                flow += 1;
                if flow > MAX_YAML_DEPTH {
                    return Some(i);
                }
            }
            (None, b']' | b'}') => flow = flow.saturating_sub(1),
            _ => {}
        }
        line_start = b == b'\n';
        i += 1;
    }
    None
}

/// On error: (message, byte offset in the block).
fn parse_yaml(block: &str) -> Result<Parsed, (String, usize)> {
    if let Some(at) = yaml_too_deep(block) {
        return Err((format!("YAML nests deeper than {MAX_YAML_DEPTH} levels here"), at));
    }
    let front: FrontMatter = serde_yaml_ng::from_str(block).map_err(|e| yaml_error(block, &e))?;
    if !may_have_unknown_keys(block, Format::Yaml) {
        return Ok((front, BTreeMap::new()));
    }
    let all: BTreeMap<String, serde_json::Value> = serde_yaml_ng::from_str(block).map_err(|e| yaml_error(block, &e))?;
    Ok((front, all))
}

/// A YAML error's message and its offset in the block, moved to where the problem is written:
/// an unclosed quote at the quote (libyaml reports the end of the block), a repeated key at its
/// second occurrence (serde reports the start of the mapping).
fn yaml_error(block: &str, e: &serde_yaml_ng::Error) -> (String, usize) {
    let message = e.to_string();
    let at = e.location().map_or(0, |l| l.index());
    if let Some(context) = message.split(", while scanning a quoted scalar at ").nth(1) {
        if let Some(quote) = line_column_offset(block, context) {
            return ("this quoted string is never closed".to_string(), quote);
        }
    }
    let message = yaml_message(e);
    let key = message.strip_prefix("duplicate field `").and_then(|rest| rest.split('`').next());
    let second = key.and_then(|key| key_offsets(block, key).nth(1));
    (message.clone(), second.unwrap_or(at))
}

/// The offset of `line L column C` (1-based, as libyaml writes it) in `text`.
fn line_column_offset(text: &str, words: &str) -> Option<usize> {
    let rest = words.strip_prefix("line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let lines = LineIndex::new(text);
    Some(lines.offset(text, line.parse().ok()?, column.parse().ok()?))
}

/// serde_yaml_ng appends " at line L column C" (block-relative): drop it, we print our own.
fn yaml_message(e: &serde_yaml_ng::Error) -> String {
    let message = e.to_string();
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

fn parse_toml(block: &str) -> Result<Parsed, (String, usize)> {
    let at = |e: &toml::de::Error| e.span().map_or(0, |s| s.start);
    let front: FrontMatter = toml::from_str(block).map_err(|e| (e.message().trim().to_string(), at(&e)))?;
    if !may_have_unknown_keys(block, Format::Toml) {
        return Ok((front, BTreeMap::new()));
    }
    let table: toml::Table = toml::from_str(block).map_err(|e| (e.message().trim().to_string(), at(&e)))?;
    let all = table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect();
    Ok((front, all))
}

/// Whether a block may hold a top-level key outside [`KNOWN_KEYS`]: only then is it parsed a
/// second time, into a map, for `page.extra`. Every page pays the first parse; most pages carry
/// only known keys and skip the second. Any line it cannot read plainly (quoted or flow keys,
/// TOML tables) answers "maybe", so an unknown key is never missed.
fn may_have_unknown_keys(block: &str, format: Format) -> bool {
    let known = |key: &str| KNOWN_KEYS.contains(&key.trim());
    block.lines().any(|line| match format {
        // Top-level YAML keys start at column 0; indented and list lines belong to a value.
        Format::Yaml => match line.chars().next() {
            None | Some(' ' | '\t' | '#' | '-') => false,
            Some(c) if c.is_ascii_alphanumeric() || c == '_' => !line.split_once(':').is_some_and(|(key, _)| known(key)),
            Some(_) => true,
        },
        // TOML keys may be indented; a line of a multi-line string read as a key only costs the
        // second parse.
        Format::Toml => {
            let line = line.trim_start();
            match line.chars().next() {
                None | Some('#') => false,
                Some('[') => true,
                Some(_) => line.split_once('=').is_some_and(|(key, _)| !known(key)),
            }
        }
        // JSON is parsed into the map every time (parse_json); never asked.
        Format::Json => true,
    })
}

fn parse_json(block: &str) -> Result<Parsed, (String, usize)> {
    let at = |e: &serde_json::Error| LineIndex::new(block).offset(block, e.line(), e.column().max(1));
    let message = |e: &serde_json::Error| e.to_string().split(" at line ").next().unwrap_or_default().to_string();
    let front: FrontMatter = serde_json::from_str(block).map_err(|e| (message(&e), at(&e)))?;
    let all: BTreeMap<String, serde_json::Value> = serde_json::from_str(block).map_err(|e| (message(&e), at(&e)))?;
    Ok((front, all))
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn error_at(file: &Path, code: &'static str, message: String, at: usize) -> Diagnostic {
    Diagnostic::error(code, file, format!("invalid front matter: {message}")).with_span(Span::new(at, at + 1))
}

/// Offset of `key` at the start of a line of the block (first occurrence).
pub(crate) fn key_offset(block: &str, key: &str) -> Option<usize> {
    key_offsets(block, key).next()
}

/// Offsets of `key` at the start of lines of the block, in order.
fn key_offsets<'a>(block: &'a str, key: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut offset = 0;
    block.split_inclusive('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let unquoted = trimmed.trim_start_matches(['"', '\'']);
        unquoted.starts_with(key).then(|| start + line.len() - unquoted.len())
    })
}

/// A date written as a YAML string, a TOML datetime, or a number of a year.
fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct DateVisitor;
    impl<'de> serde::de::Visitor<'de> for DateVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a date such as 2026-05-01")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            match crate::dates::parse_date(v) {
                Some(_) => Ok(Some(v.to_string())),
                None => Err(E::custom(format!("`{v}` is not a date: write YYYY-MM-DD with a day the calendar has"))),
            }
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        // TOML hands a datetime over as a one-entry map holding its text.
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let entry: Option<(String, String)> = map.next_entry()?;
            Ok(entry.map(|(_, d)| d))
        }
    }
    deserializer.deserialize_any(DateVisitor)
}

/// A single string or a list of strings. A visitor rather than an untagged enum, so a wrong
/// value is reported at its own place with what was expected.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct Strings;
    impl<'de> serde::de::Visitor<'de> for Strings {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_any(Strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
        let s = split(text).expect("closed");
        parse(Path::new("content/p.md"), text, &LineIndex::new(text), &s)
    }

    #[test]
    fn splits_yaml_and_toml_and_none() {
        let t = "---\ntitle: A\n---\nbody";
        let s = split(t).unwrap();
        assert_eq!((s.format, &t[s.matter.start..s.matter.end], &t[s.body_start..]), (Some(Format::Yaml), "title: A\n", "body"));
        let t = "+++\ntitle = \"A\"\n+++\r\nbody";
        assert_eq!(&t[split(t).unwrap().body_start..], "body");
        assert_eq!(split("# Hi\n").unwrap().format, None);
        assert_eq!(split("---\ntitle: A\n").unwrap_err(), Span::new(0, 3));
    }

    #[test]
    fn reads_known_keys_and_keeps_extra() {
        let (f, w) =
            load("---\ntitle: T\nweight: 3\naliases: /old\ntags: [a, b]\nlast_reviewed: 2026-01-02\ncustom: {x: 1}\n---\n").unwrap();
        assert_eq!(f.title.as_deref(), Some("T"));
        assert_eq!(f.weight, Some(3));
        assert_eq!(f.aliases, vec!["/old"]);
        assert_eq!(f.tags, vec!["a", "b"]);
        assert_eq!(f.last_reviewed.as_deref(), Some("2026-01-02"));
        assert_eq!(f.extra["custom"]["x"], 1);
        assert!(w.is_empty());
    }

    #[test]
    fn json_front_matter_is_read_and_its_errors_located() {
        let (f, _) = load("{\n  \"title\": \"J\",\n  \"tags\": [\"a\"],\n  \"team\": \"x\"\n}\n# Body\n").unwrap();
        assert_eq!((f.title.as_deref(), f.tags.as_slice(), &f.extra["team"]), (Some("J"), &["a".to_string()][..], &serde_json::json!("x")));
        let text = "{\n  \"title\": \"J\",\n  \"weight\": \"heavy\"\n}\nbody";
        assert_eq!(&text[split(text).unwrap().body_start..], "body");
        let e = load(text).unwrap_err();
        assert_eq!((e.code, e.line_col().0), ("json-front-matter", 3), "{e:?}");
        assert_eq!(split("{\n\"title\": 1\n").unwrap_err(), Span::new(0, 1), "never closed");
        assert_eq!(split("{: .note}\ntext\n").unwrap().format, None, "kramdown stays Markdown");
    }

    #[test]
    fn toml_dates_become_text() {
        let (f, _) = load("+++\ntitle = \"T\"\nlast_reviewed = 2026-03-04\n+++\n").unwrap();
        assert_eq!(f.last_reviewed.as_deref(), Some("2026-03-04"));
    }

    #[test]
    fn yaml_error_points_at_the_line_in_the_file() {
        let e = load("---\ntitle: T\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(e.line_col(), (3, 9));
        assert!(e.message.contains("invalid type"), "{}", e.message);
        let e = load("---\ntitle: T\n  bad: [\n---\n").unwrap_err();
        assert_eq!(e.line_col().0, 3, "{e:?}");
    }

    #[test]
    fn toml_error_points_at_the_line_in_the_file() {
        let e = load("+++\ntitle = \"T\"\nweight = = 3\n+++\n").unwrap_err();
        assert_eq!(e.line_col().0, 3);
        assert_eq!(e.code, "toml-front-matter");
    }

    #[test]
    fn second_parse_only_when_a_key_may_be_unknown() {
        let yaml = |b: &str| may_have_unknown_keys(b, Format::Yaml);
        assert!(!yaml("title: T\ntags:\n  - a\n- b\ndescription: |\n  extra: no\n# c\n"));
        assert!(yaml("title: T\nowner_team: x\n"));
        assert!(yaml("\"title\": T\n"), "quoted keys are not read: parse");
        assert!(yaml("{title: T, x: 1}\n"));
        let toml = |b: &str| may_have_unknown_keys(b, Format::Toml);
        assert!(!toml("title = \"T\"\n  weight = 2\n# c\n"));
        assert!(toml("title = \"T\"\n[extra]\nx = 1\n"));
        assert!(toml("custom.x = 1\n"));
    }

    #[test]
    fn deep_yaml_is_refused_at_the_level_too_many_before_parsing() {
        let deep = format!("---\ntitle: T\nx: {}\n---\n", "[".repeat(100_000));
        let e = load(&deep).unwrap_err();
        assert_eq!(e.line_col(), (3, 4 + MAX_YAML_DEPTH), "{e:?}");
        assert!(e.message.contains("nests deeper than 64"), "{}", e.message);
        let e = load(&format!("---\nx:\n{}y\n---\n", "- ".repeat(1000))).unwrap_err();
        assert_eq!(e.line_col().0, 3, "{e:?}");
        assert!(yaml_too_deep("title: \"[[[[\" # {{{{\ntags: [a, [b]]\nq: it's [x]\n").is_none());
        assert!(yaml_too_deep(&"[".repeat(MAX_YAML_DEPTH)).is_none());
    }

    #[test]
    fn errors_point_at_the_quote_the_value_and_the_repeated_key() {
        let e = load("---\ntitle: \"unclosed\nweight: 1\n---\n").unwrap_err();
        assert_eq!(e.line_col(), (2, 8), "{e:?}");
        assert!(e.message.contains("never closed"), "{}", e.message);
        let e = load("---\ntitle: B\naliases: {a: 1}\n---\n").unwrap_err();
        assert_eq!(e.line_col(), (3, 10), "{e:?}");
        assert!(e.message.contains("expected a string or a list of strings"), "{}", e.message);
        let e = load("---\ntitle: C\nweight: 2\ntitle: D\n---\n").unwrap_err();
        assert_eq!(e.line_col(), (4, 1), "{e:?}");
        assert!(e.message.contains("duplicate field `title`"), "{}", e.message);
        let e = load("---\ntitle: E\ndate: 2024-13-45\n---\n").unwrap_err();
        assert_eq!(e.line_col().0, 3, "{e:?}");
        assert!(e.message.contains("`2024-13-45` is not a date"), "{}", e.message);
        let e = load("---\nlast_reviewed: 2026-02-31\n---\n").unwrap_err();
        assert_eq!(e.line_col().0, 2, "{e:?}");
    }

    #[test]
    fn misspelt_key_warns_with_suggestion() {
        let (f, w) = load("---\ntitel: T\n---\n").unwrap();
        assert_eq!(w[0].suggestion.as_deref(), Some("title"));
        assert_eq!(w[0].line_col(), (2, 1));
        assert_eq!(f.extra["titel"], "T");
    }
}
