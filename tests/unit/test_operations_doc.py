"""docs/operations.md lists every setting of ``config.py`` with its default, as the code has it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from frenchnovel.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
ROW = re.compile(r"^\|\s*`(?P<name>[A-Z0-9_]+)`\s*\|\s*(?P<default>[^|]*?)\s*\|", re.MULTILINE)


def _documented() -> dict[str, str]:
    return {row["name"]: row["default"] for row in ROW.finditer(DOC.read_text(encoding="utf-8"))}


def _as_written(value: Any) -> str:
    """A default as the doc writes it: ``unset``, ``empty``, ``true``, ``30`` for 30.0, …"""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "empty" if not value else f"`{value}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    if isinstance(value, Path):
        return f"`./{value}`"
    return f"`{value}`"


def _default(name: str) -> Any:
    field = Settings.model_fields[name]
    return field.default_factory() if field.default_factory else field.default


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_operations_guide_with_its_default(name: str) -> None:
    documented = _documented()

    assert name.upper() in documented, f"{name.upper()} is missing from {DOC.name}"
    assert documented[name.upper()] == _as_written(_default(name))


def test_the_guide_covers_what_an_operator_asks() -> None:
    text = DOC.read_text(encoding="utf-8")
    for topic in [
        "## Scaling workers across machines",
        "## Sizing",
        "## Backups",
        "## Upgrades with migrations",
        "frenchnovel db upgrade",
        "Flower",
        "celery -A frenchnovel.worker.celery_app inspect",
        "## Troubleshooting",
        "`OTEL_TRACES_EXPORTER`",
        "`OTEL_EXPORTER_OTLP_ENDPOINT`",
        "`OTEL_SERVICE_NAME`",
    ]:
        assert topic in text, topic
