"""What went wrong while reading: every skip or repair with file, position and reason."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path


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

    def summary_lines(self, limit: int = 20) -> list[str]:
        lines = [f"{n:6d}  {reason}" for reason, n in self.counts().items()]
        for p in self.problems[:limit]:
            lines.append(f"  {p.file} [{p.position}] {p.action}: {p.reason}")
        if len(self.problems) > limit:
            lines.append(f"  … {len(self.problems) - limit} more in the JSON report")
        return lines
