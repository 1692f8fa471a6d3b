"""The ``gemini`` engine: Google's models through the ``google-genai`` SDK.

``GEMINI_BASE_URL`` points the SDK at a proxy or at the fake server of the tests; the SDK's own
retries are off because every attempt must go through the shared rate limiter.
"""

from __future__ import annotations

from typing import Any

import httpx
import httpx2
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from frenchnovel.config import Settings
from frenchnovel.errors import SettingsError
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.limiters import limiter_for, retry_policy
from frenchnovel.pipeline.rewrite.llm import LLMRewriter
from frenchnovel.pipeline.rewrite.prompt import RESPONSE_SCHEMA
from frenchnovel.pipeline.rewrite.provider import Reply
from frenchnovel.pipeline.rewrite.retry import (
    RetryableError,
    failure,
    parse_retry_after,
    retry_delay_from_details,
)

# google-genai talks through httpx2 (a fork of httpx under its own name) when it is installed,
# through httpx otherwise: a refused connection or a timeout comes from either.
_NETWORK_ERRORS = (httpx.HTTPError, httpx2.HTTPError)


def gemini_model(options: JobOptions, settings: Settings) -> str:
    """The model that ``options.model_preference`` stands for."""
    return {
        "balanced": settings.gemini_model_balanced,
        "speed": settings.gemini_model_speed,
        "quality": settings.gemini_model_quality,
    }[options.model_preference]


class GeminiProvider:
    """Sends one request to ``generateContent`` and reads its text and usage."""

    engine = "gemini"

    def __init__(self, client: genai.Client, model: str) -> None:
        self.client = client
        self.model = model
        self.config = types.GenerateContentConfig(
            response_mime_type="application/json",
            response_json_schema=RESPONSE_SCHEMA,
            temperature=0.0,
        )

    def send(self, instructions: str, message: str) -> Reply:
        """One ``generateContent`` call; HTTP failures become retryable or final errors."""
        config = self.config.model_copy(update={"system_instruction": instructions})
        try:
            response = self.client.models.generate_content(
                model=self.model, contents=message, config=config
            )
        except genai_errors.APIError as exc:
            raise failure(exc.code, exc.message or str(exc), _retry_after(exc)) from None
        except _NETWORK_ERRORS as exc:  # timeouts, refused connections, dropped streams
            raise RetryableError(f"{type(exc).__name__}: {exc}") from None
        return Reply(_text(response), _tokens(response.usage_metadata))


class GeminiRewriter(LLMRewriter):
    """The ``gemini`` engine (see llm.py for batching, limits and checks)."""

    @classmethod
    def from_settings(cls, options: JobOptions, settings: Settings) -> GeminiRewriter:
        """The engine for a job, configured from the service's settings."""
        if not settings.gemini_api_key:
            raise SettingsError("the gemini engine needs GEMINI_API_KEY on the server")
        http_options = types.HttpOptions(
            base_url=settings.gemini_base_url,
            timeout=int(settings.llm_timeout_seconds * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        client = genai.Client(api_key=settings.gemini_api_key, http_options=http_options)
        model = gemini_model(options, settings)
        return cls(
            GeminiProvider(client, model),
            limiter_for("gemini", model, settings),
            batch_size=settings.llm_batch_size,
            concurrency=settings.llm_concurrency,
            policy=retry_policy(settings),
        )


def _text(response: types.GenerateContentResponse) -> str | None:
    # A blocked or empty candidate has no text: the answer is then judged malformed.
    try:
        return response.text
    except (ValueError, AttributeError):
        return None


def _tokens(usage: types.GenerateContentResponseUsageMetadata | None) -> int:
    if usage is None:
        return 0
    if usage.total_token_count:
        return usage.total_token_count
    # Thinking tokens are billed as output by Gemini 2.5.
    parts = (usage.prompt_token_count, usage.candidates_token_count, usage.thoughts_token_count)
    return sum(part or 0 for part in parts)


def _retry_after(exc: genai_errors.APIError) -> float | None:
    response: Any = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    header = headers.get("retry-after") if headers is not None else None
    return parse_retry_after(header) or retry_delay_from_details(exc.details)
