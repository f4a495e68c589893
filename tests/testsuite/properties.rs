//! Property tests (issue 17): arbitrary input to the front-matter splitter, the shortcode parser
//! and the link and output-path normalisers never panics or overflows the stack, and every output
//! path stays under the output folder. `cargo test` runs 2,000 cases of each;
//! `scripts/proptest.sh` runs many more.

use handbook::content::front_matter::split;
use handbook::safe_path::{check_url_path, checked_join};
use handbook::shortcodes::parse::{parse, MAX_NESTING};
use proptest::prelude::*;
use std::path::{Component, Path};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text made mostly of the pieces that matter to the parser under test, so the cases reach its
/// corners rather than plain prose.
fn pieces(alphabet: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![3 => prop::sample::select(alphabet).prop_map(str::to_string), 1 => "\\PC{0,3}"], 0..max)
        .prop_map(|parts| parts.concat())
}

const FRONT_MATTER: &[&str] = &["---", "+++", "...", "\n", "\r\n", "\r", "\u{feff}", "title: x", "url: ../a", " ", "#"];
const SHORTCODES: &[&str] =
    &["{{<", ">}}", "{{%", "%}}", "/", "{{</*", "*/>}}", "\"", "`", "\\", "\n", " ", "details", "ref", "x", "=", "a=\"b\"", "/details"];
const PATHS: &[&str] = &["/", "..", ".", "a", "b.md", "\\", "\0", "\n", " ", "%2e", "//", "#", "?", "ü"];

/// The component list of a path under `dir`, if every part after it is a plain name.
fn strictly_under(dir: &Path, path: &Path) -> bool {
    path.strip_prefix(dir).is_ok_and(|rest| rest.components().count() > 0 && rest.components().all(|c| matches!(c, Component::Normal(_))))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn front_matter_split_never_panics_and_stays_in_the_text(text in pieces(FRONT_MATTER, 40)) {
        match split(&text) {
            Ok(s) => {
                prop_assert!(s.matter.start <= s.matter.end && s.matter.end <= s.body_start && s.body_start <= text.len());
                prop_assert!(text.is_char_boundary(s.body_start));
            }
            Err(span) => prop_assert!(span.end <= text.len()),
        }
    }

    #[test]
    fn front_matter_parse_never_panics(text in pieces(&["---\n", "title: ", "aliases: ", "[", "]", "{", "}", "\"", "'", "\n", "- ", "date: 2024-02-30", "url: /a/../b", "  "], 60)) {
        let _ = handbook::content::load_page("p.md", text);
    }

    #[test]
    fn shortcode_parser_never_panics_and_limits_nesting(text in pieces(SHORTCODES, 80), depth in 0usize..200) {
        let nested = format!("{}{text}{}", "{{% details %}}".repeat(depth), "{{% /details %}}".repeat(depth));
        for src in [text.as_str(), nested.as_str()] {
            let has_body = |name: &str| name == "details";
            if let Ok(nodes) = parse(src, 0, &has_body) {
                prop_assert!(depth_of(&nodes) <= MAX_NESTING);
            }
        }
    }

    #[test]
    fn link_join_never_climbs_out_or_keeps_dot_segments(base in pieces(PATHS, 8), path in pieces(PATHS, 12)) {
        let base = if base.is_empty() || base.ends_with('/') { base } else { format!("{base}/") };
        if let Some(joined) = handbook::links::paths::join(&base, &path) {
            prop_assert!(joined.split('/').all(|s| s != ".." && s != "."), "{joined}");
        }
    }

    #[test]
    fn checked_output_paths_stay_under_the_output(rel in pieces(PATHS, 12)) {
        let dir = Path::new("/out/site");
        if let Ok(path) = checked_join(dir, &rel) {
            prop_assert!(strictly_under(dir, &path), "{rel:?} → {}", path.display());
            prop_assert!(!path.to_string_lossy().contains('\\'));
        }
    }

    #[test]
    fn a_page_that_loads_has_a_url_that_stays_under_the_output(url in pieces(PATHS, 10), slug in pieces(PATHS, 4)) {
        let text = format!("---\nurl: {}\nslug: {}\n---\n", serde_json::to_string(&url).unwrap(), serde_json::to_string(&slug).unwrap());
        if let (Some(page), _) = handbook::content::load_page("dir/p.md", text) {
            prop_assert!(check_url_path(&page.url).is_ok(), "{:?}", page.url);
            let file = checked_join(Path::new("/out"), &format!("{}index.html", page.url));
            prop_assert!(file.is_ok_and(|f| strictly_under(Path::new("/out"), &f)), "{:?}", page.url);
        }
    }
}

fn depth_of(nodes: &[handbook::shortcodes::parse::Node]) -> usize {
    use handbook::shortcodes::parse::Node;
    nodes
        .iter()
        .map(|n| match n {
            Node::Call(call) => call.body.as_ref().map_or(0, |b| 1 + depth_of(&b.nodes)),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}
