//! Render stage: syntax highlighting with syntect and two-face's grammars (bat's set), as CSS
//! classes (`hl-` prefix) so a light and a dark stylesheet can share the markup. The syntax set
//! loads once, and only when a page has a fenced code block with a language. Spans carry only the
//! classes some stylesheet uses (see [`super::classes`]).

use super::classes::{Memo, ScopeClasses, StyledClasses};
use rayon::prelude::*;
use std::sync::OnceLock;
use syntect::html::ClassStyle;
use syntect::parsing::{BasicScopeStackOp, ParseState, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Owned by one build and shared by reference across render threads.
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
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
        Highlighter { syntaxes: OnceLock::new(), classes: ScopeClasses::new(styled) }
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
        match self.syntax_index(lang) {
            Some(syntax) => Code::Pending(PendingCode { syntax, lang: lang.to_string(), code: code.to_string() }),
            None => Code::Unknown(wrap(lang, &crate::html::escape(code))),
        }
    }

    /// The `<pre>` block for a deferred block.
    pub fn highlight(&self, block: &PendingCode) -> String {
        let html = self.highlight_lines(block.syntax, &block.code).unwrap_or_else(|| crate::html::escape(&block.code));
        wrap(&block.lang, &html)
    }

    /// Highlights `blocks` in parallel, each thread working through runs of one language:
    /// syntect's compiled grammar of a language stays in the CPU cache for the whole run, which
    /// made highlighting about a third cheaper than going page by page (see README, Benchmarks).
    /// Results are in the order of `blocks`.
    pub fn highlight_all(&self, blocks: &[&PendingCode]) -> Vec<String> {
        let mut order: Vec<usize> = (0..blocks.len()).collect();
        order.sort_by_key(|&i| blocks[i].syntax);
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

    /// The grammar's position in the syntax set.
    fn syntax_index(&self, lang: &str) -> Option<usize> {
        let syntaxes = self.syntaxes();
        let syntax = syntaxes.find_syntax_by_token(alias(lang))?;
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
    out: String,
    classes: &'m mut Memo<'a>,
    scopes: ScopeStack,
    /// For each scope on the stack, where its span's open tag starts and ends, if it has a span.
    /// A span that closes with nothing after its open tag is removed rather than written empty.
    opened: Vec<Option<(usize, usize)>>,
}

impl<'m, 'a> SpanWriter<'m, 'a> {
    fn new(code_len: usize, classes: &'m mut Memo<'a>) -> Self {
        SpanWriter { out: String::with_capacity(code_len * 3), classes, scopes: ScopeStack::new(), opened: Vec::new() }
    }

    fn line(&mut self, line: &str, ops: &[(usize, ScopeStackOp)]) -> Option<()> {
        let mut done = 0;
        for (at, op) in ops {
            crate::html::escape_into(&mut self.out, &line[done..*at]);
            done = *at;
            let SpanWriter { out, classes, scopes, opened } = self;
            scopes
                .apply_with_hook(op, |op, _| match op {
                    BasicScopeStackOp::Push(scope) => opened.push(classes.classes(scope).map(|class| {
                        let start = out.len();
                        out.push_str("<span class=\"");
                        out.push_str(class);
                        out.push_str("\">");
                        (start, out.len())
                    })),
                    BasicScopeStackOp::Pop => match opened.pop() {
                        Some(Some((start, tag_end))) if out.len() == tag_end => out.truncate(start),
                        Some(Some(_)) => out.push_str("</span>"),
                        _ => {}
                    },
                })
                .ok()?;
        }
        crate::html::escape_into(&mut self.out, &line[done..]);
        Some(())
    }

    fn finish(mut self) -> String {
        for _ in self.opened.iter().flatten() {
            self.out.push_str("</span>");
        }
        self.out
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

/// A fenced block in a language the syntax set knows, not highlighted yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCode {
    /// The grammar's index in the syntax set (what blocks are grouped by).
    pub syntax: usize,
    /// The language as written (for the `language-…` class).
    pub lang: String,
    pub code: String,
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
    /// with script and style, PHP, Markdown with a fenced block): syntect's own markup, with
    /// every scope as classes, against ours, under the shipped stylesheets. Every piece of text must be styled by the same rules
    /// along the same chain of elements.
    #[test]
    fn leaving_out_unstyled_classes_changes_no_style() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let css = ["syntax-light.css", "syntax-dark.css"]
            .map(|f| std::fs::read_to_string(root.join("themes/handbook/static/css").join(f)).unwrap());
        let rules = Rules::parse(&css.concat());
        let h = Highlighter::default();
        let mut files: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/highlight")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let (mut full_bytes, mut lean_bytes) = (0, 0);
        for file in &files {
            let name = file.file_name().unwrap().to_str().unwrap();
            let code = std::fs::read_to_string(file).unwrap();
            let syntax = h.syntaxes().find_syntax_by_extension(file.extension().unwrap().to_str().unwrap()).unwrap();
            let full = full_markup(h.syntaxes(), syntax, &code);
            let index = h.syntaxes().syntaxes().iter().position(|s| std::ptr::eq(s, syntax)).unwrap();
            let lean = h.highlight_lines(index, &code).unwrap();
            let (full_runs, lean_runs) = (rules.styled_runs(&full), rules.styled_runs(&lean));
            assert!(full_runs.iter().any(|(_, chain)| !chain.is_empty()), "{name}: the stylesheets style something");
            assert_eq!(lean_runs, full_runs, "{name}: {lean}");
            (full_bytes, lean_bytes) = (full_bytes + full.len(), lean_bytes + lean.len());
        }
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
        assert!(h.code_block("rust", "fn x() { return; }\n").contains("hl-keyword"));
        let grammars = h.syntaxes() as *const SyntaxSet;
        h.restyle(&StyledClasses::of_texts([".hl-storage { }"]));
        let html = h.code_block("rust", "fn x() { return; }\n");
        assert!(html.contains("<span class=\"hl-storage\">fn</span>") && !html.contains("hl-keyword"), "{html}");
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
        assert!(matches!(h.prepare("nolang", "x"), Code::Unknown(html) if html.contains("language-nolang\">x</code>")));
        assert!(matches!(h.prepare("mermaid", "x"), Code::Ready(_)), "plain on purpose: no warning");
        assert!(matches!(h.prepare("rust,ignore", "x"), Code::Pending(block) if block.lang == "rust"));
    }

    /// The languages the handbook's pages use, under each name authors write for them: each
    /// finds its grammar and comes out with styled spans.
    #[test]
    fn the_handbook_languages_highlight_under_their_usual_names() {
        let h = Highlighter::default();
        let languages: [(&[&str], &str, &str); 17] = [
            (&["sh", "bash", "shell", "zsh", "console"], "Bourne Again Shell (bash)", "if [ -n \"$X\" ]; then echo hi; fi\n"),
            (&["python", "py"], "Python", "def f(x):\n    return \"a\"\n"),
            (&["ruby", "rb"], "Ruby", "def f\n  puts \"hi\"\nend\n"),
            (&["go", "golang"], "Go", "func main() { fmt.Println(\"hi\") }\n"),
            // "JavaScript (Babel)" on Oniguruma; fancy-regex's set has only "JavaScript".
            (&["js", "javascript"], "JavaScript", "const x = \"a\";\nfunction f() { return 1; }\n"),
            (&["ts", "typescript"], "TypeScript", "interface A { b: string }\nconst x: number = 1;\n"),
            (&["json"], "JSON", "{\"a\": [1, true, \"s\"]}\n"),
            (&["yaml", "yml"], "YAML", "key: \"value\"\nlist: [1, 2]\n"),
            (&["toml"], "TOML", "[server]\nport = 8080\nname = \"x\"\n"),
            (&["hcl", "terraform", "tf"], "Terraform", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n"),
            (&["dockerfile", "docker"], "Dockerfile", "FROM debian:12\nRUN apt-get update\n"),
            (&["sql"], "SQL", "SELECT id FROM users WHERE name = 'x';\n"),
            (&["diff", "patch"], "Diff", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n"),
            (&["rust", "rs"], "Rust", "fn main() { let x = \"a\"; }\n"),
            (&["kotlin", "kt"], "Kotlin", "fun main() { val x = \"a\" }\n"),
            (&["graphql", "gql"], "GraphQL", "query Q($id: ID!) { user(id: $id) { name } }\n"),
            (&["markdown", "md"], "Markdown", "# Title\n\n*em* and `code`\n"),
        ];
        for (names, grammar, code) in languages {
            for lang in names {
                let found = h.syntax_index(lang).map(|i| h.syntaxes().syntaxes()[i].name.as_str());
                assert!(found.is_some_and(|name| name.starts_with(grammar)), "{lang}: {found:?}");
                let html = h.code_block(lang, code);
                assert!(html.starts_with(&format!("<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">")), "{html}");
                assert!(html.matches("<span class=\"hl-").count() >= 2, "{lang} has styled tokens: {html}");
            }
        }
    }
}
