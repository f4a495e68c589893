//! Data stage: the stable-counterparts model (sections → stages → groups → engineers), its
//! per-engineer view and filters, and `counterparts.json`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::name_key;
use super::stages::{Assignment, Engineer, Stage, Stages};
use super::team::{Team, TeamMember};
use super::yaml::{self, Reader, Step};
use crate::diagnostics::Diagnostic;

/// Section of the stages whose `section` is missing or blank.
const OTHER_SECTION: (&str, &str) = ("other", "Other");

/// Everything the counterparts shortcode and `counterparts.json` show. Sections, stages and groups
/// are sorted by key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Counterparts {
    pub sections: Vec<SectionRow>,
    /// Groups without an engineer (none named, or only `TBD`).
    pub gaps: usize,
    /// Team details of the engineers named, by [`name_key`]; rendered, but written to JSON only in
    /// the engineer view.
    #[serde(skip)]
    pub team: BTreeMap<String, TeamMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionRow {
    pub key: String,
    pub name: String,
    pub stages: Vec<StageRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageRow {
    pub key: String,
    pub name: String,
    pub groups: Vec<GroupRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRow {
    pub key: String,
    pub name: String,
    /// As written in `stages.yml` (trimmed), without `TBD`.
    pub engineers: Vec<String>,
    pub gap: bool,
    /// The gap is a written `TBD` rather than no entry at all.
    pub tbd: bool,
}

/// One engineer and everything they cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineerRow {
    /// The team file's spelling when known, else the first spelling in `stages.yml`.
    pub name: String,
    pub team: Option<TeamMember>,
    /// Stage names, in table order, each once.
    pub stages: Vec<String>,
    /// (stage name, group name), in table order.
    pub groups: Vec<(String, String)>,
    /// Number of groups.
    pub count: usize,
}

/// `stage=` / `section=` of the shortcode: a key or a name, case ignored. Blank means no filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub stage: Option<String>,
    pub section: Option<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        wanted(&self.stage).is_none() && wanted(&self.section).is_none()
    }
}

fn wanted(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_lowercase)
}

fn matches(wanted: &Option<String>, key: &str, name: &str) -> bool {
    wanted.as_ref().is_none_or(|w| key.to_lowercase() == *w || name.to_lowercase() == *w)
}

/// Builds the model. With a team file, each engineer it does not list is reported once
/// (`unknown-engineer`, a warning) at their first mention in `stages_text`.
pub fn build_counterparts(stages: &Stages, team: Option<&Team>, stages_file: &Path, stages_text: &str) -> (Counterparts, Vec<Diagnostic>) {
    let mut sections: BTreeMap<String, SectionRow> = BTreeMap::new();
    for stage in &stages.stages {
        let (key, name) = section_of(stages, stage);
        sections.entry(key.clone()).or_insert_with(|| SectionRow { key, name, stages: Vec::new() }).stages.push(stage_row(stage));
    }
    let sections: Vec<SectionRow> = sections.into_values().collect();
    let counterparts = Counterparts { gaps: count_gaps(&sections), team: known_members(stages, team), sections };
    let mut diagnostics = team.map_or_else(Vec::new, |team| unknown_engineers(stages, team, stages_file, stages_text));
    super::locate_all(&mut diagnostics, stages_text);
    (counterparts, diagnostics)
}

fn section_of(stages: &Stages, stage: &Stage) -> (String, String) {
    let Some(key) = &stage.section else {
        return (OTHER_SECTION.0.to_owned(), OTHER_SECTION.1.to_owned());
    };
    let name = stages.sections.iter().find(|s| &s.key == key).map_or_else(|| key.clone(), |s| s.name.clone());
    (key.clone(), name)
}

fn stage_row(stage: &Stage) -> StageRow {
    let groups = stage
        .groups
        .iter()
        .map(|group| GroupRow {
            key: group.key.clone(),
            name: group.name.clone(),
            engineers: engineers(&group.appsec).iter().map(|e| e.name.clone()).collect(),
            gap: group.appsec.is_gap(),
            tbd: group.appsec == Assignment::Tbd,
        })
        .collect();
    StageRow { key: stage.key.clone(), name: stage.display_name.clone(), groups }
}

