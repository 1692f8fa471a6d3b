"""Decks through the real service: a Celery worker builds them, a cancel before it runs holds."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.stack import Reader, Stack, wait_for


def deck(stack: Stack, reader: Reader, deck_id: str) -> dict[str, Any]:
    answer = httpx.get(f"{stack.api_url}/api/v1/decks/{deck_id}", headers=reader.headers)
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()
    return data


def test_a_worker_builds_my_drill_and_cover_decks_from_my_finished_novel(
    sqlite_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker()
    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]
    sqlite_stack.wait_status(owner, job_id, {"completed"}, timeout=300)

    ids = {}
    for mode in ("drill", "cover"):
        body = {"job_ids": [job_id], "mode": mode, "target_count": 50}
        answer = httpx.post(
            f"{sqlite_stack.api_url}/api/v1/decks", json=body, headers=owner.headers
        )
        assert answer.status_code == 202, answer.text
        ids[mode] = answer.json()["deck_id"]
    for mode, deck_id in ids.items():
        done = wait_for(
            lambda d=deck_id: (v := deck(sqlite_stack, owner, d))["status"] == "completed" and v,
            timeout=120,
            what=f"the {mode} deck",
        )
        assert done["progress_percent"] == 100 and done["size"] > 0
    url = f"{sqlite_stack.api_url}/api/v1/decks/{ids['cover']}/result"
    stats = httpx.get(url, headers=owner.headers).json()["stats"]
    assert stats["lower_bound"] <= stats["size"] <= stats["greedy"]


def test_a_deck_cancelled_while_queued_is_never_built(
    sqlite_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker()
    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]
    sqlite_stack.wait_status(owner, job_id, {"completed"}, timeout=300)
    sqlite_stack.stop_workers()  # nobody takes the deck until the cancel is in

    body = {"job_ids": [job_id], "mode": "cover"}
    deck_id = httpx.post(
        f"{sqlite_stack.api_url}/api/v1/decks", json=body, headers=owner.headers
    ).json()["deck_id"]
    cancel = httpx.post(
        f"{sqlite_stack.api_url}/api/v1/decks/{deck_id}/cancel", headers=owner.headers
    )
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    sqlite_stack.start_worker()
    time.sleep(3)
    assert deck(sqlite_stack, owner, deck_id)["status"] == "cancelled"
    result = httpx.get(
        f"{sqlite_stack.api_url}/api/v1/decks/{deck_id}/result", headers=owner.headers
    )
    assert result.status_code == 409
