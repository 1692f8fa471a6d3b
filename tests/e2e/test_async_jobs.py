"""A large novel through the real service: 202 at once, progress pushed, completed, reused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from frenchnovel.storage import files
from frenchnovel.worker.chunk_flow import merge
from tests.e2e.stack import Stack, read_events
from tests.support.sse import sse_events


def test_a_300_page_novel_is_accepted_at_once_and_completes_with_the_sentences_of_the_cli(
    postgres_stack: Stack, novels: dict[str, Path], reference: Any
) -> None:
    owner = postgres_stack.reader()
    postgres_stack.start_worker()

    answer = postgres_stack.submit(owner, novels["long"])

    assert answer.status_code == 202, answer.text
    accepted = answer.json()
    assert accepted["status"] == "processing" and accepted["async"] is True
    job_id = accepted["job_id"]
    stream = f"{postgres_stack.api_url}/api/v1/jobs/{job_id}/events?token={owner.token}"
    received = read_events(stream, timeout=300)
    names = [name for name, _ in received]
    percents = [data["progress_percent"] for _, data in received]
    assert names[-1] == "completed" and set(names[:-1]) == {"progress"}
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(0 < percent < 100 for percent in percents), percents
    assert postgres_stack.sentences(owner, job_id) == reference(novels["long"])
    kinds = [kind for kind, _ in postgres_stack.ledger(job_id)]
    assert kinds in (["reservation"], ["reservation", "adjustment"])


def test_the_same_novel_with_the_same_settings_is_answered_from_the_finished_job(
    postgres_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = postgres_stack.reader()
    postgres_stack.start_worker()
    first = postgres_stack.submit(owner, novels["short"]).json()["job_id"]
    postgres_stack.wait_status(owner, first, {"completed"}, timeout=120)

    again = postgres_stack.submit(owner, novels["short"])

    assert again.status_code == 200, again.text
    assert again.json()["reused_from_job_id"] == first
    assert again.json()["sentences"] == postgres_stack.sentences(owner, first)


def test_merging_a_finished_job_again_changes_nothing_and_charges_nothing(
    postgres_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = postgres_stack.reader()
    postgres_stack.start_worker()
    job_id = postgres_stack.submit(owner, novels["short"], sentence_length_limit=11).json()[
        "job_id"
    ]
    postgres_stack.wait_status(owner, job_id, {"completed"}, timeout=120)
    result = postgres_stack.storage_dir / job_id / files.RESULT_NAME
    before = (result.read_bytes(), postgres_stack.ledger(job_id))

    settings = postgres_stack.settings
    merge(postgres_stack.sessions, settings, job_id)
    merge(postgres_stack.sessions, settings, job_id)

    assert (result.read_bytes(), postgres_stack.ledger(job_id)) == before
    assert postgres_stack.job_row(job_id).status == "completed"


def test_a_stranger_cannot_follow_my_job_and_a_missing_token_is_refused(
    sqlite_stack: Stack, novels: dict[str, Path]
) -> None:
    owner, stranger = sqlite_stack.reader(), sqlite_stack.reader()
    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]
    url = f"{sqlite_stack.api_url}/api/v1/jobs/{job_id}/events"

    assert httpx.get(url, headers=stranger.headers).status_code == 404
    assert httpx.get(url, params={"token": stranger.token}).status_code == 404
    assert httpx.get(url).status_code == 401
    first = read_events_until_first(url + f"?token={owner.token}")
    assert first == ("progress", job_id)


def read_events_until_first(url: str) -> tuple[str, str]:
    """The first event of a stream (the job's current state), then hang up."""
    with httpx.stream("GET", url, timeout=30) as answer:
        for event, data in sse_events(answer.iter_lines()):
            return event, data["job_id"]
    raise AssertionError("the stream ended without an event")
