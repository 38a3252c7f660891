"""The `arnews` command line: reindex, search, analyze, serve, stats."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import click

from arnews.config import DEFAULT_INDEX, default_seeds
from arnews.progress import Progress


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), envvar="ARNEWS_INDEX",
              default=DEFAULT_INDEX, show_default=True, help="Index directory (or $ARNEWS_INDEX).")
@click.option("--backend", type=click.Choice(["whoosh", "opensearch"]), envvar="ARNEWS_BACKEND", default="whoosh",
              show_default=True, help="The engine: embedded Whoosh in --index, or OpenSearch ($ARNEWS_BACKEND).")
@click.option("--opensearch-url", envvar="ARNEWS_OPENSEARCH_URL", default=None,
              help="The cluster, e.g. https://search.example.org:9200; several nodes' URLs separated by "
                   "commas fail over among them ($ARNEWS_OPENSEARCH_URL).")
@click.option("--opensearch-user", envvar="ARNEWS_OPENSEARCH_USER", default=None, help="($ARNEWS_OPENSEARCH_USER)")
@click.option("--opensearch-password", envvar="ARNEWS_OPENSEARCH_PASSWORD", default=None,
              help="($ARNEWS_OPENSEARCH_PASSWORD; prefer the variable to the option)")
@click.option("--opensearch-insecure", is_flag=True, default=False,
              help="Do not verify the cluster's TLS certificate (a self-signed test cluster).")
@click.option("--opensearch-alias", default="arnews", show_default=True,
              help="The alias searches read through; each reindex makes a new index behind it.")
@click.version_option(package_name="arnews")
@click.pass_context
def main(ctx: click.Context, index_dir: Path, backend: str, opensearch_url: str | None, opensearch_user: str | None,
         opensearch_password: str | None, opensearch_insecure: bool, opensearch_alias: str) -> None:
    """A search engine for Arabic news."""
    ctx.obj = {"index": index_dir, "backend": backend,
               "opensearch": {"url": opensearch_url, "user": opensearch_user, "password": opensearch_password,
                              "verify_certs": False if opensearch_insecure else None, "alias": opensearch_alias}}


def _echo_problems(report, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    """A reindex's input problems: the source's own gaps (title-only and empty items) in one
    line, anything else by reason and its first ten records (the JSON report has them all)."""
    if quiet:
        return
    gaps = report.gaps_line()
    if gaps:
        click.echo(f"notes: {gaps}")
    lines = report.summary_lines(limit=10)
    if lines:
        click.echo("input problems (by reason):")
        for line in lines:
            click.echo(f"  {line}")


def _opensearch(ctx: click.Context):  # type: ignore[no-untyped-def]
    """The cluster settings of --backend opensearch, or a clear error (exit 2)."""
    from backends.opensearch import OpenSearchSettings

    options = dict(ctx.obj["opensearch"])
    url = options.pop("url")
    if not url and not os.environ.get("ARNEWS_OPENSEARCH_URL"):
        click.echo("error: --backend opensearch needs --opensearch-url URL (or $ARNEWS_OPENSEARCH_URL)", err=True)
        ctx.exit(2)
    try:
        return OpenSearchSettings.from_env(url, **options)
    except ValueError as e:
        click.echo(f"error: {e}", err=True)
        ctx.exit(2)


def _engine(ctx: click.Context):  # type: ignore[no-untyped-def]
    """The engine the global options name: the embedded index, or the OpenSearch cluster."""
    if ctx.obj["backend"] == "opensearch":
        from backends.opensearch.engine import OpenSearchHandle

        return OpenSearchHandle(_opensearch(ctx))
    from searchcore import IndexHandle

    return IndexHandle(ctx.obj["index"])


INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)


def _failed(progress: Progress, message: str, code: int) -> int:
    """A reindex that failed: the progress line closed, then why, on stderr; its exit code."""
    progress.close()
    click.echo(f"error: {message}", err=True)
    return code


def _reindex_opensearch(ctx: click.Context, paths: list[Path], full: bool, prune: bool, strict: bool,
                        procs: int | None, quiet: bool, report=None) -> int:  # type: ignore[no-untyped-def]
    from backends.opensearch.client import ClusterUnavailable
    from backends.opensearch.indexing import reindex_opensearch
    from indexer import ReindexBusy, ReindexFailed

    settings = _opensearch(ctx)
    progress = Progress.for_stderr(None, quiet)
    try:
        result = reindex_opensearch(settings, paths, full=full, prune=prune, strict=strict,
                                    procs=procs or min(2, os.cpu_count() or 1), progress=progress, report=report)
    except ReindexBusy as e:
        return _failed(progress, str(e), 3)
    except ClusterUnavailable as e:
        return _failed(progress, str(e), 2)
    except ReindexFailed as e:
        return _failed(progress, f"{e}\nThe alias {settings.alias} was not changed.", 1)
    except KeyboardInterrupt:
        return _failed(progress, f"interrupted; the alias {settings.alias} was not changed.", INTERRUPTED)
    progress.close()
    click.echo(result.summary() + f"; alias {settings.alias} -> {result.generation}")
    _echo_problems(result.report, quiet)
    return 0


def _do_reindex(index_dir: Path, paths: list[Path], full: bool, prune: bool, strict: bool,
                procs: int | None, quiet: bool, report=None) -> int:  # type: ignore[no-untyped-def]
    from indexer import IndexLayout, ReindexBusy, ReindexFailed, reindex

    layout = IndexLayout(index_dir)
    # The progress also goes to the index directory, where a server shows it while there is no index yet.
    progress = Progress.for_stderr((layout.meta() or {}).get("articles"), quiet, on_update=layout.write_progress)
    try:
        if progress.wants_count:
            # No earlier index to estimate from: count the input once (about 1.5% of a build) for the ETA.
            from indexer.readers import read_corpus
            from indexer.report import ReadReport

            progress.expected = sum(1 for _ in read_corpus(paths, ReadReport()))
        result = reindex(index_dir, paths, full=full, prune=prune, strict=strict, procs=procs, progress=progress,
                         report=report)
    except KeyboardInterrupt:
        return _failed(progress, "interrupted; the live index was not changed.", INTERRUPTED)
    except ReindexBusy as e:
        return _failed(progress, str(e), 3)
    except ReindexFailed as e:
        return _failed(progress, f"{e}\nThe live index was not changed.", 1)
    except OSError as e:  # disk full, read-only directory, file too large …
        where = f" ({e.filename})" if e.filename else ""
        return _failed(progress, f"cannot write the index: {e.strerror or e}{where}.\n"
                                 "The live index was not changed.", 1)
    finally:
        layout.clear_progress()
    progress.close()
    click.echo(result.summary())
    _echo_problems(result.report, quiet)
    click.echo(f"report: {index_dir / 'last-report.json'}")
    return 0


@main.command("reindex")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--full", is_flag=True, help="Rebuild from scratch (default: incremental when an index exists).")
@click.option("--prune", is_flag=True, help="Remove articles whose source is no longer in PATHS.")
@click.option("--strict", is_flag=True, help="Fail (and keep the live index) on any skipped or repaired input.")
@click.option("--procs", type=click.IntRange(1, 64), default=None, help="Processes to use (default: up to 2).")
@click.option("--quiet", is_flag=True, help="Only the summary line.")
@click.option("--sources", "sources_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A sources file (TOML, see README): fetch its outlets' feeds and new article "
                                 "pages first, then index them with PATHS.")
@click.option("--archive", "archive_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where fetched articles are kept, as JSONL (default: INDEX/fetched); indexed like PATHS.")
@click.pass_context
def reindex_cmd(ctx: click.Context, paths: tuple[Path, ...], full: bool, prune: bool, strict: bool,
                procs: int | None, quiet: bool, sources_file: Path | None, archive_dir: Path | None) -> None:
    """Build or update the index from PATHS (files or folders: JSON, JSONL, zips, .txt, saved .html
    pages, .warc/.warc.gz archives; default: the bundled seeds/), and from the feeds of --sources."""
    report = None
    if sources_file is not None:
        archive_dir = archive_dir or ctx.obj["index"] / "fetched"
        report = _fetch(ctx, sources_file, archive_dir, quiet, alone=not paths)
        inputs = [*paths, archive_dir]
    else:
        inputs = list(paths) or [default_seeds()]
    if ctx.obj["backend"] == "opensearch":  # a new generation behind the alias, full or incremental
        ctx.exit(_reindex_opensearch(ctx, inputs, full, prune, strict, procs, quiet, report))
    ctx.exit(_do_reindex(ctx.obj["index"], inputs, full, prune, strict, procs, quiet, report))


def _fetch(ctx: click.Context, sources_file: Path, archive_dir: Path, quiet: bool,  # type: ignore[no-untyped-def]
           alone: bool):
    """The fetching half of `reindex --sources`: its report (for the reindex to continue), or an
    exit: 2 for a sources file that cannot be used, 1 when no feed could be read (and no PATHS
    were given: `alone`), which is the one failure a scheduled run should be alerted to."""
    from indexer.report import ReadReport
    from indexer.web.archive import Archive
    from indexer.web.fetch import Fetcher
    from indexer.web.run import fetch_sources
    from indexer.web.sources import SourcesError, fetch_options, load_sources

    try:
        sources = load_sources(sources_file)
        fetcher = Fetcher(**fetch_options(sources_file))  # type: ignore[arg-type]
    except SourcesError as e:
        click.echo(f"error: {e}", err=True)
        ctx.exit(2)
    report = ReadReport()
    archive = Archive(archive_dir)
    try:
        summary = fetch_sources(sources, archive, report, fetcher)
    except KeyboardInterrupt:
        click.echo("error: interrupted; what was fetched is kept and indexed by the next run.", err=True)
        ctx.exit(INTERRUPTED)
    finally:
        archive.close()
    if not quiet:
        click.echo(summary.line())
    if summary.feeds_read == 0 and alone:
        _echo_problems(report, False)
        click.echo("error: no feed could be read; the index was not changed.", err=True)
        ctx.exit(1)
    return report


def _answer(ctx: click.Context, ask: Callable[[], dict]) -> dict:
    """The search core's answer, or its error as a message and exit code (2: no usable index,
    1: a request that cannot be answered as asked)."""
    from searchcore import IndexUnavailable, SearchError

    try:
        return ask()
    except IndexUnavailable as e:
        where = ctx.obj["index"] if ctx.obj["backend"] == "whoosh" else "opensearch"
        click.echo(f"error: {where}: {e}", err=True)
        ctx.exit(2)
    except SearchError as e:
        click.echo(f"error: {e}", err=True)
        ctx.exit(1)
    raise AssertionError("unreachable")  # ctx.exit raises


def _plain(html: str) -> str:
    """Snippet HTML for a terminal: marks become [brackets], entities are decoded."""
    import html as html_mod

    return html_mod.unescape(re.sub(r"</?mark>", lambda m: "]" if m.group().startswith("</") else "[", html))


@main.command("search")
@click.argument("query", default="")
@click.option("--person", multiple=True, help="Filter by person (repeatable: any of them).")
@click.option("--outlet", multiple=True, help="Filter by outlet id (repeatable: any of them).")
@click.option("--from", "date_from", default=None, help="From date, YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, help="To date, YYYY-MM-DD.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance")
@click.option("--match", type=click.Choice(["all", "any"]), default="all")
@click.option("--page", type=int, default=1)
@click.option("--per-page", type=int, default=10)
@click.option("--collapse", is_flag=True, help="Near-duplicates (wire copies) as one hit.")
@click.option("--json", "as_json", is_flag=True, help="The same JSON as /api/search.")
@click.pass_context
def search_cmd(ctx: click.Context, query: str, person: tuple[str, ...], outlet: tuple[str, ...],
               date_from: str | None, date_to: str | None, sort: str, match: str, page: int, per_page: int,
               collapse: bool, as_json: bool) -> None:
    """Search the index and print the top hits."""
    from searchcore import SearchParams, run_search

    args = {"q": query, "from": date_from, "to": date_to, "sort": sort, "match": match,
            "page": str(page), "per_page": str(per_page), "collapse": "1" if collapse else ""}
    lists = {"person": list(person), "outlet": list(outlet)}
    params = SearchParams.from_args(args.get, lambda k: lists.get(k, []))
    result = _answer(ctx, lambda: run_search(_engine(ctx), params))
    if as_json:
        _echo_json(result)
        return
    for m in result["messages"]:
        click.echo(f"note: {m}")
    click.echo(f"{result['total']} articles ({result['took_ms']} ms), page {result['page']}/{max(result['pages'], 1)}")
    for i, hit in enumerate(result["hits"], (result["page"] - 1) * result["per_page"] + 1):
        click.echo(f"\n{i}. {hit['title']}")
        click.echo(f"   {hit['outlet_name']} · {hit['date'] or 'no date'} · {hit['id']}")
        if hit["persons"]:
            click.echo(f"   persons: {'، '.join(hit['persons'][:6])}")
        click.echo(f"   {_plain(hit['snippet'])}".replace("\n", " "))
        if hit["near_duplicates"]:
            click.echo(f"   also in: {'، '.join(d['outlet_name'] for d in hit['near_duplicates'][:8])}")
    top = result["facets"]["outlet"][:5]
    if top:
        click.echo("\noutlets: " + ", ".join(f"{o['label']} ({o['count']})" for o in top))


@main.command("explain")
@click.argument("query")
@click.argument("article_id")
@click.option("--match", type=click.Choice(["all", "any"]), default="any", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The explanation as JSON.")
@click.pass_context
def explain_cmd(ctx: click.Context, query: str, article_id: str, match: str, as_json: bool) -> None:
    """Why ARTICLE_ID ranks where it does for QUERY: each word's signals and their share."""
    from searchcore.search import explain

    result = _answer(ctx, lambda: explain(_engine(ctx), query, article_id, match))
    if as_json or result.get("engine") == "opensearch":  # Lucene's explanation tree: JSON only
        _echo_json(result)
        return
    for m in result["messages"]:
        click.echo(f"note: {m}")
    where = f"rank {result['rank']} of {result['total']}" if result["matches"] else "does not match the query"
    click.echo(f"{article_id}: score {result['score']} ({where})")
    for s in sorted(result["signals"], key=lambda s: -s["score"]):
        detail = (f"idf {s['idf']}, title tf {s['title_tf']:g}, body tf {s['body_tf']:g}, bm25f {s['bm25f']}"
                  if "idf" in s else "constant")
        click.echo(f"  {s['score']:8.4f}  {s['signal']:<6} {s['term']:<16} x{s['weight']:g}  ({detail})")
    lengths = ", ".join(f"{k} {v:g}" for k, v in result["weighted_length"].items())
    click.echo(f"weighted lengths: {lengths}")


