//! Publishing: a site built under a deploy prefix, served under that prefix on 127.0.0.1 the
//! way GitLab Pages serves it, and every internal URL fetched; `build --verify` catching a
//! broken template link without touching the old output; byte-identical rebuilds; the
//! `_redirects` limits; and the CI files' required keys.

use crate::common;

use common::{copy_dir, files};
use handbook::diagnostics::{render_text, Severity};
use handbook::{BuildOptions, Error};
use serde_yaml_ng::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/prefix-site");
const PREFIX: &str = "/sub/path/";
const EPOCH: i64 = 1_790_000_000;

fn options(root: &Path, output: &Path, base_url: &str) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        base_url: Some(base_url.to_string()),
        source_date_epoch: Some(EPOCH),
        ..Default::default()
    }
}

// --- A static host on 127.0.0.1 that serves a folder under a path prefix, as GitLab Pages does.

/// Serves `dir` under `prefix`: `x/` → `x/index.html`, `x` → the file `x` or a 301 to `x/`,
/// anything else (including every path outside the prefix) 404. Returns the port.
fn serve(dir: PathBuf, prefix: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            respond(stream, &dir, prefix);
        }
    });
    port
}

fn respond(mut stream: TcpStream, dir: &Path, prefix: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = request_line.split(' ').nth(1).unwrap_or("/").split(['?', '#']).next().unwrap().to_string();
    let (status, location, body) = lookup(dir, prefix, &percent_decode(&path));
    let location = location.map_or(String::new(), |l| format!("Location: {l}\r\n"));
    let head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n{location}\r\n", body.len());
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
}

fn lookup(dir: &Path, prefix: &str, path: &str) -> (u16, Option<String>, Vec<u8>) {
    let not_found = (404, None, b"not found".to_vec());
    let Some(rel) = path.strip_prefix(prefix).or((path == prefix.trim_end_matches('/')).then_some("")) else { return not_found };
    if rel.split('/').any(|s| s == "..") {
        return not_found;
    }
    let file = dir.join(rel);
    if path.ends_with('/') || rel.is_empty() {
        return match std::fs::read(file.join("index.html")) {
            Ok(body) if path.ends_with('/') => (200, None, body),
            Ok(_) => (301, Some(format!("{path}/")), Vec::new()),
            Err(_) => not_found,
        };
    }
    match std::fs::read(&file) {
        Ok(body) => (200, None, body),
        Err(_) if file.join("index.html").is_file() => (301, Some(format!("{path}/")), Vec::new()),
        Err(_) => not_found,
    }
}

/// GET over plain TCP: (status, Location, body).
fn get(port: u16, path: &str) -> (u16, Option<String>, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let location = head.lines().find_map(|l| l.strip_prefix("Location: ")).map(str::to_string);
    (status, location, body.to_string())
}

fn percent_decode(text: &str) -> String {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(byte) = text.get(i + 1..i + 3).filter(|_| bytes[i] == b'%').and_then(|h| u8::from_str_radix(h, 16).ok()) {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

// --- A crawler, written apart from `--verify` so that it checks the same output independently.

/// The URL attributes of every tag (`href`, `src`, and a refresh `<meta>`'s `url=`), decoded.
/// Escaped markup in text (`&lt;a href=…`) is not a tag, so it is not picked up.
fn urls_in(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (start, _) in html.match_indices('<') {
        let tag = &html[start + 1..];
        if !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        for attr in [" href=\"", " src=\"", "url="] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                urls.push(decode_entities(&value[..value.find('"').unwrap_or(value.len())]));
            }
        }
    }
    urls
}

