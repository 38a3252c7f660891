"""Errors the search core reports to its callers (CLI and web) as messages, never tracebacks."""


class SearchError(ValueError):
    """A request that cannot be answered as asked (HTTP 400); the message is for the user."""


class IndexUnavailable(RuntimeError):
    """There is no usable index (HTTP 503); the message says what to do."""