@main.command("analyze")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="[{text, start, end, term, stem}] per token.")
def analyze_cmd(text: str, as_json: bool) -> None:
    """Show what each word of TEXT becomes in the index (surface, term, stem, offsets)."""
    from analyzers import analyze

    tokens = analyze(text)
    if as_json:
        _echo_json(tokens)
        return
    click.echo(f"{'start':>5} {'end':>5}  {'text':<20} {'term':<20} stem")
    for t in tokens:
        stem = t["stem"] if t["stem"] is not None else "(stop word)"
        click.echo(f"{t['start']:>5} {t['end']:>5}  {t['text']:<20} {t['term']:<20} {stem}")


@main.command("stats")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats_cmd(ctx: click.Context, as_json: bool) -> None:
    """What is in the index: articles, outlets, dates, persons, size, build time, sources."""
    from searchcore import IndexHandle, IndexUnavailable
    from searchcore.stats import index_stats

    if ctx.obj["backend"] == "opensearch":
        from backends.opensearch.client import ClusterUnavailable
        from backends.opensearch.indexing import stats_opensearch

        try:
            _echo_json(stats_opensearch(_opensearch(ctx)))
        except ClusterUnavailable as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(2)
        return

    try:
        data = index_stats(IndexHandle(ctx.obj["index"]))
    except IndexUnavailable as e:
        click.echo(f"error: {ctx.obj['index']}: {e}", err=True)
        ctx.exit(2)
    if as_json:
        _echo_json(data)
        return
    click.echo(f"index:      {ctx.obj['index']} ({data['generation']})")
    click.echo(f"articles:   {data['articles']:,}")
    click.echo(f"dates:      {data['date_min']} … {data['date_max']} ({data['undated']} undated)")
    click.echo(f"persons:    {data['persons']:,} distinct ({data['articles_with_persons']:,} articles name one)")
    dups = data["near_duplicates"]
    if dups:
        click.echo(f"near-dups:  {dups['groups']:,} groups of {dups['articles']:,} articles "
                   f"({dups['cross_outlet_groups']:,} groups span several outlets)")
    click.echo(f"size:       {data['size_bytes'] / 1e6:.1f} MB")
    click.echo(f"built at:   {data['built_at']}")
    click.echo(f"sources:    {', '.join(data['sources'])}")
    click.echo("outlets:")
    for oid, n in data["outlets"].items():
        click.echo(f"  {n:7,}  {data['outlet_names'][oid]} ({oid})")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option("--threads", default=8, type=int, show_default=True, help="threads per worker process")
