//! Serve stage: `handbook serve`, the live-reloading preview. One thread owns the in-memory site
//! and rebuilds it when the watcher reports a burst of changes; it publishes each result as an
//! immutable [`Snapshot`] on a `watch` channel, which the HTTP handlers and the event streams read.
//! A failed rebuild publishes the last good files with the error, so the overlay shows on top of
//! the last good site.

pub mod http;
pub mod request_path;
pub mod site;
pub mod watch;

pub use http::Snapshot;
pub use site::{Files, LiveSite, Rebuilt};

use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::sync::Arc;

/// `handbook serve`: builds the site into memory, serves it on `bind:port` (`0` picks a free
/// port) until Ctrl-C, and rebuilds on every change under the site's source folders.
pub fn run(options: &crate::BuildOptions, bind: &str, port: u16, open: bool, allowed_hosts: &[String]) -> Result<()> {
    let listener =
        std::net::TcpListener::bind((bind, port)).map_err(|e| Error::Usage(format!("cannot listen on {bind} port {port}: {e}")))?;
    let addr = listener.local_addr().map_err(|source| Error::Io { action: "listen on", path: bind.into(), source })?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {} is not limited to this machine: anyone who can reach port {} can read the site, drafts included",
            addr.ip(),
            addr.port()
        );
    }
    // Links and permalinks point at this server, as with `hugo server` and `zola serve`.
    let options = crate::BuildOptions { base_url: Some(format!("http://{addr}/")), output: None, ..options.clone() };
    // Watch before the first build, so a save during it is not lost.
    let watcher = watch::Watcher::start(&options.root)?;
    let mut site = LiveSite::new(options);
    let mut printer = Printer::new();
    let first = site.rebuild_all("first build");
    // A missing or invalid handbook.toml ends the command; errors in the site are shown in the
    // pages until they are fixed.
    let first = match first {
        Err(e) if e.exit_code() == 2 => return Err(e),
        other => other,
    };
    let instance = instance_id();
    let mut publisher = Publisher::new(instance);
    let snapshot = publisher.publish(&site, &first, true);
    printer.report("first build", &first);
    let (snapshots_tx, snapshots) = tokio::sync::watch::channel(Arc::new(snapshot));
    std::thread::Builder::new()
        .name("handbook-rebuild".into())
        // Renders like a rayon worker, so gets the same deep stack (see main.rs).
        .stack_size(64 << 20)
        .spawn(move || rebuild_loop(site, watcher, publisher, printer, snapshots_tx))
        .map_err(|source| Error::Io { action: "start the rebuild thread for", path: "serve".into(), source })?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|source| Error::Io {
        action: "start the server for",
        path: "serve".into(),
        source,
    })?;
    runtime.block_on(serve(listener, addr, snapshots, open, Arc::new(allowed_hosts.to_vec())))
}

async fn serve(
    listener: std::net::TcpListener,
    addr: SocketAddr,
    snapshots: tokio::sync::watch::Receiver<Arc<Snapshot>>,
    open: bool,
    allowed_hosts: Arc<Vec<String>>,
) -> Result<()> {
    let io_error = |source| Error::Io { action: "serve on", path: addr.to_string().into(), source };
    listener.set_nonblocking(true).map_err(io_error)?;
    let listener = tokio::net::TcpListener::from_std(listener).map_err(io_error)?;
    let (shutdown_tx, shutdown) = tokio::sync::watch::channel(false);
    let app = http::router(http::AppState { snapshots, shutdown, allowed_hosts });
    let url = format!("http://{addr}/");
    println!("Serving on {url}");
    let _ = std::io::stdout().flush();
    if open {
        open_browser(&url);
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            stop_signal().await;
            eprintln!("Stopping.");
            // Ends the event streams, which would otherwise keep the shutdown waiting.
            let _ = shutdown_tx.send(true);
        })
        .await
        .map_err(io_error)
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn rebuild_loop(
    mut site: LiveSite,
    mut watcher: watch::Watcher,
    mut publisher: Publisher,
    mut printer: Printer,
    snapshots: tokio::sync::watch::Sender<Arc<Snapshot>>,
) {
    while let Some(changes) = watcher.next_burst() {
        let what = changes.describe();
        let result = if changes.rescan { site.rebuild_all(&what) } else { site.update(&changes.paths) };
        let snapshot = publisher.publish(&site, &result, changes.rescan || !changes.paths.iter().all(|p| is_content(p)));
        // Published before printing: the reload must not wait for the terminal.
        snapshots.send_replace(Arc::new(snapshot));
        printer.report(&what, &result);
    }
}

/// Turns rebuild results into snapshots: a good build gets a new version and becomes the
/// last good site; a failed one keeps the last good files and carries the error.
struct Publisher {
    instance: String,
    build: u64,
    last_good: Arc<site::Files>,
    /// The version of the last good build whose change reached past content.
    layout: String,
    /// A change since the last good build reached past content (templates, assets, config).
    layout_pending: bool,
}

