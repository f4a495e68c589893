//! Check stage: `handbook check --external` — checks `http(s)` links over the network with a
//! bounded worker pool, a per-host concurrency limit, retries with backoff, and an on-disk cache.
//!
//! Blocking `ureq` on plain threads on purpose: a few hundred links do not need an async runtime,
//! and threads keep the per-host limit a simple counter under a lock.

mod cache;

use cache::LinkCache;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use ureq::http::Uri;
use ureq::{Agent, Body};

/// Sent with every request so site owners can tell who is knocking.
pub const USER_AGENT: &str = concat!("handbook-link-checker/", env!("CARGO_PKG_VERSION"));

/// The default [`ExternalOptions::budget`].
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(120);

/// How `check_urls` behaves. `Default` gives the values documented on each field.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Max concurrent requests per host (default 2).
    pub per_host: usize,
    /// Total worker threads (default 8).
    pub concurrency: usize,
    /// Whole-request timeout, connect included (default 10 s).
    pub timeout: Duration,
    /// Extra attempts on 429, 5xx and timeouts (default 2).
    pub retries: u32,
    /// First backoff between attempts, doubled each retry (default 500 ms).
    pub retry_backoff: Duration,
    /// Cap on any wait between attempts, `Retry-After` included (default 5 s), so one slow host
    /// cannot stall the whole check.
    pub max_retry_wait: Duration,
    /// `.handbook/` under the site root; `None` = no cache.
    pub cache_dir: Option<PathBuf>,
    /// How long a cached success is trusted (default 24 h).
    pub cache_ttl: Duration,
    /// Progress bar on stderr; the caller sets it only when stderr is a terminal.
    pub progress: bool,
    /// Clock for cache timestamps, in unix seconds; a parameter so tests can fix it.
    pub now: fn() -> u64,
    /// Time for the whole check (default 120 s): once it is spent, no request or retry starts,
    /// and the links left are reported as not checked. Eight slow links on one host took 128 s.
    pub budget: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            per_host: 2,
            concurrency: 8,
            timeout: Duration::from_secs(10),
            retries: 2,
            retry_backoff: Duration::from_millis(500),
            max_retry_wait: Duration::from_secs(5),
            cache_dir: None,
            cache_ttl: Duration::from_secs(24 * 60 * 60),
            progress: false,
            now: unix_now,
            budget: DEFAULT_BUDGET,
        }
    }
}

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalStatus {
    /// 2xx (or another non-error answer such as 304).
    Ok { status: u16 },
    /// 301/302/303/307/308; `location` is made absolute against the requested URL.
    Redirected { status: u16, location: String },
    /// 4xx, or 429/5xx that persisted through the retries.
    Broken { status: u16 },
    /// No HTTP answer: "timeout", "dns: ...", "tls: ...", "connection refused", ...
    Failed { reason: String },
    /// The check's time budget ran out before this URL's turn.
    NotChecked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalResult {
    /// The URL as given (fragment included).
    pub url: String,
    pub status: ExternalStatus,
    pub from_cache: bool,
}

/// Checks every URL once (duplicates and URLs differing only in `#fragment` share one request)
/// and returns one result per distinct input URL, sorted by URL so output is deterministic.
pub fn check_urls(urls: &[String], opts: &ExternalOptions) -> Vec<ExternalResult> {
    let inputs: BTreeSet<&str> = urls.iter().map(String::as_str).collect();
    let targets: BTreeSet<&str> = inputs.iter().map(|url| strip_fragment(url)).collect();
    let now = (opts.now)();
    let mut cache = opts.cache_dir.as_deref().map(LinkCache::load);

    let (cached, to_fetch) = split_cached(&targets, cache.as_ref(), now, opts.cache_ttl);
    let progress = progress_bar(opts.progress, targets.len(), cached.len());
    let fetched = run_pool(&to_fetch, opts, &progress);
    progress.finish_and_clear();

    if let Some(cache) = cache.as_mut() {
        remember_successes(cache, &fetched, now);
        // A cache that cannot be written only costs speed next time; the check itself succeeded.
        let _ = cache.save(now, opts.cache_ttl);
    }
    assemble(&inputs, &cached, &fetched)
}

/// Unix seconds from the system clock (the default `ExternalOptions::now`).
pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The fragment is never sent to the server, so it does not take part in the request or cache key.
fn strip_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(before, _)| before)
}

