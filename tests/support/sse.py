"""Reading a Server-Sent Events stream the way a browser's EventSource does (for the tests)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


def sse_events(lines: Iterable[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(event, data)`` for each ``data:`` line, named by the ``event:`` line before it; lazy, so
    a reader can hang up after the events it wants."""
    event = ""
    for line in lines:
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: "):
            yield event, json.loads(line.removeprefix("data: "))
