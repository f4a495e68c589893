//! Writes the embedded theme's syntax stylesheets from syntect's bundled themes:
//! `cargo run --example syntax_css` (after a syntect or two-face upgrade). The test
//! `shipped_syntax_css_matches_syntect_themes` only compares; regenerating is this deliberate step,
//! never a mode of the test.

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/handbook/static/css");
    for (file, theme, background) in handbook::render::SYNTAX_STYLESHEETS {
        let css = handbook::render::syntax_stylesheet(theme, background).expect("a bundled syntect theme");
        std::fs::write(root.join(file), css).expect("the stylesheet is writable");
        println!("wrote {file} from `{theme}`");
    }
}
