"""Where an index lives on disk, and the atomic swap from one generation to the next.

    DIR/current -> gens/<name>     symlink, replaced atomically (os.replace) on every reindex
    DIR/gens/<name>/whoosh/        the Whoosh index
    DIR/gens/<name>/docs.sqlite    the document store
    DIR/gens/<name>/meta.json      when built, from what, counts
    DIR/gens/<name>/report.json    the read report (skips and repairs)
    DIR/reindex.lock               held by the one running reindex (names its owner)
    DIR/reindex-progress.json      how far that run has come (for a server to show)

A reindex builds into gens/building-*, verifies it, renames it and only then swaps `current`;
a failed or killed run leaves `current` (and the generation it points to) untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from indexer.faults import checkpoint
from indexer.lock import running_owner

KEEP_GENERATIONS = 2  # the live one and the one before (a server may still be reading it)


class IndexLayout:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.gens = self.root / "gens"
        self.current_link = self.root / "current"
        self.lock_path = self.root / "reindex.lock"
        self.progress_path = self.root / "reindex-progress.json"

    def live(self) -> Path | None:
        """The generation directory being served, or None if there is none."""
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        path = (self.root / target).resolve()
        return path if path.is_dir() else None

    def live_token(self) -> str | None:
        """A cheap value that changes whenever a new generation is swapped in."""
        try:
            return os.readlink(self.current_link)
        except OSError:
            return None

    def new_building_dir(self) -> Path:
        self.gens.mkdir(parents=True, exist_ok=True)
        now = time.time_ns()
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now // 10**9)) + f"{now % 10**9:09d}"
        path = self.gens / f"building-{stamp}-{os.getpid()}"
        path.mkdir()
        return path

    def publish(self, building: Path) -> Path:
        """Rename a finished building dir and point `current` at it, atomically."""
        final = self.gens / building.name.replace("building-", "gen-", 1)
        os.rename(building, final)
        checkpoint("swap")
        tmp = self.root / f".current.{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(os.path.relpath(final, self.root), tmp)
        os.replace(tmp, self.current_link)
        _fsync_dir(self.root)
        return final

    def cleanup(self) -> None:
        """Remove abandoned building dirs and generations older than the previous one.

        Only called while holding the reindex lock, so no building dir belongs to a live run.
        """
        if not self.gens.is_dir():
            return
        live = self.live()
        for d in self.gens.iterdir():
            if d.name.startswith("building-"):
                shutil.rmtree(d, ignore_errors=True)
        gens = sorted((d for d in self.gens.iterdir() if d.name.startswith("gen-")), key=lambda d: d.name)
        keep = set(gens[-KEEP_GENERATIONS:])
        if live:
            keep.add(live)
        for d in gens:
            if d not in keep:
                shutil.rmtree(d, ignore_errors=True)

    def write_progress(self, state: dict) -> None:
        """Record how far this process's reindex has come (atomically: readers never see half)."""
        tmp = self.root / f".progress.{os.getpid()}"
        tmp.write_text(json.dumps({**state, "pid": os.getpid()}), encoding="utf-8")
        os.replace(tmp, self.progress_path)

    def clear_progress(self) -> None:
        try:
            if json.loads(self.progress_path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                self.progress_path.unlink()
        except (OSError, ValueError, AttributeError):
            pass

    def reindex_status(self) -> dict | None:
        """The running reindex (its owner and, once it has read articles, its progress), or None."""
        owner = running_owner(self.lock_path)
        if owner is None:
            return None
        status = {"started": owner.get("started")}
        try:
            progress = json.loads(self.progress_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return status
        if isinstance(progress, dict) and progress.get("pid") == owner.get("pid"):
            status.update({k: v for k, v in progress.items() if k != "pid"})
        return status

    def meta(self) -> dict | None:
        live = self.live()
        if not live:
            return None
        try:
            return json.loads((live / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
