"""What travels with a task message, and what a task binds before it runs.

Publishing (the API, a worker retrying a chunk): ``before_task_publish`` opens a producer span
and writes into the message headers the trace context (W3C ``traceparent``), the caller's user
id and request id. Running (a pool process): ``task_prerun`` binds the log ids (job and chunk
from the task's arguments, user and request from the headers) and opens the task's consumer
span, child of the publisher's; ``task_postrun`` closes it and unbinds. The worker's main
process logs each task it receives with the same ids (Celery's own "Received task" line, which
cannot carry them, is turned off).
"""

from __future__ import annotations

import ast
import logging
from typing import Any

from celery import signals
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from frenchnovel.observe import logs, tracing

log = logging.getLogger("frenchnovel.worker.tasks")

USER_HEADER = "frenchnovel_user_id"
REQUEST_HEADER = "frenchnovel_request_id"  # the upload's request: its chunks' lines name it too
JOB_TASKS = ("frenchnovel.process_chunk", "frenchnovel.merge_job")  # (job_id, [index])
_open: dict[str, tuple[Any, object]] = {}  # task id → (span, context token)


def task_ids(name: str, args: Any) -> dict[str, Any]:
    """The job id, and the chunk index of a chunk task, from a task's arguments."""
    if isinstance(args, str):  # the main process sees only their repr
        try:
            args = ast.literal_eval(args)
        except (ValueError, SyntaxError):
            return {}
    if name not in JOB_TASKS or not isinstance(args, list | tuple) or not args:
        return {}
    ids: dict[str, Any] = {"job_id": args[0]}
    if name == "frenchnovel.process_chunk" and len(args) > 1:
        ids["chunk"] = args[1]
    return ids


def _before_publish(
    sender: str | None = None, headers: dict[str, Any] | None = None, **_: Any
) -> None:
    if headers is None:
        return
    ids = logs.current()
    for header, name in ((USER_HEADER, "user_id"), (REQUEST_HEADER, "request_id")):
        if ids[name] is not None:
            headers[header] = ids[name]
    if tracing.enabled():
        with tracing.span(f"send {sender}", SpanKind.PRODUCER, task_id=headers.get("id", "")):
            propagate.inject(headers)


def _received(request: Any = None, **_: Any) -> None:
    if request is None:
        return
    ids = task_ids(request.name, getattr(request, "argsrepr", None) or getattr(request, "args", []))
    headers = getattr(request, "request_dict", None) or {}
    with logs.bound(
        **ids, user_id=headers.get(USER_HEADER), request_id=headers.get(REQUEST_HEADER)
    ):
        log.info("received task %s[%s]", request.name, request.id)


def _prerun(task_id: str = "", task: Any = None, args: Any = None, **_: Any) -> None:
    if task is None:
        return
    logs.clear()
    logs.bind(
        **task_ids(task.name, list(args or [])),
        user_id=_header(task, USER_HEADER),
        request_id=_header(task, REQUEST_HEADER),
    )
    if not tracing.enabled():
        return
    carrier = {key: value for key in ("traceparent", "tracestate") if (value := _header(task, key))}
    parent = propagate.extract(carrier)
    ids = logs.current()
    name = f"chunk {task_id}" if ids["chunk"] is not None else f"task {task.name}"
    current = tracing.tracer().start_span(name, context=parent, kind=SpanKind.CONSUMER)
    current.set_attributes(
        {"celery.task_name": task.name, "celery.task_id": task_id, "process.pid": _pid()}
        | {f"frenchnovel.{k}": v for k, v in ids.items() if v is not None}
    )
    token = otel_context.attach(trace.set_span_in_context(current))
    _open[task_id] = (current, token)


def _postrun(task_id: str = "", state: str | None = None, **_: Any) -> None:
    opened = _open.pop(task_id, None)
    if opened is not None:
        current, token = opened
        if state not in (None, "SUCCESS"):
            current.set_status(Status(StatusCode.ERROR, str(state)))
        otel_context.detach(token)  # type: ignore[arg-type]
        current.end()
    logs.clear()


def _configure_logging(**_: Any) -> None:
    # Celery leaves the logging alone when this signal has a receiver: our handler, our format.
    from frenchnovel.config import get_settings

    logs.configure_logging(get_settings().log_format)


def _flush(**_: Any) -> None:
    tracing.flush()


def _worker_init(**_: Any) -> None:
    # ``frenchnovel worker`` has done this already; a bare ``celery worker`` gets it here.
    from frenchnovel.observe.metrics import listen_to_pipeline

    tracing.setup_tracing("frenchnovel-worker")
    listen_to_pipeline()


def _header(task: Any, key: str) -> Any:
    request = task.request
    value = getattr(request, key, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(key)
    return value


def _pid() -> int:
    import os

    return os.getpid()


signals.before_task_publish.connect(_before_publish)
signals.task_received.connect(_received)
signals.task_prerun.connect(_prerun)
signals.task_postrun.connect(_postrun)
signals.setup_logging.connect(_configure_logging)
signals.worker_process_shutdown.connect(_flush)
signals.worker_init.connect(_worker_init)


def quiet_celery_received_line() -> None:
    """Celery's "Received task" line is written before any id can be bound; ours replaces it."""
    logging.getLogger("celery.worker.strategy").setLevel(logging.WARNING)
