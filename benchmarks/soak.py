"""Soak run: `arnews serve` (2 worker processes) on the bundled index answers 20,000 varied
faceted searches with the hostile set (benchmarks/hostile.py) mixed in, from 4 clients. Prints
the slowest request (bar: within the time budget + 0.5 s), each worker's memory after the warm-up
and at the end (bar: at most 1.5x), and every answer other than 200 or a deliberate 400.

    python benchmarks/soak.py [--index var/index] [--requests 20000] [--concurrency 4]

The index is hard-link copied to a temporary directory first, so ./var/index is not touched.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.hostile import hostile_requests  # noqa: E402
from benchmarks.search_latency import make_queries  # noqa: E402
from searchcore import IndexHandle, SearchParams, run_search  # noqa: E402
from searchcore.limits import SEARCH_TIME_BUDGET_S  # noqa: E402
from tests.test_e2e import free_port, wait_http  # noqa: E402


def varied(handle: IndexHandle, n: int, seed: int = 404) -> list[dict[str, str]]:
    """Words from the index's vocabulary with the parameters people use: facet selections taken
    from the index's own facets, sorts, pages, match modes, date ranges."""
    rng = random.Random(seed)
    words = make_queries(handle, max(n // 4, 100))
    browse = run_search(handle, SearchParams.from_args({"facet_size": "40"}.get, lambda k: []))
    outlets = [o["value"] for o in browse["facets"]["outlet"]]
    persons = [p["value"] for p in browse["facets"]["person"]]
    days = [d["from"] for d in browse["facets"]["date"]]
    out = []
    for i in range(n):
        args: dict[str, str] = {"q": rng.choice(words)}
        if i % 3 == 0:
            args["outlet"] = rng.choice(outlets)
        if i % 5 == 0:
            args["person"] = rng.choice(persons)
        if i % 7 == 0 and days:
            a, b = sorted(rng.sample(days, 2)) if len(days) > 1 else (days[0], days[0])
            args.update({"from": a, "to": b})
        if i % 4 == 0:
            args["sort"] = rng.choice(["newest", "oldest"])
        if i % 6 == 0:
            args["match"] = "any"
        if i % 9 == 0:
            args["page"] = str(rng.randint(2, 20))
        if i % 11 == 0:
            args["q"] += "*" if len(args["q"]) > 3 else ""
        out.append(args)
    return out


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory in MB (VmRSS; RssAnon: without the mapped index files)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def workers(server_pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(server_pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out] or [server_pid]


def run(port: int, requests: list[dict[str, str]], concurrency: int) -> tuple[list[tuple[float, dict]], list]:
    times: list[tuple[float, dict]] = []
    odd: list = []
    lock = threading.Lock()
    it = iter(requests)

    def client() -> None:
        while True:
            with lock:
                args = next(it, None)
            if args is None:
                return
            url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode(args)
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as r:
                    status = r.status
                    r.read()
            except urllib.error.HTTPError as e:
                status = e.code
                e.read()
            except OSError as e:
                status = repr(e)
            took = time.perf_counter() - t
            with lock:
                times.append((took, args))
                if status != 200 and status != 400:
                    odd.append((status, args))

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, odd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=REPO / "var" / "index")
    ap.add_argument("--requests", type=int, default=20_000)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--warmup", type=int, default=2_000)
    args = ap.parse_args()
    handle = IndexHandle(args.index)
    hostile = hostile_requests()
    plain = varied(handle, args.requests)
    mixed = list(plain)
    step = max(1, len(plain) // len(hostile))
    for i, h in enumerate(hostile):  # spread through the run
        mixed.insert(min(len(mixed), (i + 1) * step + i), h)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "index"
        subprocess.run(["cp", "-al", str(args.index), str(root)], check=True)
        (root / "reindex.lock").unlink(missing_ok=True)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "arnews.cli", "--index", str(root), "serve", "--no-build",
                                   "--port", str(port), "--workers", "2"], cwd=REPO,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz")
            t0 = time.perf_counter()
            warm_times, warm_odd = run(port, mixed[: args.warmup], args.concurrency)
            warm = {pid: rss_mb(pid) for pid in workers(server.pid)}
            warm_anon = {pid: rss_mb(pid, "RssAnon") for pid in warm}
            rest_times, rest_odd = run(port, mixed[args.warmup :], args.concurrency)
            end = {pid: rss_mb(pid) for pid in workers(server.pid)}
            end_anon = {pid: rss_mb(pid, "RssAnon") for pid in end}
            wall = time.perf_counter() - t0
            health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read())
        finally:
            server.terminate()
            server.wait(timeout=10)
    times = warm_times + rest_times
    odd = warm_odd + rest_odd
    slowest = sorted(times, key=lambda t: t[0], reverse=True)[:5]
    hostile_ids = {json.dumps(h, sort_keys=True) for h in hostile}
    hostile_times = [t for t, a in times if json.dumps(a, sort_keys=True) in hostile_ids]
    print(f"{len(times):,} requests ({len(hostile)} hostile) from {args.concurrency} clients in {wall:.0f} s "
          f"({len(times) / wall:.0f}/s)")
    print(f"slowest: {slowest[0][0]:.2f} s (bar: {SEARCH_TIME_BUDGET_S + 0.5:.1f} s); slowest hostile: "
          f"{max(hostile_times):.2f} s")
    for took, a in slowest:
        print(f"  {took:6.2f} s  {json.dumps({k: v[:60] for k, v in a.items()}, ensure_ascii=False)}")
    for pid in end:
        ratio = end[pid] / warm[pid] if pid in warm else float("nan")
        print(f"worker {pid}: RSS {warm.get(pid, float('nan')):.0f} MB after warm-up, {end[pid]:.0f} MB at the end "
              f"({ratio:.2f}x; bar 1.5x); of which not file-backed (RssAnon) {warm_anon.get(pid, float('nan')):.0f} "
              f"-> {end_anon[pid]:.0f} MB")
    print(f"answers other than 200 or a deliberate 400: {len(odd)}")
    for status, a in odd[:10]:
        print(f"  {status}: {json.dumps(a, ensure_ascii=False)[:200]}")
    print(f"cache (one worker, /healthz): {json.dumps(health.get('cache'))}")


if __name__ == "__main__":
    main()
