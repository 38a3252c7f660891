"""Bounds on what one request may cost. Each limit, when hit, gives the user a clear message."""

MAX_QUERY_CHARS = 2_000  # longer queries are cut, with a message
MAX_QUERY_TERMS = 32  # words searched; a longer query keeps its rarest
MAX_WILDCARD_EXPANSION = 256
MIN_WILDCARD_PREFIX = 2
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10
MAX_RESULT_DEPTH = 10_000  # page * per_page
MAX_FILTER_VALUES = 50  # selected values per facet
DEFAULT_FACET_SIZE = 15
MAX_FACET_SIZE = 500
SEARCH_TIME_BUDGET_S = 3.0
