"""Fake LLM providers on 127.0.0.1: Gemini ``generateContent`` and OpenAI chat completions.

One real HTTP server (threads) speaks both protocols, so both SDKs talk real HTTP to it:
``gemini_url`` for ``GEMINI_BASE_URL`` and ``openai_url`` for ``OPENAI_BASE_URL``. It answers
deterministically (llm_answers.py), logs every request, reports usage like the real services,
and counts the requests that break the limits it is told about (a sliding 60-second window for
requests and tokens, and the number in flight). Switches: ``latency``, ``api_key`` (else 401), and
``inject(...)`` faults for the next requests: an HTTP status (429 with Retry-After, 500, 400, 403)
or a bad answer (malformed JSON, missing ids, pieces over the limit, invented words), and
``stick(...)``: one batch that gets the same failure for ever while the others are answered.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.llm_answers import BAD_ANSWERS, answer, count_tokens, read_batch
from tests.fakes.llm_protocols import error_body, gemini_reply, openai_reply, request_texts

_GEMINI_PATH = re.compile(r"^/v1(?:beta|alpha)?/models/([^/:]+):generateContent$")
_OPENAI_PATH = "/v1/chat/completions"


@dataclass
class Fault:
    """What the next ``times`` requests get instead of a good answer (``times=-1``: all)."""

    status: int | None = None
    retry_after: float | None = None
    bad: str | None = None
    times: int = 1


@dataclass
class Stuck:
    """The failure every request holding a sentence of one batch gets, for ever."""

    status: int
    retry_after: float | None
    sentences: frozenset[str] | None = None  # the first request's, unless told


@dataclass
class LoggedRequest:
    provider: str
    model: str
    api_key: str | None
    arrived: float
    ids: list[str]
    sentences: list[str]
    message: str = ""  # the user message, with the reasons of a retry
    status: int = 200
    prompt_tokens: int = 0
    output_tokens: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens


@dataclass
class Limits:
    """The provider limits the fake watches (it counts breaches; it does not refuse)."""

    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    concurrency: int | None = None


@dataclass
class Breaches:
    requests_per_minute: int = 0
    tokens_per_minute: int = 0
    concurrency: int = 0

    @property
    def total(self) -> int:
        return self.requests_per_minute + self.tokens_per_minute + self.concurrency


@dataclass
class FakeLLM:
    """The fake's switches, log and counters (shared with the handler threads)."""

    url: str = ""
    latency: float = 0.0
    window: float = 60.0  # the provider's "minute" (shorter in tests of the limiter)
    api_key: str | None = "test-key"
    limits: Limits = field(default_factory=Limits)
    breaches: Breaches = field(default_factory=Breaches)
    requests: list[LoggedRequest] = field(default_factory=list)
    max_in_flight: int = 0
    stuck: Stuck | None = None
    _faults: deque[Fault] = field(default_factory=deque)
    _recent: deque[tuple[float, int]] = field(default_factory=deque)
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def gemini_url(self) -> str:
        """``GEMINI_BASE_URL`` for this fake."""
        return self.url

    @property
    def openai_url(self) -> str:
        """``OPENAI_BASE_URL`` for this fake."""
        return f"{self.url}/v1"

    def inject(self, **fault: Any) -> None:
        """Queue a ``Fault`` (status=, retry_after=, bad=, times=) for the next requests."""
        if fault.get("bad") not in (None, *BAD_ANSWERS):
            raise ValueError(f"unknown bad answer {fault['bad']!r}")
        with self._lock:
            self._faults.append(Fault(**fault))

    def stick(
        self,
        *,
        status: int = 429,
        retry_after: float | None = 1.0,
        sentences: list[str] | None = None,
    ) -> None:
        """Fail every request holding one of ``sentences`` (default: those of the next request)
        with ``status`` and ``Retry-After``, for ever; the other requests are answered."""
        chosen = frozenset(sentences) if sentences is not None else None
        with self._lock:
            self.stuck = Stuck(status, retry_after, chosen)

    def clear(self) -> None:
        """Forget faults, the log and the counters."""
        with self._lock:
            self.stuck = None
            self._faults.clear()
            self._recent.clear()
            self.requests.clear()
            self.breaches = Breaches()
            self.max_in_flight = 0

    @property
    def usage(self) -> int:
        """Tokens reported in successful answers, as the provider would bill them."""
        return sum(r.tokens for r in self.requests if r.status == 200)

    def handle(self, provider: str, model: str, key: str | None, body: dict[str, Any]) -> Any:
        """Decide the answer of one request: ``(status, headers, body)``; logs and counts it."""
        instructions, message = request_texts(provider, body)
        _, batch = read_batch(message)
        entry = LoggedRequest(
            provider,
            model,
            key,
            time.monotonic(),
            [k for k, _ in batch],
            [t for _, t in batch],
            message,
        )
        fault = self._stuck_fault(entry.sentences) or self._next_fault()
        if self.api_key is not None and key != self.api_key:
            fault = Fault(status=401)
        if fault and fault.status:
            entry.status = fault.status
            headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after else {}
            reply = (fault.status, headers, error_body(provider, fault.status, fault.retry_after))
        else:
            text = answer(message, fault.bad if fault else None)
            entry.prompt_tokens = count_tokens(instructions) + count_tokens(message)
            entry.output_tokens = count_tokens(text)
            body_out = (gemini_reply if provider == "gemini" else openai_reply)(
                model, text, entry.prompt_tokens, entry.output_tokens
            )
            reply = (200, {}, body_out)
        self._arrive(entry)
        return reply

    def _stuck_fault(self, sentences: list[str]) -> Fault | None:
        with self._lock:
            stuck = self.stuck
            if stuck is None:
                return None
            if stuck.sentences is None:
                stuck.sentences = frozenset(sentences)
            if stuck.sentences.isdisjoint(sentences):
                return None
            return Fault(status=stuck.status, retry_after=stuck.retry_after, times=-1)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            if fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    self._faults.popleft()
            return fault

    def _arrive(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(entry)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self._recent.append((entry.arrived, entry.tokens))
            while self._recent and self._recent[0][0] <= entry.arrived - self.window:
                self._recent.popleft()
            limits, breaches = self.limits, self.breaches
            if limits.requests_per_minute and len(self._recent) > limits.requests_per_minute:
                breaches.requests_per_minute += 1
            used = sum(tokens for _, tokens in self._recent)
            if limits.tokens_per_minute and used > limits.tokens_per_minute:
                breaches.tokens_per_minute += 1
            if limits.concurrency and self._in_flight > limits.concurrency:
                breaches.concurrency += 1

    def leave(self) -> None:
        """A request's answer is about to be written: it no longer counts as in flight."""
        with self._lock:
            self._in_flight -= 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' connection pools expect
    server: _Server

    def do_POST(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        path = self.path.split("?", 1)[0]
        if match := _GEMINI_PATH.match(path):
            provider, model = "gemini", match.group(1)
            key = self.headers.get("x-goog-api-key")
        elif path.endswith("/chat/completions"):
            provider, model = "openai", str(body.get("model", ""))
            key = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or None
        else:
            self._send(404, {}, {"error": {"message": f"no route {path}"}})
            return
        status, headers, payload = fake.handle(provider, model, key, body)
        try:
            if fake.latency:
                time.sleep(fake.latency)
        finally:
            fake.leave()
        self._send(status, headers, payload)

    def _send(self, status: int, headers: dict[str, str], payload: Any) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # the request log replaces it
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, fake: FakeLLM) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class FakeLLMServer:
    """The fake running in a background thread: ``with FakeLLMServer() as fake: ...``."""

    def __init__(self, **switches: Any) -> None:
        self.state = FakeLLM(**switches)
        self._server = _Server(self.state)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.state.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
