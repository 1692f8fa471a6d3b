"""Prometheus metrics of the API process (``GET /metrics``)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from prometheus_client import Counter, Histogram

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


def route_template(request: Request) -> str:
    """The request path with its path parameters put back as ``{name}`` (job ids vary)."""
    path = request.url.path
    for name, value in request.scope.get("path_params", {}).items():
        if value:
            path = path.replace(str(value), "{" + name + "}")
    return path


async def measure_latency(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Middleware: time every request under its route template (not its raw path, ids vary)."""
    started = time.perf_counter()
    response = await call_next(request)
    template = route_template(request) if "route" in request.scope else "unmatched"
    REQUEST_SECONDS.labels(request.method, template, str(response.status_code)).observe(
        time.perf_counter() - started
    )
    return response
