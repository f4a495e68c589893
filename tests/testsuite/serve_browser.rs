//! `handbook serve` in a real browser: headless Chromium (Debian's `chromium`), driven over the
//! DevTools protocol. A page is opened, its Markdown edited on disk, and the new text must appear
//! with no action in the browser, at the same scroll position; a broken save shows the overlay
//! and the fix clears it. Without Chromium the test prints one `skipped:` line and passes, except
//! under CI (`CI` set), where it fails.

use crate::serve_support;

use serde_json::{json, Value};
use serve_support::{wait_for, Server};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use tungstenite::{Message, WebSocket};

/// Where Chromium is: `$CHROME`, else the first of Debian's and Google's names on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    let chrome = std::env::var("CHROME").unwrap_or_default();
    let names = [chrome.as_str(), "chromium", "chromium-browser", "google-chrome"];
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = names.into_iter().filter(|n| !n.is_empty()).find_map(|name| {
        if name.contains('/') {
            return Some(PathBuf::from(name)).filter(|p| p.is_file());
        }
        std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
    });
    found
}

const SKIPPED: &str = "skipped: Chromium not found; install Debian's `chromium` package to run the browser test";

/// Without a browser the test is skipped (`Ok(None)`), except under CI (`CI` set), where it
/// must run: there a missing browser is a failure.
fn browser_or_skip(found: Option<PathBuf>, ci: bool) -> Result<Option<PathBuf>, String> {
    match found {
        Some(path) => Ok(Some(path)),
        None if ci => Err("CI is set but Chromium was not found ($CHROME, or chromium, chromium-browser, google-chrome on PATH): install Debian's `chromium` package in the CI image".into()),
        None => Ok(None),
    }
}

/// The browser to drive, or `None` after printing the skip line. The line is written to stderr
/// directly, not with `eprintln!`, so that `cargo test` shows it although the test passes.
fn chromium() -> Option<PathBuf> {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    let found = browser_or_skip(find_chromium(), ci).unwrap_or_else(|message| panic!("{message}"));
    if found.is_none() {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "{SKIPPED}");
    }
    found
}

#[test]
fn a_missing_browser_skips_the_test_outside_ci_and_fails_it_under_ci() {
    assert_eq!(browser_or_skip(None, false), Ok(None));
    assert!(browser_or_skip(None, true).is_err_and(|m| m.contains("Chromium was not found")));
    let found = Some(PathBuf::from("/usr/bin/chromium"));
    assert_eq!(browser_or_skip(found.clone(), true), Ok(found.clone()));
    assert_eq!(browser_or_skip(found.clone(), false), Ok(found));
}

/// axe-core from the repository's `node_modules` (`npm ci`), or `None` after a skip line; under
/// CI its absence is a failure, as Chromium's is.
fn axe_core() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("CI is set but {} is missing: run `npm ci`", path.display())
        }
        Err(_) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "skipped: axe-core not found; run `npm ci` to run the accessibility test");
            None
        }
    }
}

struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    page: WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Browser {
    fn open(chromium: &Path, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(chromium)
            .args(["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
            .args(["--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=800,300"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let port = wait_for("Chromium to start", || {
            let text = std::fs::read_to_string(profile.path().join("DevToolsActivePort")).ok()?;
            text.lines().next()?.trim().parse::<u16>().ok()
        });
        let ws_url = wait_for("Chromium to start", || {
            let agent = Server::agent();
            let list: Value = serde_json::from_str(
                &agent.get(&format!("http://127.0.0.1:{port}/json/list")).call().ok()?.into_body().read_to_string().ok()?,
            )
            .ok()?;
            let page = list.as_array()?.iter().find(|t| t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with(url)))?;
            Some(page["webSocketDebuggerUrl"].as_str()?.to_string())
        });
        let (page, _) = tungstenite::connect(ws_url.as_str()).unwrap();
        let mut browser = Browser { child, _profile: profile, page, next_id: 0 };
        // A headless page is never the focused window; keys go to the focused element only
        // when it believes it is.
        browser.call("Emulation.setFocusEmulationEnabled", json!({ "enabled": true }));
        browser
    }

    /// Sends one DevTools command and returns its `result`.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let request = json!({ "id": id, "method": method, "params": params });
        self.page.send(Message::text(request.to_string())).unwrap();
        loop {
            let Message::Text(text) = self.page.read().unwrap() else { continue };
            let reply: Value = serde_json::from_str(&text).unwrap();
            if reply["id"] == id {
                return reply["result"].clone();
            }
        }
    }

    /// Evaluates `expression` in the page; `None` while the page is between documents.
    fn eval(&mut self, expression: &str) -> Option<Value> {
        let result = self.call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true }));
        result["result"].get("value").cloned().filter(|_| result["exceptionDetails"].is_null())
    }

    /// Evaluates `expression`, waiting for the promise it returns.
    fn eval_promise(&mut self, expression: &str) -> Value {
        let result = self.call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }));
        assert!(result["exceptionDetails"].is_null(), "{expression}: {}", result["exceptionDetails"]);
        result["result"]["value"].clone()
    }

    /// Presses and releases a key (`Enter`, ` `) on the focused element, as a keyboard would.
    fn press(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "Enter" => ("Enter", 13, "\r"),
            _ => ("Space", 32, " "),
        };
        for kind in ["keyDown", "keyUp"] {
            let text = if kind == "keyDown" { text } else { "" };
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": code, "windowsVirtualKeyCode": vk, "text": text, "unmodifiedText": text }),
            );
        }
    }

    /// Presses and releases a key that types nothing (`ArrowDown`: 40).
    fn press_key(&mut self, key: &str, code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call("Input.dispatchKeyEvent", json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code }));
        }
    }

    /// Loads `url` and waits until its scripts have run.
    fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_until("document.readyState === 'complete' && location.href", |v| v.as_str() == Some(url));
    }

    /// Emulates the OS colour scheme (`light` or `dark`).
    fn scheme(&mut self, scheme: &str) {
        self.call("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }));
    }

    /// Polls `expression` until `accept` holds for its value.
    fn wait_until(&mut self, expression: &str, accept: impl Fn(&Value) -> bool) -> Value {
        wait_for(&format!("`{expression}`"), || self.eval(expression).filter(|v| accept(v)))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A JS function of an element: the WCAG contrast ratio of its computed text colour on the
/// computed background it is drawn on (the first ancestor's that is not transparent, composited
/// over white when translucent).
const CONTRAST: &str = r#"(function contrast(el) {
  function rgba(s) { var m = s.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; }
  function lum(c) {
    function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  }
  function over(top, under) {
    return { r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 };
  }
  var layers = [];
  for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
    var c = rgba(getComputedStyle(n).backgroundColor);
    if (c.a > 0) layers.push(c);
    if (c.a >= 1) break;
  }
  var bg = { r: 255, g: 255, b: 255, a: 1 };
  for (var i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
  var fg = over(rgba(getComputedStyle(el).color), bg);
  var a = lum(fg), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
})"#;

/// The lowest contrast ratio of the overlay's text: its title, the error and the button.
fn overlay_contrast(browser: &mut Browser) -> f64 {
    let expression = format!(
        "Math.min.apply(null, ['#handbook-error-overlay .handbook-error-title', '#handbook-error-text', '#handbook-error-overlay button']\
         .map(function (s) {{ return {CONTRAST}(document.querySelector(s)); }}))"
    );
    browser.wait_until(&expression, Value::is_number).as_f64().unwrap()
}

