//! Render stage: emoji shortcodes as Hugo's `enableEmoji` renders them (goldmark-emoji 1.0.6):
//! `:name:` with a gemoji name becomes one lowercase hex character reference per code point,
//! a zero-width joiner `&zwj;`. Unknown names stay text.
//!
//! The names come from the `emojis` crate: its 0.9.1 table has exactly goldmark-emoji 1.0.6's
//! 1,913 shortcodes with the same code points (checked once against goldmark-emoji's
//! `_tools/github.json`; the count is pinned below so an upgrade that changes it is noticed).

/// The emoji whose shortcode starts at `line[0]` (a `:`): its HTML and the bytes it covers.
/// As goldmark-emoji reads it: ASCII letters, digits, `_`, `-` and `+` up to the next `:`,
/// case-sensitive.
pub fn at(line: &[u8]) -> Option<(String, usize)> {
    let name_len = line.get(1..)?.iter().take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+')).count();
    let end = 1 + name_len;
    if line.get(end) != Some(&b':') {
        return None;
    }
    let name = std::str::from_utf8(&line[1..end]).ok()?;
    let emoji = emojis::get_by_shortcode(name)?;
    Some((references(emoji.as_str()), end + 1))
}

fn references(emoji: &str) -> String {
    let mut out = String::with_capacity(emoji.len() * 4);
    for c in emoji.chars() {
        match c {
            '\u{200D}' => out.push_str("&zwj;"),
            c => out.push_str(&format!("&#x{:x};", c as u32)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::at;

    fn html(line: &str) -> Option<(String, usize)> {
        at(line.as_bytes())
    }

    #[test]
    fn known_names_become_code_point_references() {
        assert_eq!(html(":warning: x"), Some(("&#x26a0;&#xfe0f;".into(), 9)));
        assert_eq!(html(":+1:"), Some(("&#x1f44d;".into(), 4)));
        assert_eq!(html(":woman_technologist:").unwrap().0, "&#x1f469;&zwj;&#x1f4bb;");
        assert_eq!(html(":hash:").unwrap().0, "&#x23;&#xfe0f;&#x20e3;");
    }

    #[test]
    fn unknown_unclosed_and_miscased_names_stay_text() {
        for line in [":not_an_emoji:", ":smile", ":Smile:", ":smile :", "::", ":30:45"] {
            assert_eq!(html(line), None, "{line}");
        }
    }

    #[test]
    fn the_table_is_goldmark_emojis() {
        let names: usize = emojis::iter().map(|e| e.shortcodes().count()).sum();
        assert_eq!(names, 1913, "goldmark-emoji 1.0.6 has 1,913 shortcodes; compare a new `emojis` table with it");
    }
}
