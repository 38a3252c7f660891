"""The README's main command path on a slice of the bundled corpus: `arnews serve` indexes the
bundled data when there is no index, then serves the page and the API over real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SEEDS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_slice(dest: Path, n: int = 150) -> Path:
    """A small 'seeds' folder: n articles of one bundled day (same zip format) and the seed article."""
    src = sorted((SEEDS / "saudinewsnet").glob("*.zip"))[0]
    with zipfile.ZipFile(src) as z:
        name = z.namelist()[0]
        records = json.loads(z.read(name))[:n]
    (dest / "saudinewsnet").mkdir(parents=True)
    with zipfile.ZipFile(dest / "saudinewsnet" / src.name, "w") as z:
        z.writestr(name, json.dumps(records, ensure_ascii=False))
    shutil.copytree(SEEDS / "articles", dest / "articles")
    return dest


def wait_http(url: str, timeout: float = 120.0) -> bytes:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read()
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("e2e")
    seeds = make_slice(root / "seeds")
    port = free_port()
    env = {**os.environ, "ARNEWS_SEEDS": str(seeds), "ARNEWS_INDEX": str(root / "index")}
    proc = subprocess.Popen([sys.executable, "-m", "arnews.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}", root, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_indexes_then_serves(served) -> None:
    base, root, _ = served
    health = json.loads(wait_http(f"{base}/healthz"))
    assert health["status"] == "ok" and health["articles"] == 151  # 150 news articles + the seed article
    page = wait_http(f"{base}/?q=" + urllib.parse.quote("اسماعيل هنيه")).decode()
    assert 'dir="rtl"' in page and "<mark>إسماعيل</mark>" in page
    api = json.loads(wait_http(f"{base}/api/search?q=" + urllib.parse.quote("السعودية")))
    assert api["total"] > 0 and api["hits"][0]["outlet_name"]
    assert (root / "index" / "current").is_symlink()


def test_reindex_is_picked_up_without_restart(served, tmp_path: Path) -> None:
    base, root, _ = served
    extra = tmp_path / "extra.jsonl"
    record = {"id": "mars-1", "title": "مسبار إلى المريخ", "body": "أطلقت الوكالة مسبارا إلى المريخ"}
    extra.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    env = {**os.environ, "ARNEWS_INDEX": str(root / "index")}
    subprocess.run([sys.executable, "-m", "arnews.cli", "reindex", str(extra)], env=env, check=True,
                   capture_output=True)
    api = json.loads(wait_http(f"{base}/api/search?q=" + urllib.parse.quote("المريخ")))
    assert [h["id"] for h in api["hits"]] == ["mars-1"]


def test_server_is_not_flask_debug(served) -> None:
    base, _, _ = served
    req = urllib.request.Request(f"{base}/healthz")
    with urllib.request.urlopen(req) as r:
        assert "Werkzeug" not in r.headers.get("Server", "")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(f"{base}/console")
    assert e.value.code == 404


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_worker_processes_serve_and_stop_with_the_parent(served, sig: int) -> None:
    """`serve --workers 2`: two processes answer on one port; when the parent goes (even killed
    outright), so do they: no orphan keeps the port."""
    _, root, _ = served
    port = free_port()
    env = {**os.environ, "ARNEWS_INDEX": str(root / "index")}
    proc = subprocess.Popen([sys.executable, "-m", "arnews.cli", "serve", "--no-build", "--workers", "2",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        workers = _children(proc.pid)
        assert len(workers) == 2
        for _ in range(6):
            assert json.loads(wait_http(f"http://127.0.0.1:{port}/healthz"))["status"] == "ok"
        proc.send_signal(sig)
        proc.wait(timeout=10)
        deadline = time.time() + 10
        while time.time() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.2)
        assert not any(Path(f"/proc/{w}").exists() for w in workers)
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("options", [[], ["--connection-limit", "200", "--channel-timeout", "20"]])
def test_slow_clients_do_not_lock_others_out(served, options: list[str]) -> None:
    """150 silent connections (a slowloris) do not keep a request from being answered: the
    default connection limit is 1000, not waitress's 100, and `--connection-limit` sets it
    (issue 22, item 5: about 98 trickling clients locked a worker)."""
    import socket

    _, root, _ = served
    port = free_port()
    env = {**os.environ, "ARNEWS_INDEX": str(root / "index")}
    proc = subprocess.Popen([sys.executable, "-m", "arnews.cli", "serve", "--no-build", "--workers", "1",
                             "--port", str(port), *options], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    idle: list[socket.socket] = []
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        for _ in range(150):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
            idle.append(s)
        time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
            assert r.status == 200
    finally:
        for s in idle:
            s.close()
        proc.terminate()
        proc.wait(timeout=10)
