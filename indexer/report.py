"""What went wrong while reading: every skip or repair with file, position and reason."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

# Gaps of the source itself, not damage: news datasets carry title-only items (photo captions,
# breaking-news lines) and empty records. Counted and listed in the report like any other
# problem, but summarised in one calm line instead of record lines that read like a failure.
EMPTY_RECORD = "no text (empty title and body)"
TITLE_ONLY = "empty body (title used as text)"
SOURCE_GAPS = frozenset({EMPTY_RECORD, TITLE_ONLY})


@dataclass
class Problem:
    file: str
    position: str  # e.g. "record 12", "line 7", "file"
    reason: str
    action: str  # "skipped" or "repaired"


@dataclass
class ReadReport:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    records: int = 0

    def skip(self, file: str, position: str, reason: str) -> None:
        self.problems.append(Problem(file, position, reason, "skipped"))

    def repair(self, file: str, position: str, reason: str) -> None:
        self.problems.append(Problem(file, position, reason, "repaired"))

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.problems if p.action == "skipped")

    def counts(self) -> dict[str, int]:
        return dict(Counter(f"{p.action}: {p.reason}" for p in self.problems).most_common())

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "records": self.records,
            "skipped": self.skipped,
            "repaired": len(self.problems) - self.skipped,
            "by_reason": self.counts(),
            "problems": [asdict(p) for p in self.problems],
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")

    def gaps_line(self) -> str | None:
        """The source's own gaps in one sentence, or None when it has none."""
        title_only = sum(1 for p in self.problems if p.reason == TITLE_ONLY)
        empty = sum(1 for p in self.problems if p.reason == EMPTY_RECORD)
        parts = ([f"{title_only:,} articles have only a title (indexed by it)"] if title_only else []) + \
                ([f"{empty:,} empty records were left out"] if empty else [])
        return "; ".join(parts) or None

    def summary_lines(self, limit: int = 20) -> list[str]:
        """Problems other than the source's gaps: counts by reason, then the first records."""
        damage = [p for p in self.problems if p.reason not in SOURCE_GAPS]
        counts = Counter(f"{p.action}: {p.reason}" for p in damage).most_common()
        lines = [f"{n:6d}  {reason}" for reason, n in counts]
        for p in damage[:limit]:
            lines.append(f"  {p.file} [{p.position}] {p.action}: {p.reason}")
        if len(damage) > limit:
            lines.append(f"  … {len(damage) - limit} more in the JSON report")
        return lines
