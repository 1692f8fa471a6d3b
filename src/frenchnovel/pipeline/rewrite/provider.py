"""What an LLM provider is to the engines: one request in, raw text and usage out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Reply:
    """A provider's answer: the raw text and the usage it reported."""

    text: str | None
    tokens: int


class Provider(Protocol):
    engine: str
    model: str

    def send(self, instructions: str, message: str) -> Reply:
        """One request; raises ``RetryableError`` or ``EngineError`` on failure."""
        ...


Batch = list[tuple[int, str]]  # (index of the sentence in the call, its text)


def keyed(batch: Batch) -> list[tuple[str, str]]:
    # Ids are positions in the request: short, and the answer maps back without a lookup table.
    return [(str(k), text) for k, (_, text) in enumerate(batch)]