fn decode_entities(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn has_id(html: &str, id: &str) -> bool {
    [format!("id=\"{id}\""), format!("name=\"{id}\"")].iter().any(|a| html.contains(a.as_str()))
}

#[derive(Default)]
struct Crawl {
    /// Internal URL → where it was found.
    checked: BTreeMap<String, String>,
    failures: Vec<String>,
    external: BTreeSet<String>,
    /// Where URLs were found (output tree, sitemap, a page…) → how many.
    sources: BTreeMap<String, usize>,
}

/// Fetches every internal URL reachable from the site root, every generated HTML file, the
/// sitemap, the search index and `_redirects`, and checks it answers 200 under the prefix
/// (with its `#fragment` on the page).
fn crawl(port: u16, output: &Path) -> Crawl {
    let origin = format!("http://127.0.0.1:{port}");
    let mut crawl = Crawl::default();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    let files = files(output);
    for file in files.keys().filter(|f| f.ends_with(".html")) {
        queue.push_back((format!("{PREFIX}{}", file.strip_suffix("index.html").unwrap_or(file)), "the output tree".into()));
    }
    let text = |name: &str| String::from_utf8(files[name].clone()).unwrap();
    for loc in text("sitemap.xml").split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()) {
        assert!(loc.starts_with(&format!("{origin}{PREFIX}")), "sitemap entries are absolute URLs under the base URL: {loc}");
        queue.push_back((loc.to_string(), "sitemap.xml".into()));
    }
    for chunk in files.keys().filter(|f| f.starts_with("search/p/")) {
        let search: Vec<serde_json::Value> = serde_json::from_str(&text(chunk)).unwrap();
        for entry in &search {
            queue.push_back((entry["url"].as_str().unwrap().to_string(), "search/p/".into()));
        }
    }
    for rule in text("_redirects").lines() {
        let fields: Vec<&str> = rule.split_whitespace().collect();
        assert_eq!(fields.len(), 3, "GitLab Pages rule `from to status`: {rule}");
        assert_eq!(fields[2], "301", "{rule}");
        queue.push_back((fields[0].to_string(), "_redirects".into()));
        queue.push_back((fields[1].to_string(), "_redirects".into()));
    }
    while let Some((url, found_in)) = queue.pop_front() {
        *crawl.sources.entry(found_in.clone()).or_default() += 1;
        let Some(path) = url.strip_prefix(&origin).map(str::to_string).or_else(|| url.starts_with('/').then(|| url.clone())) else {
            crawl.external.insert(url);
            continue;
        };
        if crawl.checked.contains_key(&path) {
            continue;
        }
        crawl.checked.insert(path.clone(), found_in.clone());
        let (before, fragment) = path.split_once('#').map_or((path.as_str(), None), |(b, f)| (b, Some(f)));
        if !before.starts_with(PREFIX) {
            crawl.failures.push(format!("{path} (in {found_in}) is outside the prefix {PREFIX}"));
            continue;
        }
        let (mut status, location, mut body) = get(port, before);
        if status == 301 {
            (status, _, body) = get(port, &location.unwrap());
        }
        if status != 200 {
            crawl.failures.push(format!("{path} (in {found_in}) answers {status}"));
            continue;
        }
        if let Some(id) = fragment.filter(|f| !f.is_empty()) {
            if !has_id(&body, &percent_decode(id)) {
                crawl.failures.push(format!("{path} (in {found_in}): no id `{id}` on the page"));
            }
        }
        if before.ends_with('/') || before.ends_with(".html") {
            let dir = &before[..=before.rfind('/').unwrap()];
            for link in urls_in(&body) {
                queue.push_back((resolve(dir, &link), before.to_string()));
            }
        }
    }
    crawl
}

