//! `handbook serve` end to end: the real binary on port 0 in a temp copy of the fixture site,
//! driven with a real HTTP client and the live-reload event stream.

use crate::serve_support;

use serve_support::Server;

#[test]
fn dns_rebinding_host_names_get_403_and_local_names_the_site() {
    let server = Server::start(&["--allowed-host", "preview.internal"]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for host in ["evil.example", &format!("evil.example:{port}"), "localhost.evil.example"] {
        let (status, body) = server.raw_get_host("/", host);
        assert_eq!(status, 403, "{host}: {}", String::from_utf8_lossy(&body));
        assert!(!String::from_utf8_lossy(&body).contains("Serve Fixture"), "{host}: the site leaked");
    }
    for host in [server.addr.clone(), format!("localhost:{port}"), format!("preview.internal:{port}")] {
        assert_eq!(server.raw_get_host("/", &host).0, 200, "{host}");
    }
    assert_eq!(server.raw_get_host("/__handbook/live.js", "evil.example").0, 403, "server routes too");
}

#[test]
fn serves_pages_assets_redirects_and_the_site_404() {
    let server = Server::start(&[]);
    let (status, content_type, body) = server.get("/");
    assert_eq!((status, content_type.as_str()), (200, "text/html; charset=utf-8"));
    assert!(body.contains("<title>Serve Fixture</title>"), "{body}");
    assert!(body.contains("window.__handbookLive=") && body.contains("/__handbook/live.js"), "live script not injected");
    // Links point at this server, not at the configured base_url.
    assert!(body.contains(&format!("href=\"{}\"", server.url)), "canonical link is not local");
    let (status, content_type, css) = server.get("/css/handbook.css");
    assert_eq!((status, content_type.as_str()), (200, "text/css; charset=utf-8"));
    assert!(!css.contains("__handbookLive"));
    assert_eq!(server.get("/img/logo.txt"), (200, "text/plain; charset=utf-8".into(), "logo\n".into()));
    assert_eq!(server.get("/search/meta.json").1, "application/json; charset=utf-8");
    let (status, _, body) = server.get("/guide/");
    assert_eq!(status, 200);
    assert!(body.contains("Guide body marker ALPHA"));
    let (status, _, _) = server.get("/guide");
    assert_eq!(status, 308);
    let (status, content_type, body) = server.get("/no/such/page/");
    assert_eq!((status, content_type.as_str()), (404, "text/html; charset=utf-8"));
    assert!(body.contains("window.__handbookLive="), "the 404 page reloads too");
    let (_, _, site_404) = server.get("/404.html");
    assert_eq!(body, site_404, "a missing page gets the site's 404.html");
    // Nothing is written: the site is served from memory.
    assert!(!server.root.join("public").exists());
    let (status, _, script) = server.get("/__handbook/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
}

#[test]
fn in_place_atomic_and_delete_create_saves_each_reload_once_with_the_new_content() {
    let server = Server::start(&[]);
    let events = server.events();
    let first = events.next();
    assert_eq!(first.error, None);

    // In place: truncate and write the same file.
    let text = server.read("content/guide.md");
    server.write("content/guide.md", &text.replace("marker ALPHA", "marker IN-PLACE"));
    let second = events.next();
    assert_ne!(second.version, first.version);
    events.assert_quiet();
    assert!(server.get("/guide/").2.contains("marker IN-PLACE"));

    // Atomic: write a temp file beside it, rename over the original (vim, Helix, JetBrains).
    let tmp = server.root.join("content/.guide.md.tmp-4913");
    std::fs::write(&tmp, text.replace("marker ALPHA", "marker ATOMIC")).unwrap();
    std::fs::rename(&tmp, server.root.join("content/guide.md")).unwrap();
    let third = events.next();
    assert_ne!(third.version, second.version);
    events.assert_quiet();
    assert!(server.get("/guide/").2.contains("marker ATOMIC"));

    // Delete and create, with vim's backup and its `4913` probe file around it.
    std::fs::write(server.root.join("content/4913"), "").unwrap();
    std::fs::remove_file(server.root.join("content/4913")).unwrap();
    std::fs::rename(server.root.join("content/guide.md"), server.root.join("content/guide.md~")).unwrap();
    server.write("content/guide.md", &text.replace("marker ALPHA", "marker RECREATED"));
    std::fs::remove_file(server.root.join("content/guide.md~")).unwrap();
    let fourth = events.next();
    assert_ne!(fourth.version, third.version);
    events.assert_quiet();
    assert!(server.get("/guide/").2.contains("marker RECREATED"));

    // Editor droppings alone change nothing.
    server.write("content/.guide.md.swp", "swap");
    server.write("content/guide.md.bck", "backup");
    server.write("content/.#guide.md", "lock");
    events.assert_quiet();
}

#[test]
fn a_broken_save_shows_the_overlay_at_the_right_line_and_the_fix_clears_it() {
    let server = Server::start(&[]);
    let events = server.events();
    let good = events.next();
    let text = server.read("content/guide.md");
    server.write("content/guide.md", &text.replace("[other details](other.md#details)", "[other details](missing.md)"));
    let broken = events.next();
    // The last good site stays: same version, so pages do not reload into a broken state.
    assert_eq!(broken.version, good.version);
    let error = broken.error.expect("the overlay has the error");
    assert!(error.contains("error[broken-link]: link target `missing.md` does not exist"), "{error}");
    assert!(error.contains("--> content/guide.md:11:21"), "{error}");
    let (_, _, page) = server.get("/guide/");
    assert!(page.contains("marker ALPHA") && page.contains("/other/#details"), "the last good page is served");
    assert!(page.contains("content/guide.md:11:21"), "a page opened now shows the overlay too");
    let stderr = server.stderr_when(|s| s.contains("Rebuild failed"));
    assert!(stderr.contains("--> content/guide.md:11:21"), "the terminal shows it as `handbook check` does:\n{stderr}");

    server.write("content/guide.md", &text);
    let fixed = events.next();
    assert_eq!(fixed.error, None);
    assert_ne!(fixed.version, good.version, "the fix is a new build: open pages reload and the overlay is gone");
    assert!(server.get("/guide/").2.contains("\"error\":null"));
}

#[test]
fn a_burst_of_200_writes_is_one_rebuild() {
    let server = Server::start(&[]);
    let events = server.events();
    let before = events.next();
    std::fs::create_dir_all(server.root.join("content/burst")).unwrap();
    for i in 0..200 {
        server.write(&format!("content/burst/page-{i:03}.md"), &format!("---\ntitle: Burst {i}\n---\nBurst page {i}.\n"));
    }
    let after = events.next();
    assert_ne!(after.version, before.version);
    assert_eq!(after.error, None);
    events.assert_quiet();
    let (status, _, body) = server.get("/burst/page-199/");
    assert_eq!(status, 200);
    assert!(body.contains("Burst page 199."));
    let rebuilds = server
        .stderr_when(|s| s.matches("Rebuilt").count() >= 2)
        .lines()
        .filter(|l| l.starts_with("Rebuilt") || l.starts_with("Rebuild failed"))
        .count();
    assert_eq!(rebuilds, 2, "the first build and one rebuild:\n{}", server.stderr());
}

#[test]
fn traversal_attempts_get_400_or_404_and_never_a_byte_from_outside() {
    let server = Server::start(&[]);
    // A file beside the site, and the site's own sources, which are not part of the output.
    std::fs::write(server.dir.path().join("secret.txt"), "TOP-SECRET-MARKER").unwrap();
    let attempts = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/%2e%2e%5csecret.txt",
        "/..\\secret.txt",
        "/..\\..\\..\\etc\\passwd",
        "/guide/../../secret.txt",
        "/guide/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/etc/passwd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/handbook.toml",
        "/content/guide.md",
        "/index.html%00.txt",
        "/C:/Windows/win.ini",
        "/.%2e/.%2e/secret.txt",
        "http://localhost/../secret.txt",
    ];
    assert_eq!(attempts.len(), 20);
    // The raw client works: a real page comes back whole.
    let (status, body) = server.raw_get("/guide/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Guide body marker ALPHA"));
    for target in attempts {
        let (status, body) = server.raw_get(target);
        assert!(status == 400 || status == 404, "{target}: status {status}");
        let body = String::from_utf8_lossy(&body);
        for leak in ["TOP-SECRET-MARKER", "root:x:", "base_url = ", "Guide body marker"] {
            assert!(!body.contains(leak), "{target} leaked {leak}");
        }
    }
}

