"""OpenSearch as the engine, for when one machine is not enough: the only code that talks to an
OpenSearch cluster. Articles are indexed pre-analysed by our own analyzer (the single source of
truth: the cluster only splits on spaces), one index per generation behind an alias that
`reindex` swaps atomically."""

from backends.opensearch.settings import OpenSearchSettings

__all__ = ["OpenSearchSettings"]