/// `link` as the browser reads it on a page in the folder `dir` (root-absolute, or external).
fn resolve(dir: &str, link: &str) -> String {
    if link.contains("://") || link.starts_with("mailto:") || link.starts_with('/') {
        return link.to_string();
    }
    let (path, fragment) = link.split_once('#').map_or((link, None), |(p, f)| (p, Some(f)));
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    if !path.is_empty() {
        for segment in path.split('/') {
            match segment {
                ".." => drop(parts.pop()),
                "." | "" => {}
                s => parts.push(s),
            }
        }
    }
    let slash = if path.is_empty() || path.ends_with('/') || path.ends_with("..") { "/" } else { "" };
    let mut out = format!("/{}{slash}", parts.join("/"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Builds `root` under the prefix (without `--verify`), serves it and crawls it.
fn build_and_crawl(root: &Path) -> Crawl {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    // The port is only known once the server listens, so it serves a folder built right after.
    let port = serve(public.clone(), PREFIX);
    let base_url = format!("http://127.0.0.1:{port}{PREFIX}");
    let report = handbook::build(&options(root, &public, &base_url)).unwrap_or_else(|e| panic!("{e}: {:?}", e.diagnostics()));
    assert!(!report.has_errors());
    crawl(port, &public)
}

fn assert_served_under_prefix(root: &Path, min_urls: usize) -> Crawl {
    let crawl = build_and_crawl(root);
    assert!(crawl.failures.is_empty(), "{} URLs fail under {PREFIX}:\n{}", crawl.failures.len(), crawl.failures.join("\n"));
    assert!(crawl.checked.len() >= min_urls, "only {} URLs checked", crawl.checked.len());
    crawl
}

#[test]
fn every_internal_url_of_a_prefix_build_is_served_under_the_prefix() {
    let crawl = assert_served_under_prefix(Path::new(FIXTURE), 30);
    let checked = |path: &str| crawl.checked.contains_key(path);
    // Each kind of URL the generator writes was among them.
    for path in [
        "/sub/path/",
        "/sub/path/css/handbook.css",
        "/sub/path/js/search.js",
        "/sub/path/images/logo.svg",
        "/sub/path/files/policy.pdf",
        "/sub/path/guide/bundle/diagram.svg",
        "/sub/path/reviews/#scope",
        "/sub/path/guide/#intro",
        "/sub/path/special/place/",
        "/sub/path/guide/renamed-by-slug/",
        "/sub/path/runbooks/triage/",
        "/sub/path/old-reviews/",
        "/sub/path/appsec-reviews.html",
        "/sub/path/manual/",
        "/sub/path/handbook/security/old-appsec/",
        "/sub/path/404.html",
    ] {
        assert!(checked(path), "{path} was not among the URLs checked: {:?}", crawl.checked.keys().collect::<Vec<_>>());
    }
    assert_eq!(crawl.checked.get("/sub/path/old-reviews/").map(String::as_str), Some("the output tree"));
    assert_eq!(crawl.sources["sitemap.xml"], 9, "one sitemap entry per page");
    assert_eq!(crawl.sources["search/p/"], 9, "one search entry per page");
    assert_eq!(crawl.sources["_redirects"], 8, "both sides of four rules");
    assert!(crawl.external.contains("https://handbook.example.test/handbook/engineering/"), "{:?}", crawl.external);
}

#[test]
fn the_crawler_catches_a_missing_prefix_and_a_missing_fragment() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), site.path());
    broken_theme(site.path(), "<a href=\"/css/handbook.css\">x</a><a href=\"{{ site.base_path }}reviews/#nope\">y</a>");
    let crawl = build_and_crawl(site.path());
    assert!(crawl
        .failures
        .iter()
        .any(|f| f.starts_with("/css/handbook.css (in /sub/path/") && f.ends_with("is outside the prefix /sub/path/")));
    assert!(crawl.failures.iter().any(|f| f.starts_with("/sub/path/reviews/#nope") && f.ends_with("no id `nope` on the page")));
}

#[test]
fn the_project_site_is_served_under_a_prefix() {
    assert_served_under_prefix(Path::new(ROOT), 100);
}

#[test]
fn prefix_build_writes_the_prefix_into_site_files() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    handbook::build(&options(Path::new(FIXTURE), &public, "https://host/sub/path/")).unwrap();
    let read = |f: &str| std::fs::read_to_string(public.join(f)).unwrap();
    assert_eq!(
        read("_redirects"),
        "/sub/path/appsec-reviews.html /sub/path/reviews/ 301\n/sub/path/handbook/security/old-appsec/ /sub/path/ 301\n\
         /sub/path/manual/ /sub/path/guide/ 301\n/sub/path/old-reviews/ /sub/path/reviews/ 301\n"
    );
    assert!(read("old-reviews/index.html").contains("<meta http-equiv=\"refresh\" content=\"0; url=/sub/path/reviews/\">"));
    assert!(read("sitemap.xml").contains("<loc>https://host/sub/path/guide/howto/</loc>"));
    assert!(read("search/p/0.json").contains("\"url\":\"/sub/path/runbooks/triage/\""));
    assert!(read("index.html").contains("<link rel=\"canonical\" href=\"https://host/sub/path/\">"));
    assert!(read("404.html").contains("href=\"/sub/path/css/handbook.css\""));
}

