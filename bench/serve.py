#!/usr/bin/env python3
"""Measures folio serve, two binaries side by side (see serve.sh).

Each run starts one binary on the site and measures:
- start to first page: from starting the process to the first 200 for `/`;
- edit to reload message: from writing a page to the `reload` event on the live-reload
  stream (EDITS edits);
- edit to new page painted: headless Chromium shows the page; from writing it to the
  frame that shows the new text (EDITS edits). A page patched in place records the time
  of the frame after the mutation (requestAnimationFrame, then a task); a reloaded page
  its first contentful paint. Both are epoch times read in the browser.
Runs alternate between the binaries (before, after, after, before, ...).

Usage: serve.py BEFORE AFTER SITE RUNS EDITS LABEL
"""

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
HOST = "127.0.0.1"


def get(port, path):
    with socket.create_connection((HOST, port)) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


class Server:
    """One `folio serve` on a free port; `first_page` is the start-up time in seconds,
    `whole_build` the time to the `Built` line (which a binary that builds everything
    before it listens prints before its address)."""

    def __init__(self, folio, site):
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [folio, "serve", site, "--port", "0"],
            stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"},
        )
        self.port = None
        self.built = threading.Event()
        self.whole_build = None
        for line in self.proc.stderr:
            self.note(line, started)
            found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
                break
        if self.port is None:
            sys.exit(f"{folio} serve did not start")
        # Later lines are read (and dropped) so the pipe never fills.
        self.reader = threading.Thread(
            target=lambda: [self.note(line, started) for line in self.proc.stderr])
        self.reader.start()
        while get(self.port, "/")[0] != 200:
            time.sleep(0.002)
        self.first_page = time.perf_counter() - started
        if not self.built.wait(timeout=300):
            sys.exit(f"{folio} serve never finished its first build")

    def note(self, line, started):
        if "Built " in line and not self.built.is_set():
            self.whole_build = time.perf_counter() - started
            self.built.set()

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=20)
        self.reader.join(timeout=5)


