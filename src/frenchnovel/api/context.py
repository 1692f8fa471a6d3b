"""Each HTTP request's ids and span: ``X-Request-ID`` in, out, and on every log line it causes.

The caller's ``X-Request-ID`` is kept when it is a plain token (letters, digits, ``.-_:``, up to
128), else a new one is made; either way the response carries it back. The id is bound for the
log lines (``observe.logs``) before anything else runs; when the response starts, the job id of
the path and the user the token named are bound too, so that Uvicorn's access line names them.
When tracing is on, FastAPI's own server span (child of the caller's ``traceparent``, named
after the route template) is the request's span; the ids are added to it here.
"""

from __future__ import annotations

import re
import uuid

from opentelemetry.trace import Span
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from frenchnovel.api.asgi import HttpMiddleware
from frenchnovel.observe import logs, tracing

HEADER = "X-Request-ID"
_PLAIN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_of(headers: Headers) -> str:
    """The caller's request id when it is a plain token, else a new one."""
    given = headers.get(HEADER, "")
    return given if _PLAIN.fullmatch(given) else uuid.uuid4().hex


class RequestContext(HttpMiddleware):
    """Plain ASGI, outermost: the id is bound before the other middlewares run."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        request_id = request_id_of(headers)
        logs.bind(request_id=request_id, job_id=None, chunk=None, user_id=None)

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
                job_id = scope.get("path_params", {}).get("job_id")
                user_id = scope.get("state", {}).get("user_id")
                logs.bind(
                    **({"job_id": job_id} if job_id else {}),
                    **({"user_id": user_id} if user_id is not None else {}),
                )
                if tracing.enabled():
                    _annotate(scope)
            await send(message)

        await self.app(scope, receive, answer)


def _annotate(scope: Scope) -> None:
    """Name the request, job and user on the request's server span: FastAPI's own, which it
    keeps in the scope (it is not the current span outside its operations)."""
    span: Span | None = getattr(scope.get("fastapi.telemetry"), "span", None)
    if span is None or not span.is_recording():
        return
    for name, value in logs.current().items():
        if value is not None:
            span.set_attribute(f"frenchnovel.{name}", value)
