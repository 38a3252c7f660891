"""Search engines the project runs on. Each subpackage is the only code that touches its engine:
`backends.whoosh` (embedded, the default)."""
