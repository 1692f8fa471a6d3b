"""Summary of a blind reading under ``bench/ratings/`` (``python bench/ratings.py [FILE]``).

Per system: the share of pieces that stand alone, mean meaning and fluency (1–5), the share of
items whose form is right, from the raters' raw marks (superseded marks left out).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parent / "ratings" / "rewrite_dev_2026-12-07.json"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    ratings = json.loads(path.read_text(encoding="utf-8"))["ratings"]
    by_system: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rating in ratings:
        if not rating.get("superseded"):
            by_system[str(rating["system"])].append(rating)
    print("| system | items | pieces | stand alone | meaning | fluency | form |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for system, rows in sorted(by_system.items()):
        marks = [m for r in rows for m in r["standalone"]]
        n = len(rows)
        print(
            f"| {system} | {n} | {len(marks)} | {sum(marks) / len(marks):.3f} | "
            f"{sum(r['meaning'] for r in rows) / n:.2f} | "
            f"{sum(r['fluency'] for r in rows) / n:.2f} | "
            f"{sum(r['form'] for r in rows) / n:.2f} |"
        )


if __name__ == "__main__":
    main()
