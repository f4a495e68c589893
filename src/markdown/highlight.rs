//! Render stage: syntax highlighting as CSS classes (`hl-` prefix) so a light and a dark
//! stylesheet can share the markup. tree-sitter highlights the languages the handbook writes most
//! ([`super::tree_highlight`]); syntect with two-face's grammars (bat's set) every other one. The
//! syntax set loads once, and only when a page has a block tree-sitter does not take. Spans carry
//! only the classes some stylesheet uses (see [`super::classes`]).

use super::classes::{Memo, ScopeClasses, StyledClasses};
use super::spans::Spans;
use super::tree_highlight::TreeSitter;
use rayon::prelude::*;
use std::sync::OnceLock;
use syntect::html::ClassStyle;
use syntect::parsing::{BasicScopeStackOp, ParseState, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Owned by one build and shared by reference across render threads.
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    tree_sitter: TreeSitter,
    classes: ScopeClasses,
}

/// Styled like the embedded theme (what tests and a site without its own styles get).
// Tests only: the production callers pass the classes their theme styles.
#[cfg(test)]
impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new(crate::render::Theme::embedded_styled_classes())
    }
}

impl Highlighter {
    pub fn new(styled: StyledClasses) -> Self {
        Highlighter { syntaxes: OnceLock::new(), tree_sitter: TreeSitter::new(), classes: ScopeClasses::new(styled) }
    }

    /// Switches to the classes of a reloaded theme, keeping the loaded grammars (`serve`).
    pub fn restyle(&mut self, styled: &StyledClasses) {
        if self.classes.styled() != styled {
            self.classes = ScopeClasses::new(styled.clone());
        }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    /// The `<pre>` block for `code`, highlighted now; plain escaped text for an unknown or
    /// missing language. Builds go through [`Highlighter::prepare`] and a batch instead.
    #[cfg(test)]
    pub fn code_block(&self, lang: &str, code: &str) -> String {
        match self.prepare(lang, code) {
            Code::Ready(html) | Code::Unknown(html) => html,
            Code::Pending(block) => self.highlight(&block),
        }
    }

    /// Renders a block without a language to highlight right away, and defers one it can
    /// highlight, so a batch of pages can highlight all its blocks grouped by language. `info` is
    /// the fence's info string (`rust,ignore`, `python {linenos=true}`).
    pub fn prepare(&self, info: &str, code: &str) -> Code {
        let lang = fence_language(info);
        if lang.is_empty() {
            return Code::Ready(format!("<pre class=\"code\"><code>{}</code></pre>\n", crate::html::escape(code)));
        }
        if PLAIN.contains(&lang) {
            return Code::Ready(wrap(lang, &crate::html::escape(code)));
        }
        match self.grammar(lang, code) {
            Some(grammar) => Code::Pending(PendingCode { grammar, lang: lang.to_string(), code: code.to_string() }),
            None => Code::Unknown(wrap(lang, &crate::html::escape(code))),
        }
    }

    /// The grammar for a block: tree-sitter's if it has one for the language and may be given
    /// the block, else syntect's.
    fn grammar(&self, lang: &str, code: &str) -> Option<Grammar> {
        let lang = alias(lang);
        TreeSitter::find(lang, code).map(Grammar::TreeSitter).or_else(|| self.syntax_index(lang).map(Grammar::Syntect))
    }

    /// The `<pre>` block for a deferred block.
    pub fn highlight(&self, block: &PendingCode) -> String {
        let html = match block.grammar {
            Grammar::TreeSitter(grammar) => self.tree_sitter.highlight(grammar, &block.code, &self.classes),
            Grammar::Syntect(syntax) => self.highlight_lines(syntax, &block.code),
        };
        wrap(&block.lang, &html.unwrap_or_else(|| crate::html::escape(&block.code)))
    }

    /// Highlights `blocks` in parallel, each thread working through runs of one language:
    /// the compiled grammar of a language stays in the CPU cache for the whole run, which made
    /// syntect's highlighting about a third cheaper than going page by page (see README,
    /// Benchmarks). Results are in the order of `blocks`.
    pub fn highlight_all(&self, blocks: &[&PendingCode]) -> Vec<String> {
        let mut order: Vec<usize> = (0..blocks.len()).collect();
        order.sort_by_key(|&i| blocks[i].grammar);
        // Contiguous pieces of the sorted list (so each is mostly one language), small enough
        // that a thread done with a cheap language takes over part of an expensive one.
        let piece = (blocks.len() / (32 * rayon::current_num_threads())).max(1);
        let sorted: Vec<String> = order.par_iter().with_min_len(piece).map(|&i| self.highlight(blocks[i])).collect();
        let mut out = vec![String::new(); blocks.len()];
        for (html, &i) in sorted.into_iter().zip(&order) {
            out[i] = html;
        }
        out
    }

    /// The grammar's position in syntect's syntax set.
    fn syntax_index(&self, lang: &str) -> Option<usize> {
        let syntaxes = self.syntaxes();
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        // `find_syntax_by_token` answers with a reference into `syntaxes()`.
        syntaxes.syntaxes().iter().position(|s| std::ptr::eq(s, syntax))
    }

    fn highlight_lines(&self, syntax: usize, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes();
        let mut state = ParseState::new(syntaxes.syntaxes().get(syntax)?);
        self.classes.with_memo(|classes| {
            let mut spans = SpanWriter::new(code.len(), classes);
            for line in LinesWithEndings::from(code) {
                spans.line(line, &state.parse_line(line, syntaxes).ok()?)?;
            }
            Some(spans.finish())
        })
    }
}

/// Writes a block's tokens as nested spans, from syntect's scope operations.
struct SpanWriter<'m, 'a> {
    spans: Spans,
    classes: &'m mut Memo<'a>,
    scopes: ScopeStack,
}

impl<'m, 'a> SpanWriter<'m, 'a> {
    fn new(code_len: usize, classes: &'m mut Memo<'a>) -> Self {
        SpanWriter { spans: Spans::new(code_len), classes, scopes: ScopeStack::new() }
    }

