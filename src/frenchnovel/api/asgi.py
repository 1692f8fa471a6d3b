"""The base of the API's own middlewares: plain ASGI, for HTTP requests only.

Plain ASGI rather than ``@app.middleware("http")``: that wrapper costs a task group and memory
streams per request, a quarter of the CPU of a job poll. Lifespan and other scopes pass through
untouched; each HTTP request goes to ``http``.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    """Hands each HTTP request to ``http``; everything else goes straight to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
