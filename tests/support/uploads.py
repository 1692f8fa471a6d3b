"""Submitting a PDF through the HTTP API, as a browser's form would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.support.people import Person


def upload(
    client: TestClient,
    person: Person | None,
    pdf: Path,
    path: str = "/api/v1/process-pdf",
    *,
    filename: str | None = None,
    **fields: Any,
) -> Any:
    """POST ``pdf`` as the multipart field ``pdf_file`` (named ``filename`` when given), with
    settings ``fields``; without a person, no credentials."""
    with pdf.open("rb") as handle:
        return client.post(
            path,
            headers=person.headers if person else {},
            files={"pdf_file": (filename or pdf.name, handle, "application/pdf")},
            data={k: str(v) for k, v in fields.items()},
        )
