"""Where things are: the index directory and the bundled seeds."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_INDEX = Path("var/index")
_REPO_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def default_seeds() -> Path:
    """The bundled corpus: $ARNEWS_SEEDS, ./seeds, or the seeds/ folder of the checkout."""
    env = os.environ.get("ARNEWS_SEEDS")
    if env:
        return Path(env)
    local = Path("seeds")
    return local if local.is_dir() else _REPO_SEEDS
