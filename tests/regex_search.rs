//! The vendored Oniguruma (`vendor/onig_sys`, patched so that a search no longer copies its
//! backtracking stack to the heap after each start position it tries; see
//! `vendor/onig_sys/HANDBOOK-PATCHES.md`) must find the same matches as before. These searches
//! go through syntect's `Regex`, as highlighting does, and each one tries many start positions:
//! after the patch, every position after the first starts from a fresh stack instead of the
//! saved one, which is where a mistake would show.

use syntect::parsing::{Regex, Region};

/// The first match of `pattern` in `text` from `begin`: (start, end) of the match and of each group.
fn search(pattern: &str, text: &str, begin: usize) -> Option<Vec<Option<(usize, usize)>>> {
    let regex = Regex::new(pattern.to_string());
    let mut region = Region::new();
    regex.search(text, begin, text.len(), Some(&mut region)).then(|| (0..3).map(|i| region.pos(i)).collect())
}

#[test]
fn captures_are_right_after_many_failed_start_positions() {
    let text = "to: alice and bob, cc: carol@example.com";
    let found = search(r"(\w+)@(\w+)\.com", text, 0).expect("matches");
    assert_eq!(found[0], Some((23, 40)));
    assert_eq!(&text[23..28], "carol");
    assert_eq!(found[1], Some((23, 28)));
    assert_eq!(found[2], Some((29, 36)));
    // From a later start the same match; past it, none.
    assert_eq!(search(r"(\w+)@(\w+)\.com", text, 10).unwrap()[0], Some((23, 40)));
    assert_eq!(search(r"(\w+)@(\w+)\.com", text, 24).unwrap()[0], Some((24, 40)));
    assert_eq!(search(r"(\w+)@(\w+)\.com", text, 30), None);
}

#[test]
fn deep_backtracking_at_every_start_position() {
    // Every start before the `x` runs the alternation 300 times (far past the 160 entries a
    // search's stack starts with, so it moves to the heap) and then fails; the match is after.
    let failing = "ab".repeat(300);
    let text = format!("{failing}x{}c", "ab".repeat(300));
    let found = search(r"((?:a|b)*)(c)", &text, 0).expect("matches");
    let start = failing.len() + 1;
    assert_eq!(found[0], Some((start, text.len())));
    assert_eq!(found[1], Some((start, text.len() - 1)));
    assert_eq!(found[2], Some((text.len() - 1, text.len())));
    // The same pattern on a text with no `c`: no match, no error.
    assert_eq!(search(r"((?:a|b)*)(c)", &failing, 0), None);
}

#[test]
fn many_searches_in_a_row_reuse_nothing_stale() {
    // Alternating patterns and texts, as a highlighter does line after line.
    let word = Regex::new(r"\b(\p{L}+)\b".to_string());
    let number = Regex::new(r"(?<![\w.])(\d+)(?:\.(\d+))?".to_string());
    let mut region = Region::new();
    for i in 0..200 {
        let line = format!("{}value_{i} = {i}.{} # word{i} end", " ".repeat(i % 7), i * 3);
        assert!(number.search(&line, 0, line.len(), Some(&mut region)), "{line}");
        let digits = i.to_string();
        let (start, end) = region.pos(1).unwrap();
        assert_eq!(&line[start..end], digits, "{line}");
        assert!(word.search(&line, end, line.len(), Some(&mut region)), "{line}");
        let (start, end) = region.pos(1).unwrap();
        assert_eq!(&line[start..end], "end", "{line}");
    }
}
