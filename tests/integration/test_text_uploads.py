"""Plain-text novels (``.txt``) through the HTTP API, as the README promises: estimated,
processed and stored as text; a binary file sent as text, or a text sent as a PDF, is refused."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from frenchnovel.storage import files
from frenchnovel.storage.local_store import LocalStore
from tests.support.people import Person

STORY = (
    "Le vieux meunier ouvrait sa porte chaque matin avant le lever du jour, et il saluait les "
    "voisins qui passaient sur la route avec leurs charrettes pleines de blé.\n\n"
    "Sa fille chantait dans la cour pendant que le vent faisait tourner les grandes ailes du "
    "moulin, et les enfants du village venaient l’écouter en silence.\n\n"
    "Un soir d’hiver, un voyageur frappa à la porte. Il avait froid."
)


def _send(
    client: TestClient,
    person: Person,
    content: bytes,
    filename: str,
    kind: str,
    path: str = "/api/v1/process-pdf",
) -> tuple[int, dict[str, object]]:
    answer = client.post(
        path, headers=person.headers, files={"pdf_file": (filename, content, kind)}
    )
    return answer.status_code, answer.json()


def test_a_text_novel_comes_back_as_short_sentences(client: TestClient, owner: Person) -> None:
    status, body = _send(client, owner, STORY.encode(), "meunier.txt", "text/plain")

    assert status == 200, body
    sentences = body["sentences"]
    assert isinstance(sentences, list) and len(sentences) > 4
    assert {s["page"] for s in sentences} == {1}
    assert any(s["rewritten"] for s in sentences)
    assert sentences[-1]["text"] == "Il avait froid."
    job = client.get(f"/api/v1/jobs/{body['job_id']}", headers=owner.headers).json()
    assert job["status"] == "completed" and job["filename"] == "meunier.txt"


def test_a_windows_1252_text_is_read_with_its_accents(client: TestClient, owner: Person) -> None:
    status, body = _send(client, owner, STORY.encode("cp1252"), "meunier.txt", "text/plain")

    assert status == 200, body
    texts = " ".join(s["text"] for s in body["sentences"])  # type: ignore[union-attr]
    assert "blé" in texts and "l’écouter" in texts


def test_a_text_is_estimated_like_a_pdf(client: TestClient, owner: Person) -> None:
    status, body = _send(
        client, owner, STORY.encode(), "meunier.txt", "text/plain", path="/api/v1/estimate"
    )

    assert status == 200, body
    assert body["pages"] == 1 and body["allowed"] is True
    assert int(body["estimated_credits"]) >= 1  # type: ignore[call-overload]


def test_a_text_sent_without_a_txt_name_but_as_text_plain_is_read(
    client: TestClient, owner: Person
) -> None:
    status, body = _send(client, owner, STORY.encode(), "meunier", "text/plain")

    assert status == 200, body


def test_a_binary_file_named_txt_is_refused(client: TestClient, owner: Person) -> None:
    status, body = _send(client, owner, b"\x7fELF\x00\x00" * 50, "roman.txt", "text/plain")

    assert status == 400 and body["error"]["code"] == "INVALID_PDF"  # type: ignore[index]


def test_a_text_sent_as_a_pdf_is_still_refused_as_not_a_pdf(
    client: TestClient, owner: Person
) -> None:
    status, body = _send(client, owner, STORY.encode(), "roman.pdf", "application/pdf")

    assert status == 400 and body["error"]["code"] == "INVALID_PDF"  # type: ignore[index]


def test_a_pdf_named_txt_is_read_as_the_pdf_it_is(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    status, body = _send(client, owner, small_pdf.read_bytes(), "roman.txt", "text/plain")

    assert status == 200, body
    assert body["page_count"] == 3


def test_workers_find_a_text_source_by_the_job_id(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, tmp_path / "scratch")
    assert files.find_source(store, "job") == "job/source.pdf"
    (tmp_path / "job").mkdir()
    (tmp_path / "job" / "source.txt").write_text(STORY, encoding="utf-8")

    assert files.find_source(store, "job") == "job/source.txt"


def test_the_page_lets_a_reader_choose_a_text_file(client: TestClient) -> None:
    page = client.get("/").text

    assert 'accept="application/pdf,.pdf,text/plain,.txt,application/epub+zip,.epub"' in page
