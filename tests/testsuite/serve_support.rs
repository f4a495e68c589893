//! Shared by the `handbook serve` tests: a temp copy of the fixture site, the real binary started
//! on port 0, an HTTP client, and a reader of the live-reload event stream.
#![allow(dead_code)]

use crate::common::copy_dir;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Long enough for any rebuild on a loaded CI machine; only a hang reaches it.
pub const WAIT: Duration = Duration::from_secs(30);
/// How long to watch for a second, unwanted event after the expected one.
pub const QUIET: Duration = Duration::from_millis(1500);

/// Polls `found` every 20 ms until it gives a value; fails the test with `what` after [`WAIT`].
pub fn wait_for<T>(what: &str, mut found: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(value) = found() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub struct Server {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
    pub child: Child,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    pub addr: String,
    pub stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Copies the fixture site and starts `handbook serve --port 0` on it.
    pub fn start(extra_args: &[&str]) -> Server {
        Self::start_with(extra_args, |_| {})
    }

    /// `start`, with `prepare` run on the copied site first.
    pub fn start_with(extra_args: &[&str], prepare: impl FnOnce(&Path)) -> Server {
        Self::spawn(extra_args, prepare, &[])
    }

    /// `start`, with these environment variables set for the server.
    pub fn start_env(extra_args: &[&str], env: &[(&str, &str)]) -> Server {
        Self::spawn(extra_args, |_| {}, env)
    }

    fn spawn(extra_args: &[&str], prepare: impl FnOnce(&Path), env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve-site"), &root);
        prepare(&root);
        let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["serve", "--root"])
            .arg(&root)
            .args(["--port", "0"])
            .args(extra_args)
            .env("SOURCE_DATE_EPOCH", "1772000000")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let url = line.trim().strip_prefix("Serving on ").unwrap_or_else(|| panic!("unexpected first line {line:?}")).to_string();
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        Server { dir, root, child, url, addr, stderr }
    }

    pub fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
    }

    /// (status, content type, body) of a GET.
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let response = Self::agent().get(&format!("{}{}", self.url, path.trim_start_matches('/'))).call().unwrap();
        let status = response.status().as_u16();
        let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let body = response.into_body().read_to_string().unwrap();
        (status, content_type, body)
    }

    /// Sends `raw_target` byte for byte as the request target, with no client normalisation.
    pub fn raw_get(&self, raw_target: &str) -> (u16, Vec<u8>) {
        self.raw_get_host(raw_target, &self.addr.clone())
    }

    /// [`Server::raw_get`] with this `Host` header.
    pub fn raw_get_host(&self, raw_target: &str, host: &str) -> (u16, Vec<u8>) {
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(stream, "GET {raw_target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response);
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    pub fn events(&self) -> Events {
        Events::connect(&self.url)
    }

    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Stderr once it satisfies `ready` (lines are printed after the event that announces them).
    pub fn stderr_when(&self, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.stderr();
            if ready(&text) || Instant::now() > deadline {
                return text;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits for the exit status.
    #[cfg(unix)]
    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        let status = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        wait_for("serve to stop after SIGINT", || self.child.try_wait().unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `state` event of the live-reload stream.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub version: String,
    pub error: Option<String>,
}

/// The live-reload event stream, read on a thread.
pub struct Events {
    rx: Receiver<State>,
}

impl Events {
    pub fn connect(url: &str) -> Events {
        let response = Server::agent().get(&format!("{url}__handbook/events")).call().unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let content_type = response.headers().get("content-type").unwrap().to_str().unwrap().to_string();
        assert!(content_type.starts_with("text/event-stream"), "{content_type}");
        let reader = BufReader::new(response.into_body().into_reader());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in reader.lines() {
                let Ok(line) = line else { break };
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if event == "state" {
                        let value: serde_json::Value = serde_json::from_str(data).unwrap();
                        let state = State {
                            version: value["version"].as_str().unwrap().to_string(),
                            error: value["error"].as_str().map(str::to_string),
                        };
                        if tx.send(state).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Events { rx }
    }

    /// The next state event; panics when none comes.
    pub fn next(&self) -> State {
        self.rx.recv_timeout(WAIT).expect("no live-reload event")
    }

    /// Asserts that no further event arrives for a while.
    pub fn assert_quiet(&self) {
        match self.rx.recv_timeout(QUIET) {
            Err(RecvTimeoutError::Timeout) => {}
            other => panic!("unexpected extra event: {other:?}"),
        }
    }
}