/// The theme's `base.html` with extra markup before the site title link.
fn broken_theme(site: &Path, markup: &str) {
    let base = std::fs::read_to_string(Path::new(ROOT).join("themes/handbook/templates/base.html")).unwrap();
    let broken = base.replacen("<a class=\"site-title\"", &format!("{markup}<a class=\"site-title\""), 1);
    assert_ne!(base, broken);
    std::fs::create_dir_all(site.join("themes/handbook/templates")).unwrap();
    std::fs::write(site.join("themes/handbook/templates/base.html"), broken).unwrap();
}

#[test]
fn verify_catches_a_broken_template_link_and_keeps_the_old_output() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), site.path());
    broken_theme(site.path(), "<a href=\"{{ site.base_path }}no-such-page/\">x</a><a href=\"/css/handbook.css\">y</a>");
    let public = site.path().join("public");
    std::fs::create_dir_all(&public).unwrap();
    std::fs::write(public.join("previous.html"), "previous build").unwrap();
    std::fs::write(public.join(handbook::output::MARKER), "").unwrap();
    let verify = BuildOptions { verify: true, ..options(site.path(), &public, "https://host/sub/path/") };

    let Err(Error::Site(diagnostics)) = handbook::build(&verify) else { panic!("--verify accepted a broken template link") };
    let text = render_text(&diagnostics, false);
    let broken = diagnostics.iter().find(|d| d.code == "verify-broken-href").expect(&text);
    assert_eq!(broken.severity, Severity::Error);
    assert_eq!(broken.file, Path::new("content/_index.md"), "{text}");
    assert!(
        broken.message.contains(
            "`/sub/path/no-such-page/` in public/index.html does not resolve to a generated file (no public/no-such-page/index.html)"
        ),
        "{text}"
    );
    assert!(broken.notes.iter().any(|n| n.contains("content/custom-place.md")), "the other pages are listed: {text}");
    let outside = diagnostics.iter().find(|d| d.code == "verify-outside-prefix").expect(&text);
    assert!(outside.message.contains("`/css/handbook.css` in public/index.html is outside the deploy prefix `/sub/path/`"), "{text}");
    assert_eq!(std::fs::read_to_string(public.join("previous.html")).unwrap(), "previous build");
    assert!(!public.join("index.html").exists(), "a failed verify must not replace the output");
    let leftovers: Vec<_> =
        std::fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with('.')).collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");

    // The link checker cannot see template links: without --verify the build goes through.
    handbook::build(&BuildOptions { verify: false, ..verify }).unwrap();
    assert!(public.join("index.html").exists());
}

#[test]
fn verify_checks_fragments_and_names_the_source_line() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), site.path());
    let page = site.path().join("content/guide/howto.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nRaw <a href=\"/sub/path/reviews/#no-such-id\">HTML</a> link.\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let verify = BuildOptions { verify: true, ..options(site.path(), &out.path().join("public"), "https://host/sub/path/") };
    let Err(Error::Site(diagnostics)) = handbook::build(&verify) else { panic!("--verify accepted a broken fragment") };
    let text = render_text(&diagnostics, false);
    let d = diagnostics.iter().find(|d| d.code == "verify-broken-fragment").expect(&text);
    assert_eq!((d.file.as_path(), d.line_col()), (Path::new("content/guide/howto.md"), (11, 14)), "{text}");
    assert!(d.message.ends_with("public/reviews/index.html has no element with id `no-such-id`"), "{text}");
    assert!(d.message.contains("guide/howto/index.html"), "{text}");
}

