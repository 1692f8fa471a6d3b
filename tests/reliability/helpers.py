"""What the reliability tests share besides fixtures: files and losses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.support.databases import PG_ADMIN  # noqa: F401 (the reliability tests import it from here)


@dataclass
class Losses:
    """What a test saw lost; the invariant fills ``unbalanced``, fault tests the rest."""

    stuck: int = 0
    files_left: int = 0
    unbalanced: int = 0
    notes: list[str] = field(default_factory=list)


def files_in(directory: Path) -> list[Path]:
    """Every file under ``directory`` (none when it does not exist)."""
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []
