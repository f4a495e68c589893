//! Render stage: syntax highlighting with syntect, as CSS classes (`hl-` prefix) so a light and
//! a dark stylesheet can share the markup. The syntax set loads once, and only when a page has a
//! fenced code block with a language.

use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Owned by one build and shared by reference across render threads.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// The `<pre>` block for `code`; plain escaped text for an unknown or missing language.
    pub fn code_block(&self, lang: &str, code: &str) -> String {
        let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
        let body = if lang.is_empty() { None } else { self.highlight(lang, code) };
        let lang_attr = crate::html::escape(lang);
        match body {
            Some(html) => {
                format!("<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{html}</code></pre>\n")
            }
            None if lang.is_empty() => format!("<pre class=\"code\"><code>{}</code></pre>\n", crate::html::escape(code)),
            None => format!(
                "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{}</code></pre>\n",
                crate::html::escape(code)
            ),
        }
    }

    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes();
        let syntax = syntaxes.find_syntax_by_token(lang).or_else(|| syntaxes.find_syntax_by_token(alias(lang)))?;
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
    }
}

/// Names authors use that syntect's default set knows under another token.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "console" | "bash" | "zsh" | "sh" => "bash",
        "yml" => "yaml",
        "golang" => "go",
        "ts" | "typescript" | "tsx" => "js",
        "toml" | "ini" | "dotenv" => "ini",
        "dockerfile" | "docker" => "bash",
        _ => lang,
    }
}

/// The stylesheet for one of syntect's bundled themes (used to generate the theme's CSS files).
pub fn theme_css(theme: &str) -> Option<String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    syntect::html::css_for_theme_with_class_style(themes.themes.get(theme)?, CLASS_STYLE).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_classes() {
        let h = Highlighter::default();
        let html = h.code_block("rust", "fn main() {}\n");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">"), "{html}");
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(h.code_block("shell", "echo hi\n").contains("hl-"));
    }

    #[test]
    fn unknown_and_missing_languages_are_escaped_text() {
        let h = Highlighter::default();
        assert_eq!(h.code_block("", "<b>\n"), "<pre class=\"code\"><code>&lt;b&gt;\n</code></pre>\n");
        assert!(h.syntaxes.get().is_none(), "a block without a language must not load the syntax set");
        assert!(h.code_block("nolang", "x").contains("language-nolang\">x</code>"));
    }
}
