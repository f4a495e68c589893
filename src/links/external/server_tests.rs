//! Check stage: end-to-end tests of `check_urls` against a tiny HTTP server on 127.0.0.1 (no
//! other host is ever contacted).

use super::*;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

/// What the server saw, shared with the test.
#[derive(Default)]
struct Seen {
    /// (method, path, user-agent) per request, in arrival order.
    requests: Mutex<Vec<(String, String, String)>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

struct TestServer {
    base: String,
    seen: Arc<Seen>,
}

impl TestServer {
    /// Binds 127.0.0.1:0 and answers each connection on its own thread. The accept thread lives
    /// until the test binary exits; every response closes its connection, so one request = one
    /// connection and the counters below count attempts.
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Seen::default());
        let shared = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&shared);
                thread::spawn(move || serve(stream, &seen));
            }
        });
        TestServer { base, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self, path: &str) -> usize {
        let requests = self.seen.requests.lock().unwrap();
        requests.iter().filter(|(_, p, _)| p == path).count()
    }

    fn methods(&self, path: &str) -> Vec<String> {
        let requests = self.seen.requests.lock().unwrap();
        requests.iter().filter(|(_, p, _)| p == path).map(|(m, _, _)| m.clone()).collect()
    }

    fn total_hits(&self) -> usize {
        self.seen.requests.lock().unwrap().len()
    }
}

fn serve(stream: TcpStream, seen: &Seen) {
    stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let Some((method, path, agent)) = read_request(&stream) else {
        return;
    };
    let hit = {
        let mut requests = seen.requests.lock().unwrap();
        requests.push((method.clone(), path.clone(), agent));
        requests.iter().filter(|(_, p, _)| *p == path).count()
    };
    let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let (status, headers) = route(&method, &path, hit);
    // Counted down before answering: the client cannot send its next request before this one is
    // answered, so the in-flight count never over-reports.
    seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    let response = format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n{headers}\r\n");
    let _ = (&stream).write_all(response.as_bytes()); // the client may have timed out already
}

/// Request line and User-Agent; the rest of the head is read and dropped.
fn read_request(stream: &TcpStream) -> Option<(String, String, String)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut agent = String::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("user-agent") {
                agent = value.trim().to_string();
            }
        }
    }
    Some((method, path, agent))
}

/// Status and extra header lines for the `hit`-th request (1-based) to `path`.
fn route(method: &str, path: &str, hit: usize) -> (u16, String) {
    let plain = |status| (status, String::new());
    match path {
        "/ok" => plain(200),
        "/moved" => (301, "Location: /ok\r\n".to_string()),
        "/missing" => plain(404),
        // Retry-After: 1 s, which the test's cap must shorten.
        "/busy" if hit <= 2 => (429, "Retry-After: 1\r\n".to_string()),
        "/busy" => plain(200),
        "/down" => plain(503),
        "/slow" => {
            thread::sleep(Duration::from_secs(1));
            plain(200)
        }
        "/head-not-allowed" if method == "HEAD" => plain(405),
        "/head-not-allowed" => plain(200),
        _ if path.starts_with("/slow/") => {
            thread::sleep(Duration::from_secs(1));
            plain(200)
        }
        _ if path.starts_with("/held/") => {
            thread::sleep(Duration::from_millis(100));
            plain(200)
        }
        _ => plain(404),
    }
}

/// Fast settings: tests must stay well under a few seconds.
fn fast_options() -> ExternalOptions {
    ExternalOptions {
        timeout: Duration::from_millis(300),
        retry_backoff: Duration::from_millis(10),
        max_retry_wait: Duration::from_millis(50),
        now: || 1_000_000,
        ..ExternalOptions::default()
    }
}

fn status_of<'a>(results: &'a [ExternalResult], url: &str) -> &'a ExternalStatus {
    &results.iter().find(|r| r.url == url).unwrap().status
}

fn from_cache(results: &[ExternalResult], url: &str) -> bool {
    results.iter().find(|r| r.url == url).unwrap().from_cache
}

#[test]
fn classifies_every_kind_of_answer() {
    let server = TestServer::start();
    let paths = ["/ok", "/moved", "/missing", "/busy", "/down", "/slow", "/head-not-allowed"];
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();

    let started = Instant::now();
    let results = check_urls(&urls, &fast_options());
    let elapsed = started.elapsed();

    assert_eq!(status_of(&results, &urls[0]), &ExternalStatus::Ok { status: 200 });
    assert_eq!(status_of(&results, &urls[1]), &ExternalStatus::Redirected { status: 301, location: server.url("/ok") });
    assert_eq!(status_of(&results, &urls[2]), &ExternalStatus::Broken { status: 404 });
    assert_eq!(status_of(&results, &urls[3]), &ExternalStatus::Ok { status: 200 });
    assert_eq!(server.hits("/busy"), 3, "429 twice, then retried into a 200");
    assert_eq!(status_of(&results, &urls[4]), &ExternalStatus::Broken { status: 503 });
    assert_eq!(server.hits("/down"), 3, "one attempt + 2 retries");
    match status_of(&results, &urls[5]) {
        ExternalStatus::Failed { reason } => assert!(reason.contains("timeout"), "{reason}"),
        other => panic!("slow should time out, got {other:?}"),
    }
    assert_eq!(server.hits("/slow"), 3, "timeouts are retried");
    assert_eq!(status_of(&results, &urls[6]), &ExternalStatus::Ok { status: 200 });
    assert_eq!(server.methods("/head-not-allowed"), ["HEAD", "GET"]);
    assert_eq!(server.methods("/ok"), ["HEAD"], "a working HEAD needs no GET");
    // Retry-After: 1 was capped at 50 ms; 3 timed-out attempts of 300 ms dominate.
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    assert!(results.iter().all(|r| !r.from_cache));
}