    fn line(&mut self, line: &str, ops: &[(usize, ScopeStackOp)]) -> Option<()> {
        let mut done = 0;
        for (at, op) in ops {
            self.spans.text(line.get(done..*at)?);
            done = *at;
            let SpanWriter { spans, classes, scopes } = self;
            scopes
                .apply_with_hook(op, |op, _| match op {
                    BasicScopeStackOp::Push(scope) => spans.open(classes.classes(scope)),
                    BasicScopeStackOp::Pop => spans.close(),
                })
                .ok()?;
        }
        self.spans.text(line.get(done..)?);
        Some(())
    }

    fn finish(self) -> String {
        self.spans.finish()
    }
}

/// A fenced block's HTML, or the block waiting to be highlighted.
#[derive(Debug)]
pub enum Code {
    Ready(String),
    Pending(PendingCode),
    /// Plain code, because no grammar knows the block's language (worth a warning).
    Unknown(String),
}

/// A fenced block in a language a grammar knows, not highlighted yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCode {
    /// The grammar (what blocks are grouped by).
    pub grammar: Grammar,
    /// The language as written (for the `language-…` class).
    pub lang: String,
    pub code: String,
}

/// Which highlighter's grammar, and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grammar {
    TreeSitter(usize),
    Syntect(usize),
}

fn wrap(lang: &str, body: &str) -> String {
    let lang = crate::html::escape(lang);
    format!("<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{body}</code></pre>\n")
}

/// The language of a fence's info string: its first word (`rust,ignore` is Rust).
pub fn fence_language(info: &str) -> &str {
    info.split([' ', ',', '{']).next().unwrap_or("").trim()
}

