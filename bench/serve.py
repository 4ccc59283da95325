#!/usr/bin/env python3
"""Measures folio serve: start to first page, and edit to reload event (see serve.sh).

Usage: serve.py FOLIO SITE EDITS
"""

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time


def get(port, path):
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


def start(folio, site):
    started = time.perf_counter()
    proc = subprocess.Popen(
        [folio, "serve", site, "--port", "0"],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    port = None
    for line in proc.stderr:
        found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
        if found:
            port = int(found.group(1))
            break
    if port is None:
        sys.exit("folio serve did not start")
    while get(port, "/")[0] != 200:
        time.sleep(0.005)
    return proc, port, time.perf_counter() - started


class Events:
    """The live-reload stream, read line by line."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"GET /_folio/live HTTP/1.1\r\nHost: x\r\n\r\n")
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


def pick_page(site):
    """A page some levels down, and its URL."""
    for dirpath, _, files in sorted(os.walk(os.path.join(site, "content"))):
        rel = os.path.relpath(dirpath, os.path.join(site, "content"))
        if "index.md" in files and rel.count("/") >= 3:
            return os.path.join(dirpath, "index.md"), f"/{rel}/"
    sys.exit("no page deep enough")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    folio, site, edits = sys.argv[1], sys.argv[2], int(sys.argv[3])
    proc, port, first_page = start(folio, site)
    print(f"start to first served page: {first_page * 1000:.0f} ms")
    events = Events(port)
    page, url = pick_page(site)
    with open(page, encoding="utf-8") as f:
        original = f.read()
    timings = []
    for n in range(edits):
        time.sleep(0.2)
        with open(page, "w", encoding="utf-8") as f:
            f.write(f"{original}\nBenchmark edit {n}.\n")
        written = time.perf_counter()
        kind, data = events.next_reload()
        timings.append((time.perf_counter() - written) * 1000)
        if kind != "reload" or url not in data:
            sys.exit(f"unexpected event after edit {n}: {kind} {data[:200]}")
    if f"Benchmark edit {edits - 1}." not in get(port, url)[1]:
        sys.exit("the last edit is not served")
    print(f"edit to reload event over {edits} edits of {url}: "
          f"median {statistics.median(timings):.1f} ms, p90 {percentile(timings, 0.9):.1f} ms, "
          f"min {min(timings):.1f} ms, max {max(timings):.1f} ms")
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=10)


if __name__ == "__main__":
    main()
