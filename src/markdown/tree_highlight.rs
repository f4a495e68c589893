//! Render stage: highlighting with tree-sitter, for the languages the handbook's pages and the
//! benchmark write most (docs/decisions.md, Dependencies). Every capture is given the TextMate
//! scope syntect would give the same token (`function` → `entity.name.function.python`), and a
//! block sits in its grammar's root scope (`source.python`), so the spans carry the same `hl-`
//! classes as syntect's, filtered through the same [`ScopeClasses`], and the same stylesheets
//! colour both highlighters' blocks.

use super::classes::{thread_slot, thread_slots, Memo, ScopeClasses};
use super::spans::Spans;
use std::sync::{Mutex, OnceLock};
use syntect::parsing::Scope;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter as Engine};

/// A language highlighted with tree-sitter.
struct Grammar {
    /// The fence languages that choose it (after [`super::highlight`]'s aliases).
    names: &'static [&'static str],
    /// Its root scope, as syntect names it.
    root: &'static str,
    /// The atom syntect's scopes of this language end with (`.shell` for `source.shell.bash`).
    suffix: &'static str,
    /// Captures this grammar uses differently from the others (see [`CAPTURES`]).
    overrides: &'static [(&'static str, &'static str)],
    /// Whether the grammar's scanner state stays within tree-sitter's buffer on a block (see
    /// [`fits`]).
    state_fits: fn(&str) -> bool,
    load: fn() -> Result<HighlightConfiguration, tree_sitter::QueryError>,
}

const GRAMMARS: [Grammar; 7] = [
    Grammar {
        names: &["bash", "sh", "zsh"],
        root: "source.shell.bash",
        suffix: "shell",
        // Command names, `$VARIABLES` and `-flags`.
        overrides: &[("function", "support.function"), ("property", "variable.other.readwrite"), ("constant", "variable.parameter.option")],
        state_fits: any_block,
        load: || {
            let highlights = format!("{}\n{BASH_KEYWORDS}", tree_sitter_bash::HIGHLIGHT_QUERY);
            config(tree_sitter_bash::LANGUAGE.into(), "bash", &highlights, "")
        },
    },
    Grammar {
        names: &["go"],
        root: "source.go",
        suffix: "go",
        overrides: &[],
        state_fits: any_block,
        load: || config(tree_sitter_go::LANGUAGE.into(), "go", tree_sitter_go::HIGHLIGHTS_QUERY, ""),
    },
    Grammar {
        names: &["json"],
        root: "source.json",
        suffix: "json",
        overrides: &[],
        state_fits: any_block,
        load: || config(tree_sitter_json::LANGUAGE.into(), "json", tree_sitter_json::HIGHLIGHTS_QUERY, ""),
    },
    Grammar {
        names: &["python", "py", "python3"],
        root: "source.python",
        suffix: "python",
        overrides: &[],
        state_fits: python_state_fits,
        load: || config(tree_sitter_python::LANGUAGE.into(), "python", tree_sitter_python::HIGHLIGHTS_QUERY, ""),
    },
    Grammar {
        names: &["ruby", "rb"],
        root: "source.ruby",
        suffix: "ruby",
        // `@instance` variables.
        overrides: &[("property", "variable.other.readwrite.instance")],
        state_fits: ruby_state_fits,
        load: || {
            let ruby = tree_sitter_ruby::LANGUAGE.into();
            config(ruby, "ruby", tree_sitter_ruby::HIGHLIGHTS_QUERY, tree_sitter_ruby::LOCALS_QUERY)
        },
    },
    Grammar {
        names: &["rust", "rs"],
        root: "source.rust",
        suffix: "rust",
        overrides: &[],
        state_fits: any_block,
        // Without the crate's injection query, which parses every macro body again as Rust: that
        // doubled the cost of a Rust block (67 -> 126 us) to mark call names inside macros. A
        // macro's keywords, literals and primitive types are highlighted either way.
        load: || config(tree_sitter_rust::LANGUAGE.into(), "rust", tree_sitter_rust::HIGHLIGHTS_QUERY, ""),
    },
    Grammar {
        names: &["yaml", "yml"],
        root: "source.yaml",
        suffix: "yaml",
        // Mapping keys, named like syntect's YAML keys.
        overrides: &[("property", "entity.name.tag")],
        state_fits: yaml_state_fits,
        load: || config(tree_sitter_yaml::LANGUAGE.into(), "yaml", tree_sitter_yaml::HIGHLIGHTS_QUERY, ""),
    },
];

