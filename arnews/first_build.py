"""`serve`'s first build: the index is built by a background `arnews reindex` while the page is
already served, saying how far the build has come (from the index directory's progress file)
until search opens.

The build is a child process of the server (it dies with it, and leaves Ctrl-C to it); its
summary and progress lines go to the server's own output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import click

from arnews.processes import die_with_parent
from indexer.layout import IndexLayout

STARTUP_WAIT = 20.0  # seconds to wait for the build to take the index's lock


class FirstBuild:
    def __init__(self, index_dir: Path, sources: list[Path]) -> None:
        self.index_dir = index_dir
        self.sources = sources
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        parent = os.getpid()
        cmd = [sys.executable, "-m", "arnews", "--index", str(self.index_dir), "reindex",
               *map(str, self.sources)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, preexec_fn=lambda: die_with_parent(parent))
        # Serve only once the build holds the lock, so the page says "being built" from the
        # first request on, never "no index".
        layout = IndexLayout(self.index_dir)
        deadline = time.monotonic() + STARTUP_WAIT
        while layout.reindex_status() is None and self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def watch(self) -> None:
        """Report the build's end from a thread (one server process: nothing else waits for it)."""
        def wait() -> None:
            assert self.proc is not None
            self.finished(self.proc.wait())

        threading.Thread(target=wait, name="first-build", daemon=True).start()

    def finished(self, code: int) -> None:
        if code == 0:
            click.echo("first build done: search is open")
        else:
            click.echo(f"the first build failed (exit {code}); the page says there is no index. "
                       f"`arnews --index {self.index_dir} reindex` shows why", err=True)

    def stop_note(self) -> str:
        """What Ctrl-C leaves behind, when it interrupts the build."""
        if self.proc is not None and self.proc.poll() is None:
            return " (the first build was not finished: it starts again with the next `serve`)"
        return ""
