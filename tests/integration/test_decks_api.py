"""Decks and word lists over HTTP, on SQLite and PostgreSQL.

Without REDIS_URL the API builds a deck in its own process after answering (the TestClient runs
that before the call returns); the Celery path is proven in tests/e2e/test_decks.py.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.jobs import decks
from frenchnovel.jobs.deck_work import run_deck
from frenchnovel.storage.models import Deck
from tests.support.people import Person
from tests.support.uploads import upload

API = "/api/v1"


@pytest.fixture
def finished_job(client: TestClient, owner: Person, small_pdf: Path) -> str:
    answer = upload(client, owner, small_pdf)
    assert answer.status_code == 200, answer.text
    job_id: str = answer.json()["job_id"]
    return job_id


def test_my_drill_deck_is_built_from_my_finished_job_and_downloads_in_five_formats(
    client: TestClient, owner: Person, finished_job: str
) -> None:
    body = {"job_ids": [finished_job], "mode": "drill", "target_count": 20, "len_max": 12}
    created = client.post(f"{API}/decks", json=body, headers=owner.headers)
    assert created.status_code == 202, created.text
    deck_id = created.json()["deck_id"]
    assert created.json()["price"] == "free"

    view = client.get(f"{API}/decks/{deck_id}", headers=owner.headers).json()
    assert view["status"] == "completed", view
    deck = client.get(f"{API}/decks/{deck_id}/result", headers=owner.headers).json()
    assert 1 <= deck["stats"]["size"] == len(deck["sentences"]) <= 20
    assert set(deck["sentences"][0]) == {"text", "original", "book", "chapter", "words"}
    assert deck["sentences"][0]["book"] == small_pdf_stem()
    for fmt in ("csv", "xlsx", "apkg", "txt"):
        answer = client.get(f"{API}/decks/{deck_id}/result?format={fmt}", headers=owner.headers)
        assert answer.status_code == 200 and answer.content
    apkg = client.get(f"{API}/decks/{deck_id}/result?format=apkg", headers=owner.headers)
    assert "collection.anki2" in zipfile.ZipFile(io.BytesIO(apkg.content)).namelist()
    assert [d["deck_id"] for d in client.get(f"{API}/decks", headers=owner.headers).json()] == [
        deck_id
    ]


def small_pdf_stem() -> str:
    return "bel-ami-3p"


def test_a_cover_deck_says_greedy_and_bound(
    client: TestClient, owner: Person, finished_job: str
) -> None:
    body = {"job_ids": [finished_job], "mode": "cover", "word_list": "fr-2k", "len_max": 12}
    deck_id = client.post(f"{API}/decks", json=body, headers=owner.headers).json()["deck_id"]
    stats = client.get(f"{API}/decks/{deck_id}/result", headers=owner.headers).json()["stats"]
    assert stats["mode"] == "cover"
    assert stats["lower_bound"] <= stats["size"] <= stats["greedy"]
    assert stats["covered"] == stats["coverable"]


def test_a_stranger_can_neither_use_my_job_nor_see_my_deck_or_list(
    client: TestClient, owner: Person, stranger: Person, finished_job: str
) -> None:
    mine = client.post(f"{API}/decks", json={"job_ids": [finished_job]}, headers=stranger.headers)
    assert mine.status_code == 404 and mine.json()["error"]["code"] == "JOB_NOT_FOUND"
    deck_id = client.post(
        f"{API}/decks", json={"job_ids": [finished_job], "target_count": 5}, headers=owner.headers
    ).json()["deck_id"]
    for method, route in (("GET", ""), ("GET", "/result"), ("POST", "/cancel")):
        answer = client.request(method, f"{API}/decks/{deck_id}{route}", headers=stranger.headers)
        assert answer.status_code == 404
    files = {"file": ("mots.txt", b"maison\nchien\n", "text/plain")}
    listed = client.post(f"{API}/decks/lists", files=files, headers=owner.headers).json()
    assert (
        client.get(f"{API}/decks/lists/{listed['list_id']}", headers=stranger.headers).status_code
        == 404
    )
    body = {"job_ids": [finished_job], "word_list": listed["word_list"]}
    refused = client.post(f"{API}/decks", json=body, headers=stranger.headers)
    assert refused.status_code == 404  # the job is not theirs, nor is the list


def test_my_word_list_is_normalised_with_a_report_and_usable_by_a_deck(
    client: TestClient, owner: Person, finished_job: str
) -> None:
    data = "mot\nMaison\nmaisons\n\u200bL’homme\nprendre|prit\ntout à coup\n".encode()
    files = {"file": ("mots.txt", data, "text/plain")}
    answer = client.post(f"{API}/decks/lists", files=files, headers=owner.headers)
    assert answer.status_code == 201, answer.text
    listed = answer.json()
    assert listed["entries"] == 4
    assert listed["report"]["duplicates"] == ["maisons"]
    assert listed["report"]["multi_word"] == ["tout à coup"]
    names = [w["word_list"] for w in client.get(f"{API}/decks/lists", headers=owner.headers).json()]
    assert names == ["fr-2k", "fr-3k", "fr-5k", listed["word_list"]]
    body = {"job_ids": [finished_job], "mode": "cover", "word_list": listed["word_list"]}
    deck_id = client.post(f"{API}/decks", json=body, headers=owner.headers).json()["deck_id"]
    stats = client.get(f"{API}/decks/{deck_id}/result", headers=owner.headers).json()["stats"]
    assert stats["list_size"] == 4


def test_bad_options_and_unfinished_work_are_refused_in_the_common_shape(
    client: TestClient, owner: Person, finished_job: str
) -> None:
    bad = client.post(
        f"{API}/decks", json={"job_ids": [finished_job], "mode": "shuffle"}, headers=owner.headers
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "INVALID_SETTINGS"
    unknown = client.post(f"{API}/decks", json={"job_ids": ["nope"]}, headers=owner.headers)
    assert unknown.status_code == 404
    deck_id = client.post(
        f"{API}/decks", json={"job_ids": [finished_job], "target_count": 5}, headers=owner.headers
    ).json()["deck_id"]
    done = client.post(f"{API}/decks/{deck_id}/cancel", headers=owner.headers)
    assert done.status_code == 409 and done.json()["error"]["code"] == "INVALID_JOB_STATUS"


def test_a_cancelled_deck_stays_cancelled_when_its_task_runs_later(
    sessions: sessionmaker[Session],
    settings: Settings,
    owner: Person,
    finished_job: str,
    make_settings: Callable[..., Settings],
) -> None:
    from frenchnovel.decks.build import DeckOptions

    with sessions() as session, session.begin():
        deck = decks.submit(
            session,
            user_id=owner.id,
            job_ids=[finished_job],
            options=DeckOptions(target_count=5),
            settings=settings,
        )
        deck_id = deck.id
    with sessions() as session, session.begin():
        decks.cancel(session, user_id=owner.id, deck_id=deck_id)
    assert run_deck(sessions, settings, deck_id) is None  # the task finds it taken
    with sessions() as session:
        row = session.get(Deck, deck_id)
        assert row is not None and row.status == "cancelled" and row.result_path is None


def test_an_old_deck_loses_its_file_and_a_stuck_one_fails_with_task_timeout(
    client: TestClient,
    sessions: sessionmaker[Session],
    settings: Settings,
    owner: Person,
    finished_job: str,
) -> None:
    from datetime import timedelta

    from frenchnovel.decks.build import DeckOptions
    from frenchnovel.storage.models import utcnow

    body = {"job_ids": [finished_job], "target_count": 5}
    old = client.post(f"{API}/decks", json=body, headers=owner.headers).json()["deck_id"]
    with sessions() as session, session.begin():
        stuck = decks.submit(
            session,
            user_id=owner.id,
            job_ids=[finished_job],
            options=DeckOptions(target_count=5),
            settings=settings,
        ).id
    later = utcnow() + timedelta(hours=settings.job_retention_hours + 1)
    with sessions() as session, session.begin():
        assert decks.purge_old(session, settings=settings, now=later) == [old]
        assert decks.reap_stuck(session, settings=settings, now=later) == [stuck]
    assert not (settings.storage_dir / "decks" / old).exists()
    result = client.get(f"{API}/decks/{old}/result", headers=owner.headers)
    assert result.status_code == 409
    view = client.get(f"{API}/decks/{stuck}", headers=owner.headers).json()
    assert view["status"] == "failed" and view["error"]["code"] == "TASK_TIMEOUT"
