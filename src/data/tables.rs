//! Data stage: HTML tables for `{{< counterparts >}}` and `{{< counterparts by="engineer" >}}`.
//!
//! The HTML is written by hand (no template) so it is byte-for-byte the same for the same model;
//! every piece of data text goes through [`escape_html`] (the crate's one HTML escaper).

use std::fmt::Write;

use super::counterparts::{Counterparts, EngineerRow, Filter, GroupRow, StageRow};
use super::team::TeamMember;
use crate::html::escape as escape_html;

/// A key made safe for an `id`: ASCII letters, digits, `-` and `_` kept (letters lowercased),
/// anything else becomes `-`.
fn id_part(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect()
}

/// One `<h3>` and table per section; rows for the groups that `filter` keeps.
pub fn render_table(c: &Counterparts, filter: &Filter) -> String {
    let c = c.filtered(filter);
    if c.sections.is_empty() {
        return empty_note(filter);
    }
    let mut out = String::new();
    for section in &c.sections {
        let _ = writeln!(out, "<h3 id=\"counterparts-{}\">{}</h3>", id_part(&section.key), escape_html(&section.name));
        out.push_str("<table class=\"counterparts\">\n");
        out.push_str(
            "<thead><tr><th scope=\"col\">Stage</th><th scope=\"col\">Group</th>\
             <th scope=\"col\">AppSec engineer</th></tr></thead>\n<tbody>\n",
        );
        for stage in &section.stages {
            stage_rows(&mut out, &c, stage);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out
}

/// The stage's cell spans all its groups' rows; a stage without groups still gets a row so its
/// anchor exists.
fn stage_rows(out: &mut String, c: &Counterparts, stage: &StageRow) {
    let rows = stage.groups.len().max(1);
    let rowspan = if rows > 1 { format!(" rowspan=\"{rows}\"") } else { String::new() };
    let _ =
        write!(out, "<tr><th scope=\"row\" id=\"counterparts-stage-{}\"{rowspan}>{}</th>", id_part(&stage.key), escape_html(&stage.name));
    if stage.groups.is_empty() {
        out.push_str("<td></td><td></td></tr>\n");
    }
    for (i, group) in stage.groups.iter().enumerate() {
        if i > 0 {
            out.push_str("<tr>");
        }
        let _ = writeln!(out, "<td>{}</td><td>{}</td></tr>", escape_html(&group.name), engineers_cell(c, group));
    }
}

fn engineers_cell(c: &Counterparts, group: &GroupRow) -> String {
    if group.tbd {
        return "<span class=\"badge gap\">TBD</span>".to_owned();
    }
    if group.gap {
        return "<span class=\"badge gap\">No counterpart</span>".to_owned();
    }
    group.engineers.iter().map(|name| engineer(name, c.member(name))).collect::<Vec<_>>().join(", ")
}

/// The name (spelt as in the team file when it is there), linked to the GitLab profile when the
/// team file has the handle, then the Slack handle.
fn engineer(name: &str, member: Option<&TeamMember>) -> String {
    let Some(member) = member else {
        return escape_html(name);
    };
    let name_html = escape_html(&member.name);
    let mut out = match &member.gitlab {
        Some(handle) => format!("<a href=\"https://gitlab.com/{}\">{name_html}</a>", escape_html(handle)),
        None => name_html,
    };
    if let Some(slack) = &member.slack {
        let _ = write!(out, " <span class=\"slack\">{}</span>", escape_html(slack));
    }
    out
}

/// One table with a row per engineer, and the filtered data's gap count in its footer.
pub fn render_by_engineer(c: &Counterparts, filter: &Filter) -> String {
    let c = c.filtered(filter);
    if c.sections.is_empty() {
        return empty_note(filter);
    }
    let mut out = String::from("<table class=\"counterparts by-engineer\">\n");
    out.push_str(
        "<thead><tr><th scope=\"col\">Engineer</th><th scope=\"col\">Role</th>\
         <th scope=\"col\">Stages</th><th scope=\"col\">Groups</th><th scope=\"col\">Count</th>\
         </tr></thead>\n<tbody>\n",
    );
    for row in c.by_engineer() {
        engineer_row(&mut out, &row);
    }
    let groups = if c.gaps == 1 { "group" } else { "groups" };
    let _ = write!(
        out,
        "</tbody>\n<tfoot><tr class=\"gaps\"><td colspan=\"5\">{} {groups} without an AppSec \
         engineer</td></tr></tfoot>\n</table>\n",
        c.gaps
    );
    out
}

fn engineer_row(out: &mut String, row: &EngineerRow) {
    let role = row.team.as_ref().and_then(|m| m.role.as_deref()).unwrap_or("");
    let stages: Vec<String> = row.stages.iter().map(|s| escape_html(s)).collect();
    let groups: Vec<String> = row.groups.iter().map(|(stage, group)| format!("{} ({})", escape_html(group), escape_html(stage))).collect();
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        engineer(&row.name, row.team.as_ref()),
        escape_html(role),
        stages.join(", "),
        groups.join(", "),
        row.count
    );
}

/// What a table shows when nothing is left to list.
fn empty_note(filter: &Filter) -> String {
    let mut wanted = Vec::new();
    for (what, value) in [("stage", &filter.stage), ("section", &filter.section)] {
        if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            wanted.push(format!("{what} “{}”", escape_html(value)));
        }
    }
    if wanted.is_empty() {
        return "<p class=\"empty\">No stable counterparts are listed.</p>\n".to_owned();
    }
    format!("<p class=\"empty\">No stable counterparts match {}.</p>\n", wanted.join(" and "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::counterparts::tests::sample;

    /// Snapshot files named without the module path, so they stay valid when this module moves
    /// to another crate.
    fn snapshot(name: &str, html: String) {
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, html);
        });
    }

    fn filter(stage: Option<&str>, section: Option<&str>) -> Filter {
        Filter { stage: stage.map(str::to_owned), section: section.map(str::to_owned) }
    }

    #[test]
    fn escapes_text_and_attribute_characters() {
        assert_eq!(escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
        assert_eq!(id_part("Data Science/ML"), "data-science-ml");
    }

    #[test]
    fn renders_one_table_per_section() {
        let (c, _) = sample();
        snapshot("counterparts_table", render_table(&c, &Filter::default()));
    }

    #[test]
    fn renders_the_engineer_view() {
        let (c, _) = sample();
        snapshot("counterparts_by_engineer", render_by_engineer(&c, &Filter::default()));
    }

    #[test]
    fn renders_filtered_tables() {
        let (c, _) = sample();
        snapshot("counterparts_stage_plan", render_table(&c, &filter(Some("Plan"), None)));
        snapshot("counterparts_by_engineer_section_dev", render_by_engineer(&c, &filter(None, Some("DEV"))));
    }

    #[test]
    fn a_filter_matching_nothing_renders_a_note() {
        let (c, _) = sample();
        let note = render_table(&c, &filter(Some("<nope>"), Some("dev")));
        assert_eq!(note, "<p class=\"empty\">No stable counterparts match stage “&lt;nope&gt;” and section “dev”.</p>\n");
        assert_eq!(render_by_engineer(&c, &filter(None, Some("x"))), "<p class=\"empty\">No stable counterparts match section “x”.</p>\n");
        let empty = Counterparts::default();
        assert_eq!(render_table(&empty, &Filter::default()), "<p class=\"empty\">No stable counterparts are listed.</p>\n");
    }

    #[test]
    fn output_is_deterministic() {
        let (a, _) = sample();
        let (b, _) = sample();
        assert_eq!(render_table(&a, &Filter::default()), render_table(&b, &Filter::default()));
        assert_eq!(render_by_engineer(&a, &Filter::default()), render_by_engineer(&b, &Filter::default()));
    }
}
