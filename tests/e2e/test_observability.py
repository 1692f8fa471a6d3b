"""What an operator sees of one job on the real service: metrics, JSON log lines, one trace.

One 40-page job (four chunks) runs on an API and two workers of one pool process each, every
process with ``LOG_FORMAT=json`` and traces sent over OTLP/HTTP to a receiver of the test's own
on 127.0.0.1; the workers serve their metrics on ports of their own, scraped over HTTP before,
during and after the job. The tests below read what that run left.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from frenchnovel.worker.celery_app import SMALL_QUEUE
from tests.e2e.conftest import SMALL_CHUNKS, _stack
from tests.e2e.stack import Process, Reader, Stack, free_port, wait_for
from tests.support.otlp_receiver import ReceivedSpan, otlp_receiver

REQUEST_ID = f"reader-request-{secrets.token_hex(4)}"


def samples(text: str, name: str, **labels: str) -> float:
    """The sum of the samples named ``name`` whose labels include ``labels``."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                total += sample.value
    return total


@dataclass
class Run:
    stack: Stack
    reader: Reader
    job_id: str
    answer: httpx.Response
    workers: list[tuple[Process, str]]
    before: list[str]
    during: list[list[str]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    api_before: str = ""
    api_after: str = ""
    spans: list[ReceivedSpan] = field(default_factory=list)

    def delta(self, name: str, **labels: str) -> float:
        return sum(samples(t, name, **labels) for t in self.after) - sum(
            samples(t, name, **labels) for t in self.before
        )

    def api_delta(self, name: str, **labels: str) -> float:
        return samples(self.api_after, name, **labels) - samples(self.api_before, name, **labels)


def scrape(url: str) -> str:
    answer = httpx.get(url, timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.text


@pytest.fixture(scope="module")
def run(
    tmp_path_factory: pytest.TempPathFactory, broker: str, pythonpath: str, novels: dict[str, Path]
) -> Iterator[Run]:
    root = tmp_path_factory.mktemp("e2e-observed")
    with otlp_receiver() as receiver:
        stack = _stack(
            "observed",
            f"sqlite:///{root / 'frenchnovel.db'}",
            root,
            broker,
            pythonpath,
            **SMALL_CHUNKS,
            # All four chunks in the broker at once, so that some wait in the queue.
            MAX_CHUNKS_IN_FLIGHT_PER_USER="4",
            LOG_FORMAT="json",
            OTEL_TRACES_EXPORTER="otlp",
            OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
            OTEL_BSP_SCHEDULE_DELAY="100",
        )
        try:
            yield _run_one_job(stack, receiver, novels["short"])
        finally:
            stack.stop()


def _run_one_job(stack: Stack, receiver: Any, novel: Path) -> Run:
    workers = []
    for _ in range(2):
        port = free_port()
        process = stack.start_worker(MAX_WORKERS="1", WORKER_METRICS_PORT=str(port))
        workers.append((process, f"http://127.0.0.1:{port}/metrics"))
    reader = stack.reader()
    before = [scrape(url) for _, url in workers]
    api_before = scrape(f"{stack.api_url}/metrics")
    with novel.open("rb") as handle:
        answer = httpx.post(
            f"{stack.api_url}/api/v1/process-pdf",
            headers={**reader.headers, "X-Request-ID": REQUEST_ID},
            files={"pdf_file": (novel.name, handle, "application/pdf")},
            timeout=60,
        )
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    result = Run(stack, reader, job_id, answer, workers, before, api_before=api_before)

    def finished() -> bool:
        result.during.append([scrape(url) for _, url in workers])
        return stack.job(reader, job_id)["status"] in {"completed", "failed", "cancelled"}

    wait_for(finished, timeout=180, what="the job to finish", every=0.2)
    result.after = [scrape(url) for _, url in workers]
    result.api_after = scrape(f"{stack.api_url}/metrics")

    def traced() -> list[ReceivedSpan] | None:
        spans = receiver.snapshot()
        return spans if any(s.name == "job.merge" for s in spans) else None

    result.spans = wait_for(traced, timeout=30, what="the merge span")
    (stack.logs / "trace.txt").write_text(trace_tree(result.spans), encoding="utf-8")
    return result


def trace_tree(spans: list[ReceivedSpan]) -> str:
    """The spans as an indented tree, for a person reading the run's logs."""
    children: dict[str, list[ReceivedSpan]] = {}
    for span in spans:
        children.setdefault(span.parent_id, []).append(span)
    lines: list[str] = []

    def show(span: ReceivedSpan, depth: int) -> None:
        pid = span.attributes.get("process.pid", "")
        lines.append(f"{'  ' * depth}{span.name}  [{span.service} {pid}] trace {span.trace_id}")
        for child in children.get(span.span_id, []):
            show(child, depth + 1)

    known = {span.span_id for span in spans}
    for root in [s for s in spans if s.parent_id not in known]:
        show(root, 0)
    return "\n".join(lines) + "\n"


def log_lines(process: Process) -> list[dict[str, Any]]:
    text = process.log.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, f"{process.log} is empty"
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON line in {process.log.name}: {line[:300]}")
    return parsed


def test_the_workers_metrics_move_while_a_job_runs_and_count_what_it_did(run: Run) -> None:
    assert run.stack.job(run.reader, run.job_id)["status"] == "completed"
    job = run.stack.job_row(run.job_id)

    assert run.delta("frenchnovel_chunks_total", outcome="completed") == 4
    assert run.delta("frenchnovel_chunk_seconds_count", outcome="completed") == 4
    assert run.delta("frenchnovel_pages_processed_total") == 40
    assert run.delta("frenchnovel_words_processed_total") > 1000
    assert run.delta("frenchnovel_job_transitions_total", status="completed") == 1
    assert run.delta("frenchnovel_job_seconds_count", mode="async") == 1
    assert run.delta("frenchnovel_credits_total", movement="charged") == job.actual_credits
    # Both workers took chunks: each one's own counters moved.
    for before, after in zip(run.before, run.after, strict=True):
        moved = samples(after, "frenchnovel_chunks_total") - samples(
            before, "frenchnovel_chunks_total"
        )
        assert moved >= 1
    # What is true now, read at each scrape: chunks waited in the queue (a 40-page job's is the
    # small jobs' one), then none did.
    depths = [
        samples(t, "frenchnovel_queue_depth", queue=SMALL_QUEUE) for s in run.during for t in s
    ]
    assert max(depths) >= 1 and samples(run.after[0], "frenchnovel_queue_depth") == 0
    busy = [samples(t, "frenchnovel_worker_busy_processes") for s in run.during for t in s]
    assert max(busy) == 1
    assert [samples(t, "frenchnovel_worker_pool_processes") for t in run.after] == [1, 1]
    # The API counted the submission's side: a pending job, queued, and its reservation.
    assert run.api_delta("frenchnovel_job_transitions_total", status="pending") == 1
    assert run.api_delta("frenchnovel_job_transitions_total", status="processing") == 1
    assert run.api_delta("frenchnovel_credits_total", movement="reserved") == job.estimated_credits


def test_every_line_of_the_api_and_the_workers_is_json_and_names_its_request_job_and_user(
    run: Run,
) -> None:
    assert run.answer.headers["X-Request-ID"] == REQUEST_ID
    generated = httpx.get(f"{run.stack.api_url}/health").headers["X-Request-ID"]
    assert len(generated) == 32 and generated != REQUEST_ID
    user_id = run.stack.job_row(run.job_id).user_id
    assert run.stack.api is not None
    api = log_lines(run.stack.api)
    access = [line for line in api if line["logger"] == "uvicorn.access"]
    assert access and all(line["request_id"] for line in access)
    posted = [line for line in access if line["request_id"] == REQUEST_ID]
    assert len(posted) == 1
    assert posted[0]["job_id"] == run.job_id and posted[0]["user_id"] == user_id
    polls = [line for line in access if run.job_id in line["message"]]
    assert polls and all(line["job_id"] == run.job_id for line in polls)

    chunk_lines = []
    for process, _ in run.workers:
        for line in log_lines(process):
            if run.job_id in line["message"]:
                assert line["job_id"] == run.job_id, line
                assert line["user_id"] == user_id, line
                assert line["request_id"] == REQUEST_ID, line  # the upload's, carried along
                if "chunk" in line["message"]:
                    assert line["chunk"] is not None, line
                    chunk_lines.append(line)
    assert {line["chunk"] for line in chunk_lines} == {0, 1, 2, 3}


def test_one_trace_follows_the_job_from_the_api_through_two_worker_processes_to_the_merge(
    run: Run,
) -> None:
    by_id = {span.span_id: span for span in run.spans}
    requests = [s for s in run.spans if s.name == "POST /api/v1/process-pdf"]
    assert len(requests) == 1
    request = requests[0]
    assert request.service == "frenchnovel-api" and request.parent_id == ""
    assert request.attributes["frenchnovel.request_id"] == REQUEST_ID
    assert request.attributes["frenchnovel.job_id"] == run.job_id
    trace = [s for s in run.spans if s.trace_id == request.trace_id]
    chunks = [s for s in trace if s.name.startswith("chunk ") and s.service == "frenchnovel-worker"]
    assert sorted(s.attributes["frenchnovel.chunk"] for s in chunks) == [0, 1, 2, 3]
    for chunk in chunks:
        send = by_id[chunk.parent_id]
        assert send.name == "send frenchnovel.process_chunk"
        assert request in ancestors(send, by_id)
        assert chunk.attributes["frenchnovel.job_id"] == run.job_id
    assert len({chunk.attributes["process.pid"] for chunk in chunks}) == 2
    works = [s for s in trace if s.name == "chunk.work"]
    assert sorted(by_id[s.parent_id].name for s in works) == sorted(s.name for s in chunks)
    merges = [s for s in trace if s.name == "job.merge"]
    assert len(merges) == 1 and by_id[merges[0].parent_id] in chunks


def ancestors(span: ReceivedSpan, by_id: dict[str, ReceivedSpan]) -> list[ReceivedSpan]:
    """The spans above ``span``, nearest first (FastAPI's operation spans sit in between)."""
    found = []
    while span.parent_id in by_id:
        span = by_id[span.parent_id]
        found.append(span)
    return found
