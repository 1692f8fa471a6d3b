"""What an operator sees of the service: metrics, log lines with ids, traces.

``metrics`` (the Prometheus metrics, recorded where things happen), ``exporter`` (a worker's
metrics port), ``logs`` (ids on every line, text or JSON), ``tracing`` (OpenTelemetry, off unless
configured), ``celery_hooks`` (ids and trace context carried in task messages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frenchnovel.config import Settings


def start_observing(service: str, settings: Settings) -> None:
    """A process's start: its log lines, its traces (when configured), the pipeline's counts."""
    from frenchnovel.observe.logs import configure_logging
    from frenchnovel.observe.metrics import listen_to_pipeline
    from frenchnovel.observe.tracing import setup_tracing

    configure_logging(settings.log_format)
    setup_tracing(service)
    listen_to_pipeline()
