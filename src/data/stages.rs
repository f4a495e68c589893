//! Data stage: `stages.yml` in the company website's format, reduced to what counterparts need.
//!
//! Only `sections.*.name`, `stages.*.display_name`, `stages.*.section`, `stages.*.groups.*.name` and
//! `stages.*.groups.*.appsec_engineer` are read; every other field is ignored whatever its type.
//! Sections, stages and groups come out sorted by key, so output never depends on file order.

use std::path::Path;

use serde_json::{Map, Value};

use super::yaml::{self, child, get, Reader, Step};
use crate::diagnostics::Diagnostic;

/// The parsed file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stages {
    /// The `sections:` map, sorted by key (empty when the file has none).
    pub sections: Vec<Section>,
    /// Whether the file has a `sections:` map, so stages must name one of its keys.
    pub sections_given: bool,
    /// Sorted by key.
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub key: String,
    /// `name`, or the key when there is none.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub key: String,
    /// `display_name`, or the key when there is none.
    pub display_name: String,
    pub section: Option<String>,
    /// Sorted by key.
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    /// `name`, or the key when there is none.
    pub name: String,
    pub appsec: Assignment,
}

/// What a group's `appsec_engineer` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// One or more names (a `TBD` beside real names is dropped).
    Engineers(Vec<Engineer>),
    /// Only `TBD` (any case): a known gap.
    Tbd,
    /// Absent, empty, null or `[]`.
    Missing,
}

impl Assignment {
    /// A group without an engineer is a gap (counted, never an error).
    pub fn is_gap(&self) -> bool {
        !matches!(self, Assignment::Engineers(_))
    }
}

/// One name from `appsec_engineer`, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engineer {
    pub name: String,
    /// Its position when `appsec_engineer` is a list, to point diagnostics at it.
    pub index: Option<usize>,
}