fn engineers(assignment: &Assignment) -> &[Engineer] {
    match assignment {
        Assignment::Engineers(list) => list,
        Assignment::Tbd | Assignment::Missing => &[],
    }
}

fn count_gaps(sections: &[SectionRow]) -> usize {
    sections.iter().flat_map(|s| &s.stages).flat_map(|s| &s.groups).filter(|g| g.gap).count()
}

/// Every (stage, group, engineer) in sorted order.
fn mentions(stages: &Stages) -> impl Iterator<Item = (&Stage, &str, &Engineer)> {
    stages.stages.iter().flat_map(|stage| {
        stage
            .groups
            .iter()
            .flat_map(move |group| engineers(&group.appsec).iter().map(move |engineer| (stage, group.key.as_str(), engineer)))
    })
}

fn known_members(stages: &Stages, team: Option<&Team>) -> BTreeMap<String, TeamMember> {
    let Some(team) = team else {
        return BTreeMap::new();
    };
    mentions(stages)
        .filter_map(|(_, _, engineer)| team.get(&engineer.name))
        .map(|member| (name_key(&member.name), member.clone()))
        .collect()
}

fn unknown_engineers(stages: &Stages, team: &Team, file: &Path, text: &str) -> Vec<Diagnostic> {
    // First mention and number of mentions of each unknown name, in file-sorted order.
    let mut unknown: Vec<(String, (&Stage, &str, &Engineer), usize)> = Vec::new();
    for mention @ (_, _, engineer) in mentions(stages) {
        if team.get(&engineer.name).is_some() {
            continue;
        }
        let key = name_key(&engineer.name);
        match unknown.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, count)) => *count += 1,
            None => unknown.push((key, mention, 1)),
        }
    }
    let reader = Reader::new(file, text, &[]);
    unknown.into_iter().map(|(_, (stage, group, engineer), count)| unknown_engineer(&reader, stage, group, engineer, count)).collect()
}

fn unknown_engineer(reader: &Reader, stage: &Stage, group: &str, engineer: &Engineer, count: usize) -> Diagnostic {
    let message = format!("AppSec engineer `{}` (group `{group}` of stage `{}`) is not in the team file", engineer.name, stage.key);
    let mut diagnostic = Diagnostic::warning("unknown-engineer", reader.file, message)
        .with_target(engineer.name.clone())
        .with_label("not listed in the team file")
        .with_note("add them to the team file (or fix the spelling) to show their GitLab and Slack handles");
    if count > 1 {
        diagnostic = diagnostic.with_note(format!("named {} times in all", count));
    }
    let mut path = yaml::keys(&["stages", &stage.key, "groups", group, "appsec_engineer"]);
    path.extend(engineer.index.map(Step::Index));
    match reader.span(&path) {
        Some(span) => diagnostic.with_span(span),
        None => diagnostic,
    }
}

impl Counterparts {
    /// Only the stages that match `filter` (sections left empty are dropped), gaps recounted.
    pub fn filtered(&self, filter: &Filter) -> Counterparts {
        let (stage, section) = (wanted(&filter.stage), wanted(&filter.section));
        let sections: Vec<SectionRow> = self
            .sections
            .iter()
            .filter(|s| matches(&section, &s.key, &s.name))
            .map(|s| SectionRow { stages: s.stages.iter().filter(|st| matches(&stage, &st.key, &st.name)).cloned().collect(), ..s.clone() })
            .filter(|s| !s.stages.is_empty())
            .collect();
        Counterparts { gaps: count_gaps(&sections), team: self.team.clone(), sections }
    }

    /// One row per engineer, sorted by name (case ignored).
    pub fn by_engineer(&self) -> Vec<EngineerRow> {
        let mut rows: BTreeMap<String, EngineerRow> = BTreeMap::new();
        for stage in self.sections.iter().flat_map(|s| &s.stages) {
            for group in &stage.groups {
                for name in &group.engineers {
                    let row = rows.entry(name_key(name)).or_insert_with(|| self.new_row(name));
                    if !row.stages.contains(&stage.name) {
                        row.stages.push(stage.name.clone());
                    }
                    row.groups.push((stage.name.clone(), group.name.clone()));
                    row.count += 1;
                }
            }
        }
        rows.into_values().collect()
    }