#[test]
fn a_site_that_fails_its_first_build_is_served_once_fixed() {
    let template = "themes/handbook/templates/page.html";
    let server = Server::start_with(&[], |root| {
        std::fs::create_dir_all(root.join("themes/handbook/templates")).unwrap();
        std::fs::write(root.join(template), "{% if %}broken{% endif %}").unwrap();
    });
    let events = server.events();
    let broken = events.next();
    let error = broken.error.expect("the first build failed");
    assert!(error.contains("template"), "{error}");
    let (status, content_type, body) = server.get("/guide/");
    assert_eq!((status, content_type.as_str()), (503, "text/html; charset=utf-8"));
    assert!(body.contains("window.__handbookLive=") && body.contains("template"), "the placeholder carries the overlay");

    std::fs::remove_file(server.root.join(template)).unwrap();
    let fixed = events.next();
    assert_eq!(fixed.error, None);
    assert_ne!(fixed.version, broken.version);
    let (status, _, body) = server.get("/guide/");
    assert_eq!(status, 200);
    assert!(body.contains("Guide body marker ALPHA"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly_even_with_a_browser_connected() {
    let mut server = Server::start(&[]);
    let events = server.events();
    events.next();
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
}

#[test]
fn binding_beyond_loopback_warns() {
    let server = Server::start(&["--bind", "0.0.0.0"]);
    assert!(server.url.starts_with("http://0.0.0.0:"), "{}", server.url);
    let stderr = server.stderr_when(|s| s.contains("first build"));
    assert!(stderr.contains("warning: listening on 0.0.0.0 is not limited to this machine"), "{stderr}");
    let quiet = Server::start(&[]);
    let stderr = quiet.stderr_when(|s| s.contains("first build"));
    assert!(!stderr.contains("warning: listening"), "{stderr}");
}

/// `--open` hands the served URL to the desktop's opener (`xdg-open` on Linux); a missing opener
/// is a warning, and the server keeps serving.
#[cfg(target_os = "linux")]
#[test]
fn open_hands_the_url_to_the_browser_opener_or_warns_without_one() {
    use std::os::unix::fs::PermissionsExt;
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let opener = bin.path().join("xdg-open");
    std::fs::write(&opener, format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap_or_default());
    let server = Server::start_env(&["--open"], &[("PATH", &path)]);
    let url = serve_support::wait_for("xdg-open to run", || std::fs::read_to_string(&opened).ok().filter(|s| !s.is_empty()));
    assert_eq!(url, server.url, "stderr:\n{}", server.stderr());

    let empty = tempfile::tempdir().unwrap();
    let server = Server::start_env(&["--open"], &[("PATH", &empty.path().display().to_string())]);
    let stderr = server.stderr_when(|s| s.contains("could not open a browser"));
    assert!(stderr.contains(&format!("open {} yourself", server.url)), "{stderr}");
    assert_eq!(server.get("/").0, 200, "the server keeps serving");
}
