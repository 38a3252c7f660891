"""The benchmark suite's smoke run: it must keep working (it is the command the issue's figures
come from), and its figures must be sane, on 300 bundled articles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_suite_smoke_run(tmp_path: Path) -> None:
    out = tmp_path / "suite.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "suite.py"), "--smoke", "--json", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "whoosh StandardAnalyzer" in run.stdout and "tantivy" in run.stdout
    fig = json.loads(out.read_text(encoding="utf-8"))["scales"]["1"]
    r = fig["reindex"]
    assert r["articles"] == 300 and all(t > 0 for t in r["full_s"]) and r["index_mb"] > 0
    assert r["unchanged_s"][0] < r["full_s"][0]
    for runs in (fig["api"]["api_ms"], fig["api"]["raw_top10_ms"]):
        p50, p95, p99 = runs[0]
        assert 0 < p50 <= p95 <= p99
    assert fig["serve"]["errors"] == {"1": 0, "4": 0} and min(fig["serve"]["rps"]["4"]) > 0
    assert 0 < fig["serve"]["cold_start_s"][0] < 60
    base = fig["baselines"]
    assert base["tantivy"]["build_s"][0] > 0 and base["whoosh_standard"]["facets_ms"][0][0] > 0
    # Lucene runs where a JDK and Debian's Lucene jars are installed, and says why not elsewhere
    lucene = base["lucene"]
    if "skipped" not in lucene:
        assert lucene["build_s"][0] > 0 and 0 < lucene["top10_ms"][0][0] <= lucene["top10_ms"][0][1]
    assert set(fig["stages"]) >= {"reading", "analysis", "persons", "writing"}
