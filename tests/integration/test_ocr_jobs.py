"""A scanned PDF through the API: read by OCR, estimated and charged by the page, or refused."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from frenchnovel.billing.pricing import credits_for, ocr_credits
from tests.integration.pdfs import french_paragraphs, render_pdf
from tests.support.people import Person
from tests.support.scans import scan_pdf
from tests.support.uploads import upload


@pytest.fixture(scope="session")
def scanned_page(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One page of Bel-Ami, printed, then scanned at 300 dpi: an image and no text layer."""
    folder = tmp_path_factory.mktemp("scans")
    printed = render_pdf(french_paragraphs(corpus, count=3), folder / "printed.pdf", pages=1)
    return scan_pdf(printed, folder / "scanned.pdf", dpi=300)


def _balance(client: TestClient, person: Person) -> int:
    return int(client.get("/api/v1/me/credits", headers=person.headers).json()["balance"])


def test_a_scanned_page_is_read_and_charged_one_credit_more_than_its_text(
    client: TestClient, owner: Person, scanned_page: Path
) -> None:
    estimate = upload(client, owner, scanned_page, "/api/v1/estimate").json()
    before = _balance(client, owner)

    answer = upload(client, owner, scanned_page)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["stats"]["ocr_pages"] == 1 and body["stats"]["image_only_pages"] == 1
    words = " ".join(s["text"] for s in body["sentences"]).split()
    assert len(words) > 100 and "Notre-Dame-de-Lorette." in words
    job = client.get(f"/api/v1/jobs/{body['job_id']}", headers=owner.headers).json()
    text_credits = credits_for(math.ceil(job["actual_tokens"]), "local")
    assert job["actual_credits"] == text_credits + ocr_credits(1)
    assert estimate["ocr_pages"] == 1
    assert estimate["estimated_credits"] == job["estimated_credits"] >= ocr_credits(1) + 1
    assert _balance(client, owner) == before - job["actual_credits"]


def test_with_ocr_off_a_scan_is_refused_and_costs_nothing(
    client: TestClient, owner: Person, scanned_page: Path
) -> None:
    before = _balance(client, owner)

    answer = upload(client, owner, scanned_page, ocr="off")

    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "NO_TEXT_LAYER"
    assert _balance(client, owner) == before


def test_an_unknown_ocr_choice_is_refused(
    client: TestClient, owner: Person, scanned_page: Path
) -> None:
    answer = upload(client, owner, scanned_page, ocr="sometimes")

    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "INVALID_SETTINGS"
