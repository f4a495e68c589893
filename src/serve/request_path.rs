//! Serve stage: turning a request path into a key of the in-memory site. Decoded and normalised
//! first, then looked up; nothing here touches the file system, and anything that tries to climb
//! out (`..` raw or encoded, `%2f`, backslashes, drive letters, NUL) is refused before lookup.

/// A request path reduced to its segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    /// Decoded segments, none empty, `.` or `..`.
    pub segments: Vec<String>,
    /// The request ended with `/` (or was `/`).
    pub trailing_slash: bool,
}

/// Why a path was refused (answered with 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    BadEncoding,
    ControlCharacter,
    ParentSegment,
    DriveOrStream,
}

impl SitePath {
    /// Parses the raw (still percent-encoded) path of a request.
    pub fn parse(raw: &str) -> Result<SitePath, Refused> {
        let decoded = percent_decode(raw).ok_or(Refused::BadEncoding)?;
        let decoded = String::from_utf8(decoded).map_err(|_| Refused::BadEncoding)?;
        if decoded.chars().any(char::is_control) {
            return Err(Refused::ControlCharacter);
        }
        // A backslash is a separator on Windows: treat it as one everywhere, so `..\` is `../`.
        let unified = decoded.replace('\\', "/");
        let mut segments = Vec::new();
        for segment in unified.split('/') {
            match segment {
                "" | "." => {}
                ".." => return Err(Refused::ParentSegment),
                s if s.contains(':') => return Err(Refused::DriveOrStream),
                s => segments.push(s.to_string()),
            }
        }
        let trailing_slash = unified.ends_with('/') || segments.is_empty();
        Ok(SitePath { segments, trailing_slash })
    }

    /// The file key (`a/b/index.html` for `/a/b/`, `css/x.css` for `/css/x.css`).
    pub fn key(&self) -> String {
        let joined = self.segments.join("/");
        match (self.trailing_slash, joined.is_empty()) {
            (true, true) => "index.html".to_string(),
            (true, false) => format!("{joined}/index.html"),
            (false, _) => joined,
        }
    }

    /// The key of the folder's index when the request named a folder without its slash.
    pub fn folder_index_key(&self) -> Option<String> {
        (!self.trailing_slash).then(|| format!("{}/index.html", self.segments.join("/")))
    }

    /// Where to redirect `/a/b` when `/a/b/` exists: a path that is always local (it starts
    /// with one `/` and has no empty segment, so it cannot be read as `//host`).
    pub fn with_slash(&self) -> String {
        let encoded: Vec<String> = self.segments.iter().map(|s| percent_encode_segment(s)).collect();
        format!("/{}/", encoded.join("/"))
    }
}

/// `%XX` decoding; `None` for a `%` not followed by two hex digits (the crate would keep such a
/// `%` as written; a request path that holds one is refused instead).
fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let well_formed =
        memchr::memchr_iter(b'%', bytes).all(|i| bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
    well_formed.then(|| percent_encoding::percent_decode(bytes).collect())
}

/// Everything but RFC 3986's unreserved characters and the sub-delimiters a path segment may hold.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

fn percent_encode_segment(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> Result<String, Refused> {
        SitePath::parse(raw).map(|p| p.key())
    }

    #[test]
    fn pretty_urls_map_to_index_files() {
        assert_eq!(key("/").unwrap(), "index.html");
        assert_eq!(key("/a/b/").unwrap(), "a/b/index.html");
        assert_eq!(key("/css/handbook.css").unwrap(), "css/handbook.css");
        assert_eq!(key("//a///b/./c.png").unwrap(), "a/b/c.png");
        assert_eq!(key("/a%20b/").unwrap(), "a b/index.html");
        assert_eq!(SitePath::parse("/a/b").unwrap().folder_index_key().unwrap(), "a/b/index.html");
        assert_eq!(SitePath::parse("/a b/c").unwrap().with_slash(), "/a%20b/c/");
    }

    #[test]
    fn climbing_out_is_refused_in_every_spelling() {
        for raw in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2fetc/passwd",
            "/..%5c..%5cetc%5cpasswd",
            "/..\\..\\etc\\passwd",
            "/a/%2e%2e/%2e%2e/x",
        ] {
            assert_eq!(key(raw), Err(Refused::ParentSegment), "{raw}");
        }
        assert_eq!(key("/index.html%00.png"), Err(Refused::ControlCharacter));
        assert_eq!(key("/%0a"), Err(Refused::ControlCharacter));
        assert_eq!(key("/C:/Windows/win.ini"), Err(Refused::DriveOrStream));
        assert_eq!(key("/%"), Err(Refused::BadEncoding));
        assert_eq!(key("/%zz"), Err(Refused::BadEncoding));
        assert_eq!(key("/%ff%fe"), Err(Refused::BadEncoding));
    }

    #[test]
    fn absolute_paths_stay_inside_the_site() {
        // `/etc/passwd` is just a key of the site, which has no such file.
        assert_eq!(key("/etc/passwd").unwrap(), "etc/passwd");
        assert_eq!(key("/%2fetc%2fpasswd").unwrap(), "etc/passwd");
        // Double encoding decodes once: `%2e%2e` stays a literal (missing) name.
        assert_eq!(key("/%252e%252e/x").unwrap(), "%2e%2e/x");
    }
}
