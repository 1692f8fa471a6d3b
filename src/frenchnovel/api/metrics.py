"""Prometheus metrics of the API process (``GET /metrics``)."""

from __future__ import annotations

import time

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

JOBS_SUBMITTED = Counter(
    "frenchnovel_jobs_submitted_total", "Jobs accepted at submission", ["mode"]
)
JOBS_COMPLETED = Counter("frenchnovel_jobs_completed_total", "Jobs completed by this process")
JOBS_FAILED = Counter("frenchnovel_jobs_failed_total", "Jobs failed in this process", ["code"])
REQUEST_SECONDS = Histogram(
    "frenchnovel_http_request_seconds",
    "HTTP request latency by route template",
    ["method", "route", "status"],
)


def route_template(scope: Scope) -> str:
    """The request path with its path parameters put back as ``{name}`` (job ids vary)."""
    path = str(scope.get("path", ""))
    for name, value in scope.get("path_params", {}).items():
        if value:
            path = path.replace(str(value), "{" + name + "}")
    return path


class LatencyMiddleware:
    """Time every HTTP request under its route template (not its raw path: ids vary).

    Plain ASGI rather than ``@app.middleware("http")``: that wrapper costs a task group and
    memory streams per request, a quarter of the CPU of a job poll.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            template = route_template(scope) if "route" in scope else "unmatched"
            REQUEST_SECONDS.labels(scope["method"], template, str(status)).observe(
                time.perf_counter() - started
            )