@click.option("--workers", default=min(2, os.cpu_count() or 1), type=int, show_default=True,
              help="server processes sharing the port (Python runs one thread at a time per process)")
@click.option("--connection-limit", default=1000, type=click.IntRange(1), show_default=True,
              help="open connections per worker before new ones wait (behind a reverse proxy, that proxy's pool)")
@click.option("--channel-timeout", default=30, type=click.IntRange(1), show_default=True,
              help="seconds a connection may stay silent before it is closed")
@click.option("--build/--no-build", default=True, show_default=True,
              help="Index the bundled corpus first if there is no index yet (and rebuild an index made "
                   "by an older version from its own sources).")
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, threads: int, workers: int, connection_limit: int,
              channel_timeout: int, build: bool) -> None:
    """Serve the search page and JSON API with waitress (a production WSGI server)."""
    from arnews.server import serve

    if ctx.obj["backend"] == "opensearch":
        settings = _opensearch(ctx)
        click.echo(f"serving on http://{host}:{port}/ (OpenSearch {settings.url}, alias {settings.alias}, "
                   f"{workers} worker process(es))")
        serve({"OPENSEARCH": settings}, host, port, threads, max(1, workers), connection_limit, channel_timeout)
        return
    from indexer import IndexLayout
    from indexer.build import INDEX_VERSION

    index_dir: Path = ctx.obj["index"]
    layout = IndexLayout(index_dir)
    meta = (layout.meta() or {}) if layout.live() is not None else None
    first_build = None
    if build and (meta is None or meta.get("version") != INDEX_VERSION) and layout.reindex_status() is None:
        from arnews.first_build import FirstBuild

        sources = [Path(p) for p in (meta or {}).get("sources", [])] or [default_seeds()]
        why = "no index" if meta is None else "an index made by an older version"
        click.echo(f"{why} at {index_dir}: building it from {', '.join(map(str, sources))} in the background; "
                   "the page shows how far it has come, and search opens when it is done")
        first_build = FirstBuild(index_dir, sources)
        first_build.start()
    click.echo(f"serving on http://{host}:{port}/ (index {index_dir}, {workers} worker process(es))")
    serve({"INDEX_DIR": str(index_dir)}, host, port, threads, max(1, workers), connection_limit, channel_timeout,
          first_build=first_build)


if __name__ == "__main__":
    main()