/// Whether a grammar's parser may be given a block; the others go to syntect, as before
/// tree-sitter. tree-sitter copies a grammar's C scanner state into a fixed 1,024-byte buffer
/// after every token, and three of the scanners can outgrow it: tree-sitter-yaml 0.7.2 (four
/// bytes per open indentation level, checked only between levels: `- - - …` 250 deep wrote past
/// the buffer and aborted the build), tree-sitter-python 0.25.0 (two bytes per level, the same
/// loop) and tree-sitter-ruby 0.23.1 (a heredoc word's length saved in one byte, the room checked
/// two bytes short: `x = <<` and a 256-character word aborted). Page content comes from anyone's
/// merge request, so a block that could get there never reaches the parser
/// (docs/proposals/tree-sitter-scanner-state.md). The bounds below count what opens state in
/// the text itself, not what a valid parse would see, because error recovery hands the scanner
/// tokens anywhere; they were read off the crate versions pinned in Cargo.toml.
fn fits(grammar: &Grammar, code: &str) -> bool {
    code.len() <= MAX_BLOCK_BYTES && (grammar.state_fits)(code)
}

/// Larger blocks go to syntect: on nested brackets tree-sitter's error recovery grows faster than
/// the input (5 KB of `{"a":` took 80 ms in Rust, 500 KB took minutes). Of 15 such patterns in
/// every grammar, the slowest 8 KB block took 0.44 s (8,192 `"` in Rust, 16 KB: 1.4 s); the
/// handbook's largest block is 2.2 KB.
const MAX_BLOCK_BYTES: usize = 8 * 1024;

/// Scanners whose saved state cannot outgrow the buffer: Rust saves one byte, bash checks the
/// room before each heredoc and saves nothing when it would not fit, Go and JSON have none.
fn any_block(_: &str) -> bool {
    true
}

/// YAML: each indentation level is opened by a token that consumes an indicator (`-`, `?` or
/// `:` before whitespace, or a block scalar's `|` or `>`), at most two levels per token; 120
/// indicators keep the state under 10 + 4 × 240 = 970 bytes whatever columns it records.
fn yaml_state_fits(code: &str) -> bool {
    let bytes = code.as_bytes();
    let indicator = |(at, byte): (usize, &u8)| match byte {
        b'|' | b'>' => true,
        // The scanner's whitespace includes NUL (its end of input).
        b'-' | b'?' | b':' => bytes.get(at + 1).is_none_or(|&next| next == 0 || next.is_ascii_whitespace()),
        _ => false,
    };
    bytes.iter().enumerate().filter(|&pair| indicator(pair)).count() <= 120
}

/// Python: up to 255 bytes of open string delimiters and two per indentation level, and a level
/// opens only at a line break: 350 lines keep the state under 2 + 255 + 700 = 957 bytes.
fn python_state_fits(code: &str) -> bool {
    memchr::memchr_iter(b'\n', code.as_bytes()).count() < 350
}

/// Ruby: five bytes per open literal (each starts at one of `"'`/%:?`) and 4 bytes plus the word
/// per open heredoc (each starts at a `<<`; its word over-counted as the non-space run after it,
/// or up to the closing quote). Words under 200 bytes fit the length byte, and a total under
/// 1,000 bytes leaves the two bytes the room check misses.
fn ruby_state_fits(code: &str) -> bool {
    let bytes = code.as_bytes();
    let literals = bytes.iter().filter(|b| b"\"'`/%:?".contains(b)).count();
    let mut total = 2 + 5 * literals;
    for at in (0..bytes.len().saturating_sub(1)).filter(|&at| &bytes[at..at + 2] == b"<<") {
        let mut word = &bytes[at + 2..];
        if let Some(b'~' | b'-') = word.first() {
            word = &word[1..];
        }
        let len = match word.first() {
            Some(&quote @ (b'"' | b'\'' | b'`')) => memchr::memchr(quote, &word[1..]).map_or(word.len(), |end| end + 2),
            _ => word.iter().take_while(|b| !b.is_ascii_whitespace()).count(),
        };
        if len >= 200 {
            return false;
        }
        total += 4 + len;
    }
    total < 1000
}

