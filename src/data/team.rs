//! Data stage: the optional team file, a YAML list of engineers joined to `stages.yml` by name.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::name_key;
use super::yaml::{self, child, get, Reader, Step};
use crate::diagnostics::Diagnostic;

/// One engineer. Only `name` is required; unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamMember {
    pub name: String,
    /// GitLab username without `@`; `None` when absent or not a valid username.
    pub gitlab: Option<String>,
    /// Slack handle, shown with a leading `@`.
    pub slack: Option<String>,
    pub role: Option<String>,
}

/// The team, looked up by name with case and spacing ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Team {
    members: BTreeMap<String, TeamMember>,
}

impl Team {
    pub fn get(&self, name: &str) -> Option<&TeamMember> {
        self.members.get(&name_key(name))
    }

    /// Members sorted by name (case ignored).
    pub fn members(&self) -> impl Iterator<Item = &TeamMember> {
        self.members.values()
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl FromIterator<TeamMember> for Team {
    /// Later members with an already-seen name are dropped, as the file reader does.
    fn from_iter<I: IntoIterator<Item = TeamMember>>(iter: I) -> Self {
        let mut members = BTreeMap::new();
        for member in iter {
            members.entry(name_key(&member.name)).or_insert(member);
        }
        Team { members }
    }
}

/// Parses the team file. Returns `None` when the file cannot be used at all.
pub fn parse_team(file: &Path, text: &str) -> (Option<Team>, Vec<Diagnostic>) {
    let loaded = match yaml::load_checked(file, text) {
        Ok(loaded) => loaded,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let mut reader = Reader::new(file, text, &loaded.duplicates);
    let team = match &loaded.value {
        Value::Null => Some(Team::default()),
        Value::Array(entries) => Some(read_members(&mut reader, entries)),
        other => {
            reader.type_error(&[], "a list of engineers", other);
            None
        }
    };
    let mut diagnostics = reader.diagnostics;
    super::locate_all(&mut diagnostics, text);
    (team, diagnostics)
}

fn read_members(r: &mut Reader, entries: &[Value]) -> Team {
    let mut members: BTreeMap<String, (TeamMember, usize)> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(member) = read_member(r, &[Step::Index(i)], entry) else {
            continue;
        };
        match members.get(&name_key(&member.name)) {
            Some((_, first)) => repeated_member(r, &member.name, *first, i),
            None => {
                members.insert(name_key(&member.name), (member, i));
            }
        }
    }
    let members = members.into_iter().map(|(k, (m, _))| (k, m)).collect();
    Team { members }
}

fn read_member(r: &mut Reader, path: &[Step], entry: &Value) -> Option<TeamMember> {
    let Value::Object(fields) = entry else {
        r.type_error(path, "a mapping with a `name`", entry);
        return None;
    };
    let name = field(r, path, fields, "name");
    let Some(name) = name else {
        missing_name(r, path);
        return None;
    };
    Some(TeamMember {
        name,
        gitlab: gitlab_handle(r, path, fields),
        slack: field(r, path, fields, "slack").map(|s| format!("@{}", s.trim_start_matches('@'))),
        role: field(r, path, fields, "role"),
    })
}

fn field(r: &mut Reader, path: &[Step], fields: &Map<String, Value>, key: &str) -> Option<String> {
    r.text(&child(path, key), get(fields, key)).map(|text| text.trim().to_owned()).filter(|text| !text.is_empty())
}

fn missing_name(r: &mut Reader, path: &[Step]) {
    let message = format!("team member {} has no `name`", yaml::describe(path));
    let mut diagnostic = Diagnostic::error("data-type", r.file, message);
    if let Some(span) = r.span(path) {
        diagnostic = diagnostic.with_span(span);
    }
    r.diagnostics.push(diagnostic);
}

/// A GitLab username (`@` dropped). Anything else would make a broken or unsafe profile link, so it
/// is reported and not linked.
fn gitlab_handle(r: &mut Reader, path: &[Step], fields: &Map<String, Value>) -> Option<String> {
    let handle = field(r, path, fields, "gitlab")?;
    let handle = handle.trim_start_matches('@');
    let valid = !handle.is_empty() && handle.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if valid {
        return Some(handle.to_owned());
    }
    let message = format!("`{handle}` is not a GitLab username; the engineer is shown without a link");
    let mut diagnostic = Diagnostic::warning("data-type", r.file, message);
    if let Some(span) = r.span(&child(path, "gitlab")) {
        diagnostic = diagnostic.with_span(span);
    }
    r.diagnostics.push(diagnostic);
    None
}

fn repeated_member(r: &mut Reader, name: &str, first: usize, again: usize) {
    let message = format!("`{name}` is listed twice in the team file; the first entry is used");
    let mut diagnostic = Diagnostic::warning("duplicate-key", r.file, message).with_target(name);
    let name_path = |i| vec![Step::Index(i), Step::key("name")];
    if let Some(span) = r.span(&name_path(again)) {
        diagnostic = diagnostic.with_span(span);
    }
    if let Some(span) = r.span(&name_path(first)) {
        let line = r.locator.line(span);
        diagnostic = diagnostic.with_note(format!("first listed at line {line}"));
    }
    r.diagnostics.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::LineIndex;

    fn parse(text: &str) -> (Option<Team>, Vec<Diagnostic>) {
        parse_team(Path::new("data/team.yml"), text)
    }

    fn line_col(text: &str, d: &Diagnostic) -> (usize, usize) {
        LineIndex::new(text).line_col(text, d.span.unwrap().start)
    }

    #[test]
    fn reads_members_and_joins_by_name_ignoring_case_and_spacing() {
        let text = "- name: Jane Doe\n  gitlab: \"@jdoe\"\n  slack: jane\n  role: Staff\n  \
                    timezone: UTC\n- name: John  Roe\n";
        let (team, diagnostics) = parse(text);
        assert_eq!(diagnostics, vec![]);
        let team = team.unwrap();
        let jane = team.get("  jane doe ").unwrap();
        assert_eq!(jane.gitlab.as_deref(), Some("jdoe"));
        assert_eq!(jane.slack.as_deref(), Some("@jane"));
        assert_eq!(jane.role.as_deref(), Some("Staff"));
        let john = team.get("JOHN ROE").unwrap();
        assert_eq!((john.gitlab.as_ref(), john.role.as_ref()), (None, None));
        assert_eq!(team.len(), 2);
    }

    #[test]
    fn reports_entries_without_a_name_and_bad_fields() {
        let text = "- name: Jane\n- gitlab: nobody\n- name: [a]\n- just text\n- name: Bob\n  gitlab: \"a b\"\n";
        let (team, diagnostics) = parse(text);
        let found: Vec<_> = diagnostics.iter().map(|d| (d.code, d.severity, line_col(text, d), d.message.as_str())).collect();
        use crate::diagnostics::Severity::{Error, Warning};
        assert_eq!(
            found,
            vec![
                ("data-type", Error, (2, 3), "team member `[1]` has no `name`"),
                ("data-type", Error, (3, 9), "`[2].name` must be a string, found a list"),
                ("data-type", Error, (3, 3), "team member `[2]` has no `name`"),
                ("data-type", Error, (4, 3), "`[3]` must be a mapping with a `name`, found a string"),
                ("data-type", Warning, (6, 11), "`a b` is not a GitLab username; the engineer is shown without a link"),
            ]
        );
        let team = team.unwrap();
        assert_eq!(team.len(), 2);
        assert_eq!(team.get("bob").unwrap().gitlab, None);
    }

    #[test]
    fn warns_about_a_member_listed_twice() {
        let text = "- name: Jane\n  role: First\n- name: jane\n  role: Second\n";
        let (team, diagnostics) = parse(text);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "duplicate-key");
        assert_eq!(line_col(text, &diagnostics[0]), (3, 9));
        assert_eq!(diagnostics[0].notes, ["first listed at line 1"]);
        assert_eq!(team.unwrap().get("JANE").unwrap().role.as_deref(), Some("First"));
    }

    #[test]
    fn an_empty_file_is_an_empty_team_and_a_mapping_is_an_error() {
        assert_eq!(parse("# nobody yet\n"), (Some(Team::default()), vec![]));
        let (team, diagnostics) = parse("name: Jane\n");
        assert!(team.is_none());
        assert_eq!(diagnostics[0].message, "the top level must be a list of engineers, found a mapping");
    }
}