    fn new_row(&self, name: &str) -> EngineerRow {
        let team = self.member(name).cloned();
        EngineerRow { name: team.as_ref().map_or(name, |m| &m.name).to_owned(), team, stages: Vec::new(), groups: Vec::new(), count: 0 }
    }

    /// Team details for a name as written in `stages.yml`.
    pub fn member(&self, name: &str) -> Option<&TeamMember> {
        self.team.get(&name_key(name))
    }

    /// `counterparts.json`: the sections, the gap count and the engineer view, pretty-printed.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            sections: &'a [SectionRow],
            gaps: usize,
            engineers: Vec<EngineerRow>,
        }
        let json = Json { sections: &self.sections, gaps: self.gaps, engineers: self.by_engineer() };
        serde_json::to_string_pretty(&json).expect("counterparts serialize to JSON") + "\n"
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::data::{parse_stages, parse_team};
    use crate::diagnostics::LineIndex;

    pub(crate) const STAGES: &str = r#"sections:
  dev: {name: Dev}
  sec: {name: "Sec & Compliance"}
stages:
  plan:
    display_name: Plan
    section: dev
    groups:
      project_management: {name: Project Management, appsec_engineer: jane doe}
      product_planning: {name: Product Planning, appsec_engineer: TBD}
  manage:
    display_name: Manage
    section: dev
    groups:
      import: {name: Import, appsec_engineer: [Jane Doe, Sam <Smith>]}
      foundations: {name: Foundations}
  secure:
    display_name: Secure
    section: sec
    groups:
      composition_analysis:
        name: Composition Analysis
        appsec_engineer: Sam <Smith>
  monitor:
    display_name: Monitor
    section: ops
    groups:
      observability: {name: Observability, appsec_engineer: Alex Unknown}
  orphan:
    display_name: Orphan
"#;

    pub(crate) const TEAM: &str = r#"- name: Jane Doe
  gitlab: jdoe
  slack: jane
  role: Staff Application Security Engineer
- name: Sam <Smith>
  role: Application Security Engineer
