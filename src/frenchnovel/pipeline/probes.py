"""What the pipeline tells about its work as it goes: LLM requests and OCR pages.

The pipeline stays pure: it calls the functions here, which do nothing until a process installs
a listener. The API and the workers install the Prometheus one (``observe.metrics``); the CLI
installs none, so ``frenchnovel process`` records nothing and imports no metrics library.
"""

from __future__ import annotations

from typing import Protocol


class Listener(Protocol):
    def llm_request(self, engine: str, model: str, outcome: str, tokens: int) -> None:
        """One request to a model provider ended: ``ok``, ``retryable`` or ``error``."""
        ...

    def ocr_page(self, outcome: str, seconds: float) -> None:
        """Tesseract read one page (``ok``) or failed on it (``error``)."""
        ...


class _Silent:
    def llm_request(self, engine: str, model: str, outcome: str, tokens: int) -> None:
        return None

    def ocr_page(self, outcome: str, seconds: float) -> None:
        return None


_listener: Listener = _Silent()


def install(listener: Listener | None) -> None:
    """Send what the pipeline reports to ``listener`` (None: to nobody again)."""
    global _listener
    _listener = listener or _Silent()


def llm_request(engine: str, model: str, outcome: str, tokens: int = 0) -> None:
    _listener.llm_request(engine, model, outcome, tokens)


def ocr_page(outcome: str, seconds: float) -> None:
    _listener.ocr_page(outcome, seconds)
