"""The fake LLM providers themselves: they answer like the real ones and count breaches honestly."""

from __future__ import annotations

import json
import threading

import httpx

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.prompt import INSTRUCTIONS, user_message
from tests.fakes import llm_server
from tests.fakes.llm_server import FakeLLM

LONG = "Elle prit son manteau, ouvrit la porte et sortit dans la nuit froide sans se retourner."
MESSAGE = user_message([("0", LONG), ("1", LONG)], JobOptions())
GEMINI_BODY = {
    "systemInstruction": {"parts": [{"text": INSTRUCTIONS}]},
    "contents": [{"role": "user", "parts": [{"text": MESSAGE}]}],
}
OPENAI_BODY = {
    "model": "local-model",
    "messages": [
        {"role": "system", "content": INSTRUCTIONS},
        {"role": "user", "content": MESSAGE},
    ],
}


def _gemini(fake: FakeLLM, key: str = "test-key") -> httpx.Response:
    return httpx.post(
        f"{fake.gemini_url}/v1beta/models/gemini-2.5-flash:generateContent",
        json=GEMINI_BODY,
        headers={"x-goog-api-key": key},
    )


def test_gemini_answers_deterministically_with_its_usage(fake: FakeLLM) -> None:
    first, second = _gemini(fake).json(), _gemini(fake).json()
    assert first == second
    items = json.loads(first["candidates"][0]["content"]["parts"][0]["text"])["items"]
    assert [item["id"] for item in items] == ["0", "1"]
    usage = first["usageMetadata"]
    assert usage["totalTokenCount"] == usage["promptTokenCount"] + usage["candidatesTokenCount"]
    assert fake.usage == 2 * usage["totalTokenCount"]


def test_openai_answers_with_the_model_it_was_asked_for(fake: FakeLLM) -> None:
    reply = httpx.post(
        f"{fake.openai_url}/chat/completions",
        json=OPENAI_BODY,
        headers={"Authorization": "Bearer test-key"},
    ).json()
    assert reply["model"] == "local-model"
    assert json.loads(reply["choices"][0]["message"]["content"])["items"][1]["id"] == "1"
    assert reply["usage"]["total_tokens"] == fake.usage


def test_a_wrong_key_gets_401_and_a_429_carries_retry_after(fake: FakeLLM) -> None:
    assert _gemini(fake, key="stolen").status_code == 401
    fake.inject(status=429, retry_after=7)
    throttled = _gemini(fake)
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "7"
    assert throttled.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert [r.status for r in fake.requests] == [401, 429]


def test_the_fake_counts_requests_over_the_per_minute_limits(fake: FakeLLM) -> None:
    fake.limits = llm_server.Limits(requests_per_minute=5, tokens_per_minute=10**9)
    for _ in range(8):
        _gemini(fake)
    assert fake.breaches.requests_per_minute == 3
    fake.clear()
    fake.limits = llm_server.Limits(tokens_per_minute=1)
    _gemini(fake)
    assert fake.breaches.tokens_per_minute == 1


def test_the_fake_counts_requests_over_the_concurrency_cap(fake: FakeLLM) -> None:
    fake.latency = 1.0  # long enough for the four to overlap even on a busy machine
    fake.limits = llm_server.Limits(concurrency=2)
    threads = [threading.Thread(target=_gemini, args=(fake,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.max_in_flight == 4
    assert fake.breaches.concurrency == 2
