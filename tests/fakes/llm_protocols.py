"""The wire formats the fake LLM servers speak: Gemini's REST API and OpenAI's chat completions."""

from __future__ import annotations

import time
from typing import Any

_GEMINI_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
_OPENAI_TYPE = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_denied",
    429: "rate_limit_exceeded",
}


def request_texts(provider: str, body: dict[str, Any]) -> tuple[str, str]:
    """The instructions and the user message of a request body."""
    if provider == "gemini":
        system = body.get("systemInstruction") or body.get("system_instruction") or {}
        contents = body.get("contents") or []
        return _parts(system), "\n".join(_parts(content) for content in contents)
    messages = body.get("messages") or []
    texts: dict[str, list[str]] = {"system": [], "user": []}
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):  # the multi-part form
            content = "".join(part.get("text", "") for part in content)
        texts.setdefault(message.get("role", "user"), []).append(str(content or ""))
    return "\n".join(texts["system"]), "\n".join(texts["user"])


def _parts(content: dict[str, Any]) -> str:
    return "".join(part.get("text", "") for part in content.get("parts") or [])


def gemini_reply(model: str, text: str, prompt_tokens: int, output_tokens: int) -> dict[str, Any]:
    """A ``generateContent`` response with one candidate and its usage metadata."""
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        },
        "modelVersion": model,
    }


def openai_reply(model: str, text: str, prompt_tokens: int, output_tokens: int) -> dict[str, Any]:
    """A chat completion with one choice and its usage."""
    return {
        "id": f"chatcmpl-fake-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": output_tokens,
            "total_tokens": prompt_tokens + output_tokens,
        },
    }


def error_body(provider: str, status: int, retry_after: float | None) -> dict[str, Any]:
    """The error document each provider sends with a failing status."""
    message = f"fake failure {status}"
    if provider == "gemini":
        error: dict[str, Any] = {
            "code": status,
            "message": message,
            "status": _GEMINI_STATUS.get(status, "UNKNOWN"),
        }
        if retry_after is not None:
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.RetryInfo",
                    "retryDelay": f"{retry_after:g}s",
                }
            ]
        return {"error": error}
    kind = _OPENAI_TYPE.get(status, "server_error")
    return {"error": {"message": message, "type": kind, "code": kind, "param": None}}
