"""``create_app()``: the FastAPI application, its routers, error handlers, metrics and page."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.routing import Match, Mount
from starlette.types import Message, Receive, Scope, Send

from frenchnovel.api import metrics
from frenchnovel.api.asgi import HttpMiddleware
from frenchnovel.api.context import RequestContext
from frenchnovel.api.errors import install_error_handlers
from frenchnovel.api.gates import install_gates
from frenchnovel.api.instance import heartbeat
from frenchnovel.api.routes import credits, decks, events, health, jobs, pdf
from frenchnovel.api.routes import settings as settings_routes
from frenchnovel.api.schemas import ErrorBody
from frenchnovel.api.throttle import EstimateThrottle
from frenchnovel.config import Settings, get_settings
from frenchnovel.jobs.orphans import new_identity
from frenchnovel.jobs.sync import RewriterFactory
from frenchnovel.observe.metrics import listen_to_pipeline
from frenchnovel.pipeline.rewrite import get_rewriter
from frenchnovel.storage.blobs import blob_store
from frenchnovel.storage.db import ensure_schema, get_sessions

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
# The page loads only its own files; /docs needs the Swagger UI from its CDN, so it is exempt.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
DOCS_PATHS = ("/docs", "/redoc", "/openapi.json")


class SecurityHeaders(HttpMiddleware):
    """Headers that keep the page from being framed, sniffed or fed foreign scripts."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = not str(scope.get("path", "")).startswith(DOCS_PATHS)

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if page:
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
            await send(message)

        await self.app(scope, receive, add_headers)


def create_app(
    settings: Settings | None = None,
    *,
    rewriter_factory: RewriterFactory | None = None,
    upgrade: bool = True,
) -> FastAPI:
    """The API for ``settings`` (default: the environment).

    ``rewriter_factory`` picks the rewriting engine of a job (default ``get_rewriter``); tests
    register engines through it. A SQLite database is upgraded on start unless ``upgrade`` is off.
    """
    settings = settings or get_settings()
    if upgrade:
        ensure_schema(settings)
    listen_to_pipeline()  # the synchronous jobs' LLM requests and OCR pages are counted here
    app = FastAPI(
        title="French Novel Tool",
        version="0.1.0",
        description="Turn French novels into short, self-standing sentences.",
        debug=False,
        lifespan=heartbeat,
    )
    app.state.settings = settings
    app.state.identity = new_identity()
    app.state.debug = settings.debug
    app.state.sessions = get_sessions(settings)
    blob_store(settings).prepare()
    app.state.rewriter_factory = rewriter_factory or get_rewriter
    app.state.broker = "not configured"
    install_gates(app, settings)
    app.state.estimate_throttle = EstimateThrottle(
        settings.rate_limit_estimates, settings.max_concurrent_jobs_per_user
    )
    install_error_handlers(app)
    app.add_middleware(metrics.LatencyMiddleware)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestContext)  # outermost but CORS: ids bound before anything runs
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["Authorization", "Content-Type"],
        )
    routers = (pdf.router, jobs.router, events.router, credits.router, settings_routes.router)
    for router in (*routers, decks.router):
        # Every API route needs a token: the document says so for each operation.
        app.include_router(router, prefix=API_PREFIX, responses={401: {"model": ErrorBody}})
    app.include_router(health.router)
    if (STATIC_DIR / "index.html").exists():
        # Mounted last: the API and /docs win over files of the same name.
        app.router.routes.append(_Page("/", StaticFiles(directory=STATIC_DIR, html=True)))
    return app


class _Page(Mount):
    """The web page's files at ``/``, but nothing under the API's prefix: there a GET on a
    POST-only route answers 405 (Allow: POST), not the page's 404."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            return Match.NONE, {}
        return super().matches(scope)