/// Adds `markdown` at the end of the serve fixture's `runbooks/rotate.md` (before the server starts).
fn append_to_rotate(root: &Path, markdown: &str) {
    let path = root.join("content/runbooks/rotate.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, text + markdown).unwrap();
}

fn edit(root: &Path, from: &str, to: &str) {
    let path = root.join("content/guide.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn an_open_page_shows_the_edit_by_itself_and_the_overlay_comes_and_goes() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start(&[]);
    let mut browser = Browser::open(&chromium, &format!("{}guide/", server.url));
    let text = "document.body ? document.body.innerText : ''";
    browser.wait_until(text, |v| v.as_str().is_some_and(|t| t.contains("marker ALPHA")));
    // Wait for the live-reload stream, then scroll down a little.
    browser.wait_until("window.__handbookLive && document.readyState", |v| v == "complete");
    // A search before the edit loads the index's pieces for the word; the swap must drop them.
    let search = |word: &str| {
        format!("var i = document.getElementById('search-input'); i.focus({{ preventScroll: true }}); i.value = '{word}'; i.dispatchEvent(new Event('input')); 0")
    };
    let results = "Array.prototype.map.call(document.querySelectorAll('#search-results li'), function (li) { \
                   var a = li.querySelector('a'); return a ? a.pathname : li.textContent; })";
    browser.eval(&search("editor"));
    browser.wait_until(results, |v| *v == json!(["No results"]));
    browser.eval("var i = document.getElementById('search-input'); i.value = ''; i.dispatchEvent(new Event('input')); i.blur(); 0");
    let scrolled = browser.wait_until("window.scrollTo(0, 120); window.scrollY", |v| v.as_f64().is_some_and(|y| y > 0.0));

    // A content save: the new text goes in place, without a reload (the page's own state,
    // such as this variable, survives), at the same scroll position, with the theme's
    // enhancements on the new content.
    browser.eval("window.__samePage = true; 0");
    edit(&server.root, "Line kept for line numbers.", "Line kept for line numbers.\n\n```sh\necho swapped\n```");
    edit(&server.root, "marker ALPHA", "marker FROM-THE-EDITOR");
    browser.wait_until(text, |v| v.as_str().is_some_and(|t| t.contains("marker FROM-THE-EDITOR")));
    assert_eq!(browser.eval("window.__samePage === true").unwrap(), json!(true), "the content was swapped in place, not reloaded");
    assert_eq!(browser.eval("window.scrollY").unwrap(), scrolled, "the swap keeps the scroll position");
    browser.wait_until("document.querySelectorAll('main .copy-button').length", |v| v == 1);
    browser.eval(&search("editor"));
    browser.wait_until(results, |v| *v == json!(["/guide/"]));
    browser.eval("var i = document.getElementById('search-input'); i.value = ''; i.dispatchEvent(new Event('input')); i.blur(); 0");

    // A stylesheet change reloads the page whole, still at the same scroll position.
    let css = server.root.join("static/extra.css");
    std::fs::write(&css, "body { outline: 0 }").unwrap();
    browser.wait_until("window.__samePage === undefined && document.readyState === 'complete'", |v| v == true);
    let y = browser.wait_until("window.scrollY", |v| v.is_number());
    assert_eq!(y, scrolled, "the reload keeps the scroll position");

    edit(&server.root, "[other details](other.md#details)", "[other details](missing.md)");
    let overlay = "(document.getElementById('handbook-error-text') || {}).textContent || ''";
    let shown = browser.wait_until(overlay, |v| v.as_str().is_some_and(|t| !t.is_empty()));
    assert!(shown.as_str().unwrap().contains("content/guide.md:11:21"), "{shown}");
    // Readable in both schemes, and whichever the theme toggle chose (WCAG AA: 4.5:1).
    for (scheme, chosen) in [("light", ""), ("dark", ""), ("light", "dark"), ("dark", "light")] {
        browser.scheme(scheme);
        browser.eval(&format!("document.documentElement.setAttribute('data-theme', '{chosen}')"));
        let ratio = overlay_contrast(&mut browser);
        assert!(ratio >= 4.5, "overlay contrast {ratio:.2}:1 with the OS in {scheme} mode and the toggle at `{chosen}`");
    }
    browser.eval("document.documentElement.removeAttribute('data-theme')");
    edit(&server.root, "[other details](missing.md)", "[other details](other.md#details)");
    browser.wait_until(overlay, |v| v.as_str() == Some(""));
    let body = browser.wait_until(text, |v| v.as_str().is_some_and(|t| t.contains("marker FROM-THE-EDITOR")));
    assert!(body.as_str().unwrap().contains("other details"));
}

#[test]
fn reading_aids_work_in_the_browser() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start_with(&[], |root| append_to_rotate(root, "\n## Steps\n\n```sh\necho copied-text\n```\n"));
    let url = format!("{}runbooks/rotate/", server.url);
    let mut browser = Browser::open(&chromium, &url);
    browser.wait_until("document.readyState === 'complete' && !!document.querySelector('.copy-button')", |v| v == true);

    // Previous and next follow the section order: the section, then its pages.
    let rel = "[document.querySelector('a[rel=prev]').pathname, document.querySelector('a[rel=next]').pathname]";
    assert_eq!(browser.eval(rel).unwrap(), json!(["/runbooks/", "/runbooks/triage/"]));

    // The copy button copies the code block's text (the clipboard is observed, not read).
    browser
        .eval("window.__copied = null; navigator.clipboard.writeText = function (t) { window.__copied = t; return Promise.resolve(); }; 0");
    browser.eval("document.querySelector('.copy-button').click()");
    assert_eq!(browser.wait_until("window.__copied", Value::is_string), json!("echo copied-text"));
    browser.wait_until("document.querySelector('.copy-button').textContent", |v| v == "Copied");

    // The heading's anchor is a link the keyboard reaches and a screen reader names.
    let anchor = "(function (a) { a.focus(); return [a.getAttribute('href'), a.hasAttribute('aria-hidden'), document.activeElement === a, \
                  a.querySelector('[aria-hidden=true]').textContent, a.querySelector('.visually-hidden').textContent]; })(document.querySelector('#steps a.anchor'))";
    assert_eq!(browser.eval(anchor).unwrap(), json!(["#steps", false, true, "#", "Link to this section"]));

    // The sidebar's open section folds and unfolds from the keyboard, and stays folded on the
    // next page.
    // (A desktop window: on a narrow one the sidebar is behind the menu button.)
    browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false }));
    let fold = "document.querySelector('.sidebar li.expanded > .nav-fold')";
    let state = format!("[{fold}.getAttribute('aria-expanded'), document.getElementById({fold}.getAttribute('aria-controls')).hidden]");
    assert_eq!(browser.eval(&state).unwrap(), json!(["true", false]));
    browser.eval(&format!("{fold}.focus()"));
    browser.press("Enter");
    assert_eq!(browser.eval(&state).unwrap(), json!(["false", true]));
    browser.goto(&format!("{}runbooks/triage/", server.url));
    assert_eq!(browser.eval(&state).unwrap(), json!(["false", true]), "the fold is remembered across pages");
    browser.eval(&format!("{fold}.focus()"));
    browser.press(" ");
    assert_eq!(browser.eval(&state).unwrap(), json!(["true", false]));

    // A section off the way to this page opens too: its list comes from its own page, and it
    // stays open on the next page.
    browser.goto(&format!("{}guide/", server.url));
    let runbooks = "Array.prototype.filter.call(document.querySelectorAll('.sidebar li.nav-section'), function (li) { \
                    return /runbooks\\/$/.test(li.querySelector('a').getAttribute('href')); })[0]";
    let listed = format!("(function (li) {{ var b = li.querySelector(':scope > .nav-fold'), ul = li.querySelector(':scope > ul'); \
                          return [b.getAttribute('aria-expanded'), ul.hidden, Array.prototype.map.call(ul.querySelectorAll('a'), function (a) {{ return a.textContent; }})]; }})({runbooks})");
    assert_eq!(browser.eval(&listed).unwrap(), json!(["false", true, []]));
    browser.eval(&format!("{runbooks}.querySelector('.nav-fold').focus()"));
    browser.press("Enter");
    let open = json!(["true", false, ["Rotate secrets", "Triage"]]);
    assert_eq!(browser.wait_until(&listed, |v| v[2].as_array().is_some_and(|a| !a.is_empty())), open);
    browser.goto(&format!("{}other/", server.url));
    assert_eq!(browser.wait_until(&listed, |v| v[2].as_array().is_some_and(|a| !a.is_empty())), open, "remembered");

    // Search finds a word that is only in page bodies, on every page that has it ("steps": the
    // two runbooks), with the section and an excerpt that marks it; arrows and Enter open one.
    browser.eval("var i = document.getElementById('search-input'); i.focus(); i.value = 'steps'; i.dispatchEvent(new Event('input')); 0");
    let results = "Array.prototype.map.call(document.querySelectorAll('#search-results a'), function (a) { return a.pathname; }).sort()";
    assert_eq!(
        browser.wait_until(results, |v| v.as_array().is_some_and(|a| !a.is_empty())),
        json!(["/runbooks/rotate/", "/runbooks/triage/"])
    );
    let triage = "(function (a) { return [a.querySelector('.result-section').textContent, a.querySelector('.result-desc mark').textContent, a.querySelector('.result-desc').textContent]; })\
                  (document.querySelector('#search-results a[href$=\"/triage/\"]'))";
    // The excerpt comes with the page's chunk, after the list.
    assert_eq!(browser.wait_until(triage, Value::is_array), json!(["Runbooks", "steps", "Triage steps go here."]));
    browser.press_key("ArrowDown", 40);
    let first = browser.eval("document.querySelector('#search-results a.active').href").unwrap();
    browser.press("Enter");
    browser.wait_until("document.readyState === 'complete' && location.href", |v| *v == first);

    // The theme toggle: system → light → dark, remembered on the next page, with the OS light.
    browser.scheme("light");
    let background = "getComputedStyle(document.body).backgroundColor";
    assert_eq!(browser.eval(background).unwrap(), json!("rgb(255, 255, 255)"));
    browser.eval("document.querySelector('.theme-toggle').click(); document.querySelector('.theme-toggle').click()");
    assert_eq!(browser.eval("document.documentElement.dataset.theme").unwrap(), json!("dark"));
    browser.goto(&url);
    assert_eq!(browser.eval("document.documentElement.dataset.theme").unwrap(), json!("dark"));
    assert_eq!(browser.eval(background).unwrap(), json!("rgb(17, 19, 24)"));
    assert_eq!(browser.eval("document.querySelector('.theme-toggle').textContent").unwrap(), json!("Theme: Dark"));
    browser.eval("document.querySelector('.theme-toggle').click()");
    assert_eq!(
        browser.eval("[document.documentElement.hasAttribute('data-theme'), localStorage.getItem('handbook-theme')]").unwrap(),
        json!([false, null])
    );
}

