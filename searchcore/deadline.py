"""A request's time budget. The costly steps (each word's, phrase's or prefix's documents, each
ranking term) look at it before they start; once it has passed they are skipped, and the answer
says it is partial instead of keeping the user (and a server thread) waiting."""

from __future__ import annotations

import time

from searchcore import limits

PARTIAL_MESSAGE = ("انتهت مهلة البحث قبل اكتماله: النتائج جزئية، فضيّق البحث "
                   "(time budget reached: partial results; narrow the query).")


class Deadline:
    def __init__(self, seconds: float | None = None) -> None:
        self.end = time.monotonic() + (limits.SEARCH_TIME_BUDGET_S if seconds is None else seconds)
        self.reached = False

    def passed(self) -> bool:
        """Whether the budget is spent (remembered: the answer must say it is partial)."""
        if not self.reached and time.monotonic() > self.end:
            self.reached = True
        return self.reached

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())
