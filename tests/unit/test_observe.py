"""The operator's view without services: the dashboard's metric names, log lines, task ids."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from prometheus_client import REGISTRY
from starlette.datastructures import Headers

import frenchnovel.api.metrics
import frenchnovel.observe.metrics
from frenchnovel.api.context import request_id_of
from frenchnovel.observe import logs
from frenchnovel.observe.celery_hooks import task_ids
from frenchnovel.observe.exporter import LIVE_METRICS

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "frenchnovel.json"
SUFFIXES = ("", "_total", "_bucket", "_count", "_sum")


def dashboard_expressions() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def known_names() -> set[str]:
    """Every series name the API's registry and a worker's exporter can expose."""
    assert frenchnovel.api.metrics and frenchnovel.observe.metrics  # both registered
    families = {
        metric.name for metric in REGISTRY.collect() if metric.name.startswith("frenchnovel")
    }
    return {name + suffix for name in families | set(LIVE_METRICS) for suffix in SUFFIXES}


def test_every_metric_the_dashboard_asks_for_exists_and_every_one_of_ours_has_a_panel() -> None:
    expressions = dashboard_expressions()
    known = known_names()
    used = set()
    for expr in expressions:
        names = set(re.findall(r"\bfrenchnovel_[a-z_]+", expr))
        assert names, f"no metric of ours in {expr}"
        assert names <= known, f"unknown metrics {names - known} in {expr}"
        used |= names
    ours = {m.name for m in REGISTRY.collect() if m.name.startswith("frenchnovel")}
    unused = {
        name for name in ours | set(LIVE_METRICS) if not any(n.startswith(name) for n in used)
    }
    assert not unused, f"metrics without a panel: {unused}"


def test_a_json_line_carries_the_bound_ids_and_null_where_none_is_bound() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(logs.ContextFilter())
    handler.setFormatter(logs.JsonFormatter())

    def line(message: str) -> dict[str, object]:
        record = logging.LogRecord("frenchnovel.test", logging.INFO, __file__, 1, message, (), None)
        assert handler.filter(record)
        parsed: dict[str, object] = json.loads(handler.format(record))
        return parsed

    with logs.bound(request_id="r-1", job_id="job-1", chunk=2, user_id=7):
        inside = line("chunk « 2 » done")
    outside = line("idle")

    assert inside["message"] == "chunk « 2 » done" and inside["level"] == "INFO"
    assert (inside["request_id"], inside["job_id"], inside["chunk"], inside["user_id"]) == (
        "r-1",
        "job-1",
        2,
        7,
    )
    assert [outside[k] for k in logs.FIELDS] == [None, None, None, None]


def test_a_plain_request_id_is_kept_and_anything_else_is_replaced() -> None:
    assert request_id_of(Headers({"X-Request-ID": "abc-123_x.y:z"})) == "abc-123_x.y:z"
    for hostile in ('evil"\n{"level":"ERROR"}', "x" * 129, ""):
        made = request_id_of(Headers({"X-Request-ID": hostile}))
        assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_a_tasks_ids_come_from_its_arguments_or_their_repr() -> None:
    assert task_ids("frenchnovel.process_chunk", ["job-1", 3]) == {"job_id": "job-1", "chunk": 3}
    assert task_ids("frenchnovel.process_chunk", "['job-1', 3]") == {"job_id": "job-1", "chunk": 3}
    assert task_ids("frenchnovel.merge_job", ("job-1",)) == {"job_id": "job-1"}
    assert task_ids("frenchnovel.build_deck", ["deck-1"]) == {}
    assert task_ids("frenchnovel.cleanup_old_jobs", []) == {}


def traced(exporter: str) -> subprocess.CompletedProcess[str]:
    """A process that sets up tracing with ``OTEL_TRACES_EXPORTER=exporter`` and opens a span."""
    code = (
        "from frenchnovel.observe import tracing\n"
        "print('recording', tracing.setup_tracing('frenchnovel-test'))\n"
        "with tracing.span('job.merge', job_id='job-1'):\n"
        "    pass\n"
    )
    env = {**os.environ, "OTEL_TRACES_EXPORTER": exporter, "OTEL_SERVICE_NAME": "reader-test"}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_console_exporter_writes_each_span_as_one_json_line() -> None:
    done = traced("console")
    assert done.returncode == 0, done.stderr
    first, span_line = done.stdout.splitlines()
    span = json.loads(span_line)
    assert first == "recording True"
    assert span["name"] == "job.merge" and span["attributes"]["frenchnovel.job_id"] == "job-1"
    assert span["resource"]["attributes"]["service.name"] == "reader-test"


def test_without_an_exporter_nothing_is_recorded_and_an_unknown_one_is_refused() -> None:
    assert traced("none").stdout.splitlines() == ["recording False"]
    refused = traced("zipkin")
    assert refused.returncode != 0 and "OTEL_TRACES_EXPORTER" in refused.stderr