/// Parses `text` (the contents of `file`, a display path such as `data/stages.yml`). Returns `None`
/// when the file cannot be used at all; otherwise the stages that could be read, beside diagnostics
/// for the rest.
pub fn parse_stages(file: &Path, text: &str) -> (Option<Stages>, Vec<Diagnostic>) {
    let loaded = match yaml::load_checked(file, text) {
        Ok(loaded) => loaded,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let mut reader = Reader::new(file, text, &loaded.duplicates);
    let stages = read_root(&mut reader, &loaded.value);
    let mut diagnostics = reader.diagnostics;
    super::locate_all(&mut diagnostics, text);
    (stages, diagnostics)
}

fn read_root(r: &mut Reader, root: &Value) -> Option<Stages> {
    let Value::Object(root) = root else {
        r.type_error(&[], "a mapping with a `stages:` key", root);
        return None;
    };
    let Some(stages_value) = get(root, "stages") else {
        let message = "no `stages:` mapping: this is not a stages.yml file";
        r.diagnostics.push(Diagnostic::error("data-type", r.file, message));
        return None;
    };
    let sections_value = get(root, "sections");
    let sections_path = yaml::keys(&["sections"]);
    let sections = r.map(&sections_path, sections_value).map(|map| read_sections(r, map)).unwrap_or_default();
    let stages_path = yaml::keys(&["stages"]);
    let stages = r.map(&stages_path, Some(stages_value)).map(|map| read_stages(r, map)).unwrap_or_default();
    let parsed = Stages { sections, sections_given: matches!(sections_value, Some(Value::Object(_))), stages };
    check_sections(r, &parsed);
    Some(parsed)
}

fn read_sections(r: &mut Reader, map: &Map<String, Value>) -> Vec<Section> {
    let mut sections: Vec<Section> = map
        .iter()
        .map(|(key, value)| Section { key: key.clone(), name: section_name(r, key, value).unwrap_or_else(|| key.clone()) })
        .collect();
    sections.sort_by(|a, b| a.key.cmp(&b.key));
    sections
}

/// `dev: {name: Dev}`, or the shorthand `dev: Dev`.
fn section_name(r: &mut Reader, key: &str, value: &Value) -> Option<String> {
    let path = yaml::keys(&["sections", key]);
    match value {
        Value::Object(fields) => r.text(&child(&path, "name"), get(fields, "name")),
        Value::Null => None,
        other => r.text(&path, Some(other)),
    }
}

fn read_stages(r: &mut Reader, map: &Map<String, Value>) -> Vec<Stage> {
    let mut stages: Vec<Stage> = map.iter().map(|(key, value)| read_stage(r, key, value)).collect();
    // Sorted explicitly: `serde_json::Map` keeps insertion order if any crate in the build turns on
    // its `preserve_order` feature.
    stages.sort_by(|a, b| a.key.cmp(&b.key));
    stages
}

fn read_stage(r: &mut Reader, key: &str, value: &Value) -> Stage {
    let path = yaml::keys(&["stages", key]);
    let empty = Map::new();
    let fields = r.map(&path, Some(value)).unwrap_or(&empty);
    let display_name = r.text(&child(&path, "display_name"), get(fields, "display_name"));
    let section = r.text(&child(&path, "section"), get(fields, "section"));
    let groups_path = child(&path, "groups");
    let groups = r.map(&groups_path, get(fields, "groups")).map(|groups| read_groups(r, key, groups)).unwrap_or_default();
    Stage {
        key: key.to_owned(),
        display_name: non_blank(display_name).unwrap_or_else(|| key.to_owned()),
        section: non_blank(section),
        groups,
    }
}

fn read_groups(r: &mut Reader, stage: &str, map: &Map<String, Value>) -> Vec<Group> {
    let mut groups: Vec<Group> = map.iter().map(|(key, value)| read_group(r, stage, key, value)).collect();
    groups.sort_by(|a, b| a.key.cmp(&b.key));
    groups
}

fn read_group(r: &mut Reader, stage: &str, key: &str, value: &Value) -> Group {
    let path = yaml::keys(&["stages", stage, "groups", key]);
    let empty = Map::new();
    let fields = r.map(&path, Some(value)).unwrap_or(&empty);
    let name = r.text(&child(&path, "name"), get(fields, "name"));
    let appsec_path = child(&path, "appsec_engineer");
    Group {
        key: key.to_owned(),
        name: non_blank(name).unwrap_or_else(|| key.to_owned()),
        appsec: read_assignment(r, &appsec_path, get(fields, "appsec_engineer")),
    }
}

/// `appsec_engineer`: a name, a list of names, `TBD`, empty, `[]` or absent.
fn read_assignment(r: &mut Reader, path: &[Step], value: Option<&Value>) -> Assignment {
    let names = match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let mut item_path = path.to_vec();
                item_path.push(Step::Index(i));
                scalar_name(r, &item_path, item).map(|name| (name, Some(i)))
            })
            .collect(),
        Some(other) => scalar_name(r, path, other).map(|name| (name, None)).into_iter().collect(),
    };
    assignment(names)
}

fn scalar_name(r: &mut Reader, path: &[Step], value: &Value) -> Option<String> {
    if matches!(value, Value::Array(_) | Value::Object(_)) {
        r.type_error(path, "a name or a list of names", value);
        return None;
    }
    non_blank(r.text(path, Some(value)))
}

fn assignment(names: Vec<(String, Option<usize>)>) -> Assignment {
    let saw_tbd = names.iter().any(|(name, _)| is_tbd(name));
    let engineers: Vec<Engineer> =
        names.into_iter().filter(|(name, _)| !is_tbd(name)).map(|(name, index)| Engineer { name, index }).collect();
    match (engineers.is_empty(), saw_tbd) {
        (false, _) => Assignment::Engineers(engineers),
        (true, true) => Assignment::Tbd,
        (true, false) => Assignment::Missing,
    }
}

fn is_tbd(name: &str) -> bool {
    name.eq_ignore_ascii_case("tbd")
}

