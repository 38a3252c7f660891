"""arnews: a search engine for Arabic news."""

__version__ = "0.1.0"