#[test]
fn a_mermaid_fence_becomes_a_diagram_in_the_readers_scheme() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start_with(&[], |root| append_to_rotate(root, "\n```mermaid\nflowchart LR\n  Report --> Triage\n```\n"));
    let mut browser = Browser::open(&chromium, &format!("{}runbooks/rotate/", server.url));
    let diagram = "(function (d) { return d && d.querySelector('svg') ? d.querySelector('svg').outerHTML : null; })(document.querySelector('.diagram'))";
    let light = browser.wait_until(diagram, Value::is_string);
    assert!(light.as_str().unwrap().contains("Triage"), "the diagram draws the fence's nodes");
    assert_eq!(
        browser.eval("getComputedStyle(document.querySelector('pre[data-lang=mermaid]')).display").unwrap(),
        json!("none"),
        "the source gives way to the diagram"
    );
    // The Mermaid script is the theme's own copy, loaded only here.
    let scripts =
        "Array.prototype.map.call(document.scripts, function (s) { return s.src; }).filter(function (s) { return /mermaid/.test(s); })";
    assert_eq!(browser.eval(scripts).unwrap(), json!([format!("{}js/vendor/mermaid-11.17.2.min.js", server.url)]));
    browser.eval("document.querySelector('.theme-toggle').click(); document.querySelector('.theme-toggle').click()");
    assert_eq!(browser.eval("document.documentElement.dataset.theme").unwrap(), json!("dark"));
    browser.wait_until(diagram, |v| v.is_string() && *v != light);

    browser.goto(&format!("{}runbooks/triage/", server.url));
    assert_eq!(browser.eval(scripts).unwrap(), json!([]), "a page without a diagram does not load Mermaid");
}

