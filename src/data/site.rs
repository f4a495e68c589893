//! Data stage: reading `data/` for a build (the one place this stage does I/O) and answering
//! the `counterparts` shortcode from the model.

use super::{build_counterparts, load_data_files, parse_stages, parse_team, render_by_engineer, render_table, Counterparts, Filter};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::shortcodes::parse::Call;
use std::path::{Path, PathBuf};

/// Everything read from `data/`.
#[derive(Debug, Default)]
pub struct SiteData {
    /// `data.<file stem>` for templates and shortcodes.
    pub files: serde_json::Map<String, serde_json::Value>,
    /// The stable counterparts, when `[counterparts]` is configured and its data is valid.
    pub counterparts: Option<Counterparts>,
}

impl SiteData {
    pub fn load(config: &Config) -> crate::Result<(SiteData, Vec<Diagnostic>)> {
        let root = &config.root;
        let mut texts = Vec::new();
        let mut unreadable = Vec::new();
        for rel in crate::content::SourceFiles::static_files(&root.join("data"))? {
            let is_data = [".yml", ".yaml", ".toml", ".json"].iter().any(|e| rel.ends_with(e)) && !rel.contains('/');
            if is_data {
                let file = PathBuf::from("data").join(&rel);
                match read_data(&root.join(&file))? {
                    Ok(text) => texts.push((file, text)),
                    Err(problem) => unreadable.push(problem.diagnostic(&file)),
                }
            }
        }
        let (files, mut diagnostics) = load_data_files(&texts);
        diagnostics.append(&mut unreadable);
        let counterparts = match &config.counterparts {
            Some(c) => {
                let (model, problems) = load_counterparts(root, &texts, &c.data, c.team.as_deref())?;
                diagnostics.extend(problems);
                model
            }
            None => None,
        };
        Ok((SiteData { files, counterparts }, diagnostics))
    }

    /// `{{< counterparts [by="engineer"] [stage=…] [section=…] >}}`.
    pub fn counterparts_html(&self, call: &Call) -> Result<String, String> {
        let Some(model) = &self.counterparts else {
            return Err("`counterparts` needs valid `[counterparts] data = \"data/stages.yml\"` in handbook.toml".to_string());
        };
        let arg = |key: &str| call.named(key).map(|a| a.value.clone());
        let filter = Filter { stage: arg("stage"), section: arg("section") };
        match arg("by").as_deref() {
            None | Some("section") => Ok(render_table(model, &filter)),
            Some("engineer") => Ok(render_by_engineer(model, &filter)),
            Some(other) => Err(format!("`by=\"{other}\"` is not a view of counterparts; use `by=\"engineer\"` or leave it out")),
        }
    }

    /// Files the data adds to the output.
    pub fn output_files(&self) -> Vec<(String, Vec<u8>)> {
        self.counterparts.iter().map(|c| ("counterparts.json".to_string(), c.to_json().into_bytes())).collect()
    }

    /// Groups without a counterpart, when counterparts are configured.
    pub fn gaps(&self) -> Option<usize> {
        self.counterparts.as_ref().map(|c| c.gaps)
    }
}

/// A data file's text, refused before it is read when it is over the data size limit.
fn read_data(path: &Path) -> crate::Result<Result<String, crate::io::TextProblem>> {
    crate::io::read_text(path, super::MAX_DATA_FILE_BYTES as u64)
}

/// `already_read` holds the `data/` files read for templates: the stages and team files are
/// usually among them, and are not read from disk a second time.
fn load_counterparts(
    root: &Path,
    already_read: &[(PathBuf, String)],
    data: &Path,
    team: Option<&Path>,
) -> crate::Result<(Option<Counterparts>, Vec<Diagnostic>)> {
    let read = |path: &Path| match already_read.iter().find(|(p, _)| p == path) {
        Some((_, text)) => Ok(Ok(text.clone())),
        None => read_data(&root.join(path)),
    };
    let stages_text = match read(data)? {
        Ok(text) => text,
        Err(problem) => return Ok((None, vec![problem.diagnostic(data)])),
    };
    let (stages, mut diagnostics) = parse_stages(data, &stages_text);
    let team = match team {
        Some(path) => {
            let text = match read(path)? {
                Ok(text) => text,
                Err(problem) => return Ok((None, vec![problem.diagnostic(path)])),
            };
            let (team, problems) = parse_team(path, &text);
            diagnostics.extend(problems);
            team
        }
        None => None,
    };
    let Some(stages) = stages else { return Ok((None, diagnostics)) };
    let (model, problems) = build_counterparts(&stages, team.as_ref(), data, &stages_text);
    diagnostics.extend(problems);
    Ok((Some(model), diagnostics))
}
