"""Rewriting engines behind one interface: ``local`` (offline), ``gemini`` and ``openai``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from frenchnovel.errors import SettingsError
from frenchnovel.pipeline.options import JobOptions

if TYPE_CHECKING:
    from frenchnovel.config import Settings

CancelCheck = Callable[[], bool]
"""Returns True when the job was cancelled: an engine stops sending work at once."""


@dataclass(slots=True)
class RewriteOutcome:
    """For each input sentence, the list of short sentences it became (``[s]`` when unchanged)."""

    pieces: list[list[str]]
    tokens: int = 0  # real usage when the engine reports it, else the estimate from characters
    fallbacks: int = 0  # sentences the LLM engines handed to ``local`` after a bad answer


class Rewriter(Protocol):
    engine: str
    model: str

    def rewrite(
        self,
        sentences: Sequence[str],
        options: JobOptions,
        *,
        cancelled: CancelCheck | None = None,
    ) -> RewriteOutcome:
        """Rewrite each sentence over ``options.sentence_length_limit``; pass the others on."""
        ...


def get_rewriter(options: JobOptions, settings: Settings) -> Rewriter:
    """The engine that ``options`` asks for, configured from ``settings``."""
    if options.engine == "local":
        from frenchnovel.pipeline.rewrite.local import LocalRewriter

        return LocalRewriter()
    if options.engine == "gemini":
        from frenchnovel.pipeline.rewrite.gemini import GeminiRewriter

        return GeminiRewriter.from_settings(options, settings)
    if options.engine == "openai":
        from frenchnovel.pipeline.rewrite.openai import OpenAIRewriter

        return OpenAIRewriter.from_settings(options, settings)
    raise SettingsError(f"unknown engine {options.engine!r}")


def ensure_engine_available(options: JobOptions, settings: Settings) -> None:
    """Refuse at submission an engine that could not run (e.g. its API key is missing)."""
    if options.engine == "gemini" and not settings.gemini_api_key:
        raise SettingsError("the gemini engine needs GEMINI_API_KEY on the server")
    if options.engine == "openai" and not (settings.openai_api_key or settings.openai_base_url):
        raise SettingsError(
            "the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL on the server"
        )
