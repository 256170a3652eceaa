"""API load generator shared by the benchmarks: `rasid serve` in its own process, clients here.

The server runs as a second process (as in production, and so the clients' threads do not
compete with it for this interpreter's lock); ``hammer`` sends a bounded number of requests from
``clients`` concurrent threads (closed loop, no think time) and reports p50/p99 latency, the
request rate and the errors (non-200 answers, timeouts, refused connections).
"""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["السلاح", "جيش الإسلام", "الغوطة", "تبادل الأسرى", "ريف حماة"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(db: str, timeout: float = 120.0, workers: int = 1, warm: int = 50) -> Iterator[str]:
    """`rasid serve --db DB --warm WARM` on a free loopback port; yields its base URL, stops it afterwards."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "rasid.cli", "serve", "--db", db, "--port", str(port),
                             "--workers", str(workers), "--warm", str(warm)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"rasid serve exited: {proc.stderr.read()[-2000:] if proc.stderr else ''}")
            try:
                with urllib.request.urlopen(f"{base}/api/stats", timeout=60) as r:
                    json.loads(r.read())
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def hammer(url_of: Callable[[int, int], str], clients: int, requests: int, timeout: float = 30.0) -> dict:
    """``clients`` threads each GET ``url_of(client, n)`` for n in range(requests)."""
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(i: int) -> None:
        for r in range(requests):
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(url_of(i, r), timeout=timeout) as resp:
                    resp.read()
                    ok = resp.status == 200
            except OSError:  # urllib's HTTPError (non-2xx), timeouts, refused connections
                ok = False
            with lock:
                lat.append(1000 * (time.perf_counter() - t))
                errors[0] += not ok

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as ex:
        list(ex.map(client, range(clients)))
    wall = time.perf_counter() - t0
    lat.sort()
    return {"clients": clients, "requests": len(lat), "errors": errors[0],
            "p50_ms": round(statistics.median(lat), 1), "p99_ms": round(lat[int(0.99 * (len(lat) - 1))], 1),
            "requests_per_s": round(len(lat) / wall, 1)}


def search_and_entities(base: str, entities: list[str], mode: str = "keyword") -> Callable[[int, int], str]:
    """Alternate search (``mode``) and entity-profile requests, spread over queries and entities."""
    def url_of(i: int, r: int) -> str:
        if r % 2:
            return f"{base}/api/entities/{urllib.parse.quote(entities[(i + r) % len(entities)], safe='')}"
        return f"{base}/api/search?mode={mode}&q={urllib.parse.quote(QUERIES[(i + r) % len(QUERIES)])}"
    return url_of
