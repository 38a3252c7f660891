"""A Whoosh collector that filters by an allowed doc set AND keeps a time budget.

Whoosh's TimeLimitCollector cannot wrap a FilterCollector: it iterates the child's matches
itself and so skips the filtering (every hit would ignore the facet selection). This does both
in one loop.
"""

from __future__ import annotations

import time

from whoosh.collectors import FilterCollector, TimeLimit


class BudgetedFilterCollector(FilterCollector):
    def __init__(self, child, allow: set[int] | None, budget_s: float) -> None:  # type: ignore[no-untyped-def]
        super().__init__(child, allow=allow)
        self.budget_s = budget_s
        self.deadline = 0.0
        self.timed_out = False

    def prepare(self, top_searcher, q, context):  # type: ignore[no-untyped-def]
        super().prepare(top_searcher, q, context)
        if not self.deadline:
            self.deadline = time.perf_counter() + self.budget_s

    def collect_matches(self) -> None:
        child = self.child
        allow = self._allow
        offset = self.offset
        for n, sub_docnum in enumerate(child.matches()):
            if n % 256 == 0 and time.perf_counter() > self.deadline:
                self.timed_out = True
                raise TimeLimit
            if allow is not None and offset + sub_docnum not in allow:
                self.filtered_count += 1
                continue
            child.collect(sub_docnum)