/// Languages shown as plain code on purpose, so without a warning: plain text, and diagram
/// sources (Mermaid) that a page shows for readers to copy into GitLab, which draws them.
const PLAIN: [&str; 5] = ["text", "plain", "plaintext", "none", "mermaid"];

/// Names authors use that the syntax set knows under another token. `javascript` would find
/// the older of two JavaScript grammars; `js` finds the one bat uses for `.js` files.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "console" => "bash",
        "golang" => "go",
        "javascript" => "js",
        "docker" => "dockerfile",
        _ => lang,
    }
}

/// The stylesheet for one of the themes two-face bundles (syntect's own among them), used to
/// generate the theme's CSS files.
pub fn theme_css(theme: &str) -> Option<String> {
    let themes = two_face::theme::LazyThemeSet::from(two_face::theme::extra());
    syntect::html::css_for_theme_with_class_style(themes.get(theme)?, CLASS_STYLE).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::style_check::Rules;
    use std::path::Path;

    /// syntect's own markup of the sample, with every scope as classes.
    fn full_markup(syntaxes: &SyntaxSet, syntax: &syntect::parsing::SyntaxReference, code: &str) -> String {
        let mut html = syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            html.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        html.finalize()
    }

    /// The samples of tests/fixtures/highlight, one grammar each (embedded languages too: HTML
    /// with script and style, PHP, Markdown with a fenced block), and the full markup of each,
    /// every scope as classes.
    fn samples(h: &Highlighter) -> Vec<(String, String, Grammar)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/highlight")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let mut samples = Vec::new();
        for file in &files {
            let name = file.file_name().unwrap().to_str().unwrap().to_string();
            let code = std::fs::read_to_string(file).unwrap();
            let ext = file.extension().unwrap().to_str().unwrap();
            let syntax = h.syntaxes().find_syntax_by_extension(ext).unwrap();
            let index = h.syntaxes().syntaxes().iter().position(|s| std::ptr::eq(s, syntax)).unwrap();
            samples.push((name.clone(), code.clone(), Grammar::Syntect(index)));
            if let Some(tree) = TreeSitter::find(ext, &code) {
                samples.push((name, code, Grammar::TreeSitter(tree)));
            }
        }
        samples
    }

    /// Each sample's full markup (syntect's own for syntect, every class kept for tree-sitter)
    /// against ours, under the shipped stylesheets. Every piece of text must be styled by the
    /// same rules along the same chain of elements.
    #[test]
    fn leaving_out_unstyled_classes_changes_no_style() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let css = ["syntax-light.css", "syntax-dark.css"]
            .map(|f| std::fs::read_to_string(root.join("themes/handbook/static/css").join(f)).unwrap());
        let rules = Rules::parse(&css.concat());
        let (h, every_class) = (Highlighter::default(), ScopeClasses::new(StyledClasses::all()));
        let (mut full_bytes, mut lean_bytes, mut tree_sitter_grammars) = (0, 0, std::collections::BTreeSet::new());
        for (name, code, grammar) in samples(&h) {
            let (full, lean) = match grammar {
                Grammar::Syntect(index) => {
                    (full_markup(h.syntaxes(), &h.syntaxes().syntaxes()[index], &code), h.highlight_lines(index, &code))
                }
                Grammar::TreeSitter(tree) => {
                    tree_sitter_grammars.insert(tree);
                    (h.tree_sitter.highlight(tree, &code, &every_class).unwrap(), h.tree_sitter.highlight(tree, &code, &h.classes))
                }
            };
            let lean = lean.unwrap();
            let (full_runs, lean_runs) = (rules.styled_runs(&full), rules.styled_runs(&lean));
            assert!(full_runs.iter().any(|(_, chain)| !chain.is_empty()), "{name}: the stylesheets style something");
            assert_eq!(lean_runs, full_runs, "{name} ({grammar:?}): {lean}");
            (full_bytes, lean_bytes) = (full_bytes + full.len(), lean_bytes + lean.len());
        }
        assert_eq!(tree_sitter_grammars.len(), 7, "a sample for each tree-sitter grammar");
        assert!(lean_bytes * 10 < full_bytes * 6, "markup under 60 %: {lean_bytes} of {full_bytes} bytes");
    }

    #[test]
    fn spans_left_empty_are_not_written() {
        let h = Highlighter::new(StyledClasses::of_texts([".hl-source { } .hl-punctuation { } .hl-string { }"]));
        let html = h.code_block("python", "x = \"\"\n");
        assert!(!html.contains("\"></span>"), "{html}");
        assert!(html.contains("<span class=\"hl-source\">"), "{html}");
    }

    #[test]
    fn a_site_without_hl_styles_gets_plain_escaped_code() {
        let h = Highlighter::new(StyledClasses::default());
        assert_eq!(
            h.code_block("rust", "fn a() -> &'a str {}\n"),
            "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">fn a() -&gt; &amp;&#39;a str {}\n</code></pre>\n"
        );
    }

    #[test]
    fn restyle_switches_classes_and_keeps_the_grammars() {
        let mut h = Highlighter::new(StyledClasses::of_texts([".hl-keyword { }"]));
        let (rust, kotlin) = (("rust", "fn x() { return; }\n"), ("kotlin", "fun x() { return }\n"));
        for (lang, code) in [rust, kotlin] {
            assert!(h.code_block(lang, code).contains("<span class=\"hl-keyword\">return</span>"), "{lang}");
        }
        let grammars = h.syntaxes() as *const SyntaxSet;
        h.restyle(&StyledClasses::of_texts([".hl-function { }"]));
        for (lang, code) in [rust, kotlin] {
            let html = h.code_block(lang, code);
            assert!(html.contains("<span class=\"hl-function\">x</span>") && !html.contains("hl-keyword"), "{lang}: {html}");
        }
        assert!(std::ptr::eq(grammars, h.syntaxes()), "grammars are not loaded again");
    }

    #[test]
    fn highlights_known_languages_with_classes() {
        let h = Highlighter::default();
        let html = h.code_block("rust", "fn main() {}\n");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">"), "{html}");
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(h.code_block("shell", "echo hi\n").contains("hl-"));
    }

    #[test]
    fn each_block_is_highlighted_with_its_own_grammar() {
        let h = Highlighter::default();
        for (lang, code, scope) in [
            ("rust", "fn main() {}\n", "hl-entity hl-name hl-function"),
            ("yml", "a: 1\n", "hl-entity hl-name hl-tag"),
            ("shell", "echo hi\n", "hl-support hl-function"),
        ] {
            let html = h.code_block(lang, code);
            assert!(html.contains(scope), "{lang}: {html}");
        }
    }

    #[test]
    fn highlight_all_groups_by_language_and_answers_in_input_order() {
        let h = Highlighter::default();
        let inputs = [("yaml", "a: 1\n"), ("rust", "fn x() {}\n"), ("yaml", "b: 2\n"), ("bash", "echo <x>\n"), ("rust", "let y = 2;\n")];
        let pending: Vec<PendingCode> = inputs
            .iter()
            .map(|(lang, code)| match h.prepare(lang, code) {
                Code::Pending(block) => block,
                Code::Ready(html) | Code::Unknown(html) => panic!("{lang} must wait for highlighting: {html}"),
            })
            .collect();
        let refs: Vec<&PendingCode> = pending.iter().collect();
        let all = h.highlight_all(&refs);
        let one_by_one: Vec<String> = inputs.iter().map(|(lang, code)| h.code_block(lang, code)).collect();
        assert_eq!(all, one_by_one);
        assert!(all[3].contains("&lt;") && !all[3].contains("<x>"), "code is escaped: {}", all[3]);
    }

    #[test]
    fn unknown_and_missing_languages_are_escaped_text() {
        let h = Highlighter::default();
        assert_eq!(h.code_block("", "<b>\n"), "<pre class=\"code\"><code>&lt;b&gt;\n</code></pre>\n");
        assert_eq!(
            h.code_block("text", "<b>\n"),
            "<pre class=\"code\" data-lang=\"text\"><code class=\"language-text\">&lt;b&gt;\n</code></pre>\n"
        );
        assert!(h.syntaxes.get().is_none(), "a block without a language or in plain text must not load the syntax set");
        assert!(h.code_block("yaml", "a: 1\n").contains("hl-"));
        assert!(h.syntaxes.get().is_none(), "nor one tree-sitter highlights");
        assert!(matches!(h.prepare("nolang", "x"), Code::Unknown(html) if html.contains("language-nolang\">x</code>")));
        assert!(matches!(h.prepare("mermaid", "x"), Code::Ready(_)), "plain on purpose: no warning");
        assert!(matches!(h.prepare("rust,ignore", "x"), Code::Pending(block) if block.lang == "rust"));
    }

    /// The grammar's name, with the highlighter's.
    fn grammar_name(h: &Highlighter, grammar: Grammar) -> String {
        match grammar {
            Grammar::TreeSitter(tree) => format!("tree-sitter {}", TreeSitter::name(tree)),
            Grammar::Syntect(index) => h.syntaxes().syntaxes()[index].name.clone(),
        }
    }

    /// The languages the handbook's pages use, under each name authors write for them: each
    /// finds its grammar and comes out with styled spans.
    #[test]
    fn the_handbook_languages_highlight_under_their_usual_names() {
        let h = Highlighter::default();
        let languages: [(&[&str], &str, &str); 17] = [
            (&["sh", "bash", "shell", "zsh", "console"], "tree-sitter bash", "if [ -n \"$X\" ]; then echo hi; fi\n"),
            (&["python", "py"], "tree-sitter python", "def f(x):\n    return \"a\"\n"),
            (&["ruby", "rb"], "tree-sitter ruby", "def f\n  puts \"hi\"\nend\n"),
            (&["go", "golang"], "tree-sitter go", "func main() { fmt.Println(\"hi\") }\n"),
            // "JavaScript (Babel)" on Oniguruma; fancy-regex's set has only "JavaScript".
            (&["js", "javascript"], "JavaScript", "const x = \"a\";\nfunction f() { return 1; }\n"),
            (&["ts", "typescript"], "TypeScript", "interface A { b: string }\nconst x: number = 1;\n"),
            (&["json"], "tree-sitter json", "{\"a\": [1, true, \"s\"]}\n"),
            (&["yaml", "yml"], "tree-sitter yaml", "key: \"value\"\nlist: [1, 2]\n"),
            (&["toml"], "TOML", "[server]\nport = 8080\nname = \"x\"\n"),
            (&["hcl", "terraform", "tf"], "Terraform", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n"),
            (&["dockerfile", "docker"], "Dockerfile", "FROM debian:12\nRUN apt-get update\n"),
            (&["sql"], "SQL", "SELECT id FROM users WHERE name = 'x';\n"),
            (&["diff", "patch"], "Diff", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n"),
            (&["rust", "rs"], "tree-sitter rust", "fn main() { let x = \"a\"; }\n"),
            (&["kotlin", "kt"], "Kotlin", "fun main() { val x = \"a\" }\n"),
            (&["graphql", "gql"], "GraphQL", "query Q($id: ID!) { user(id: $id) { name } }\n"),
            (&["markdown", "md"], "Markdown", "# Title\n\n*em* and `code`\n"),
        ];
        for (names, grammar, code) in languages {
            for lang in names {
                let found = h.grammar(lang, code).map(|g| grammar_name(&h, g));
                assert!(found.as_ref().is_some_and(|name| name.starts_with(grammar)), "{lang}: {found:?}");
                let html = h.code_block(lang, code);
                assert!(html.starts_with(&format!("<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">")), "{html}");
                assert!(html.matches("<span class=\"hl-").count() >= 2, "{lang} has styled tokens: {html}");
            }
        }
    }
}