"#;

    pub(crate) fn sample() -> (Counterparts, Vec<Diagnostic>) {
        let file = Path::new("data/stages.yml");
        let (stages, mut diagnostics) = parse_stages(file, STAGES);
        let (team, team_diagnostics) = parse_team(Path::new("data/team.yml"), TEAM);
        diagnostics.extend(team_diagnostics);
        let (counterparts, more) = build_counterparts(&stages.unwrap(), team.as_ref(), file, STAGES);
        diagnostics.extend(more);
        (counterparts, diagnostics)
    }

    /// One line per section: `key=name: stage[group, ...] ...`.
    fn shape(c: &Counterparts) -> Vec<String> {
        c.sections
            .iter()
            .map(|s| {
                let stages: Vec<String> = s
                    .stages
                    .iter()
                    .map(|st| {
                        let groups: Vec<&str> = st.groups.iter().map(|g| g.key.as_str()).collect();
                        format!("{}[{}]", st.key, groups.join(", "))
                    })
                    .collect();
                format!("{}={}: {}", s.key, s.name, stages.join(" "))
            })
            .collect()
    }

    #[test]
    fn groups_stages_by_section_in_key_order() {
        let (c, _) = sample();
        assert_eq!(
            shape(&c),
            [
                "dev=Dev: manage[foundations, import] plan[product_planning, project_management]",
                "ops=ops: monitor[observability]",
                "other=Other: orphan[]",
                "sec=Sec & Compliance: secure[composition_analysis]",
            ]
        );
    }

    #[test]
    fn counts_gaps_and_keeps_tbd_apart() {
        let (c, _) = sample();
        assert_eq!(c.gaps, 2);
        let dev = &c.sections[0];
        let foundations = &dev.stages[0].groups[0];
        assert!(foundations.gap && !foundations.tbd);
        let planning = &dev.stages[1].groups[0];
        assert!(planning.gap && planning.tbd);
        assert!(planning.engineers.is_empty());
    }

    #[test]
    fn warns_once_per_engineer_missing_from_the_team() {
        let (_, diagnostics) = sample();
        let codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
        // `ops` is not in `sections:`: an error, yet its stages still show, under the key.
        assert_eq!(codes, ["unknown-section", "unknown-engineer"]);
        let d = &diagnostics[1];
        assert_eq!(d.code, "unknown-engineer");
        assert!(!d.is_error());
        assert_eq!(
            d.message,
            "AppSec engineer `Alex Unknown` (group `observability` of stage `monitor`) is not in \
             the team file"
        );
        let span = d.span.unwrap();
        let (line, col) = LineIndex::new(STAGES).line_col(STAGES, span.start);
        assert_eq!((line, col), (28, 61));
        assert_eq!(&STAGES[span.start..span.end], "Alex Unknown");
    }

    #[test]
    fn points_at_the_list_item_and_counts_repeats() {
        let text = "stages:\n  a:\n    groups:\n      g1: {appsec_engineer: [Known, Ghost]}\n      \
                    g2: {appsec_engineer: ghost}\n";
        let file = Path::new("data/stages.yml");
        let (stages, _) = parse_stages(file, text);
        let team: Team = [TeamMember { name: "Known".into(), gitlab: None, slack: None, role: None }].into_iter().collect();
        let (_, diagnostics) = build_counterparts(&stages.unwrap(), Some(&team), file, text);
        assert_eq!(diagnostics.len(), 1);
        let (line, col) = LineIndex::new(text).line_col(text, diagnostics[0].span.unwrap().start);
        assert_eq!((line, col), (4, 37));
        assert_eq!(diagnostics[0].notes[1], "named 2 times in all");
        // Without a team file there is nothing to check against.
        let (c, diagnostics) = build_counterparts(&parse_stages(file, text).0.unwrap(), None, file, text);
        assert!(diagnostics.is_empty());
        assert_eq!(c.by_engineer().len(), 2);
    }

    #[test]
    fn the_engineer_view_counts_groups_per_engineer() {
        let (c, _) = sample();
        let rows = c.by_engineer();
        let summary: Vec<_> = rows.iter().map(|r| (r.name.as_str(), r.stages.clone(), r.count, r.team.is_some())).collect();
        assert_eq!(
            summary,
            vec![
                ("Alex Unknown", vec!["Monitor".to_owned()], 1, false),
                ("Jane Doe", vec!["Manage".to_owned(), "Plan".to_owned()], 2, true),
                ("Sam <Smith>", vec!["Manage".to_owned(), "Secure".to_owned()], 2, true),
            ]
        );
        assert_eq!(rows[1].groups, vec![("Manage".to_owned(), "Import".to_owned()), ("Plan".to_owned(), "Project Management".to_owned())]);
    }

    #[test]
    fn filters_by_stage_or_section_key_or_name_ignoring_case() {
        let (c, _) = sample();
        let by = |stage: Option<&str>, section: Option<&str>| {
            let filter = Filter { stage: stage.map(str::to_owned), section: section.map(str::to_owned) };
            let f = c.filtered(&filter);
            let stages: Vec<_> = f.sections.iter().flat_map(|s| &s.stages).map(|s| s.key.clone()).collect();
            (stages, f.gaps)
        };
        assert_eq!(by(Some("PLAN"), None), (vec!["plan".to_owned()], 1));
        assert_eq!(by(Some(" manage "), None), (vec!["manage".to_owned()], 1));
        assert_eq!(by(None, Some("sec & compliance")), (vec!["secure".to_owned()], 0));
        assert_eq!(by(None, Some("dev")), (vec!["manage".to_owned(), "plan".to_owned()], 2));
        assert_eq!(by(Some("plan"), Some("sec")), (vec![], 0));
        assert_eq!(by(Some("nothing"), None), (vec![], 0));
        assert_eq!(by(Some(""), None).0.len(), 5, "a blank filter matches everything");
        let filtered = c.filtered(&Filter { stage: Some("secure".into()), section: None });
        let rows = filtered.by_engineer();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].name.as_str(), rows[0].count), ("Sam <Smith>", 1));
    }

    #[test]
    fn writes_deterministic_json() {
        let (c, _) = sample();
        let json = c.to_json();
        assert_eq!(json, sample().0.to_json());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["gaps"], 2);
        assert_eq!(value["sections"][0]["stages"][1]["groups"][1]["engineers"][0], "jane doe");
        assert_eq!(value["engineers"][1]["team"]["gitlab"], "jdoe");
        assert_eq!(value["engineers"][1]["groups"][0], serde_json::json!(["Manage", "Import"]));
        assert!(value.get("team").is_none());
    }
}
