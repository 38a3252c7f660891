"""The first run (issue 19): `arnews serve` with no index serves the page at once and says how
far the build has come; the build logs progress lines when its output is not a terminal; the
source's own gaps are one calm line; Ctrl-C stops the server and a reindex without tracebacks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.test_e2e import free_port, make_slice, wait_http

SLOW_COMMIT = "commit:sleep=3"  # holds the build at its commit, so there is time to look at it


def _get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def _first_answer(url: str, timeout: float = 60) -> tuple[int, bytes, dict]:
    deadline = time.time() + timeout
    while True:
        try:
            return _get(url)
        except OSError:  # not listening yet
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def _start(args: list[str], env: dict) -> subprocess.Popen:
    # A session of its own, like a terminal's job: Ctrl-C is SIGINT to the whole process group.
    return subprocess.Popen([sys.executable, "-m", "arnews", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


@pytest.fixture()
def fresh(tmp_path: Path) -> tuple[Path, dict]:
    seeds = make_slice(tmp_path / "seeds", n=120)
    env = {**os.environ, "ARNEWS_SEEDS": str(seeds), "ARNEWS_INDEX": str(tmp_path / "index"),
           "ARNEWS_FAULT": SLOW_COMMIT}
    return tmp_path, env


def test_serve_answers_at_once_while_the_first_build_runs(fresh) -> None:
    root, env = fresh
    port = free_port()
    proc = _start(["serve", "--port", str(port), "--workers", "1"], env)
    base = f"http://127.0.0.1:{port}"
    try:
        code, body, headers = _first_answer(f"{base}/healthz")
        assert code == 503 and headers.get("Retry-After")
        health = json.loads(body)
        assert health["status"] == "building" and health["building"]["started"]
        assert "يُبنى الفهرس" in health["error"]

        code, page, _ = _get(f"{base}/?q=%D8%A7%D9%84%D9%85%D9%84%D9%83")
        html = page.decode()
        assert code == 503 and "يُبنى الفهرس الآن" in html and 'http-equiv="refresh"' in html
        assert "no index" not in html

        # at the slow commit: everything has been read, and the page says the index is being written
        deadline = time.time() + 30
        while time.time() < deadline:
            code, body, _ = _get(f"{base}/api/search?q=x")
            if code == 503 and json.loads(body).get("building", {}).get("phase") == "writing":
                break
            time.sleep(0.2)
        building = json.loads(body)["building"]
        assert building["phase"] == "writing" and building["done"] == building["expected"] == 121
        assert "يُكتب الفهرس الآن" in _get(f"{base}/")[1].decode()

        health = json.loads(wait_http(f"{base}/healthz", timeout=60))  # search opens by itself
        assert health["status"] == "ok" and health["articles"] == 121
        deadline = time.time() + 10  # the build process ends just after the index is swapped in
        while time.time() < deadline and not (root / "index" / "reindex.lock").read_text() == "":
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=20)[0]
    assert "first build done: search is open" in out
    assert "progress: " in out and "all read" in out  # log lines: the output is not a terminal
    assert "Traceback" not in out and proc.returncode == 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_during_the_first_build_stops_cleanly(fresh, workers: str) -> None:
    root, env = fresh
    port = free_port()
    proc = _start(["serve", "--port", str(port), "--workers", workers], env)
    try:
        code, body, _ = _first_answer(f"http://127.0.0.1:{port}/healthz")
        assert code == 503 and json.loads(body)["status"] == "building"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out = proc.communicate(timeout=20)[0]
    assert proc.returncode == 0, out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    assert "stopped (the first build was not finished" in out
    assert not (root / "index" / "current").exists()  # nothing half-built is published
    time.sleep(0.5)
    assert subprocess.run(["pgrep", "-f", str(root / "index")], capture_output=True).stdout == b""


def test_ctrl_c_stops_a_reindex_cleanly(fresh) -> None:
    root, env = fresh
    proc = _start(["reindex"], env)
    layout_lock = root / "index" / "reindex.lock"
    deadline = time.time() + 30
    while time.time() < deadline and not (root / "index" / "reindex-progress.json").exists():
        time.sleep(0.1)
    assert layout_lock.read_text()  # running: the lock names its owner
    os.killpg(proc.pid, signal.SIGINT)
    out = proc.communicate(timeout=20)[0]
    assert proc.returncode == 130
    assert "interrupted; the live index was not changed." in out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    assert not (root / "index" / "current").exists()
    assert not (root / "index" / "reindex-progress.json").exists()


def _records(n: int) -> list[dict]:
    return [{"id": f"n{i}", "title": f"خبر رقم {i}", "body": f"نص الخبر رقم {i} عن الرياض"} for i in range(n)]


def test_the_sources_own_gaps_are_one_calm_line(tmp_path: Path) -> None:
    records = _records(5) + [{"id": "t1", "title": "عنوان وحده", "body": ""},
                             {"id": "e1", "title": "", "body": ""}]
    src = tmp_path / "gaps.json"
    src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    from tests.test_web_sources import reindex

    out = reindex(tmp_path / "index", str(src)).stdout
    assert "notes: 1 articles have only a title (indexed by it); 1 empty records were left out" in out
    assert "input problems" not in out and "[record" not in out

    damaged = tmp_path / "damaged.json"  # a real problem is still listed record by record
    damaged.write_text(json.dumps(_records(3) + ["not an object"], ensure_ascii=False), encoding="utf-8")
    out = reindex(tmp_path / "index", "--full", str(damaged)).stdout
    assert "input problems (by reason):" in out and "[record 3] skipped: record is not a JSON object" in out