#[test]
fn results_are_sorted_deduplicated_and_fragments_share_a_request() {
    let server = TestServer::start();
    let urls = vec![server.url("/ok#b"), server.url("/missing"), server.url("/ok#a"), server.url("/missing")];

    let results = check_urls(&urls, &fast_options());

    let got: Vec<&str> = results.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(got, [server.url("/missing"), server.url("/ok#a"), server.url("/ok#b")]);
    assert_eq!(server.hits("/ok"), 1, "the fragment is not sent and not re-requested");
    assert_eq!(server.hits("/missing"), 1);
}

#[test]
fn sends_the_handbook_user_agent() {
    let server = TestServer::start();
    // progress: true exercises the bar's code path (indicatif draws nothing when stderr is not a
    // terminal, as under `cargo test`).
    let opts = ExternalOptions { progress: true, ..fast_options() };
    check_urls(&[server.url("/ok")], &opts);
    let requests = server.seen.requests.lock().unwrap();
    assert_eq!(requests[0].2, USER_AGENT);
}

#[test]
fn retry_after_is_honored_but_capped() {
    let server = TestServer::start();
    let opts = ExternalOptions { retry_backoff: Duration::from_millis(1), max_retry_wait: Duration::from_millis(150), ..fast_options() };

    let started = Instant::now();
    let results = check_urls(&[server.url("/busy")], &opts);
    let elapsed = started.elapsed();

    assert_eq!(results[0].status, ExternalStatus::Ok { status: 200 });
    // Two waits: Retry-After (1 s) capped to 150 ms each, not the 1 ms base backoff, not 1 s.
    assert!(elapsed >= Duration::from_millis(300), "took {elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
}

#[test]
fn never_exceeds_the_per_host_limit() {
    let server = TestServer::start();
    let urls: Vec<String> = (0..10).map(|i| server.url(&format!("/held/{i}"))).collect();
    let opts = ExternalOptions { per_host: 2, concurrency: 8, ..fast_options() };

    let results = check_urls(&urls, &opts);

    assert!(results.iter().all(|r| r.status == ExternalStatus::Ok { status: 200 }));
    assert_eq!(server.total_hits(), 10);
    // 8 workers and 100 ms per request: without the limit the server would see up to 8.
    assert_eq!(server.seen.max_in_flight.load(Ordering::SeqCst), 2);
}

#[test]
fn connection_refused_fails_without_retry() {
    // Bind then drop to get a local port with nobody listening.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/");

    let results = check_urls(std::slice::from_ref(&url), &fast_options());

    assert_eq!(status_of(&results, &url), &ExternalStatus::Failed { reason: "connection refused".to_string() });
}

#[test]
fn a_port_over_65535_is_an_invalid_port_not_a_refused_connection() {
    let url = "http://127.0.0.1:99999/".to_string();
    let results = check_urls(std::slice::from_ref(&url), &fast_options());
    match status_of(&results, &url) {
        ExternalStatus::Failed { reason } => assert!(reason.starts_with("invalid port `99999`"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_budget_bounds_the_whole_check_and_leaves_the_rest_not_checked() {
    let server = TestServer::start();
    let urls: Vec<String> = (0..8).map(|i| server.url(&format!("/slow/{i}"))).collect();
    let opts = ExternalOptions { per_host: 1, timeout: Duration::from_secs(5), budget: Duration::from_millis(1500), ..fast_options() };
    let results = check_urls(&urls, &opts);
    let not_checked = results.iter().filter(|r| r.status == ExternalStatus::NotChecked).count();
    // One at a time at 1 s each: one or two finish inside 1.5 s, and the others never start.
    assert!((6..=7).contains(&not_checked), "{results:?}");
    assert!(server.total_hits() <= 2, "no request starts after the budget: {}", server.total_hits());
}

#[test]
fn second_run_answers_from_cache_and_expired_entries_are_rechecked() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let urls = vec![server.url("/ok"), server.url("/missing")];
    let opts = ExternalOptions { cache_dir: Some(dir.path().join(".handbook")), ..fast_options() };

    let first = check_urls(&urls, &opts);
    assert!(first.iter().all(|r| !r.from_cache));
    assert!(dir.path().join(".handbook/external-links.json").is_file());
    let ok_hits = server.hits("/ok");

    let second = check_urls(&urls, &opts);
    assert_eq!(server.hits("/ok"), ok_hits, "cached success is not re-requested");
    assert_eq!(status_of(&second, &urls[0]), &ExternalStatus::Ok { status: 200 });
    assert!(from_cache(&second, &urls[0]));
    assert_eq!(server.hits("/missing"), 2, "failures are never cached");
    assert!(!from_cache(&second, &urls[1]));

    // A day later (the default TTL) the entry has expired and is checked again.
    let later = ExternalOptions { now: || 1_000_000 + 24 * 60 * 60, ..opts.clone() };
    let third = check_urls(&urls, &later);
    assert_eq!(server.hits("/ok"), ok_hits + 1);
    assert!(third.iter().all(|r| !r.from_cache));
}

#[test]
fn corrupt_cache_file_is_ignored() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("external-links.json"), "[1, 2,").unwrap();
    let opts = ExternalOptions { cache_dir: Some(dir.path().to_path_buf()), ..fast_options() };

    let results = check_urls(&[server.url("/ok")], &opts);

    assert_eq!(results[0].status, ExternalStatus::Ok { status: 200 });
    let again = check_urls(&[server.url("/ok")], &opts);
    assert!(again[0].from_cache, "the corrupt file was replaced by a valid one");
}
