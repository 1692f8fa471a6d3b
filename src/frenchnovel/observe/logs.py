"""Log lines that say whose work they are: request, job, chunk and user ids on every line.

The ids live in context variables. The API's ``RequestContext`` middleware binds a request id
(the caller's ``X-Request-ID`` or a new one), the routes that handle a job bind its job and user;
each Celery task binds its job, chunk and user from the task's headers (``observe.celery_hooks``)
before it runs and clears them after. A ``logging.Filter`` on the one root handler copies them
onto every record, so third-party lines (Uvicorn's access log, Celery's task lines, SQLAlchemy)
carry them too.

``LOG_FORMAT=json`` writes one JSON object per line: ``time``, ``level``, ``logger``,
``message``, ``pid``, ``request_id``, ``job_id``, ``chunk``, ``user_id`` (null outside a request
or a job), ``trace_id`` when a trace is recorded, and ``exception`` for a traceback.
``LOG_FORMAT=text`` (the default) keeps the plain lines, the ids appended when set.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

FIELDS = ("request_id", "job_id", "chunk", "user_id")
_vars: dict[str, ContextVar[Any]] = {name: ContextVar(name, default=None) for name in FIELDS}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s%(ids)s"


def bind(**ids: Any) -> None:
    """Set some of the ids (``request_id``, ``job_id``, ``chunk``, ``user_id``) from here on."""
    for name, value in ids.items():
        _vars[name].set(value)


def current() -> dict[str, Any]:
    """The ids bound in this context (None where unbound)."""
    return {name: var.get() for name, var in _vars.items()}


@contextmanager
def bound(**ids: Any) -> Iterator[None]:
    """The ids bound for the length of a block, then what they were before."""
    tokens = [(_vars[name], _vars[name].set(value)) for name, value in ids.items()]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def clear() -> None:
    """Unbind every id (the end of a Celery task: the next one starts clean)."""
    for var in _vars.values():
        var.set(None)


class ContextFilter(logging.Filter):
    """Copies the bound ids, and the current trace id, onto every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in _vars.items():
            setattr(record, name, var.get())
        record.trace_id = _trace_id()
        ids = " ".join(f"{k}={v}" for k, v in current().items() if v is not None)
        record.ids = f" [{ids}]" if ids else ""
        return True


def _trace_id() -> str | None:
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        line.update({name: getattr(record, name, None) for name in FIELDS})
        trace_id = getattr(record, "trace_id", None)
        if trace_id:
            line["trace_id"] = trace_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """One handler on the root logger, on stderr, in ``log_format`` (``text`` or ``json``);
    every other logger propagates to it (Uvicorn's and Celery's included)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ContextFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Python's warnings become log lines too: nothing else is written to the stream.
    logging.captureWarnings(True)