#[test]
fn verify_passes_on_the_fixture_and_on_the_project_site() {
    for root in [Path::new(FIXTURE), Path::new(ROOT)] {
        for base_url in ["https://host/sub/path/", "https://host/"] {
            let out = tempfile::tempdir().unwrap();
            let verify = BuildOptions { verify: true, ..options(root, &out.path().join("public"), base_url) };
            let report =
                handbook::build(&verify).unwrap_or_else(|e| panic!("{}: {e}\n{}", root.display(), render_text(e.diagnostics(), false)));
            let (files, urls) = report.verified.expect("verify ran");
            assert!(files >= 10 && urls > files * 10, "{files} files, {urls} URLs");
            assert!(report.diagnostics.iter().all(|d| !d.code.starts_with("verify")), "{}", render_text(&report.diagnostics, false));
        }
    }
}

#[test]
fn cli_verify_fails_with_status_1_and_names_the_page() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), site.path());
    broken_theme(site.path(), "<img src=\"{{ site.base_path }}img/missing.png\">");
    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--verify", "--base-url", "https://host/sub/path/", "--root"])
        .arg(site.path())
        .env("SOURCE_DATE_EPOCH", EPOCH.to_string())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[verify-broken-href]: `/sub/path/img/missing.png` in public/index.html"), "{stderr}");
    assert!(stderr.contains("--> content/_index.md"), "{stderr}");
    assert!(!site.path().join("public").exists());
}

/// `handbook build` through the binary, as CI runs it: (output tree, printed digest).
fn cli_build(site: &Path, args: &[&str], env: &[(&str, &str)]) -> (BTreeMap<String, Vec<u8>>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--verify", "--root"])
        .arg(site)
        .args(args)
        .env_remove("HANDBOOK_BASE_URL")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let digest = stdout.lines().find_map(|l| l.strip_prefix("output digest: blake3:")).expect(&stdout).to_string();
    assert_eq!(digest.len(), 64);
    (files(&site.join("public")), digest)
}

#[test]
fn two_builds_in_different_folders_at_different_times_are_byte_identical() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let second_site = second.path().join("elsewhere/deeper");
    copy_dir(Path::new(FIXTURE), first.path());
    copy_dir(Path::new(FIXTURE), &second_site);
    let epoch = EPOCH.to_string();
    let (tree_a, digest_a) = cli_build(first.path(), &["--base-url", "https://host/sub/path/"], &[("SOURCE_DATE_EPOCH", &epoch)]);
    // A second later, through the environment variable instead of the flag.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let env = [("SOURCE_DATE_EPOCH", epoch.as_str()), ("HANDBOOK_BASE_URL", "https://host/sub/path/")];
    let (tree_b, digest_b) = cli_build(&second_site, &[], &env);
    assert_eq!(tree_a.keys().collect::<Vec<_>>(), tree_b.keys().collect::<Vec<_>>());
    for (path, bytes) in &tree_a {
        assert!(tree_b[path] == *bytes, "{path} differs between the two builds");
    }
    assert_eq!(digest_a, digest_b);
    assert!(String::from_utf8_lossy(&tree_a["index.html"]).contains("href=\"/sub/path/css/handbook.css\""));

    // The digest follows the content: another SOURCE_DATE_EPOCH changes the "Last updated" dates.
    let (_, digest_c) = cli_build(first.path(), &["--base-url", "https://host/sub/path/"], &[("SOURCE_DATE_EPOCH", "1600000000")]);
    assert_ne!(digest_a, digest_c);
}

