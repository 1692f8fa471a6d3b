"""What observing costs, per event: a log line (text, JSON), a counter, a span (off, on).

Run: ``.venv/bin/python bench/observe.py``. Prints microseconds per event, each the best of
five rounds of 20,000 events, in this one process; the multiprocess counter writes to a
memory-mapped file in a temporary directory, as a worker's pool process does.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable

ROUNDS, EVENTS = 5, 20_000


def per_event(action: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(EVENTS):
            action()
        best = min(best, time.perf_counter() - started)
    return best / EVENTS * 1e6


def log_lines() -> None:
    from frenchnovel.observe import logs

    log = logging.getLogger("frenchnovel.bench")
    for fmt in ("text", "json"):
        logs.configure_logging(fmt)
        handler = logging.getLogger().handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(io.StringIO())
        with logs.bound(request_id="r" * 32, job_id="j" * 36, chunk=3, user_id=7):
            cost = per_event(lambda: log.info("chunk %s of job %s done", 3, "j" * 36))
        print(f"log line, {fmt:4}: {cost:6.2f} µs")


def counters_and_spans() -> None:
    from frenchnovel.observe import metrics, tracing

    counter = metrics.CHUNKS.labels("completed")
    print(f"counter inc ({mode()}): {per_event(counter.inc):6.2f} µs")
    histogram = metrics.CHUNK_SECONDS.labels("completed")
    print(f"histogram observe ({mode()}): {per_event(lambda: histogram.observe(1.5)):6.2f} µs")

    def one_span() -> None:
        with tracing.span("bench", chunk=1):
            pass

    print(f"span, tracing off: {per_event(one_span):6.2f} µs")
    os.environ["OTEL_TRACES_EXPORTER"] = "console"
    sys.stdout = io.StringIO()  # the console exporter's lines, not the figures
    try:
        tracing.setup_tracing("bench")
        cost = per_event(one_span)
    finally:
        sys.stdout = sys.__stdout__
    print(f"span, tracing on (console): {cost:6.2f} µs")


def mode() -> str:
    return "multiprocess" if os.environ.get("PROMETHEUS_MULTIPROC_DIR") else "one process"


def main() -> None:
    if len(sys.argv) > 1:  # the multiprocess round, in a process of its own
        from frenchnovel.observe.exporter import use_multiprocess_dir

        use_multiprocess_dir()
        from frenchnovel.observe import metrics

        print(f"counter inc ({mode()}): {per_event(metrics.CHUNKS.labels('x').inc):6.2f} µs")
        return
    log_lines()
    counters_and_spans()
    subprocess.run([sys.executable, __file__, "multiprocess"], check=True)


if __name__ == "__main__":
    main()