/// A change to a page's Markdown under `content/`, or under `data/` (paths relative to the site
/// root), changes what pages say, not how every page looks: an open page swaps its content in
/// place. Anything else, an image beside a page included, reloads it.
fn is_content(path: &std::path::Path) -> bool {
    match path.components().next() {
        Some(std::path::Component::Normal(first)) if first == "data" => true,
        Some(std::path::Component::Normal(first)) if first == "content" => path.extension().is_some_and(|e| e == "md"),
        _ => false,
    }
}

impl Publisher {
    fn new(instance: String) -> Publisher {
        Publisher { instance, build: 0, last_good: Arc::new(site::Files::new()), layout: String::new(), layout_pending: false }
    }

    fn publish(&mut self, site: &LiveSite, result: &Result<Rebuilt>, layout_changed: bool) -> Snapshot {
        self.layout_pending |= layout_changed;
        let first = self.build == 0;
        let error = match result {
            Ok(rebuilt) if !rebuilt.has_errors() => None,
            Ok(rebuilt) => Some(overlay_text(&rebuilt.diagnostics, None)),
            Err(e) => Some(overlay_text(e.diagnostics(), Some(e))),
        };
        // With no good build yet, the first render (errors and all) beats an empty site.
        if error.is_none() || first {
            self.build += 1;
            self.last_good = Arc::new(site.files().cloned().unwrap_or_default());
            if std::mem::take(&mut self.layout_pending) {
                self.layout = format!("{}-{}", self.instance, self.build);
            }
        }
        let version = format!("{}-{}", self.instance, self.build);
        Snapshot { version, layout: self.layout.clone(), files: self.last_good.clone(), error }
    }
}

/// The errors as the terminal shows them (no color), then the error that stopped the build.
fn overlay_text(list: &[Diagnostic], error: Option<&Error>) -> String {
    let errors: Vec<Diagnostic> = list.iter().filter(|d| d.is_error()).cloned().collect();
    let mut text = diagnostics::render_text(&errors, false);
    if let Some(e) = error {
        text.push_str(&format!("error: {}\n", crate::error::chain(e)));
    } else if let Some(summary) = diagnostics::summary_line(&errors) {
        text.push_str(&summary);
        text.push('\n');
    }
    text
}

/// The terminal side: one line per rebuild, errors every time, warnings when they are new.
struct Printer {
    color: bool,
    seen_warnings: HashSet<String>,
}

impl Printer {
    fn new() -> Printer {
        Printer { color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(), seen_warnings: HashSet::new() }
    }

    fn report(&mut self, what: &str, result: &Result<Rebuilt>) {
        match result {
            Ok(rebuilt) => {
                let mut warnings_now = HashSet::new();
                let shown: Vec<Diagnostic> = rebuilt
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        let key = warning_key(d);
                        let new = !self.seen_warnings.contains(&key);
                        warnings_now.insert(key);
                        d.is_error() || new
                    })
                    .cloned()
                    .collect();
                self.seen_warnings = warnings_now;
                eprint!("{}", diagnostics::render_text(&shown, self.color));
                let (errors, warnings) = diagnostics::count(&rebuilt.diagnostics);
                let pages = match &rebuilt.full {
                    Some(_) => format!("all {} pages rendered", rebuilt.pages_rendered),
                    None => format!("{} page{} rendered", rebuilt.pages_rendered, if rebuilt.pages_rendered == 1 { "" } else { "s" }),
                };
                let ms = rebuilt.elapsed.as_secs_f64() * 1000.0;
                let full_why = rebuilt.full.as_deref().filter(|why| *why != what).map(|why| format!("; {why}")).unwrap_or_default();
                if errors > 0 {
                    eprintln!(
                        "Rebuild failed in {ms:.0} ms ({what}{full_why}): {pages}, {errors} error{}, {warnings} warnings; the overlay shows the errors",
                        if errors == 1 { "" } else { "s" }
                    );
                } else {
                    eprintln!("Rebuilt in {ms:.0} ms ({what}{full_why}): {pages}, {warnings} warnings");
                }
            }
            Err(e) => {
                eprint!("{}", diagnostics::render_text(e.diagnostics(), self.color));
                eprintln!("Rebuild failed ({what}): {}; still serving the last good build", crate::error::chain(e));
            }
        }
    }
}

fn warning_key(d: &Diagnostic) -> String {
    let (line, column) = d.line_col();
    format!("{}:{line}:{column}:{}:{}", d.file.display(), d.code, d.message)
}

/// Distinguishes this server's builds from another run's, so a page left open across a restart
/// reloads.
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{:x}{:x}", std::process::id(), nanos)
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn();
    if let Err(e) = spawned {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::is_content;
    use std::path::Path;

    #[test]
    fn only_content_and_data_changes_swap_pages_in_place() {
        for swap in ["content/a.md", "content/runbooks/_index.md", "data/stages.yml"] {
            assert!(is_content(Path::new(swap)), "{swap}");
        }
        let reloads = ["handbook.toml", "themes/handbook/static/css/handbook.css", "templates/page.html", "contented/a.md", "static/x.js"];
        for reload in reloads.into_iter().chain(["content/bundle/diagram.png", "content/notes.txt"]) {
            assert!(!is_content(Path::new(reload)), "{reload}");
        }
    }
}
