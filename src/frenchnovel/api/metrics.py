"""Prometheus metrics of the API process (``GET /metrics``)."""

from __future__ import annotations

import time

from prometheus_client import Counter, Histogram
from starlette.types import Message, Receive, Scope, Send

from frenchnovel.api.asgi import HttpMiddleware

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


class LatencyMiddleware(HttpMiddleware):
    """Time every HTTP request under its route template (not its raw path: ids vary)."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
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