#[test]
fn on_a_phone_the_contents_fold_above_the_page_and_wide_tables_show_they_scroll() {
    let Some(chromium) = chromium() else { return };
    let server = Server::start_with(&[], |root| {
        let header = (1..=8).map(|i| format!("| Column heading {i} ")).collect::<String>() + "|\n";
        let rule = "| --- ".repeat(8) + "|\n";
        let row = (1..=8).map(|i| format!("| value-number-{i}-is-long ")).collect::<String>() + "|\n";
        append_to_rotate(root, &format!("\n## First\n\n{header}{rule}{row}\n## Second\n\nText.\n"));
    });
    let url = format!("{}runbooks/rotate/", server.url);
    let mut browser = Browser::open(&chromium, &url);
    let state = "[document.querySelector('.toc-fold').open, document.querySelector('.content table').className, \
                 document.querySelector('.content table').getAttribute('tabindex')]";
    // A phone: the contents are folded (before the first paint), the table scrolls and says so.
    browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": 390, "height": 800, "deviceScaleFactor": 2, "mobile": true }));
    browser.goto(&url);
    assert_eq!(browser.wait_until(state, |v| v[1] == "scrolls").clone(), json!([false, "scrolls", "0"]));
    let shadow = "getComputedStyle(document.querySelector('.content table')).boxShadow";
    assert!(browser.eval(shadow).unwrap().as_str().unwrap().contains("inset"), "the edge shadow shows there is more");
    // The reader opens the contents from their summary.
    browser.eval("document.querySelector('.toc-fold summary').click()");
    assert_eq!(browser.eval("document.querySelector('.toc-fold').open").unwrap(), json!(true));

    // A desktop: the contents are open beside the page, and the table fits.
    browser.call("Emulation.setDeviceMetricsOverride", json!({ "width": 1400, "height": 800, "deviceScaleFactor": 1, "mobile": false }));
    browser.goto(&url);
    assert_eq!(browser.wait_until(state, |v| v[1] == "").clone(), json!([true, "", null]));
}

#[test]
fn axe_core_finds_no_violation_on_any_page_in_light_or_dark() {
    let Some(chromium) = chromium() else { return };
    let Some(axe) = axe_core() else { return };
    let server = Server::start_with(&[], |root| {
        // A page with what the theme adds most to: code, a task list, a wide table, a diagram.
        let table = format!("{}|\n{}|\n{}|\n", "| Column heading ".repeat(8), "| --- ".repeat(8), "| value-long-value ".repeat(8));
        let extra = format!(
            "\n## Steps\n\n- [x] rotated\n- [ ] told\n\n```sh\necho {}\n```\n\n{table}\n```mermaid\nflowchart LR\n  A -->|then| B\n```\n",
            "x".repeat(200)
        );
        append_to_rotate(root, &extra);
    });
    let (_, _, sitemap) = server.get("/sitemap.xml");
    let pages: Vec<&str> = sitemap.split("<loc>").skip(1).filter_map(|s| s.split("</loc>").next()).collect();
    assert!(pages.len() >= 6, "{sitemap}");
    let mut browser = Browser::open(&chromium, &server.url);
    let run = "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })\
               .then(function (r) { return r.violations.map(function (v) { return v.id + ' ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', '); }); })";
    let mut found = Vec::new();
    for (width, mobile) in [(1280, false), (390, true)] {
        browser
            .call("Emulation.setDeviceMetricsOverride", json!({ "width": width, "height": 800, "deviceScaleFactor": 1, "mobile": mobile }));
        for scheme in ["light", "dark"] {
            browser.scheme(scheme);
            for page in &pages {
                browser.goto(page);
                if page.ends_with("/runbooks/rotate/") {
                    browser.wait_until("!!document.querySelector('.diagram svg')", |v| v == true);
                }
                browser.eval(&axe);
                for violation in browser.eval_promise(run).as_array().unwrap() {
                    found.push(format!("{page} ({scheme}, {width}px): {}", violation.as_str().unwrap()));
                }
            }
        }
    }
    assert!(found.is_empty(), "axe-core violations:\n{}", found.join("\n"));
}
