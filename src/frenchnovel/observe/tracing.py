"""OpenTelemetry traces of one job across its processes, configured by OpenTelemetry's variables.

Off by default: unless ``OTEL_TRACES_EXPORTER`` is ``console`` or ``otlp``, no SDK is set up and
every span below is OpenTelemetry's no-op one (no exporter, no thread, no cost). ``console``
writes each finished span as one JSON line on stdout; ``otlp`` sends batches over OTLP/HTTP to
``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``..._TRACES_ENDPOINT``); ``OTEL_SERVICE_NAME`` names the
process (default ``frenchnovel-api`` or ``frenchnovel-worker``); ``OTEL_BSP_*`` tune the batches.

One job's trace::

    POST /api/v1/process-pdf            (API: FastAPI's own server span, with our ids on it)
      ... FastAPI's operation spans (endpoint, dependencies)
        send frenchnovel.process_chunk  (API, producer span; context put in the message headers)
          chunk <job>.<index>           (worker pool process, consumer span: celery_hooks)
            chunk.work                  (the pipeline on the chunk's pages)
            job.merge                   (in the task of the chunk that finished last)
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind

TRACER_NAME = "frenchnovel"
EXPORTERS = ("console", "otlp")
_provider: Any = None


def exporter_name() -> str:
    """What ``OTEL_TRACES_EXPORTER`` asks for: ``console``, ``otlp`` or ``none`` (unset)."""
    name = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() or "none"
    if name not in (*EXPORTERS, "none"):
        from frenchnovel.errors import SettingsError

        raise SettingsError(f"OTEL_TRACES_EXPORTER: {name!r} is not one of console, otlp, none")
    return name


def setup_tracing(default_service: str) -> bool:
    """Install the SDK when an exporter is configured; True when traces are recorded."""
    global _provider
    name = exporter_name()
    if name == "none" or _provider is not None:
        return _provider is not None
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
    )

    service = os.environ.get("OTEL_SERVICE_NAME") or default_service
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if name == "console":
        exporter = ConsoleSpanExporter(out=sys.stdout, formatter=_one_line)
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        # The batch processor starts its thread again in a forked pool process.
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _provider = provider
    return True


def _one_line(span: Any) -> str:
    return json.dumps(json.loads(span.to_json()), separators=(",", ":")) + os.linesep


def enabled() -> bool:
    return _provider is not None


def flush() -> None:
    """Send what is buffered (a pool process about to exit)."""
    if _provider is not None:
        _provider.force_flush()


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER_NAME)


@contextmanager
def span(name: str, kind: SpanKind = SpanKind.INTERNAL, **attributes: Any) -> Iterator[Span]:
    """A child span of the current one for the block (nothing at all when tracing is off)."""
    if _provider is None:
        yield trace.INVALID_SPAN
        return
    with tracer().start_as_current_span(name, kind=kind) as current:
        if attributes and current.is_recording():
            current.set_attributes({f"frenchnovel.{k}": v for k, v in attributes.items()})
        yield current
