"""The `arnews` command line through click's runner on a real index."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from arnews.cli import main


def test_analyze_json() -> None:
    r = CliRunner().invoke(main, ["analyze", "--json", "وَالرَّئِيسُ عبدالله"])
    assert r.exit_code == 0
    toks = json.loads(r.output)
    assert toks[0] == {"text": "وَالرَّئِيسُ", "start": 0, "end": 12, "term": "والرءيس", "stem": "رءيس",
                       "stopword": False}
    assert [t["term"] for t in toks[1:]] == ["عبد", "الله"]


def test_analyze_plain() -> None:
    r = CliRunner().invoke(main, ["analyze", "في الرياض"])
    assert r.exit_code == 0 and "(stop word)" in r.output and "الرياض" in r.output


def test_search_json_equals_api(index_dir: Path, client) -> None:
    r = CliRunner().invoke(main, ["--index", str(index_dir), "search", "--json", "الهلال", "--outlet", "okaz"])
    assert r.exit_code == 0
    cli = json.loads(r.output)
    api = client.get("/api/search?q=الهلال&outlet=okaz").get_json()
    assert cli["total"] == api["total"] and [h["id"] for h in cli["hits"]] == [h["id"] for h in api["hits"]]


def test_search_plain_and_errors(index_dir: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["--index", str(index_dir), "search", "هنية"])
    assert r.exit_code == 0 and "[هنيّة]" in r.output and "الرياض" in r.output
    r = CliRunner().invoke(main, ["--index", str(tmp_path / "none"), "search", "x"])
    assert r.exit_code == 2 and "reindex" in r.output


def test_explain_matches_the_api(index_dir: Path, client) -> None:
    top = client.get("/api/search?q=الهلال النصر&match=any&explain=1").get_json()["hits"][0]
    r = CliRunner().invoke(main, ["--index", str(index_dir), "explain", "--json", "الهلال النصر", top["id"]])
    assert r.exit_code == 0
    got = json.loads(r.output)
    assert got["rank"] == 1 and got["score"] == top["explain"]["score"]
    r = CliRunner().invoke(main, ["--index", str(index_dir), "explain", "الهلال النصر", top["id"]])
    assert r.exit_code == 0 and "rank 1 of" in r.output and "stem" in r.output
    r = CliRunner().invoke(main, ["--index", str(index_dir), "explain", "الهلال", "no-such-id"])
    assert r.exit_code == 1 and "no such article" in r.output


def test_stats_json(index_dir: Path) -> None:
    r = CliRunner().invoke(main, ["--index", str(index_dir), "stats", "--json"])
    assert r.exit_code == 0
    d = json.loads(r.output)
    for k in ("articles", "outlets", "persons", "date_min", "date_max", "size_bytes"):
        assert k in d
    assert d["articles"] == 54 and d["outlets"]["okaz"] == 14 and d["date_max"] == "2023-11-06"


def test_reindex_cli_and_env(tmp_path: Path, corpus_dir: Path) -> None:
    ix = tmp_path / "ix"
    r = CliRunner().invoke(main, ["reindex", str(corpus_dir)], env={"ARNEWS_INDEX": str(ix)})
    assert r.exit_code == 0, r.output
    assert "full reindex: 54 articles" in r.output and (ix / "current").is_symlink()
    r = CliRunner().invoke(main, ["--index", str(ix), "reindex", str(corpus_dir)])
    assert "unchanged reindex" in r.output


def test_opensearch_backend_errors_are_clear(tmp_path: Path) -> None:
    """No URL, a bad URL, a cluster that is not there (for reading and for searching): a
    one-line error and exit code 2, never a stack trace."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("ARNEWS_OPENSEARCH")}
    cases = [(["--backend", "opensearch", "stats"], "needs --opensearch-url"),
             (["--backend", "opensearch", "--opensearch-url", "ftp://x", "reindex"], "not an http(s) URL"),
             (["--backend", "opensearch", "--opensearch-url", "http://127.0.0.1:1", "stats"], "cannot reach"),
             (["--backend", "opensearch", "--opensearch-url", "http://127.0.0.1:1", "search", "x"], "cannot reach"),
             (["--backend", "opensearch", "--opensearch-url", "http://127.0.0.1:1", "explain", "x", "y"],
              "cannot reach")]
    for args, message in cases:
        r = subprocess.run([sys.executable, "-m", "arnews.cli", *args], capture_output=True, text=True, env=env,
                           timeout=120, cwd=Path(__file__).resolve().parent.parent)
        assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