fn non_blank(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// When `sections:` is given, every stage's `section` must be one of its keys.
fn check_sections(r: &mut Reader, stages: &Stages) {
    if !stages.sections_given {
        return;
    }
    let known: Vec<&str> = stages.sections.iter().map(|s| s.key.as_str()).collect();
    for stage in &stages.stages {
        let Some(section) = &stage.section else {
            continue;
        };
        if known.contains(&section.as_str()) {
            continue;
        }
        let message = format!("stage `{}` is in section `{section}`, which `sections:` does not list", stage.key);
        let mut diagnostic = Diagnostic::error("unknown-section", r.file, message)
            .with_target(section.clone())
            .with_label("not a key of `sections:`")
            .with_note(format!("known sections: {}", known.join(", ")));
        if let Some(span) = r.span(&yaml::keys(&["stages", &stage.key, "section"])) {
            diagnostic = diagnostic.with_span(span);
        }
        r.diagnostics.push(diagnostic);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostics::LineIndex;
    use std::time::{Duration, Instant};

    fn parse(text: &str) -> (Option<Stages>, Vec<Diagnostic>) {
        parse_stages(Path::new("data/stages.yml"), text)
    }

    fn parse_ok(text: &str) -> Stages {
        let (stages, diagnostics) = parse(text);
        assert_eq!(diagnostics, vec![], "no diagnostics expected");
        stages.expect("parses")
    }

    /// (code, line, column, spanned text, message) of each diagnostic.
    fn located<'t>(text: &'t str, diagnostics: &[Diagnostic]) -> Vec<(&'static str, usize, usize, &'t str, String)> {
        let index = LineIndex::new(text);
        diagnostics
            .iter()
            .map(|d| {
                let span = d.span.expect("diagnostic has a span");
                let (line, col) = index.line_col(text, span.start);
                (d.code, line, col, &text[span.start..span.end], d.message.clone())
            })
            .collect()
    }

    fn group<'s>(stages: &'s Stages, stage: &str, group: &str) -> &'s Group {
        let stage = stages.stages.iter().find(|s| s.key == stage).unwrap();
        stage.groups.iter().find(|g| g.key == group).unwrap()
    }

    fn names(assignment: &Assignment) -> Vec<&str> {
        match assignment {
            Assignment::Engineers(list) => list.iter().map(|e| e.name.as_str()).collect(),
            _ => vec![],
        }
    }

    const SHAPES: &str = r#"
stages:
  manage:
    display_name: "Manage"
    section: dev
    groups:
      single: {name: Single, appsec_engineer: Jane Doe}
      list:
        name: List
        appsec_engineer: [Jane Doe, "  John Roe  ", TBD]
      tbd: {name: Tbd, appsec_engineer: tbd}
      empty:
        name: Empty
        appsec_engineer:
      brackets: {name: Brackets, appsec_engineer: []}
      absent: {name: Absent}
      blank: {name: Blank, appsec_engineer: "  "}