/// Splits the targets into fresh cache hits (url -> status) and URLs that need a request.
fn split_cached<'a>(
    targets: &BTreeSet<&'a str>,
    cache: Option<&LinkCache>,
    now: u64,
    ttl: Duration,
) -> (HashMap<&'a str, u16>, Vec<&'a str>) {
    let mut cached = HashMap::new();
    let mut to_fetch = Vec::new();
    for &url in targets {
        match cache.and_then(|c| c.fresh_status(url, now, ttl)) {
            Some(status) => {
                cached.insert(url, status);
            }
            None => to_fetch.push(url),
        }
    }
    (cached, to_fetch)
}

fn remember_successes(cache: &mut LinkCache, fetched: &HashMap<String, ExternalStatus>, now: u64) {
    for (url, status) in fetched {
        if let ExternalStatus::Ok { status } = status {
            cache.record_success(url, *status, now);
        }
    }
}

/// One result per input URL, in the sorted order of `inputs`.
fn assemble(inputs: &BTreeSet<&str>, cached: &HashMap<&str, u16>, fetched: &HashMap<String, ExternalStatus>) -> Vec<ExternalResult> {
    inputs
        .iter()
        .map(|&url| {
            let target = strip_fragment(url);
            let (status, from_cache) = match cached.get(target) {
                Some(&status) => (ExternalStatus::Ok { status }, true),
                None => (fetched.get(target).cloned().unwrap_or(ExternalStatus::NotChecked), false),
            };
            ExternalResult { url: url.to_string(), status, from_cache }
        })
        .collect()
}

fn progress_bar(enabled: bool, total: usize, already_done: usize) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    let style = ProgressStyle::with_template("checking links {bar:30} {pos}/{len} {wide_msg}").expect("static progress template is valid");
    bar.set_style(style);
    bar.set_position(already_done as u64);
    bar
}

// ---------------------------------------------------------------------------------------------
// Worker pool and per-host limit
// ---------------------------------------------------------------------------------------------

/// One URL to request, with the host it counts against.
#[derive(Debug, Clone)]
struct Job {
    url: String,
    host: String,
}

/// The shared queue plus the per-host in-flight counters, under one lock.
///
/// A worker takes the first queued URL whose host has a free slot, rather than the head of the
/// queue: with sorted URLs, many links to one host sit together, and blocking on the head would
/// leave every worker waiting on that host while other hosts sit idle.
struct Scheduler {
    state: Mutex<SchedulerState>,
    slot_freed: Condvar,
    per_host: usize,
    /// No job starts after this; the ones left are not checked.
    deadline: Instant,
}

struct SchedulerState {
    pending: VecDeque<Job>,
    in_flight: HashMap<String, usize>,
}

impl SchedulerState {
    /// Removes and returns the first pending job whose host is below `per_host`.
    fn take_ready(&mut self, per_host: usize) -> Option<Job> {
        let in_flight = &self.in_flight;
        let index = self.pending.iter().position(|job| in_flight.get(&job.host).copied().unwrap_or(0) < per_host)?;
        self.pending.remove(index)
    }
}

