"""A small HTTP load generator for /api/search, run in its own process (loopback only).

Each worker thread keeps one HTTP/1.1 connection open and sends faceted searches from a fixed
list; every response is checked: HTTP 200, well-formed JSON, and a consistent snapshot (the
outlet facet counts add up to the total, which a half-built or mixed index would break).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing as mp
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

QUERIES = ["الرياض", "ولي العهد", "النفط", "الهلال", "وزير الخارجية", "اليمن", "كرة القدم", "الملك سلمان",
           "التعليم", "الأمطار", "أسعار", "الحج", "", "الرئيس", "المملكة", "مجلس الوزراء"]
EXTRAS = [{}, {}, {"sort": "newest"}, {"person": "سلمان بن عبدالعزيز"}, {"from": "2015-07-25", "to": "2015-08-05"}]


@dataclass
class LoadResult:
    sent: int = 0
    failed: int = 0
    inconsistent: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def pct(self, p: float) -> float:
        v = sorted(self.latencies_ms)
        return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else 0.0

    def summary(self) -> str:
        rps = self.sent / self.seconds if self.seconds else 0.0
        return (f"{self.sent} requests, {self.failed} failed, {self.inconsistent} inconsistent, {rps:.0f} req/s, "
                f"p50 {self.pct(50):.1f} ms, p95 {self.pct(95):.1f} ms, p99 {self.pct(99):.1f} ms")


def _worker(host: str, port: int, n: int, offset: int, stop_after: float, out: list, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    local = LoadResult()
    i = 0
    deadline = time.monotonic() + stop_after
    while i < n and time.monotonic() < deadline:
        params = {"q": QUERIES[(offset + i) % len(QUERIES)], **EXTRAS[(offset + i) % len(EXTRAS)]}
        path = "/api/search?" + urllib.parse.urlencode(params)
        t = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            local.latencies_ms.append((time.perf_counter() - t) * 1000)
            local.sent += 1
            if resp.status != 200:
                local.failed += 1
                local.errors.append(f"{resp.status} {path}")
            else:
                data = json.loads(body)
                if sum(o["count"] for o in data["facets"]["outlet"]) != data["total"]:
                    local.inconsistent += 1
                    local.errors.append(f"inconsistent facets {path}")
        except (OSError, http.client.HTTPException, ValueError) as e:
            local.sent += 1
            local.failed += 1
            local.errors.append(f"{type(e).__name__}: {e}")
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        i += 1
    conn.close()
    with lock:
        out.append(local)


def _run(host: str, port: int, requests: int, concurrency: int, max_seconds: float, queue: mp.Queue) -> None:
    results: list[LoadResult] = []
    lock = threading.Lock()
    per = requests // concurrency
    t0 = time.perf_counter()
    threads = [threading.Thread(target=_worker, args=(host, port, per, k * 7, max_seconds, results, lock))
               for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = LoadResult(seconds=time.perf_counter() - t0)
    for r in results:
        total.sent += r.sent
        total.failed += r.failed
        total.inconsistent += r.inconsistent
        total.latencies_ms += r.latencies_ms
        total.errors += r.errors[:5]
    queue.put(total)


def start_load(host: str, port: int, requests: int, concurrency: int, max_seconds: float = 600) -> tuple:
    """Start the load in a second process; returns (process, queue) for `finish_load`."""
    queue: mp.Queue = mp.get_context("spawn").Queue()
    proc = mp.get_context("spawn").Process(target=_run, args=(host, port, requests, concurrency, max_seconds, queue))
    proc.start()
    return proc, queue


def finish_load(handle: tuple, timeout: float = 900) -> LoadResult:
    proc, queue = handle
    result = queue.get(timeout=timeout)
    proc.join(timeout=30)
    return result
