//! "Did you mean" suggestions shared by config, front matter and link diagnostics.

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&wanted_lower, &c.to_lowercase()), c))
        .filter(|&(distance, _)| distance <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_typos_but_not_strangers() {
        assert_eq!(super::closest("titel", ["title", "weight"]), Some("title"));
        assert_eq!(super::closest("runbooks}", ["runbooks/", "inventory/"]), Some("runbooks/"));
        assert_eq!(super::closest("zzzzzz", ["title"]), None);
    }
}