impl Scheduler {
    fn new(jobs: Vec<Job>, per_host: usize, deadline: Instant) -> Self {
        Scheduler {
            deadline,
            state: Mutex::new(SchedulerState { pending: jobs.into(), in_flight: HashMap::new() }),
            slot_freed: Condvar::new(),
            // 0 would deadlock every worker; treat it as "one at a time".
            per_host: per_host.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, SchedulerState> {
        // The state stays consistent even if a worker panicked mid-request (the slot guard still
        // runs), so a poisoned lock is safe to keep using.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks until a job can start on a free host slot; `None` once the queue is empty.
    fn next(&self) -> Option<(Job, HostSlot<'_>)> {
        let mut state = self.lock();
        loop {
            if state.pending.is_empty() || Instant::now() >= self.deadline {
                return None;
            }
            if let Some(job) = state.take_ready(self.per_host) {
                *state.in_flight.entry(job.host.clone()).or_insert(0) += 1;
                let slot = HostSlot { scheduler: self, host: job.host.clone() };
                return Some((job, slot));
            }
            let left = self.deadline.saturating_duration_since(Instant::now());
            state = self.slot_freed.wait_timeout(state, left).unwrap_or_else(PoisonError::into_inner).0;
        }
    }

    fn release(&self, host: &str) {
        let mut state = self.lock();
        if let Some(count) = state.in_flight.get_mut(host) {
            *count -= 1;
            if *count == 0 {
                state.in_flight.remove(host);
            }
        }
        // All waiters: the freed host may suit any of them, and idle ones must see an empty queue.
        self.slot_freed.notify_all();
    }
}

/// A held per-host slot; released on drop so a panicking request cannot leak it.
struct HostSlot<'a> {
    scheduler: &'a Scheduler,
    host: String,
}

impl Drop for HostSlot<'_> {
    fn drop(&mut self) {
        self.scheduler.release(&self.host);
    }
}

/// Checks `urls` on `opts.concurrency` threads and returns url -> status.
fn run_pool(urls: &[&str], opts: &ExternalOptions, progress: &ProgressBar) -> HashMap<String, ExternalStatus> {
    if urls.is_empty() {
        return HashMap::new();
    }
    let jobs = urls.iter().map(|&url| Job { url: url.to_string(), host: host_key(url) }).collect();
    let scheduler = Scheduler::new(jobs, opts.per_host, Instant::now() + opts.budget);
    let agent = make_agent(opts.timeout);
    let workers = opts.concurrency.clamp(1, urls.len());

    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(|| worker(&scheduler, &agent, opts, progress))).collect();
        handles.into_iter().flat_map(|handle| handle.join().expect("link-check worker panicked")).collect()
    })
}

fn worker(scheduler: &Scheduler, agent: &Agent, opts: &ExternalOptions, progress: &ProgressBar) -> Vec<(String, ExternalStatus)> {
    let mut done = Vec::new();
    while let Some((job, slot)) = scheduler.next() {
        // The slot is held through the retries too: a host that said 429 should not get a
        // different request from us while we back off.
        let status = check_with_retries(agent, &job.url, opts, scheduler.deadline);
        drop(slot);
        progress.inc(1);
        progress.set_message(job.url.clone());
        done.push((job.url, status));
    }
    done
}

/// The key the per-host limit counts against: the lowercased host name (ports ignored, since
/// they are usually the same machine). Unparseable URLs get their own key; they fail fast anyway.
fn host_key(url: &str) -> String {
    url.parse::<Uri>().ok().and_then(|uri| uri.host().map(str::to_ascii_lowercase)).unwrap_or_else(|| url.to_string())
}

// ---------------------------------------------------------------------------------------------
// One URL: request, retry, classify
// ---------------------------------------------------------------------------------------------

fn make_agent(timeout: Duration) -> Agent {
    Agent::config_builder()
        // We classify statuses ourselves; as errors they would lose their headers.
        .http_status_as_error(false)
        // 0 = return redirects as they are, so the caller can warn with the new location.
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .user_agent(USER_AGENT)
        .build()
        .into()
}

/// What a server said, reduced to what classification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
}

type Attempt = Result<Answer, ureq::Error>;