#[test]
fn redirects_past_gitlab_limits_warn() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("handbook.toml"), "title = \"T\"\nbase_url = \"https://host/sub/path/\"\n").unwrap();
    std::fs::create_dir_all(site.path().join("content")).unwrap();
    let build = |aliases: Vec<String>| {
        let front: String = aliases.iter().map(|a| format!("  - {a}\n")).collect();
        std::fs::write(site.path().join("content/_index.md"), format!("---\ntitle: Home\naliases:\n{front}---\nHome\n")).unwrap();
        let out = tempfile::tempdir().unwrap();
        let report = handbook::build(&options(site.path(), &out.path().join("public"), "https://host/sub/path/")).unwrap();
        let rules = std::fs::read_to_string(out.path().join("public/_redirects")).unwrap();
        (report.diagnostics.into_iter().find(|d| d.code == "redirects-limit"), rules)
    };
    let (warning, rules) = build((0..1000).map(|i| format!("/old/{i}/")).collect());
    assert!(warning.is_none(), "1,000 rules are allowed");
    assert_eq!(rules.lines().count(), 1000);
    let (warning, _) = build((0..1001).map(|i| format!("/old/{i}/")).collect());
    let warning = warning.expect("1,001 rules warn");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("1001 rules"), "{}", warning.message);
    let long = "x".repeat(100);
    let (warning, rules) = build((0..600).map(|i| format!("/{long}/{i}/")).collect());
    assert!(rules.len() > 65_536);
    assert!(warning.expect("over 64 KB warns").message.contains("65536 bytes"));
}

// --- The CI files.

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A GitLab job with its `extends` merged in (hashes deep-merged, the job winning).
fn job(ci: &Value, name: &str) -> Value {
    let mut merged = Value::Mapping(Default::default());
    let own = ci.get(name).unwrap_or_else(|| panic!("no `{name}` job"));
    let parents = match own.get("extends") {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Sequence(list)) => list.iter().map(|v| v.as_str().unwrap().to_string()).collect(),
        _ => Vec::new(),
    };
    for parent in parents {
        deep_merge(&mut merged, &job(ci, &parent));
    }
    deep_merge(&mut merged, own);
    merged
}

fn deep_merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Mapping(into), Value::Mapping(from)) => {
            for (key, value) in from {
                match into.get_mut(key) {
                    Some(existing) if existing.is_mapping() && value.is_mapping() => deep_merge(existing, value),
                    _ => drop(into.insert(key.clone(), value.clone())),
                }
            }
        }
        (into, from) => *into = from.clone(),
    }
}

fn script(job: &Value) -> String {
    job["script"].as_sequence().expect("script").iter().map(|l| l.as_str().unwrap()).collect::<Vec<_>>().join("\n")
}

#[test]
fn gitlab_ci_tests_checks_and_publishes_pages_with_review_prefixes() {
    let ci = yaml(".gitlab-ci.yml");
    let image = ci["default"]["image"].as_str().expect("a default image");
    assert!(image.starts_with("rust:1.") && image.split(':').nth(1).unwrap().split('.').count() == 3, "pinned: {image}");

    let test = job(&ci, "test");
    assert_eq!(test["stage"].as_str(), Some("test"));
    assert!(script(&test).contains("cargo test"));
    let cache_paths = test["cache"]["paths"].as_sequence().expect("cargo cache");
    assert!(cache_paths.iter().any(|p| p.as_str().unwrap().starts_with(".cargo/registry")));
    assert!(ci["variables"]["CARGO_HOME"].as_str().unwrap().contains("CI_PROJECT_DIR"), "the cache must be under the project");

    let check = job(&ci, "check");
    assert!(script(&check).contains("handbook check --format codequality > gl-code-quality-report.json"), "{}", script(&check));
    assert_eq!(check["artifacts"]["reports"]["codequality"].as_str(), Some("gl-code-quality-report.json"));
    assert_eq!(check["artifacts"]["when"].as_str(), Some("always"), "the report is needed most when the check fails");

    let pages = job(&ci, "pages");
    assert_eq!(pages["stage"].as_str(), Some("deploy"));
    assert!(pages["artifacts"]["paths"].as_sequence().unwrap().iter().any(|p| p.as_str() == Some("public")));
    let build = script(&pages);
    assert!(build.contains("handbook build --verify --base-url \"$SITE_URL\""), "{build}");
    assert!(build.contains("SITE_URL=\"$CI_PAGES_URL/\""), "{build}");
    assert!(build.contains("SOURCE_DATE_EPOCH"), "{build}");
    assert_eq!(pages["pages"]["path_prefix"].as_str(), Some("$PAGES_PREFIX"));
    let rules = pages["rules"].as_sequence().unwrap();
    let review = rules.iter().find(|r| r["if"].as_str().is_some_and(|c| c.contains("merge_request_event"))).expect("a merge request rule");
    assert_eq!(review["variables"]["PAGES_PREFIX"].as_str(), Some("mr-$CI_MERGE_REQUEST_IID"));
    assert!(build.contains("/$PAGES_PREFIX/"), "the review build's base URL carries the prefix: {build}");
    assert_eq!(pages["environment"]["url"].as_str(), Some("$SITE_URL"));
    assert_eq!(pages["artifacts"]["reports"]["dotenv"].as_str(), Some("pages.env"));
}

