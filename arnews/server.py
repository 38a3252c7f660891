"""`serve`: waitress in one or several processes that share one listening socket.

Python runs one thread at a time per process, so on a multi-core machine one process leaves
cores idle under load; each worker process opens the index itself (after the fork: no shared
Whoosh searchers or SQLite connections) and notices a new generation on its own.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from arnews.first_build import FirstBuild


def _app(config: dict[str, Any]):  # type: ignore[no-untyped-def]
    from search_app import create_app
    from searchcore import IndexUnavailable
    from searchcore.errors import IndexBuilding

    app = create_app(config)
    try:  # open the index and build the facet arrays now, not on the first user's request
        app.extensions["arnews_handle"].snapshot()
    except IndexBuilding:
        pass  # expected: the page shows the build's progress
    except IndexUnavailable as e:
        click.echo(f"warning: {e} (serving anyway: pages say the index is unavailable)", err=True)
    return app


# waitress's own defaults (100 connections, 120 s of silence) let about 98 slow, trickling
# clients lock everyone else out of a worker.
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT = 30


def serve(app_config: dict[str, Any], host: str, port: int, threads: int, workers: int,
          connection_limit: int = CONNECTION_LIMIT, channel_timeout: int = CHANNEL_TIMEOUT,
          first_build: FirstBuild | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM (exit 0), or until a worker process dies (exit 1)."""
    import waitress

    limits = {"connection_limit": connection_limit, "channel_timeout": channel_timeout}

    # waitress warns on every request that waits for a free thread ("Task queue depth is 1"):
    # under load that is expected queueing, not a problem, and it floods the log.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    def stopped() -> None:
        click.echo("stopped" + (first_build.stop_note() if first_build else ""))

    if workers == 1:
        if first_build:
            first_build.watch()
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:  # waitress ends its loop on Ctrl-C (KeyboardInterrupt) and on SystemExit
            waitress.serve(_app(app_config), host=host, port=port, threads=threads, ident="arnews", **limits)
        finally:
            stopped()
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    reuse = hasattr(socket, "SO_REUSEPORT")
    # Each worker listens on its own socket with SO_REUSEPORT, so the kernel spreads connections
    # over the workers; without it they share one listening socket.
    sock = socket.create_server((host, port), family=family, backlog=1024, reuse_port=reuse)
    parent = os.getpid()
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            from arnews.processes import die_with_parent

            die_with_parent(parent)
            if reuse:
                own = socket.create_server((host, port), family=family, backlog=1024, reuse_port=True)
                sock.close()
            else:
                own = sock
            try:
                waitress.serve(_app(app_config), sockets=[own], threads=threads, ident="arnews", **limits)
            finally:
                os._exit(0)
        children.append(pid)
    if reuse:
        sock.close()

    def stop_workers() -> None:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def on_signal(signum, frame):  # type: ignore[no-untyped-def]
        stop_workers()
        stopped()
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while True:
        pid, status = os.wait()
        if first_build and pid == first_build.pid:
            first_build.finished(os.waitstatus_to_exitcode(status))
            continue
        break  # a worker died: stop the others, so a supervisor sees the failure
    stop_workers()
    click.echo(f"worker {pid} exited (status {status}); stopping", err=True)
    sys.exit(1)