fn check_with_retries(agent: &Agent, url: &str, opts: &ExternalOptions, deadline: Instant) -> ExternalStatus {
    if let Some(reason) = invalid_url(url) {
        return ExternalStatus::Failed { reason };
    }
    let mut retry = 0;
    loop {
        let attempt = probe(agent, url);
        let wait = backoff(retry, attempt.as_ref().ok().and_then(|a| a.retry_after), opts.retry_backoff, opts.max_retry_wait);
        if retry >= opts.retries || !is_retryable(&attempt) || Instant::now() + wait >= deadline {
            return classify(attempt, url);
        }
        std::thread::sleep(wait);
        retry += 1;
    }
}

/// What makes a URL unusable before any request: ureq reads a port over 65535 as a connection
/// that failed ("connection refused"), which sends the reader to look for a server.
fn invalid_url(url: &str) -> Option<String> {
    let uri = match url.parse::<Uri>() {
        Ok(uri) => uri,
        Err(e) => return Some(format!("invalid URL: {e}")),
    };
    // `Uri` keeps a port it cannot read as text only, so read it from the authority.
    let host_port = uri.authority().map_or("", |a| a.as_str().rsplit('@').next().unwrap_or(""));
    match host_port.rsplit_once(':') {
        Some((_, port)) if !host_port.ends_with(']') && port.parse::<u16>().is_err() => {
            Some(format!("invalid port `{port}` (ports go up to 65535)"))
        }
        _ => None,
    }
}

/// HEAD first (no body to download); GET when the server refuses HEAD, as many do.
fn probe(agent: &Agent, url: &str) -> Attempt {
    let head = agent.head(url).call().map(|r| answer(&r))?;
    if matches!(head.status, 403 | 405 | 501) {
        // The GET body is never read: dropping the response closes the connection.
        return agent.get(url).call().map(|r| answer(&r));
    }
    Ok(head)
}

fn answer(response: &ureq::http::Response<Body>) -> Answer {
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    Answer {
        status: response.status().as_u16(),
        location: header("location"),
        retry_after: header("retry-after").as_deref().and_then(parse_retry_after),
    }
}

/// 429 and 5xx are often transient (rate limits, deploys); so are timeouts. Everything else
/// (404, DNS, TLS, refused) will not change in the next second.
fn is_retryable(attempt: &Attempt) -> bool {
    match attempt {
        Ok(answer) => answer.status == 429 || (500..600).contains(&answer.status),
        Err(ureq::Error::Timeout(_)) => true,
        Err(_) => false,
    }
}

/// `Retry-After` in seconds. The HTTP-date form is not parsed (it falls back to exponential
/// backoff): the wait is capped at a few seconds anyway, so a date parser would buy nothing.
fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Wait before retry number `retry + 1`: the server's `Retry-After` if it gave one, else
/// `base * 2^retry`; never more than `cap`.
fn backoff(retry: u32, retry_after: Option<Duration>, base: Duration, cap: Duration) -> Duration {
    let exponential = base.saturating_mul(2u32.saturating_pow(retry));
    retry_after.unwrap_or(exponential).min(cap)
}

fn classify(attempt: Attempt, url: &str) -> ExternalStatus {
    match attempt {
        Ok(answer) => classify_answer(answer, url),
        Err(error) => ExternalStatus::Failed { reason: failure_reason(&error) },
    }
}

fn classify_answer(answer: Answer, url: &str) -> ExternalStatus {
    let status = answer.status;
    match (status, answer.location) {
        (301 | 302 | 303 | 307 | 308, Some(location)) => ExternalStatus::Redirected { status, location: resolve_location(url, &location) },
        // A redirect without a target leads a reader nowhere.
        (301 | 302 | 303 | 307 | 308, None) => ExternalStatus::Broken { status },
        (400.., _) => ExternalStatus::Broken { status },
        _ => ExternalStatus::Ok { status },
    }
}

