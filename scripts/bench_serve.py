#!/usr/bin/env python3
"""Benchmark `handbook serve` on a synthetic site (default 10,000 pages).

Starts the release binary on port 0 in a temporary copy of the site made by gen_site.py, listens on
the live-reload event stream, then saves one page N times (alternating in-place writes and atomic
temp-file-plus-rename saves) and measures, for each save, the time from the end of the save to the
reload event. It also samples the server's resident memory (VmRSS) after every edit.

Usage: scripts/bench_serve.py [--pages 10000] [--edits 100] [--gap-ms 150]
Prints the figures; exits 1 if a save produced no reload event, 2 on a setup error.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


def ensure_binary():
    log("cargo build --release")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "handbook")


def ensure_site(pages):
    site = os.path.join(ROOT, "target", "bench-sites", str(pages), "handbook")
    if not os.path.exists(os.path.join(site, "handbook.toml")):
        log(f"generating a {pages}-page site in {site}")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_site.py"), "--pages", str(pages), "--out", site,
                        "--flavor", "handbook", "--force"], check=True)
    return site


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Events:
    """The `state` events of the live-reload stream, read on a thread."""

    def __init__(self, url):
        self.response = urllib.request.urlopen(url + "__handbook/events")
        self.cond = threading.Condition()
        self.states = []  # (arrival perf_counter, state)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event = ""
        while True:
            line = self.response.readline()
            if not line:
                return
            line = line.decode().rstrip("\r\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "state":
                state = json.loads(line[6:])
                with self.cond:
                    self.states.append((time.perf_counter(), state))
                    self.cond.notify_all()

    def wait(self, count, timeout=30.0):
        """The `count`-th state event (1-based), or None."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.states) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.states[count - 1]


def percentile(values, p):
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--gap-ms", type=int, default=150, help="pause between saves, so they are separate bursts")
    args = parser.parse_args()

    binary = ensure_binary()
    source = ensure_site(args.pages)
    work = tempfile.mkdtemp(prefix="handbook-bench-serve.")
    server = None
    try:
        site = os.path.join(work, "site")
        shutil.copytree(source, site)
        page = os.path.join(site, "content", "area-01", "section-01", "page-002.md")
        original = open(page).read()
        log(f"starting handbook serve on {args.pages} pages")
        started = time.perf_counter()
        stderr_path = os.path.join(work, "serve.stderr")
        stderr = open(stderr_path, "w")
        server = subprocess.Popen([binary, "serve", "--root", site, "--port", "0"], stdout=subprocess.PIPE, stderr=stderr,
                                  stdin=subprocess.DEVNULL, text=True)
        line = server.stdout.readline()
        match = re.match(r"Serving on (http://\S+/)", line)
        if not match:
            print(f"bench_serve: unexpected first line {line!r}", file=sys.stderr)
            return 2
        url = match.group(1)
        first_build = time.perf_counter() - started
        events = Events(url)
        if events.wait(1) is None:
            print("bench_serve: no initial state event", file=sys.stderr)
            return 2
        rss_start = rss_kib(server.pid)
        latencies, rss = [], []
        for i in range(1, args.edits + 1):
            text = original.replace("\n\n", f"\n\nEdit number {i} of the benchmark.\n\n", 1)
            if i % 2:
                with open(page, "w") as f:  # in place
                    f.write(text)
            else:
                tmp = page + f".tmp-{i}"  # atomic: temp file, then rename over the page
                with open(tmp, "w") as f:
                    f.write(text)
                os.rename(tmp, page)
            saved = time.perf_counter()
            got = events.wait(1 + i)
            if got is None:
                print(f"bench_serve: save {i} produced no reload event", file=sys.stderr)
                return 1
            arrived, state = got
            if state.get("error"):
                print(f"bench_serve: save {i} failed to build:\n{state['error']}", file=sys.stderr)
                return 1
            latencies.append((arrived - saved) * 1000)
            rss.append(rss_kib(server.pid))
            time.sleep(args.gap_ms / 1000)
        stderr.flush()
        rebuild_ms = [float(m) for m in re.findall(r"^Rebuilt in (\d+) ms \(content/", open(stderr_path).read(), re.M)]
        print(f"handbook serve, {args.pages}-page site, {args.edits} saves of one page "
              f"(half in place, half temp file + rename), {os.cpu_count()} CPUs")
        print(f"  first build until 'Serving on':  {first_build:.2f} s")
        print(f"  save -> reload event (ms):       median {statistics.median(latencies):.1f}, "
              f"p90 {percentile(latencies, 90):.1f}, max {max(latencies):.1f}")
        if rebuild_ms:
            print(f"  of which rebuild (ms, server):   median {statistics.median(rebuild_ms):.0f}, max {max(rebuild_ms):.0f}")
        print(f"  events: {len(events.states) - 1} for {args.edits} saves")
        print(f"  RSS (MiB): after first build {rss_start / 1024:.1f}, after save 1 {rss[0] / 1024:.1f}, "
              f"after save {args.edits // 2} {rss[args.edits // 2 - 1] / 1024:.1f}, after save {args.edits} {rss[-1] / 1024:.1f}")
        return 0 if len(events.states) - 1 == args.edits else 1
    finally:
        if server is not None:
            server.send_signal(2)  # SIGINT, as Ctrl-C
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
