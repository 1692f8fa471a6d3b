"""The one mapping from errors to HTTP answers, and the one error body.

Every failure answers ``{"error": {"code": "...", "message": "..."}}``: project errors with their
code, and the framework's own 404/405/422 and unexpected 500s too. Internals (tracebacks,
exception texts) are logged, never sent, unless ``DEBUG`` is on.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from frenchnovel.errors import ErrorCode, FrenchNovelError

log = logging.getLogger(__name__)

STATUS_BY_CODE: dict[ErrorCode, int] = {
    ErrorCode.INVALID_PDF: 400,
    ErrorCode.ENCRYPTED_PDF: 400,
    ErrorCode.EMPTY_PDF: 400,
    ErrorCode.NO_TEXT_LAYER: 422,
    ErrorCode.FILE_TOO_LARGE: 413,
    ErrorCode.TOO_MANY_PAGES: 413,
    # Reading the file took longer than its pages may (PDF_CHECK_SECONDS_PER_PAGE each).
    ErrorCode.PDF_TOO_COMPLEX: 422,
    ErrorCode.INVALID_SETTINGS: 422,
    ErrorCode.INSUFFICIENT_CREDITS: 402,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.JOB_NOT_FOUND: 404,
    ErrorCode.INVALID_JOB_STATUS: 409,
    ErrorCode.JOB_CANCELLED: 409,
    ErrorCode.TOO_MANY_JOBS: 429,
    # Every slot taken and the waiting line full: a 4xx with Retry-After, like the rate limits,
    # so that a client backs off; the service itself is healthy.
    ErrorCode.SERVER_BUSY: 429,
    ErrorCode.CHUNK_PROCESSING_ERROR: 500,
    ErrorCode.TASK_TIMEOUT: 504,
    ErrorCode.ENGINE_ERROR: 502,
    ErrorCode.PROCESSING_ERROR: 500,
    # The object store (STORAGE_URL) refused or timed out: the service, not the request.
    ErrorCode.STORAGE_UNAVAILABLE: 503,
    ErrorCode.INVALID_EPUB: 400,
    ErrorCode.MALFORMED_EPUB: 400,
    ErrorCode.EPUB_XML_ENTITIES: 400,
    ErrorCode.UNSAFE_EPUB_PATH: 400,
    ErrorCode.EPUB_TOO_LARGE: 413,
    ErrorCode.ENCRYPTED_EPUB: 400,
    ErrorCode.EMPTY_EPUB: 400,
}

# Codes of the HTTP layer itself (no project error behind them).
NOT_FOUND = "NOT_FOUND"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
INVALID_REQUEST = "INVALID_REQUEST"
INTERNAL_ERROR = "INTERNAL_ERROR"


class Unauthorized(FrenchNovelError):
    code = ErrorCode.UNAUTHORIZED


class JobFailed(FrenchNovelError):
    """A synchronous job that ended in failure: its own code, and its id for the client."""

    def __init__(self, message: str, *, code: ErrorCode, job_id: str) -> None:
        super().__init__(message, code=code)
        self.job_id = job_id


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one error shape."""
    return {"error": {"code": code, "message": message}, **extra}


def status_for(code: ErrorCode) -> int:
    return STATUS_BY_CODE.get(code, 500)


def _project_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FrenchNovelError)
    headers: dict[str, str] = {}
    extra: dict[str, Any] = {}
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if exc.code is ErrorCode.UNAUTHORIZED:
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, JobFailed):
        extra["job_id"] = exc.job_id
    return JSONResponse(
        error_body(exc.code.value, exc.message, **extra),
        status_code=status_for(exc.code),
        headers=headers,
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: NOT_FOUND, 405: METHOD_NOT_ALLOWED}.get(exc.status_code, INVALID_REQUEST)
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == 404:
        message = f"nothing at {request.url.path}"
    return JSONResponse(
        error_body(code, message), status_code=exc.status_code, headers=exc.headers or None
    )


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err.get('loc', ()) if p != 'body') or 'request'}: "
        f"{err.get('msg', 'invalid')}"
        for err in exc.errors()
    )
    return JSONResponse(error_body(INVALID_REQUEST, problems or "invalid request"), status_code=422)


def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    debug = bool(getattr(request.app.state, "debug", False))
    message = f"{exc.__class__.__name__}: {exc}" if debug else "internal error"
    return JSONResponse(error_body(INTERNAL_ERROR, message), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Route every failure through the one error body."""
    app.add_exception_handler(FrenchNovelError, _project_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
