"""A local OpenSearch cluster for the backend tests, from the server jars on Maven Central.

    python scripts/opensearch_cluster.py start [--nodes 3] [--dir var/opensearch] [--http-port 9250]
    python scripts/opensearch_cluster.py status|stop [--dir var/opensearch]

No OpenSearch distribution comes from PyPI or Debian; Maven Central has the server and its
modules. `start` resolves them once with Maven (scripts/opensearch/pom.xml, version pinned there)
into DIR/jars, compiles the small launcher (scripts/opensearch/TestNode.java: the core plus the
Netty transport and common analysis modules), starts N nodes on 127.0.0.1 (HTTP ports from
--http-port, transport ports from --http-port + 100) and waits for green health. Needs Java 17
(nothing newer than OpenSearch 2.19 runs on it), javac and mvn.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent / "opensearch"
REPO = HERE.parent.parent
DEFAULT_DIR = REPO / "var" / "opensearch"
HEAP = "384m"


def missing_tools() -> str | None:
    """Why a cluster cannot be started here, or None."""
    absent = [t for t in ("java", "javac", "mvn") if not shutil.which(t)]
    return f"needs {', '.join(absent)} (Java 17 and Maven)" if absent else None


def prepare(cache: Path = DEFAULT_DIR) -> str:
    """The launcher's classpath: jars fetched and launcher compiled once per machine, in `cache`."""
    jars, classes = cache / "jars", cache / "classes"
    pom = HERE / "pom.xml"
    marker = jars / ".complete"
    if not marker.exists() or marker.read_text() != pom.read_text():
        shutil.rmtree(jars, ignore_errors=True)
        got = subprocess.run(["mvn", "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
                              f"-DoutputDirectory={jars}"], capture_output=True, text=True)
        if got.returncode != 0:
            raise RuntimeError(f"could not fetch OpenSearch's jars from Maven Central:\n{got.stdout[-2000:]}")
        marker.write_text(pom.read_text())
    source = HERE / "TestNode.java"
    compiled = classes / "arnews" / "TestNode.class"
    if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
        subprocess.run(["javac", "-nowarn", "-d", str(classes), "-cp", f"{jars}/*", str(source)], check=True)
    return f"{classes}:{jars}/*"


def health(url: str, timeout: float = 2.0) -> dict | None:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=timeout) as r:
            return json.loads(r.read())
    except (OSError, urllib.error.URLError, ValueError):
        return None


def wait_for(url: str, nodes: int, statuses: tuple[str, ...] = ("green",), timeout: float = 120.0) -> dict:
    """Poll until the cluster reports `nodes` nodes in one of `statuses`; raise on timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = health(url)
        if last and last.get("number_of_nodes") == nodes and last.get("status") in statuses:
            return last
        time.sleep(0.5)
    raise TimeoutError(f"cluster at {url} not {'/'.join(statuses)} with {nodes} nodes: {last}")


def start(root: Path, nodes: int = 3, http_port: int = 9250, wait: bool = True, cache: Path = DEFAULT_DIR) -> dict:
    """Start `nodes` nodes under root/nodes (pids in root/cluster.json); returns that record. If
    they do not get green, they are stopped and the error raised."""
    classpath = prepare(cache)
    names = [f"n{i + 1}" for i in range(nodes)]
    seeds = ",".join(f"127.0.0.1:{http_port + 100 + i}" for i in range(nodes))
    record = {"url": f"http://127.0.0.1:{http_port}", "nodes": []}
    for i, name in enumerate(names):
        home = root / "nodes" / name
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        log = (home / "node.log").open("w")
        proc = subprocess.Popen(
            ["java", f"-Xms{HEAP}", f"-Xmx{HEAP}", "-Dopensearch.set.netty.runtime.available.processors=false",
             "-cp", classpath, "arnews.TestNode", str(home), name, str(http_port + i), str(http_port + 100 + i),
             seeds, ",".join(names)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        record["nodes"].append({"name": name, "pid": proc.pid, "http": f"http://127.0.0.1:{http_port + i}",
                                "log": str(home / "node.log")})
    (root / "cluster.json").write_text(json.dumps(record, indent=1))
    if wait:
        try:
            wait_for(record["url"], nodes)
        except BaseException:
            stop(root)
            raise
    return record


def stop(root: Path, grace: float = 20.0) -> None:
    """SIGTERM every node of root/cluster.json (a clean close), SIGKILL what is left after `grace`."""
    path = root / "cluster.json"
    if not path.exists():
        return
    pids = [n["pid"] for n in json.loads(path.read_text())["nodes"]]
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    for pid in pids:
        _signal(pid, signal.SIGKILL)
    path.unlink()


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # reaps it if it is our child
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("start", "stop", "status"))
    ap.add_argument("--nodes", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--http-port", type=int, default=9250)
    args = ap.parse_args()
    why = missing_tools()
    if why and args.command == "start":
        sys.exit(f"error: cannot start OpenSearch: {why}")
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.command == "start":
        rec = start(args.dir, args.nodes, args.http_port)
        print(f"OpenSearch cluster green at {rec['url']} ({args.nodes} nodes; logs under {args.dir / 'nodes'})")
    elif args.command == "stop":
        stop(args.dir)
        print("stopped")
    else:
        path = args.dir / "cluster.json"
        url = json.loads(path.read_text())["url"] if path.exists() else f"http://127.0.0.1:{args.http_port}"
        print(json.dumps(health(url) or {"status": "unreachable", "url": url}))


if __name__ == "__main__":
    main()
