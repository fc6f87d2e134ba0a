#!/usr/bin/env python3
"""Serve benchmark: the time from saving a file to the reload message reaching an open page,
measured against the release binary's `berdaya serve` (with its own allocator settings) on a
generated site. The message is sent once the changed output is written.

    bench/serve.py BINARY SITE [RUNS]

SITE is bench_corpus's `DIR/berdaya`; RUNS (default 21) saves per page edit, at most 7 per
template or survey edit. bench/serve.sh does every step. Python's standard library only.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import queue

NOW = "2026-03-01T09:00+08:00"


def listen(port):
    """Reload and error messages (the `data:` lines of the event stream) with their arrival
    times, on a queue."""
    q = queue.Queue()
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(
        b"GET /__berdaya/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
    )

    def read():
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"data: "):
                    q.put((time.perf_counter(), line[6:].decode("utf-8", "replace")))

    threading.Thread(target=read, daemon=True).start()
    time.sleep(0.3)
    return q


def drain(q):
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return


def measure(name, root, rel, url, runs, q, edit):
    path = os.path.join(root, rel)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    times = []
    for i in range(runs):
        drain(q)
        text = edit(original, i)
        t0 = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        while True:
            at, msg = q.get(timeout=120)
            if '"error":"' in msg:
                sys.exit(f"build failed: {msg}")
            if url is None or f'"{url}"' in msg:
                times.append((at - t0) * 1000)
                break
        time.sleep(0.15)
    # Restore the file and wait for that rebuild before the next measurement.
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
    try:
        q.get(timeout=120)
    except queue.Empty:
        pass
    time.sleep(0.3)
    drain(q)
    print(
        f"{name:<44} median {statistics.median(times):8.1f} ms   min {min(times):8.1f}"
        f"   max {max(times):8.1f}   ({runs} saves)",
        flush=True,
    )


def change_income(text, i):
    """The first respondent's income changed."""
    lines = text.split("\n")
    cols = lines[1].split(",")
    cols[8] = str(1_000_000 + 50_000 * (i + 1))
    lines[1] = ",".join(cols)
    return "\n".join(lines)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: bench/serve.py BINARY SITE [RUNS]")
    binary, root = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 21
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # The sample survey, so that a data change has a report to update.
    os.makedirs(os.path.join(root, "data"), exist_ok=True)
    for f in ["impact.toml", "survei.csv"]:
        shutil.copy(os.path.join(repo, "data", f), os.path.join(root, "data", f))
    out = os.path.join(root, "..", "out-serve")
    started = time.perf_counter()
    server = subprocess.Popen(
        [binary, "--root", root, "serve", "--port", "0", "--output", out, "--now", NOW],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    port = None
    for line in server.stdout:
        m = re.search(r"Serving at http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("berdaya serve did not start")
    # Keep reading the server's log so that it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    pages = sum(
        f.endswith(".md") for _, _, files in os.walk(os.path.join(root, "content")) for f in files
    )
    print(f"site: {pages} markdown files; first build and start: "
          f"{time.perf_counter() - started:.2f} s", flush=True)
    q = listen(port)
    few = min(runs, 7)
    try:
        measure("page edit (body), save -> reload sent", root, "content/blog/p05000.md",
                "/blog/p05000/", runs, q,
                lambda t, i: t.replace("\n\n", f"\n\nSunting {i}.\n\n", 1))
        measure("page edit (title), save -> reload sent", root, "content/blog/p05000.md",
                "/blog/p05000/", runs, q,
                lambda t, i: t.replace('title = "', f'title = "{i} ', 1))
        measure("template used by listings (partials/pager)", root,
                "themes/default/templates/partials/pager.html", "/blog/", few, q,
                lambda t, i: t.replace('class="pager"', f'class="pager p{i}"', 1))
        measure("template used by every page (page.html)", root,
                "themes/default/templates/page.html", "/blog/p05000/", few, q,
                lambda t, i: t.replace("<article", f'<article data-v="{i}"', 1))
        measure("survey data (data/survei.csv)", root, "data/survei.csv", None, few, q,
                change_income)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
