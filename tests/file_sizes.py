"""Fail when a source file grows past the size the conventions allow.

Run as `python -m tests.file_sizes` (from `make lint`): a long file is a
module that holds two topics and should be split by topic.
"""

from __future__ import annotations

import sys
from pathlib import Path

LIMIT = 400
ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "actions", "crm", "shopdesk_nlu", "bench")


def oversized(root: Path = ROOT) -> list[tuple[Path, int]]:
    """Python files over the limit, migrations aside (generated, append-only)."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                found.append((path.relative_to(root), lines))
    return found


def main() -> int:
    """Print the oversized files; exit 1 if there is any."""
    big = oversized()
    for path, lines in big:
        sys.stderr.write(f"{path}: {lines} lines (limit {LIMIT}); split it by topic\n")
    return 1 if big else 0


if __name__ == "__main__":
    raise SystemExit(main())
