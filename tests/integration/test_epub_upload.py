"""An EPUB through the HTTP API: the same field as a PDF, its kind read from its bytes."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support.epubs import build_by_hand, small_book
from tests.support.people import Person
from tests.support.uploads import upload


@pytest.fixture
def small_epub(tmp_path: Path) -> Path:
    return build_by_hand(small_book(), tmp_path / "livre.epub")


def test_an_epub_sent_as_pdf_file_under_any_name_is_read_as_a_book(
    client: TestClient, owner: Person, small_epub: Path
) -> None:
    answer = upload(client, owner, small_epub, filename="scan.pdf", sentence_length_limit=8)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [c["title"] for c in body["chapters"]] == [
        "Chapitre premier",
        "Chapitre II",
        "Chapitre III",
    ]
    assert [c["part"] for c in body["chapters"]][-1] == "Deuxième partie"
    assert {s["chapter"] for s in body["sentences"]} == {1, 2, 3}
    assert "Anne Exemple" in body["front_matter"]
    assert "À propos de cette édition électronique" in body["back_matter"]
    assert body["sentences"][0]["original"].startswith("Le matin, Paul ouvrit la fenêtre")


def test_the_csv_of_an_epub_has_the_chapter_column(
    client: TestClient, owner: Person, small_epub: Path
) -> None:
    job_id = upload(client, owner, small_epub).json()["job_id"]

    answer = client.get(f"/api/v1/jobs/{job_id}/result?format=csv", headers=owner.headers)

    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert rows[0]["chapter"] == "1" and rows[-1]["chapter"] == "3"
    result = client.get(f"/api/v1/jobs/{job_id}/result", headers=owner.headers).json()
    assert len(result["chapters"]) == 3


def test_an_epub_escaping_its_archive_is_refused_with_its_code(
    client: TestClient, owner: Person, tmp_path: Path
) -> None:
    path = tmp_path / "evil.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("../../etc/cron.d/evil", "* * * * * root true")

    answer = upload(client, owner, path)

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "UNSAFE_EPUB_PATH"


def test_a_zip_bomb_is_refused_as_too_large(
    client: TestClient, owner: Person, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.epub"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("OEBPS/bomb.xhtml", b"\0" * (24 * 1024 * 1024))

    answer = upload(client, owner, path)

    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "EPUB_TOO_LARGE"
