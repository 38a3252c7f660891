"""Errors the search core reports to its callers (CLI and web) as messages, never tracebacks.

Messages are for the people who meet them, on an Arabic page first: Arabic, then the English in
brackets (scripts and logs match on the English).
"""

from __future__ import annotations


class SearchError(ValueError):
    """A request that cannot be answered as asked (HTTP 400); the message is for the user."""


class IndexUnavailable(RuntimeError):
    """There is no usable index (HTTP 503); the message says what to do."""


class IndexBuilding(IndexUnavailable):
    """No index yet, but a reindex is building one: `status` says how far it has come
    (IndexLayout.reindex_status: started, done, expected, phase, eta_s)."""

    def __init__(self, status: dict) -> None:
        self.status = status
        done, expected = status.get("done"), status.get("expected")
        if done and expected:
            read = f": {done:,} of {expected:,} articles read"
        elif done:
            read = f": {done:,} articles read"
        else:
            read = ""
        super().__init__("يُبنى الفهرس الآن، ويصبح البحث متاحًا عند اكتماله "
                         f"(the index is being built{read}; search opens when it is done).")