/// Keywords tree-sitter-bash's query leaves out and syntect marks: declarations, and the
/// builtins that change the flow of a script (a command name is a `function`, the word in it
/// the keyword inside).
const BASH_KEYWORDS: &str = r#"
["declare" "typeset" "readonly" "local" "unsetenv"] @keyword
((command_name (word) @keyword) (#match? @keyword "^(return|exit|break|continue)$"))
"#;

/// The capture names recognised (tree-sitter's standard names, as the grammars' queries use
/// them) and the scope each stands for, as syntect's grammars name the same tokens. A capture
/// takes the entry whose parts it has the most of, the first on a tie (`function.method.builtin`
/// is `function.builtin`); plain `variable` is left out, so identifiers stay unstyled as in syntect.
const CAPTURES: [(&str, &str); 31] = [
    ("attribute", "entity.other.attribute-name"),
    ("boolean", "constant.language"),
    ("comment", "comment"),
    ("constant", "constant.other"),
    ("constant.builtin", "constant.language"),
    ("constructor", "support.class"),
    ("embedded", "meta.embedded"),
    ("escape", "constant.character.escape"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "support.function.macro"),
    ("function.method", "entity.name.function"),
    ("keyword", "keyword.other"),
    ("label", "entity.name.label"),
    ("module", "entity.name.namespace"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("property", "variable.other.member"),
    ("punctuation", "punctuation"),
    ("punctuation.bracket", "punctuation.section"),
    ("punctuation.delimiter", "punctuation.separator"),
    ("punctuation.special", "punctuation.definition"),
    ("string", "string.quoted"),
    ("string.special", "string.other"),
    // JSON's keys, named like YAML's.
    ("string.special.key", "entity.name.tag"),
    ("string.special.regex", "string.regexp"),
    ("string.special.symbol", "constant.other.symbol"),
    ("type", "support.type"),
    ("type.builtin", "storage.type"),
    ("variable.builtin", "variable.language"),
    ("variable.parameter", "variable.parameter"),
];

/// A grammar's configuration, recognising [`CAPTURES`]. No injection query: a block is one
/// language (see Rust's entry).
fn config(
    language: tree_sitter::Language,
    name: &str,
    highlights: &str,
    locals: &str,
) -> Result<HighlightConfiguration, tree_sitter::QueryError> {
    let mut config = HighlightConfiguration::new(language, name, highlights, "", locals)?;
    config.configure(&CAPTURES.into_iter().map(|(capture, _)| capture).collect::<Vec<_>>());
    Ok(config)
}

/// A grammar ready to highlight: its configuration and the scope of each recognised capture.
struct Loaded {
    config: HighlightConfiguration,
    root: Option<Scope>,
    scopes: Vec<Option<Scope>>,
}

impl Loaded {
    fn new(grammar: &Grammar) -> Option<Loaded> {
        let config = (grammar.load)().ok()?;
        let scope = |name: &str| Scope::new(&format!("{name}.{}", grammar.suffix)).ok();
        let scopes = CAPTURES
            .into_iter()
            .map(|(capture, default)| {
                let overridden = grammar.overrides.iter().find(|(name, _)| *name == capture);
                scope(overridden.map_or(default, |(_, scope)| scope))
            })
            .collect();
        Some(Loaded { config, root: Scope::new(grammar.root).ok(), scopes })
    }
}

/// The tree-sitter grammars of one build, each loaded on its first block, and a parser per
/// render thread.
pub struct TreeSitter {
    loaded: [OnceLock<Option<Loaded>>; GRAMMARS.len()],
    engines: Vec<Mutex<Engine>>,
}

impl TreeSitter {
    pub fn new() -> Self {
        TreeSitter { loaded: [const { OnceLock::new() }; GRAMMARS.len()], engines: thread_slots() }
    }

    /// The grammar for a fence language, if tree-sitter highlights it and may be given `code`
    /// (nothing is loaded yet).
    pub fn find(lang: &str, code: &str) -> Option<usize> {
        GRAMMARS.iter().position(|g| g.names.contains(&lang)).filter(|&g| fits(&GRAMMARS[g], code))
    }

    /// The name a grammar is known by, for tests.
    #[cfg(test)]
    pub fn name(grammar: usize) -> &'static str {
        GRAMMARS[grammar].names[0]
    }

    fn loaded(&self, grammar: usize) -> Option<&Loaded> {
        self.loaded.get(grammar)?.get_or_init(|| Loaded::new(&GRAMMARS[grammar])).as_ref()
    }

    /// `code` as highlighted HTML; `None` when the grammar cannot be loaded or the highlighter
    /// fails, so the caller shows plain code.
    pub fn highlight(&self, grammar: usize, code: &str, classes: &ScopeClasses) -> Option<String> {
        let loaded = self.loaded(grammar)?;
        let mut engine = thread_slot(&self.engines);
        let events = engine.highlight(&loaded.config, code.as_bytes(), None, |_| None).ok()?;
        classes.with_memo(|memo| write_spans(code, events, loaded, memo))
    }
}

fn write_spans(
    code: &str,
    events: impl Iterator<Item = Result<HighlightEvent, tree_sitter_highlight::Error>>,
    loaded: &Loaded,
    memo: &mut Memo,
) -> Option<String> {
    let mut spans = Spans::new(code.len());
    spans.open(loaded.root.and_then(|root| memo.classes(root)));
    for event in events {
        match event.ok()? {
            HighlightEvent::Source { start, end } => spans.text(code.get(start..end)?),
            HighlightEvent::HighlightStart(capture) => {
                spans.open(loaded.scopes.get(capture.0).copied().flatten().and_then(|scope| memo.classes(scope)))
            }
            HighlightEvent::HighlightEnd => spans.close(),
        }
    }
    Some(spans.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::classes::StyledClasses;

    fn all_classes() -> ScopeClasses {
        ScopeClasses::new(StyledClasses::all())
    }

    #[test]
    fn every_grammar_loads_with_its_queries() {
        let ts = TreeSitter::new();
        for (i, grammar) in GRAMMARS.iter().enumerate() {
            let loaded = ts.loaded(i).unwrap_or_else(|| panic!("{} loads", grammar.names[0]));
            assert_eq!(loaded.scopes.len(), CAPTURES.len());
            assert!(loaded.scopes.iter().all(Option::is_some), "{}: every scope is valid", grammar.names[0]);
            for (name, _) in grammar.overrides {
                assert!(CAPTURES.into_iter().any(|(capture, _)| capture == *name), "{name} is a recognised capture");
            }
        }
    }

    #[test]
    fn fence_names_choose_one_grammar_each() {
        let mut names: Vec<&str> = GRAMMARS.iter().flat_map(|g| g.names.iter().copied()).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "no name in two grammars");
        assert_eq!(TreeSitter::find("py", "x").map(TreeSitter::name), Some("python"));
        assert_eq!(TreeSitter::find("kotlin", "x"), None);
    }

    #[test]
    fn captures_become_syntect_scopes_with_the_language_suffix() {
        let ts = TreeSitter::new();
        let py = TreeSitter::find("python", "").unwrap();
        let html = ts.highlight(py, "def f(x):\n    return \"a\"  # c\n", &all_classes()).unwrap();
        assert!(html.starts_with("<span class=\"hl-source hl-python\">"), "{html}");
        assert!(html.contains("<span class=\"hl-keyword hl-other hl-python\">def</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-entity hl-name hl-function hl-python\">f</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-string hl-quoted hl-python\">&quot;a&quot;</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-comment hl-python\"># c</span>"), "{html}");
    }

    #[test]
    fn overrides_name_a_grammars_own_tokens() {
        let ts = TreeSitter::new();
        let yaml = ts.highlight(TreeSitter::find("yaml", "").unwrap(), "key: 1\n", &all_classes()).unwrap();
        assert!(yaml.contains("<span class=\"hl-entity hl-name hl-tag hl-yaml\">key</span>"), "{yaml}");
        let shell = ts.highlight(TreeSitter::find("bash", "").unwrap(), "ls -l $HOME\n", &all_classes()).unwrap();
        assert!(shell.contains("<span class=\"hl-support hl-function hl-shell\">ls</span>"), "{shell}");
        assert!(shell.contains("<span class=\"hl-variable hl-parameter hl-option hl-shell\">-l</span>"), "{shell}");
        assert!(shell.contains("hl-variable hl-other hl-readwrite hl-shell\">HOME</span>"), "{shell}");
    }

    #[test]
    fn code_with_syntax_errors_and_any_bytes_is_still_escaped_whole() {
        let ts = TreeSitter::new();
        let code = "fn (<script>\"é\u{0}&\n}}}}\n";
        for grammar in 0..GRAMMARS.len() {
            let html = ts.highlight(grammar, code, &ScopeClasses::new(StyledClasses::default())).unwrap();
            assert_eq!(html, crate::html::escape(code), "{}: no class is styled, so no span", TreeSitter::name(grammar));
            let styled = ts.highlight(grammar, code, &all_classes()).unwrap();
            assert!(!styled.contains("<script>"), "{styled}");
        }
    }

    #[test]
    fn rust_macro_bodies_keep_keywords_literals_and_primitive_types() {
        let ts = TreeSitter::new();
        let html = ts.highlight(TreeSitter::find("rust", "").unwrap(), "m! { fn f(x: u8) { \"s\" } }\n", &all_classes()).unwrap();
        assert!(html.contains("<span class=\"hl-keyword hl-other hl-rust\">fn</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-storage hl-type hl-rust\">u8</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-string hl-quoted hl-rust\">&quot;s&quot;</span>"), "{html}");
    }

    /// The blocks that aborted the build before [`fits`]: a scanner's state outgrew its buffer.
    /// They now go to syntect.
    #[test]
    fn blocks_past_a_scanners_buffer_go_to_syntect() {
        let yaml = "- ".repeat(1000) + "x\n";
        let ruby = format!("x = <<{0}\nbody\n{0}\n", "A".repeat(256));
        for (lang, code) in [("yaml", &yaml), ("ruby", &ruby)] {
            assert_eq!(TreeSitter::find(lang, code), None, "{lang}");
            let html = crate::markdown::Highlighter::default().code_block(lang, code);
            assert!(html.contains("<span class=\"hl-") && html.ends_with("</code></pre>\n"), "{lang} still highlighted");
        }
        assert!(TreeSitter::find("yaml", &"- ".repeat(60)).is_some());
        assert_eq!(TreeSitter::find("yaml", &"-\0".repeat(121)), None, "NUL ends an indicator too");
        assert!(TreeSitter::find("ruby", &format!("x = <<~{0}\n{0}\n", "A".repeat(150))).is_some());
        assert_eq!(TreeSitter::find("ruby", &"x = <<~A\nA\n".repeat(250)), None, "heredocs add up");
        assert_eq!(TreeSitter::find("ruby", &"x = \"a\"\n".repeat(100)), None, "so do literals");
    }

    #[test]
    fn long_python_and_any_huge_block_go_to_syntect() {
        assert!(TreeSitter::find("python", &"x\n".repeat(349)).is_some());
        assert_eq!(TreeSitter::find("python", &"x\n".repeat(350)), None);
        assert!(TreeSitter::find("go", &"x\n".repeat(1000)).is_some());
        assert_eq!(TreeSitter::find("json", &"[".repeat(MAX_BLOCK_BYTES + 1)), None);
        assert!(TreeSitter::find("json", &"[".repeat(MAX_BLOCK_BYTES)).is_some());
    }

    /// The worst that [`fits`] lets through to the scanners that keep growing state: as many
    /// indicators, heredocs, literals and indentation levels as the bounds allow, nested as
    /// deep as they go, after a character that puts the parser into error recovery, and 2,000
    /// seeded random mixes of YAML's indicators. A state past its buffer aborts this test binary.
    #[test]
    fn blocks_within_the_bounds_keep_scanner_state_in_its_buffer() {
        let (ts, classes) = (TreeSitter::new(), all_classes());
        let run = |lang: &str, code: &str| {
            let grammar = TreeSitter::find(lang, code).unwrap_or_else(|| panic!("{lang} within the bounds: {code:.80}"));
            ts.highlight(grammar, code, &classes).unwrap();
        };
        for prefix in ["", "%", "]", "\t", "'"] {
            for unit in ["- ", "? ", ": ", "- ? "] {
                run("yaml", &format!("{prefix}{}x\n", unit.repeat(120 / (unit.len() / 2))));
                run("yaml", &(0..120 / (unit.len() / 2)).map(|i| format!("{prefix}{}{unit}x\n", " ".repeat(i))).collect::<String>());
            }
        }
        // As many levels as 8 KB hold (tabs count eight columns).
        let deep: String = (0..250).map(|i| format!("{}if x:\n", "\t".repeat(i / 8) + &" ".repeat(i % 8))).collect();
        run("python", &deep);
        run("python", &format!("f\"{{{}", deep));
        run("ruby", &format!("x = <<~{0}\n{1}\n{0}\n", "A".repeat(199), "\"".repeat(150)));
        run("ruby", &"<<-A ".repeat(150));
        let pieces =
            ["- ", "- ", "? ", ": ", "a: ", "a:", " ", "  ", "\t", "[", "{", "|", ">", "\"", "'", "#", "&x ", "*x ", "!t ", "b", "]", "\n"];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut tried = 0;
        for _ in 0..2000 {
            let code: String = (0..next(400)).map(|_| pieces[next(pieces.len())]).collect();
            if TreeSitter::find("yaml", &code).is_some() {
                run("yaml", &code);
                tried += 1;
            }
        }
        assert!(tried > 500, "{tried} of the random blocks were within the bound");
    }
}
