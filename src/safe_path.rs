//! Output paths and URL paths (used by the load and write stages): every file the build writes
//! goes through [`checked_join`], which accepts only a relative path of plain segments, so
//! nothing can land outside the output folder whatever a page's front matter said; the load
//! stage checks `url`, `slug` and aliases with the same rules so the error has a line.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why a path or URL segment is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadSegment {
    Empty,
    Dot,
    DotDot,
    Backslash,
    Control,
    Whitespace,
    /// `?`, `#` and the characters a URL path never holds raw (`"`, `<`, `>`, `` ` ``, `{`, `}`, `|`, `^`).
    Reserved(char),
}

impl fmt::Display for BadSegment {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            BadSegment::Empty => f.write_str("an empty segment (`//`)"),
            BadSegment::Dot => f.write_str("a `.` segment"),
            BadSegment::DotDot => f.write_str("a `..` segment"),
            BadSegment::Backslash => f.write_str("a backslash"),
            BadSegment::Control => f.write_str("a control character (newline, tab, NUL …)"),
            BadSegment::Whitespace => f.write_str("whitespace"),
            BadSegment::Reserved(c) => write!(f, "`{c}`"),
        }
    }
}

/// Checks one segment of an output path (a file or folder name).
pub fn check_file_segment(segment: &str) -> Result<(), BadSegment> {
    match segment {
        "" => Err(BadSegment::Empty),
        "." => Err(BadSegment::Dot),
        ".." => Err(BadSegment::DotDot),
        s if s.contains('\\') => Err(BadSegment::Backslash),
        s if s.chars().any(char::is_control) => Err(BadSegment::Control),
        _ => Ok(()),
    }
}

/// Checks one segment of a URL path a page or alias is published at: a file segment that also
/// holds no whitespace and nothing a URL path or a `_redirects` rule would read differently.
pub fn check_url_segment(segment: &str) -> Result<(), BadSegment> {
    check_file_segment(segment)?;
    if segment.chars().any(char::is_whitespace) {
        return Err(BadSegment::Whitespace);
    }
    match segment.chars().find(|c| matches!(c, '?' | '#' | '"' | '<' | '>' | '`' | '{' | '}' | '|' | '^')) {
        Some(c) => Err(BadSegment::Reserved(c)),
        None => Ok(()),
    }
}

/// Checks a URL path as written in front matter (`/a/b/`, `a/b`, `a/b.html`): one leading and
/// one trailing `/` are allowed, every segment between them must pass [`check_url_segment`].
pub fn check_url_path(path: &str) -> Result<(), BadSegment> {
    let inner = path.strip_prefix('/').unwrap_or(path);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return if path.len() <= 1 { Ok(()) } else { Err(BadSegment::Empty) };
    }
    inner.split('/').try_for_each(check_url_segment)
}

/// `dir` joined with `rel` (`/`-separated, relative): the only way an output file's location is
/// made. Refuses an absolute path and any segment [`check_file_segment`] refuses, so the result
/// is always strictly under `dir`.
pub fn checked_join(dir: &Path, rel: &str) -> Result<PathBuf, BadSegment> {
    if rel.starts_with('/') {
        return Err(BadSegment::Empty);
    }
    let mut out = dir.to_path_buf();
    for segment in rel.split('/') {
        check_file_segment(segment)?;
        out.push(segment);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_join_refuses_every_way_out() {
        let dir = Path::new("/out");
        assert_eq!(checked_join(dir, "a/b/index.html").unwrap(), Path::new("/out/a/b/index.html"));
        assert_eq!(checked_join(dir, "../x"), Err(BadSegment::DotDot));
        assert_eq!(checked_join(dir, "a/../../x"), Err(BadSegment::DotDot));
        assert_eq!(checked_join(dir, "/etc/passwd"), Err(BadSegment::Empty));
        assert_eq!(checked_join(dir, "a//b"), Err(BadSegment::Empty));
        assert_eq!(checked_join(dir, "a\\..\\b"), Err(BadSegment::Backslash));
        assert_eq!(checked_join(dir, "a\0b"), Err(BadSegment::Control));
        assert_eq!(checked_join(dir, ""), Err(BadSegment::Empty));
    }

    #[test]
    fn url_paths_allow_one_slash_around_plain_segments() {
        assert_eq!(check_url_path("/elsewhere/page/"), Ok(()));
        assert_eq!(check_url_path("old.html"), Ok(()));
        assert_eq!(check_url_path("/"), Ok(()));
        assert_eq!(check_url_path("../../tmp/x"), Err(BadSegment::DotDot));
        assert_eq!(check_url_path("/a//b"), Err(BadSegment::Empty));
        assert_eq!(check_url_path("//"), Err(BadSegment::Empty));
        assert_eq!(check_url_path("/x\n/* https://evil.example/ 302"), Err(BadSegment::Control));
        assert_eq!(check_url_path("/x https://evil.example/"), Err(BadSegment::Whitespace));
        assert_eq!(check_url_path("/x#y"), Err(BadSegment::Reserved('#')));
    }
}
