"""The ``openai`` engine: any OpenAI-compatible chat completions server through the ``openai`` SDK.

``OPENAI_BASE_URL`` reaches vLLM, Ollama or llama.cpp servers as well as OpenAI itself; such local
servers need no key. The SDK's own retries are off because every attempt must go through the
shared rate limiter.
"""

from __future__ import annotations

from typing import Any

import openai as sdk

from frenchnovel.config import Settings
from frenchnovel.errors import SettingsError
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.limiters import limiter_for, retry_policy
from frenchnovel.pipeline.rewrite.llm import LLMRewriter
from frenchnovel.pipeline.rewrite.prompt import RESPONSE_SCHEMA
from frenchnovel.pipeline.rewrite.provider import Reply
from frenchnovel.pipeline.rewrite.retry import RetryableError, failure, parse_retry_after

_RESPONSE_FORMAT: Any = {
    "type": "json_schema",
    "json_schema": {"name": "rewritten_sentences", "schema": RESPONSE_SCHEMA, "strict": True},
}


class OpenAIProvider:
    """Sends one chat completion and reads its text and usage."""

    engine = "openai"

    def __init__(self, client: sdk.OpenAI, model: str) -> None:
        self.client = client
        self.model = model

    def send(self, instructions: str, message: str) -> Reply:
        """One ``chat.completions`` call; HTTP failures become retryable or final errors."""
        try:
            completion = self.client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": instructions},
                    {"role": "user", "content": message},
                ],
                response_format=_RESPONSE_FORMAT,
                temperature=0.0,
            )
        except sdk.APIStatusError as exc:
            retry_after = parse_retry_after(exc.response.headers.get("retry-after"))
            raise failure(exc.status_code, exc.message, retry_after) from None
        except sdk.APIConnectionError as exc:  # includes timeouts
            raise RetryableError(f"{type(exc).__name__}: {exc}") from None
        usage = completion.usage
        text = completion.choices[0].message.content if completion.choices else None
        return Reply(text, usage.total_tokens if usage else 0)


class OpenAIRewriter(LLMRewriter):
    """The ``openai`` engine (see llm.py for batching, limits and checks)."""

    @classmethod
    def from_settings(cls, options: JobOptions, settings: Settings) -> OpenAIRewriter:
        """The engine for a job, configured from the service's settings."""
        if not (settings.openai_api_key or settings.openai_base_url):
            raise SettingsError("the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL")
        client = sdk.OpenAI(
            # Local OpenAI-compatible servers ignore the key, but the SDK insists on one.
            api_key=settings.openai_api_key or "unused",
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_seconds,
            max_retries=0,
        )
        return cls(
            OpenAIProvider(client, settings.openai_model),
            limiter_for("openai", settings.openai_model, settings),
            batch_size=settings.llm_batch_size,
            concurrency=settings.llm_concurrency,
            policy=retry_policy(settings),
        )