/// Short, stable words first ("timeout", "dns", "tls", "connection refused") so reports and
/// tests can match on them; ureq's own message after for detail.
fn failure_reason(error: &ureq::Error) -> String {
    use std::io::ErrorKind;
    use ureq::Error as E;
    match error {
        E::Timeout(which) => format!("timeout ({which})"),
        E::HostNotFound => "dns: host not found".to_string(),
        E::Io(io) if io.kind() == ErrorKind::ConnectionRefused => "connection refused".to_string(),
        E::Io(io) if io.kind() == ErrorKind::TimedOut => format!("timeout ({io})"),
        E::Tls(_) | E::Rustls(_) | E::Pem(_) => format!("tls: {error}"),
        E::BadUri(_) => format!("invalid URL: {error}"),
        _ => error.to_string(),
    }
}

/// Makes a `Location` header absolute against the URL that was requested (WHATWG URL rules,
/// the `url` crate), so the caller can suggest it as a replacement link.
fn resolve_location(base: &str, location: &str) -> String {
    url::Url::parse(base).and_then(|base| base.join(location)).map_or_else(|_| location.to_string(), String::from)
}

/// `check --external`: checks every `http(s)` link of a report (cached in `.handbook/` under
/// the site root) and turns failures into diagnostics at each place the link is written.
pub fn check_report(
    root: &std::path::Path,
    external: &[(String, PathBuf, crate::diagnostics::Span)],
    progress: bool,
    budget: Duration,
) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::Diagnostic;
    let urls: Vec<String> = external.iter().map(|(url, _, _)| url.clone()).collect();
    let options = ExternalOptions { cache_dir: Some(root.join(".handbook")), progress, budget, ..ExternalOptions::default() };
    let results: HashMap<String, ExternalResult> = check_urls(&urls, &options).into_iter().map(|r| (r.url.clone(), r)).collect();
    let mut out = Vec::new();
    // Each page's text, read once, to locate every failing link written on it.
    let mut texts: HashMap<&std::path::Path, (String, crate::diagnostics::LineIndex)> = HashMap::new();
    for (url, file, span) in external {
        let Some(result) = results.get(url) else { continue };
        let diagnostic = match &result.status {
            ExternalStatus::Ok { .. } => continue,
            ExternalStatus::Redirected { status, location } => {
                Diagnostic::warning("external-redirect", file, format!("`{url}` redirects ({status}) to `{location}`"))
                    .with_label(format!("did you mean `{location}`?"))
                    .with_suggestion(location.clone())
            }
            ExternalStatus::Broken { status } => {
                Diagnostic::error("broken-external-link", file, format!("`{url}` answered {status}")).with_label("this link is broken")
            }
            ExternalStatus::Failed { reason } => {
                Diagnostic::warning("external-link-unreachable", file, format!("`{url}` could not be checked: {reason}"))
            }
            ExternalStatus::NotChecked => Diagnostic::warning(
                "external-link-not-checked",
                file,
                format!("`{url}` was not checked: the external check's time budget of {} s ran out", budget.as_secs()),
            )
            .with_note("raise it with `handbook check --external --external-budget SECONDS`"),
        };
        let (text, lines) = texts.entry(file.as_path()).or_insert_with(|| {
            let text = crate::io::read_to_string(&root.join(file)).unwrap_or_default();
            let lines = crate::diagnostics::LineIndex::new(&text);
            (text, lines)
        });
        out.push(diagnostic.with_span(*span).with_target(url.clone()).located(text, lines));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(3600)
    }

    fn job(url: &str) -> Job {
        Job { url: url.to_string(), host: host_key(url) }
    }

    #[test]
    fn strips_fragment() {
        assert_eq!(strip_fragment("https://a.example/x#y"), "https://a.example/x");
        assert_eq!(strip_fragment("https://a.example/x"), "https://a.example/x");
    }

    #[test]
    fn host_key_ignores_case_port_and_userinfo() {
        assert_eq!(host_key("https://Example.COM:8443/a"), "example.com");
        assert_eq!(host_key("https://user@example.com/a"), "example.com");
        assert_eq!(host_key("not a url"), "not a url");
    }

    #[test]
    fn scheduler_skips_jobs_of_a_busy_host() {
        let scheduler = Scheduler::new(vec![job("https://a.example/1"), job("https://a.example/2"), job("https://b.example/1")], 1, far());
        let (first, _slot_a) = scheduler.next().unwrap();
        assert_eq!(first.url, "https://a.example/1");
        // a.example is at its limit, so the next free job is b's, not a's second.
        let (second, slot_b) = scheduler.next().unwrap();
        assert_eq!(second.url, "https://b.example/1");
        drop(slot_b);
        assert_eq!(scheduler.lock().in_flight.get("b.example"), None);
        assert_eq!(scheduler.lock().in_flight.get("a.example"), Some(&1));
    }

    #[test]
    fn scheduler_ends_when_queue_is_empty() {
        let scheduler = Scheduler::new(vec![job("https://a.example/1")], 0, far());
        let (_, slot) = scheduler.next().unwrap();
        drop(slot);
        assert!(scheduler.next().is_none());
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_secs(5);
        assert_eq!(backoff(0, None, base, cap), Duration::from_millis(100));
        assert_eq!(backoff(2, None, base, cap), Duration::from_millis(400));
        assert_eq!(backoff(30, None, base, cap), cap);
        assert_eq!(backoff(0, Some(Duration::from_secs(2)), base, cap), Duration::from_secs(2));
        assert_eq!(backoff(0, Some(Duration::from_secs(3600)), base, cap), cap);
    }

    #[test]
    fn parses_retry_after_seconds_only() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    #[test]
    fn retries_only_transient_answers() {
        let status = |status| -> Attempt { Ok(Answer { status, location: None, retry_after: None }) };
        assert!(is_retryable(&status(429)));
        assert!(is_retryable(&status(503)));
        assert!(!is_retryable(&status(404)));
        assert!(!is_retryable(&status(200)));
        assert!(is_retryable(&Err(ureq::Error::Timeout(ureq::Timeout::Global))));
        assert!(!is_retryable(&Err(ureq::Error::HostNotFound)));
    }

    #[test]
    fn classifies_statuses() {
        let answer = |status, location: Option<&str>| Answer { status, location: location.map(str::to_string), retry_after: None };
        let url = "https://a.example/docs/page";
        assert_eq!(classify_answer(answer(204, None), url), ExternalStatus::Ok { status: 204 });
        assert_eq!(
            classify_answer(answer(308, Some("/new")), url),
            ExternalStatus::Redirected { status: 308, location: "https://a.example/new".to_string() }
        );
        assert_eq!(classify_answer(answer(302, None), url), ExternalStatus::Broken { status: 302 });
        assert_eq!(classify_answer(answer(410, None), url), ExternalStatus::Broken { status: 410 });
        assert_eq!(classify_answer(answer(503, None), url), ExternalStatus::Broken { status: 503 });
    }

    #[test]
    fn failure_reasons_start_with_a_stable_word() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(failure_reason(&ureq::Error::HostNotFound), "dns: host not found");
        assert_eq!(failure_reason(&ureq::Error::Io(refused)), "connection refused");
        assert!(failure_reason(&ureq::Error::Tls("bad cert")).starts_with("tls: "));
        assert!(failure_reason(&ureq::Error::Timeout(ureq::Timeout::Global)).starts_with("timeout"));
    }

    #[test]
    fn resolves_relative_locations() {
        let base = "https://a.example/docs/page?x=1";
        assert_eq!(resolve_location(base, "http://b.example/"), "http://b.example/");
        assert_eq!(resolve_location(base, "//c.example/z"), "https://c.example/z");
        assert_eq!(resolve_location(base, "/root"), "https://a.example/root");
        assert_eq!(resolve_location(base, "other"), "https://a.example/docs/other");
        assert_eq!(resolve_location("https://a.example", "x"), "https://a.example/x");
    }

    #[test]
    fn user_agent_names_the_checker_and_version() {
        assert_eq!(USER_AGENT, format!("handbook-link-checker/{}", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn empty_input_needs_no_network() {
        assert!(check_urls(&[], &ExternalOptions::default()).is_empty());
    }
}

#[cfg(test)]
mod server_tests;