class Events:
    """The live-reload stream, read line by line."""

    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port))
        self.sock.sendall(f"GET /_folio/live HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        self.file = self.sock.makefile("r", encoding="utf-8")
        while self.file.readline().strip():
            pass

    def next_reload(self):
        event = None
        for line in self.file:
            line = line.strip()
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("reload", "build-error"):
                return event, line[5:].strip()
        sys.exit("event stream closed")

    def close(self):
        self.sock.close()


class Browser:
    """Headless Chromium through chromedriver's WebDriver HTTP interface."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="folio-bench-chromium-")
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            self.port = sock.getsockname()[1]
        self.driver = subprocess.Popen(
            [CHROMEDRIVER, f"--port={self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                socket.create_connection((HOST, self.port)).close()
                break
            except OSError:
                time.sleep(0.05)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-component-update", "--disable-sync",
                "--window-size=1000,700", f"--user-data-dir={self.profile}"]
        caps = {"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://{HOST}:{self.port}{path}", data=data, method=method,
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["value"]

    def goto(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def run(self, script):
        return self.call("POST", f"/session/{self.session}/execute/sync",
                         {"script": script, "args": []})

    def close(self):
        self.call("DELETE", f"/session/{self.session}")
        self.driver.terminate()
        self.driver.wait(timeout=10)


# Set before an edit: the epoch time of the first frame showing `token` in this document.
WATCH = """
const token = %s;
window.folioBench = true;
window.folioPainted = null;
const seen = new MutationObserver(() => {
  if (!document.body.textContent.includes(token)) return;
  seen.disconnect();
  requestAnimationFrame(() => setTimeout(() => {
    window.folioPainted = performance.timeOrigin + performance.now();
  }, 0));
});
seen.observe(document.body, {subtree: true, childList: true, characterData: true});
"""

# After the edit: the patched document's frame time, or the reloaded one's first paint.
PAINTED = """
const token = %s;
if (window.folioBench) return window.folioPainted;
if (!document.body || !document.body.textContent.includes(token)) return null;
const paint = performance.getEntriesByName("first-contentful-paint")[0];
return paint ? performance.timeOrigin + paint.startTime : null;
"""


def pick_page(site):
    """A page some levels down, and its URL."""
    for dirpath, _, files in sorted(os.walk(os.path.join(site, "content"))):
        rel = os.path.relpath(dirpath, os.path.join(site, "content"))
        if "index.md" in files and rel.count("/") >= 3:
            return os.path.join(dirpath, "index.md"), f"/{rel}/"
    sys.exit("no page deep enough")


def edit(page, original, text):
    with open(page, "w", encoding="utf-8") as f:
        f.write(f"{original}\n{text}\n")


def reload_times(server, page, url, original, edits, tag):
    events = Events(server.port)
    timings = []
    for n in range(edits):
        time.sleep(0.3)
        edit(page, original, f"Reload edit {tag} {n}.")
        written = time.perf_counter()
        kind, data = events.next_reload()
        timings.append((time.perf_counter() - written) * 1000)
        if kind != "reload" or url not in data:
            sys.exit(f"unexpected event after edit {n}: {kind} {data[:200]}")
    events.close()
    return timings


def paint_times(browser, server, page, url, original, edits, tag):
    browser.goto(f"http://{HOST}:{server.port}{url}")
    timings = []
    for n in range(edits):
        time.sleep(0.3)
        token = json.dumps(f"Painted edit {tag} {n}.")
        browser.run(WATCH % token)
        written = time.time() * 1000
        edit(page, original, json.loads(token))
        deadline = time.time() + 10
        painted = None
        while painted is None and time.time() < deadline:
            time.sleep(0.01)
            painted = browser.run(PAINTED % token)
        if painted is None:
            sys.exit(f"the browser never showed edit {n}")
        timings.append(painted - written)
    return timings


def one_run(folio, site, browser, edits, tag):
    page, url = pick_page(site)
    with open(page, encoding="utf-8") as f:
        original = f.read()
    server = Server(folio, site)
    try:
        result = {
            "start to first page": [server.first_page * 1000],
            "start to whole site built (info)": [server.whole_build * 1000],
            "edit to reload message": reload_times(server, page, url, original, edits, tag),
            "edit to new page painted (Chromium)":
                paint_times(browser, server, page, url, original, edits, tag),
        }
    finally:
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
        server.stop()
    return result


def loadavg():
    with open("/proc/loadavg", encoding="utf-8") as f:
        return " ".join(f.read().split()[:3])


def main():
    before, after, site, runs, edits, label = sys.argv[1:7]
    runs, edits = int(runs), int(edits)
    binaries = {"before": before, "after": after}
    samples = {"before": {}, "after": {}}
    load_at_start = loadavg()
    browser = Browser()
    try:
        for run in range(runs):
            order = ["before", "after"] if run % 2 == 0 else ["after", "before"]
            for which in order:
                result = one_run(binaries[which], site, browser, edits, f"{which}{run}")
                for row, values in result.items():
                    samples[which].setdefault(row, []).extend(values)
                print(f"run {run + 1}/{runs} {which}: " + ", ".join(
                    f"{row} {statistics.median(v):.0f} ms" for row, v in result.items()),
                    file=sys.stderr)
    finally:
        browser.close()
    print(f"\nfolio serve on {site} ({label}); {runs} runs each, alternating, "
          f"{edits} edits per run; load average at start {load_at_start}, at end {loadavg()}\n")
    print("| row | before median ms (min-max) | after median ms (min-max) | after/before |")
    print("| --- | ---: | ---: | ---: |")
    for row in samples["before"]:
        b, a = samples["before"][row], samples["after"][row]
        span = lambda v: f"{statistics.median(v):.1f} ({min(v):.0f}-{max(v):.0f})"
        ratio = statistics.median(a) / statistics.median(b)
        print(f"| {row} | {span(b)} | {span(a)} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
