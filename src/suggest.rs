//! "Did you mean" suggestions shared by config, front matter and link diagnostics.

/// The candidate closest to `wanted`, only when it is a likely typo: a case or extension
/// difference (`x.md` for `x/`), or one or two edits that leave most of the name as written.
/// A far-fetched suggestion sends the reader the wrong way, so anything else gives none.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = normalize(wanted);
    let name_len = wanted.rsplit('/').next().unwrap_or(&wanted).chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&wanted, &normalize(c)), c))
        .filter(|&(distance, _)| distance <= 2 && 2 * distance < name_len.max(1) || distance == 0)
        .min()
        .map(|(_, c)| c)
}

/// Lower case, without a trailing `/` or a `.md`/`.html` extension.
fn normalize(path: &str) -> String {
    let lower = path.to_lowercase();
    let trimmed = lower.trim_end_matches('/');
    let trimmed = trimmed.strip_suffix(".md").or_else(|| trimmed.strip_suffix(".html")).unwrap_or(trimmed);
    trimmed.trim_end_matches("/_index").trim_end_matches("/index").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_typos_but_not_strangers() {
        assert_eq!(super::closest("titel", ["title", "weight"]), Some("title"));
        assert_eq!(super::closest("runbooks}", ["runbooks/", "inventory/"]), Some("runbooks/"));
        assert_eq!(super::closest("zzzzzz", ["title"]), None);
        assert_eq!(super::closest("../Inventory.md", ["../inventory/"]), Some("../inventory/"), "case and extension");
        assert_eq!(super::closest("runbooks/a.md", ["runbooks/b.md"]), None, "a different one-letter name");
        assert_eq!(super::closest("../../../legal/", ["../runbooks/", "../inventory/"]), None, "far-fetched");
    }
}
