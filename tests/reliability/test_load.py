"""Waiting work never starves the cheap routes (issue 12, finding 1), on a real ``frenchnovel
serve`` over HTTP: while 45 uploads wait for a processing slot and 50 estimates of a costly PDF
wait for PDFium, ``/health`` and a poll keep answering within a second, and every upload ends
with 200, 202 or a documented 4xx.

Before the fix the waiting requests sat in the server's 40 threads, where the health check and
the token check of every route need one too: both stalled for as long as the line lasted. With
no room left in the line, an upload is turned away at once with 429 SERVER_BUSY and Retry-After.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from frenchnovel.api.errors import STATUS_BY_CODE
from tests.e2e.stack import Reader, Stack
from tests.integration.pdfs import french_paragraphs, render_pdf
from tests.reliability.helpers import Losses
from tests.support.hostile import digits_pdf
from tests.support.load import PROBE_TIMEOUT, Probe, post_pdf
from tests.support.redis_server import RedisServer

ACCOUNTS, UPLOADS_EACH, ESTIMATES = 15, 3, 50
# On two shared, busy cores a healthy answer can take a few hundred milliseconds; the fault
# stalled answers for 5 s and more. The exact figures go to the reliability report's notes.
BOUND = 1.0
LOAD_ALLOWANCE = 1.5
DOCUMENTED_4XX = {code.value for code, status in STATUS_BY_CODE.items() if 400 <= status < 500}


def _serve(database_url: str, redis_url: str, root: Path, **env: str) -> Iterator[Stack]:
    """A real ``frenchnovel serve`` with the default per-user limits; small files only."""
    (root / "storage").mkdir()
    (root / "logs").mkdir()
    api_env = {
        "ASYNC_PROCESSING_ENABLED": "false",
        "RATE_LIMIT_SUBMISSIONS": "10",
        "MAX_CONCURRENT_JOBS_PER_USER": "3",
        **env,
    }
    stack = Stack("load", database_url, redis_url, root / "storage", root / "logs", api_env=api_env)
    stack.start_api()
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def api(
    database_url: str, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    yield from _serve(database_url, redis_server.url(6), tmp_path_factory.mktemp("api-load"))


@pytest.fixture(scope="module")
def busy_api(
    database_url: str, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The same, with no waiting line at all: whoever finds every slot taken is turned away."""
    root = tmp_path_factory.mktemp("api-busy")
    yield from _serve(database_url, redis_server.url(7), root, MAX_WAITING_REQUESTS="0")


@pytest.fixture(scope="module")
def pdfs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A one-page novel excerpt (answered at once) and 600 pages of digits (a long check)."""
    folder = tmp_path_factory.mktemp("load-pdfs")
    return {
        "page": render_pdf(french_paragraphs(corpus, count=2), folder / "page.pdf", pages=1),
        "digits": digits_pdf(folder / "digits.pdf", pages=600),
    }


def test_health_and_polls_answer_within_a_second_while_uploads_and_estimates_wait(
    api: Stack, pdfs: dict[str, Path], lost: Losses
) -> None:
    uploaders = [api.reader() for _ in range(ACCOUNTS)]
    estimator, watcher = api.reader(), api.reader()
    probe = Probe(api.api_url, watcher)
    prober = threading.Thread(target=probe.run, daemon=True)
    prober.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=ACCOUNTS * UPLOADS_EACH + ESTIMATES) as pool:
        uploads = [
            # distinct settings: no upload is answered by reusing another's result
            pool.submit(post_pdf, api.api_url, reader, pdfs["page"], "/api/v1/process-pdf",
                        sentence_length_limit=str(8 + i))
            for reader in uploaders
            for i in range(UPLOADS_EACH)
        ]  # fmt: skip
        estimates = [
            pool.submit(post_pdf, api.api_url, estimator, pdfs["digits"], "/api/v1/estimate")
            for _ in range(ESTIMATES)
        ]
        upload_answers = [future.result() for future in uploads]
        estimate_answers = [future.result() for future in estimates]
    probe.stop.set()
    prober.join(PROBE_TIMEOUT + 1)
    elapsed = time.monotonic() - started

    slowest, median = max(probe.seconds), statistics.median(probe.seconds)
    late = sum(1 for s in probe.seconds if s > BOUND)
    lost.notes.append(
        f"{len(probe.seconds)} probes in {elapsed:.0f} s: median {median * 1000:.0f} ms, "
        f"max {slowest * 1000:.0f} ms, {late} over {BOUND:.0f} s"
    )
    for status, code in upload_answers + estimate_answers:
        assert status in (200, 202) or (status < 500 and code in DOCUMENTED_4XX), (status, code)
    assert sum(status == 200 for status, _ in upload_answers) >= ACCOUNTS  # work still gets done
    assert probe.failures == []
    assert median <= BOUND
    assert slowest <= BOUND + LOAD_ALLOWANCE, f"a probe took {slowest:.1f} s"


def test_with_every_slot_taken_an_upload_is_turned_away_with_retry_after_and_costs_nothing(
    busy_api: Stack, pdfs: dict[str, Path]
) -> None:
    readers = [busy_api.reader() for _ in range(8)]

    def send(reader: Reader) -> httpx.Response:
        with pdfs["page"].open("rb") as handle:
            return httpx.post(
                f"{busy_api.api_url}/api/v1/process-pdf",
                headers=reader.headers,
                files={"pdf_file": ("page.pdf", handle, "application/pdf")},
                timeout=120,
            )

    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        answers = list(pool.map(send, readers))

    busy = [answer for answer in answers if answer.status_code == 429]
    assert {answer.status_code for answer in answers} <= {200, 429}
    assert busy and len(busy) < len(answers)  # some got in, some found no room
    for answer in busy:
        assert answer.json()["error"]["code"] == "SERVER_BUSY"
        assert int(answer.headers["retry-after"]) >= 1
    # What was turned away costs nothing: the ledger invariant checks it after this test.
