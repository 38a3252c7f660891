"""The embedded engine, Whoosh, behind one package: the only code in the project that imports
`whoosh`. Our fixes to Whoosh are subclasses installed through Whoosh's own seams (a codec
injected into our writers, our segment and storage classes, our writer classes), never patches
of Whoosh's classes, so stock Whoosh in the same process is unchanged."""

from backends.whoosh.index import (
    EXACT_FIELDS,
    add_articles,
    create_index,
    delete_article,
    exact_vocabulary,
    new_writer,
    open_index,
    verify_index,
)

__all__ = ["EXACT_FIELDS", "add_articles", "create_index", "delete_article", "exact_vocabulary", "new_writer",
           "open_index", "verify_index"]