/// The review base URL the `pages` job computes, for both forms of CI_PAGES_URL.
#[test]
fn gitlab_review_base_url_is_right_with_and_without_the_prefix_in_ci_pages_url() {
    let ci = yaml(".gitlab-ci.yml");
    let build = script(&job(&ci, "pages"));
    let block = build.lines().skip_while(|l| !l.starts_with("if [")).take_while(|l| !l.contains("handbook build")).collect::<Vec<_>>();
    let shell = format!("{}\nprintf %s \"$SITE_URL\"", block.join("\n"));
    let run = |pages_url: &str, prefix: &str| {
        let out = Command::new("sh").args(["-c", &shell]).env("CI_PAGES_URL", pages_url).env("PAGES_PREFIX", prefix).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run("https://ns.gitlab.io/hb", ""), "https://ns.gitlab.io/hb/");
    assert_eq!(run("https://ns.gitlab.io/hb", "mr-7"), "https://ns.gitlab.io/hb/mr-7/");
    assert_eq!(run("https://ns.gitlab.io/hb/mr-7", "mr-7"), "https://ns.gitlab.io/hb/mr-7/");
}

#[test]
fn github_workflow_builds_with_the_pages_base_url_and_deploys_the_artifact() {
    let wf = yaml(".github/workflows/pages.yml");
    // Only the deploy job may write to Pages (pull requests build with read-only permissions).
    assert_eq!(wf["jobs"]["deploy"]["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(wf["jobs"]["deploy"]["permissions"]["id-token"].as_str(), Some("write"));
    let steps = wf["jobs"]["build"]["steps"].as_sequence().unwrap();
    let uses = |prefix: &str| steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)));
    let configure = uses("actions/configure-pages@").expect("configure-pages");
    let id = configure["id"].as_str().unwrap();
    let build = steps.iter().find(|s| s["run"].as_str().is_some_and(|r| r.contains("handbook build --verify"))).expect("a build step");
    // The Pages URL with a slash where configure-pages ran (the default branch); elsewhere
    // handbook.toml's base_url (an empty HANDBOOK_BASE_URL would be an invalid override).
    assert_eq!(build["env"]["PAGES_URL"].as_str(), Some(format!("${{{{ steps.{id}.outputs.base_url }}}}").as_str()));
    assert!(build["run"].as_str().unwrap().contains("if [ -n \"$PAGES_URL\" ]; then export HANDBOOK_BASE_URL=\"$PAGES_URL/\"; fi"));
    assert!(build["run"].as_str().unwrap().contains("SOURCE_DATE_EPOCH"));
    assert_eq!(uses("actions/upload-pages-artifact@").expect("upload-pages-artifact")["with"]["path"].as_str(), Some("public"));
    assert!(steps.iter().any(|s| s["run"].as_str().is_some_and(|r| r.contains("rustup toolchain install \"$RUST_TOOLCHAIN\""))));
    assert_eq!(wf["env"]["RUST_TOOLCHAIN"].as_str(), Some("1.95.0"));
    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert!(deploy["steps"][0]["uses"].as_str().unwrap().starts_with("actions/deploy-pages@"));
}
