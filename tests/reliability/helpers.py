"""What the reliability tests share besides fixtures: people, uploads, files, losses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Losses:
    """What a test saw lost; the invariant fills ``unbalanced``, fault tests the rest."""

    stuck: int = 0
    files_left: int = 0
    unbalanced: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Person:
    """Someone with an account on the service."""

    id: int
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def upload(
    client: TestClient,
    person: Person | None,
    pdf: Path,
    path: str = "/api/v1/process-pdf",
    *,
    filename: str | None = None,
    **fields: Any,
) -> Any:
    """POST ``pdf`` as the multipart field ``pdf_file``, with settings ``fields``."""
    with pdf.open("rb") as handle:
        return client.post(
            path,
            headers=person.headers if person else {},
            files={"pdf_file": (filename or pdf.name, handle, "application/pdf")},
            data={k: str(v) for k, v in fields.items()},
        )


def files_in(directory: Path) -> list[Path]:
    """Every file under ``directory`` (none when it does not exist)."""
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []
