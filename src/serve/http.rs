//! Serve stage: the HTTP side. Files come from the published in-memory [`Snapshot`]; HTML gets
//! the live-reload script; `/__handbook/events` streams the build state as Server-Sent Events.

use super::request_path::SitePath;
use super::site::Files;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;

/// Paths under this prefix belong to the server, not the site.
pub const RESERVED_PREFIX: &str = "/__handbook/";
const LIVE_JS: &str = include_str!("live.js");

/// What the server shows: the last good site, and the error of the latest rebuild if it failed.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Changes with every good build; a page whose version differs is out of date.
    pub version: String,
    /// The version of the last good build that changed more than content (templates, assets,
    /// configuration): a page from an older layout reloads whole, a newer one swaps its content.
    pub layout: String,
    pub files: Arc<Files>,
    /// Diagnostics of the latest rebuild as on the terminal, when it failed.
    pub error: Option<String>,
}

#[derive(Clone)]
pub struct AppState {
    pub snapshots: watch::Receiver<Arc<Snapshot>>,
    pub shutdown: watch::Receiver<bool>,
    /// Host names besides `localhost` and IP addresses that requests may name (`--allowed-host`).
    pub allowed_hosts: Arc<Vec<String>>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/__handbook/events", get(events))
        .route("/__handbook/live.js", get(live_js))
        .fallback(get(site_file))
        .layer(axum::middleware::from_fn_with_state(state.clone(), check_host))
        .with_state(state)
        // A preview must never show a cached page from before the last save.
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}

/// Refuses a request whose `Host` is a name the user did not allow: a web page the user visits
/// could otherwise read the preview by pointing its own domain at 127.0.0.1 (DNS rebinding).
/// IP addresses cannot be rebound, so they pass, as do `localhost` and its subdomains (Vite's
/// `allowedHosts` rule).
async fn check_host(State(state): State<AppState>, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    match host {
        Some(host) if host_allowed(host, &state.allowed_hosts) => next.run(request).await,
        _ => (
            StatusCode::FORBIDDEN,
            "403 Forbidden: this preview answers only requests for localhost, an IP address, or a name given with --allowed-host\n",
        )
            .into_response(),
    }
}

/// Whether a `Host` header value (`name[:port]`) names this server for sure.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => return rest.split(']').next().is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok()),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name.parse::<std::net::Ipv4Addr>().is_ok()
        || name == "localhost"
        || name.ends_with(".localhost")
        || allowed.iter().any(|a| a.trim_end_matches('.').eq_ignore_ascii_case(&name))
}

async fn site_file(State(state): State<AppState>, uri: Uri) -> Response {
    let snapshot = state.snapshots.borrow().clone();
    respond(&snapshot, uri.path())
}

/// The response for a raw (percent-encoded) request path.
pub fn respond(snapshot: &Snapshot, raw_path: &str) -> Response {
    let path = match SitePath::parse(raw_path) {
        Ok(path) => path,
        Err(why) => return (StatusCode::BAD_REQUEST, format!("bad request path ({why:?})\n")).into_response(),
    };
    let files = &snapshot.files;
    if files.is_empty() {
        return html_response(StatusCode::SERVICE_UNAVAILABLE, NO_SITE.as_bytes(), snapshot);
    }
    let key = path.key();
    if let Some(bytes) = files.get(&key) {
        return file_response(&key, bytes, snapshot);
    }
    if path.folder_index_key().is_some_and(|index| files.contains_key(&index)) {
        return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, path.with_slash())]).into_response();
    }
    match files.get("404.html") {
        Some(page) => html_response(StatusCode::NOT_FOUND, page, snapshot),
        None => (StatusCode::NOT_FOUND, "404 Not Found\n").into_response(),
    }
}

const NO_SITE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
<body><h1>The site has not built yet</h1><p>Fix the errors shown here and on the terminal; this page reloads itself.</p></body></html>";

fn file_response(key: &str, bytes: &Bytes, snapshot: &Snapshot) -> Response {
    let mime = content_type(key);
    if mime.starts_with("text/html") {
        return html_response(StatusCode::OK, bytes, snapshot);
    }
    ([(header::CONTENT_TYPE, mime)], Body::from(bytes.clone())).into_response()
}

fn html_response(status: StatusCode, html: &[u8], snapshot: &Snapshot) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8".to_string())], inject(html, snapshot)).into_response()
}

/// The content type of an output file, with a charset for text.
pub fn content_type(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    if !name.contains('.') {
        return "text/plain; charset=utf-8".to_string(); // `_redirects`
    }
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || [mime_guess::mime::JAVASCRIPT, mime_guess::mime::JSON, mime_guess::mime::XML].contains(&mime.subtype())
        || mime.suffix() == Some(mime_guess::mime::XML);
    if text && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// The page with the live-reload script before `</body>` (or at the end).
pub fn inject(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let boot = state_json(snapshot);
    // `<` escaped so nothing in an error message can close the script element.
    let boot = boot.to_string().replace('<', "\\u003c");
    let tag = format!("<script>window.__handbookLive={boot};</script><script src=\"{RESERVED_PREFIX}live.js\"></script>\n");
    let at = find_last_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?).rev().find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

async fn live_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS)
}

/// The state now, then after every change, until the server shuts down.
async fn events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let AppState { snapshots, shutdown, .. } = state;
    let stream = futures_util::stream::unfold((snapshots, shutdown, true), |(mut snapshots, mut shutdown, first)| async move {
        if !first {
            tokio::select! {
                changed = snapshots.changed() => changed.ok()?,
                _ = shutdown.wait_for(|&stop| stop) => return None,
            }
        }
        let snapshot = snapshots.borrow_and_update().clone();
        let mut event = Event::default().event("state").data(state_json(&snapshot));
        if first {
            event = event.retry(Duration::from_millis(500));
        }
        Some((Ok(event), (snapshots, shutdown, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

pub fn state_json(snapshot: &Snapshot) -> String {
    serde_json::json!({ "version": snapshot.version, "layout": snapshot.layout, "error": snapshot.error }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_rebinding_hosts_are_refused() {
        let allowed = vec!["preview.internal".to_string()];
        for ok in ["127.0.0.1:1111", "localhost:1111", "LOCALHOST", "app.localhost:80", "[::1]:1111", "10.0.0.5", "preview.internal:1111"] {
            assert!(host_allowed(ok, &allowed), "{ok}");
        }
        for bad in ["evil.example:1111", "evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "[evil]", ""] {
            assert!(!host_allowed(bad, &allowed), "{bad}");
        }
    }

    fn snapshot(files: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            version: "v1".into(),
            layout: "v1".into(),
            files: Arc::new(files.iter().map(|(k, v)| (k.to_string(), Bytes::from(v.to_string()))).collect()),
            error: Some("error </script><b>".into()),
        }
    }

    #[test]
    fn script_goes_before_the_last_body_close_and_cannot_be_broken_out_of() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>", &snapshot(&[]))).unwrap();
        assert!(out.contains("<p>x</p><script>window.__handbookLive={"), "{out}");
        assert!(out.ends_with("</script>\n</BODY></html>"), "{out}");
        assert!(!out.contains("</script><b>"), "{out}");
        assert!(String::from_utf8(inject(b"no body", &snapshot(&[]))).unwrap().starts_with("no body<script>"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/x.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("js/search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("search/meta.json"), "application/json; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("x/flow.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("img/a.png"), "image/png");
        assert_eq!(content_type("_redirects"), "text/plain; charset=utf-8");
    }

    #[test]
    fn lookups_redirects_and_404() {
        let snap = snapshot(&[("index.html", "<body>home</body>"), ("a/index.html", "<body>a</body>"), ("404.html", "<body>gone</body>")]);
        assert_eq!(respond(&snap, "/").status(), StatusCode::OK);
        assert_eq!(respond(&snap, "/a/").status(), StatusCode::OK);
        let redirect = respond(&snap, "/a");
        assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(redirect.headers()[header::LOCATION], "/a/");
        assert_eq!(respond(&snap, "/nope/").status(), StatusCode::NOT_FOUND);
        assert_eq!(respond(&snap, "/%2e%2e/etc/passwd").status(), StatusCode::BAD_REQUEST);
    }
}
