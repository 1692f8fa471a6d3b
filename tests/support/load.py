"""Load for the reliability tests and the load bench: uploads sent from many threads, and a
probe that times ``/health`` and a poll while they wait."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.e2e.stack import Reader

PROBE_TIMEOUT = 10.0


@dataclass
class Probe:
    """``/health`` and a poll of one's credits, every 200 ms, timed, until stopped."""

    url: str
    reader: Reader
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=PROBE_TIMEOUT) as client:
            while not self.stop.is_set():
                for path, headers in (("/health", {}), ("/api/v1/me/credits", self.reader.headers)):
                    started = time.monotonic()
                    try:
                        status = client.get(path, headers=headers).status_code
                    except httpx.HTTPError as exc:
                        status = type(exc).__name__  # type: ignore[assignment]
                    self.seconds.append(time.monotonic() - started)
                    if status != 200:
                        self.failures.append(f"{path}: {status}")
                self.stop.wait(0.2)


def post_pdf(url: str, reader: Reader, pdf: Path, path: str, **fields: str) -> tuple[int, str]:
    """POST ``pdf`` to ``path``; the status and the error code (empty when none)."""
    with pdf.open("rb") as handle, httpx.Client(timeout=300) as client:
        answer = client.post(
            f"{url}{path}",
            headers=reader.headers,
            files={"pdf_file": (pdf.name, handle, "application/pdf")},
            data=fields,
        )
    code = answer.json().get("error", {}).get("code", "") if answer.status_code >= 400 else ""
    return answer.status_code, code
