"""The service's Prometheus metrics, recorded where things happen, in whichever process they happen.

The API serves them at ``GET /metrics`` (one process); a worker host serves those of all its pool
processes on ``WORKER_METRICS_PORT`` (``observe.exporter``, prometheus_client's multiprocess
mode). Only counters and histograms live here: they add up across processes. What is true *now*
(queue depth, pool processes) is read at scrape time by the exporter.

A movement decided inside a transaction (a job completed, credits refunded) is counted only once
that transaction commits: ``after_commit`` holds it on the session and drops it on a rollback,
so a retried or rolled-back UPDATE is never counted.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Counter, Histogram
from sqlalchemy import event
from sqlalchemy.orm import Session

from frenchnovel.pipeline import probes

SECONDS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)

JOB_TRANSITIONS = Counter(
    "frenchnovel_job_transitions_total",
    "Jobs entering a status (pending, processing, completed, failed, cancelled)",
    ["status"],
)
JOB_SECONDS = Histogram(
    "frenchnovel_job_seconds", "Wall time of a job, start to completion", ["mode"], buckets=SECONDS
)
CHUNKS = Counter(
    "frenchnovel_chunks_total",
    "Chunk attempts by outcome (completed, retried, failed, cancelled, dropped)",
    ["outcome"],
)
CHUNK_SECONDS = Histogram(
    "frenchnovel_chunk_seconds", "Time one chunk attempt worked", ["outcome"], buckets=SECONDS
)
PAGES = Counter("frenchnovel_pages_processed_total", "Pages of completed chunks")
WORDS = Counter("frenchnovel_words_processed_total", "Words of the sentences of completed chunks")
OCR_PAGES = Counter("frenchnovel_ocr_pages_total", "Pages read by Tesseract", ["outcome"])
OCR_SECONDS = Histogram(
    "frenchnovel_ocr_page_seconds", "Tesseract's time on one page", buckets=(0.1, 0.25, *SECONDS)
)
LLM_REQUESTS = Counter(
    "frenchnovel_llm_requests_total", "Requests sent to a model provider", ["engine", "model"]
)
LLM_TOKENS = Counter(
    "frenchnovel_llm_tokens_total", "Tokens the provider reported", ["engine", "model"]
)
LLM_ERRORS = Counter(
    "frenchnovel_llm_errors_total",
    "Failed provider requests: retryable (429, 5xx, network) or error (refused)",
    ["engine", "model", "kind"],
)
CREDITS = Counter(
    "frenchnovel_credits_total",
    "Credits moved: reserved at submission, charged at completion, refunded",
    ["movement"],
)

_PENDING_KEY = "frenchnovel.metrics.after_commit"


def after_commit(session: Session, record: Callable[[], None]) -> None:
    """Run ``record`` once ``session``'s transaction commits; never if it rolls back."""
    session.info.setdefault(_PENDING_KEY, []).append(record)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for record in session.info.pop(_PENDING_KEY, []):
        record()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def job_entered(session: Session, status: str) -> None:
    """Count a job entering ``status`` when the transaction commits."""
    after_commit(session, JOB_TRANSITIONS.labels(status).inc)


def credits_moved(session: Session, movement: str, amount: int) -> None:
    """Count ``amount`` credits (absolute value) reserved, charged or refunded, on commit."""
    if amount:
        after_commit(session, lambda: CREDITS.labels(movement).inc(abs(amount)))


def job_finished(session: Session, *, mode: str, seconds: float | None) -> None:
    if seconds is not None:
        after_commit(session, lambda: JOB_SECONDS.labels(mode).observe(max(0.0, seconds)))


def chunk_ended(outcome: str, seconds: float, *, pages: int = 0, words: int = 0) -> None:
    """One chunk attempt is over (outside any transaction: the worker knows it ended)."""
    CHUNKS.labels(outcome).inc()
    CHUNK_SECONDS.labels(outcome).observe(seconds)
    if pages:
        PAGES.inc(pages)
    if words:
        WORDS.inc(words)


class PrometheusListener:
    """What the pipeline reports (``pipeline.probes``), counted here."""

    def llm_request(self, engine: str, model: str, outcome: str, tokens: int) -> None:
        LLM_REQUESTS.labels(engine, model).inc()
        if outcome == "ok":
            if tokens:
                LLM_TOKENS.labels(engine, model).inc(tokens)
        else:
            LLM_ERRORS.labels(engine, model, outcome).inc()

    def ocr_page(self, outcome: str, seconds: float) -> None:
        OCR_PAGES.labels(outcome).inc()
        OCR_SECONDS.observe(seconds)


def listen_to_pipeline() -> None:
    """Count the pipeline's LLM requests and OCR pages in this process."""
    probes.install(PrometheusListener())