"#;

    #[test]
    fn reads_every_shape_of_appsec_engineer() {
        let stages = parse_ok(SHAPES);
        assert_eq!(names(&group(&stages, "manage", "single").appsec), ["Jane Doe"]);
        assert_eq!(names(&group(&stages, "manage", "list").appsec), ["Jane Doe", "John Roe"]);
        assert_eq!(group(&stages, "manage", "tbd").appsec, Assignment::Tbd);
        for missing in ["empty", "brackets", "absent", "blank"] {
            assert_eq!(group(&stages, "manage", missing).appsec, Assignment::Missing, "{missing}");
        }
        let list = &group(&stages, "manage", "list").appsec;
        let Assignment::Engineers(list) = list else { panic!() };
        assert_eq!(list[1].index, Some(1));
    }

    #[test]
    fn sorts_stages_and_groups_by_key_and_defaults_names_to_keys() {
        let stages = parse_ok(SHAPES);
        let keys: Vec<_> = stages.stages[0].groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["absent", "blank", "brackets", "empty", "list", "single", "tbd"]);
        let stages = parse_ok("stages:\n  zeta: {}\n  alpha:\n    groups:\n      g: {}\n");
        assert_eq!(stages.stages[0].key, "alpha");
        assert_eq!(stages.stages[0].display_name, "alpha");
        assert_eq!(stages.stages[0].groups[0].name, "g");
        assert_eq!(stages.stages[1].groups, vec![]);
        assert!(!stages.sections_given);
    }

    #[test]
    fn follows_anchors_aliases_and_merge_keys() {
        let text = r#"
defaults: &defaults
  appsec_engineer: &jane Jane Doe
stages:
  create:
    display_name: &create Create
    groups:
      code_review:
        name: *create
        appsec_engineer: *jane
      source_code:
        <<: *defaults
        name: Source Code
      editor:
        <<: *defaults
        appsec_engineer: Ann Other
"#;
        let stages = parse_ok(text);
        assert_eq!(group(&stages, "create", "code_review").name, "Create");
        assert_eq!(names(&group(&stages, "create", "code_review").appsec), ["Jane Doe"]);
        assert_eq!(names(&group(&stages, "create", "source_code").appsec), ["Jane Doe"]);
        assert_eq!(names(&group(&stages, "create", "editor").appsec), ["Ann Other"]);
    }

    #[test]
    fn reads_multi_line_strings_and_ignores_unknown_fields_of_any_type() {
        let text = r#"
stages:
  plan:
    display_name: "Plan
      and Track"
    body: |
      Long text: with colons
      appsec_engineer: not this one
    related: [create, verify]
    lifecycle: 5
    weird: {nested: [1, {deeper: true}]}
    section: >-
      dev
    groups:
      project_management:
        name: >
          Project
          Management
        pm: [a, b]
        support: []
        internal_customers:
          - department: Security
            dri: TBD
        appsec_engineer: |
          Jane Doe
"#;
        let stages = parse_ok(text);
        let plan = &stages.stages[0];
        assert_eq!(plan.display_name, "Plan and Track");
        assert_eq!(plan.section.as_deref(), Some("dev"));
        let pm = &plan.groups[0];
        assert_eq!(pm.name, "Project Management");
        assert_eq!(names(&pm.appsec), ["Jane Doe"]);
    }

    #[test]
    fn reads_sections_with_names_or_keys() {
        let text = "sections:\n  sec: {name: Sec}\n  dev:\n    name: Dev\n  ops: Ops\n  core:\n\
                    stages:\n  a: {section: dev}\n";
        let stages = parse_ok(text);
        let names: Vec<_> = stages.sections.iter().map(|s| (s.key.as_str(), s.name.as_str())).collect();
        assert_eq!(names, [("core", "core"), ("dev", "Dev"), ("ops", "Ops"), ("sec", "Sec")]);
        assert!(stages.sections_given);
    }

    #[test]
    fn reports_wrong_types_at_the_value_and_keeps_the_rest() {
        let text = "stages:\n  manage:\n    display_name: [a, b]\n    groups:\n      g1:\n        \
                    appsec_engineer: {x: 1}\n      g2:\n        appsec_engineer: [Jane, [Nested]]\n  \
                    plan:\n    groups: 3\n";
        let (stages, diagnostics) = parse(text);
        let found = located(text, &diagnostics);
        assert_eq!(
            found,
            vec![
                ("data-type", 3, 19, "[a, b]", "`stages.manage.display_name` must be a string, found a list".to_owned()),
                (
                    "data-type",
                    6,
                    26,
                    "{x: 1}",
                    "`stages.manage.groups.g1.appsec_engineer` must be a name or a list of names, \
                     found a mapping"
                        .to_owned()
                ),
                (
                    "data-type",
                    8,
                    33,
                    "[Nested]",
                    "`stages.manage.groups.g2.appsec_engineer[1]` must be a name or a list of names, \
                     found a list"
                        .to_owned()
                ),
                ("data-type", 10, 13, "3", "`stages.plan.groups` must be a mapping, found a number".to_owned()),
            ]
        );
        let stages = stages.expect("the rest is kept");
        assert_eq!(stages.stages[0].display_name, "manage");
        assert_eq!(names(&group(&stages, "manage", "g2").appsec), ["Jane"]);
        assert!(diagnostics.iter().all(Diagnostic::is_error));
    }

    #[test]
    fn a_merged_value_of_the_wrong_type_points_at_its_group() {
        let text = "x: &x {appsec_engineer: {a: 1}}\nstages:\n  s:\n    groups:\n      g:\n        <<: *x\n";
        let (_, diagnostics) = parse(text);
        let found = located(text, &diagnostics);
        assert_eq!((found[0].1, found[0].2, found[0].3), (5, 7, "g"));
    }

    #[test]
    fn reports_duplicate_stage_and_group_keys_at_the_repeat() {
        let text = "stages:\n  manage:\n    groups:\n      a: {name: A}\n      b: {}\n      a: {name: A2}\n\
                    \x20 plan: {}\n  manage: {display_name: Again}\n";
        let (stages, diagnostics) = parse(text);
        let found = located(text, &diagnostics);
        assert_eq!(
            found,
            vec![
                ("duplicate-key", 6, 7, "a", "duplicate key `a` in `stages.manage.groups`".to_owned()),
                ("duplicate-key", 8, 3, "manage", "duplicate key `manage` in `stages`".to_owned()),
            ]
        );
        assert_eq!(diagnostics[0].notes, ["`a` is first defined at line 4"]);
        assert_eq!(diagnostics[1].notes, ["`manage` is first defined at line 2"]);
        let stages = stages.unwrap();
        assert_eq!(group(&stages, "manage", "a").name, "A", "the first definition is kept");
        assert_eq!(stages.stages.len(), 2);
    }

    #[test]
    fn reports_a_stage_in_an_unknown_section() {
        let text = "sections:\n  dev: {name: Dev}\n  sec: {name: Sec}\nstages:\n  manage:\n    section: dev\n  \
                    plan:\n    section: devv # typo\n  nowhere: {}\n";
        let (stages, diagnostics) = parse(text);
        let found = located(text, &diagnostics);
        assert_eq!(
            found,
            vec![("unknown-section", 8, 14, "devv", "stage `plan` is in section `devv`, which `sections:` does not list".to_owned())]
        );
        assert_eq!(diagnostics[0].notes, ["known sections: dev, sec"]);
        assert!(stages.is_some());
        // Without `sections:`, any section key is fine.
        parse_ok("stages:\n  plan:\n    section: devv\n");
    }

    #[test]
    fn reports_yaml_syntax_errors_with_their_line() {
        let text = "stages:\n  manage:\n    display_name: \"Manage\n  plan: {}\n";
        let (stages, diagnostics) = parse(text);
        assert!(stages.is_none());
        assert_eq!(diagnostics.len(), 1);
        let d = &diagnostics[0];
        assert_eq!(d.code, "yaml-syntax");
        assert!(d.message.contains("quoted scalar"), "{}", d.message);
        let (line, col) = LineIndex::new(text).line_col(text, d.span.unwrap().start);
        assert_eq!((line, col), (5, 1));

        let text = "stages:\n  manage:\n    a: 1\n   b: 2\n";
        let (_, diagnostics) = parse(text);
        let found = located(text, &diagnostics);
        assert_eq!((found[0].0, found[0].1, found[0].2), ("yaml-syntax", 4, 4));
        assert_eq!(found[0].4, "invalid YAML: did not find expected key, while parsing a block mapping at line 2 column 3");
        assert_eq!(diagnostics[0].line_col(), (4, 4), "location is filled in");
    }

    #[test]
    fn rejects_files_that_are_not_stages_files() {
        let (stages, diagnostics) = parse("- a\n- b\n");
        assert!(stages.is_none());
        assert_eq!(diagnostics[0].message, "the top level must be a mapping with a `stages:` key, found a list");
        let (stages, diagnostics) = parse("sections: {}\n");
        assert!(stages.is_none());
        assert_eq!(diagnostics[0].code, "data-type");
        let (stages, diagnostics) = parse("");
        assert!(stages.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(parse_ok("stages:\n").stages, vec![]);
    }

    #[test]
    fn refuses_an_alias_bomb_quickly() {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in b'b'..=b'k' {
            let prev = (level - 1) as char;
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("{}: &{} [{refs}]\n", level as char, level as char));
        }
        text.push_str("stages: {}\n");
        let started = Instant::now();
        let (stages, diagnostics) = parse(&text);
        let took = started.elapsed();
        assert!(stages.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "data-alias-bomb");
        assert!(diagnostics[0].message.contains("alias bomb"), "{}", diagnostics[0].message);
        assert!(took < Duration::from_millis(500), "took {took:?}");
    }

    #[test]
    fn refuses_a_wide_alias_bomb_under_the_crates_repetition_limit() {
        // 2,000 references to a 2,000-item list: too few jumps for serde_yaml_ng's own limit, but
        // four million nodes; our budget stops it.
        let items = vec!["x"; 2000].join(", ");
        let refs = vec!["*a"; 2000].join(", ");
        let text = format!("a: &a [{items}]\nb: [{refs}]\nstages: {{}}\n");
        let started = Instant::now();
        let (_, diagnostics) = parse(&text);
        assert_eq!(diagnostics[0].code, "data-alias-bomb");
        assert!(started.elapsed() < Duration::from_millis(500), "took {:?}", started.elapsed());
    }

    #[test]
    fn refuses_files_over_the_size_limit_without_parsing() {
        let text = format!("stages: {{}}\n#{}\n", "x".repeat(super::super::MAX_DATA_FILE_BYTES));
        let (stages, diagnostics) = parse(&text);
        assert!(stages.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "data-too-large");
        assert_eq!(diagnostics[0].span, None);
        assert!(diagnostics[0].message.contains("2 MiB"), "{}", diagnostics[0].message);
    }

    #[test]
    fn parses_a_generated_100_kb_file_with_correct_counts() {
        let text = generated_stages(20, 6);
        assert!(text.len() > 90_000, "{} bytes", text.len());
        let stages = parse_ok(&text);
        assert_eq!(stages.stages.len(), 20);
        assert!(stages.stages.iter().all(|s| s.groups.len() == 6));
        let gaps = stages.stages.iter().flat_map(|s| &s.groups).filter(|g| g.appsec.is_gap()).count();
        assert_eq!(gaps, 20 * 6 / 4, "every fourth group is a gap");
        assert_eq!(stages.sections.len(), 4);
    }

    /// A stages.yml like the real one: `stages` × `groups` with ~20 other fields each, anchors,
    /// block and folded strings, lists, and every shape of `appsec_engineer`.
    pub(crate) fn generated_stages(stages: usize, groups: usize) -> String {
        let mut out = String::from("sections:\n");
        for s in ["dev", "ops", "sec", "core"] {
            out.push_str(&format!("  {s}:\n    name: \"{}\"\n    direction: /direction/{s}/\n", s.to_uppercase()));
        }
        out.push_str("stages:\n");
        for s in 0..stages {
            out.push_str(&format!(
                "  stage_{s:02}:\n    display_name: \"Stage {s:02}\"\n    section: {}\n    marketing: true\n    \
                 tw: false\n    image: \"/images/solutions/stage-{s}.png\"\n    description: \"Gain visibility\n      \
                 and insight into stage {s}.\"\n    body: |\n      GitLab helps teams manage and optimize their software \
                 delivery lifecycle.\n      Second line: with a colon.\n    direction: /direction/{s}/\n    lifecycle: {}\n    \
                 usage_driver_score: 5\n    related: [create, verify, \"package\"]\n    pm: &pm{s} Product Manager {s}\n    \
                 groups:\n",
                ["dev", "ops", "sec", "core"][s % 4],
                s % 7
            ));
            for g in 0..groups {
                let n = s * groups + g;
                let appsec = match n % 4 {
                    0 => "TBD".to_owned(),
                    1 => format!("Engineer {}", n % 9),
                    2 => format!("[Engineer {}, Engineer {}]", n % 9, (n + 1) % 9),
                    _ => format!("\n          - Engineer {}", n % 5),
                };
                out.push_str(&format!(
                    "      group_{g}:\n        name: Group {s}.{g}\n        pm: *pm{s}\n        pmm: Marketing {g}\n        \
                     cm: Content {g}\n        backend_engineering_manager: Manager {g}\n        \
                     frontend_engineering_manager: Manager {g}\n        be_team_tag: \"Stage {s}:Group {g} BE Team\"\n        \
                     fe_team_tag: \"Stage {s}:Group {g} FE Team\"\n        support: []\n        sets:\n          - Quality {g}\n        \
                     pdm:\n          - Design {g}\n        ux: [Designer {g}, Designer {}]\n        uxr: Researcher {g}\n        \
                     tech_writer: Writer {g}\n        appsec_engineer: {appsec}\n        cs_team_tag: Group {g} CS Stable Counterpart\n        \
                     internal_customers:\n          - department: Security Department\n            dri: TBD\n          \
                     - department: Product Department\n            dri: TBD\n        categories:\n          - category_{s}_{g}_a\n          \
                     - category_{s}_{g}_b\n        usage_driver_score: 5\n        asp_driver_score: 4\n        sam_driver_score: 1\n        \
                     group_link: product/categories/#group-{s}-{g}\n        \
                     description: >\n          A folded description\n          of group {g}.\n",
                    g + 1
                ));
            }
        }
        out
    }
}
