"""A scanned novel through the real service: OCR inside the chunks, on two worker processes."""

from __future__ import annotations

from pathlib import Path

from frenchnovel.billing.pricing import credits_for, ocr_credits
from tests.e2e.stack import Stack, read_events
from tests.support.render import render_novel
from tests.support.scans import scan_pdf


def test_a_six_page_scan_is_read_by_ocr_in_chunks_on_the_workers_and_charged_by_the_page(
    sqlite_stack: Stack, tmp_path: Path
) -> None:
    printed = render_novel("maupassant", pages=6, out=tmp_path / "printed.pdf")
    scan = scan_pdf(printed.path, tmp_path / "scan.pdf", dpi=300)
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker()

    answer = sqlite_stack.submit(owner, scan)

    assert answer.status_code == 202, answer.text  # a scan of more than a few pages is async
    job_id = answer.json()["job_id"]
    stream = f"{sqlite_stack.api_url}/api/v1/jobs/{job_id}/events?token={owner.token}"
    received = read_events(stream, timeout=300)
    assert received[-1][0] == "completed", received[-1]
    assert "ocr" in [data["current_step"] for _, data in received]
    chunks = sqlite_stack.chunks(job_id)
    assert [(c.first_page, c.last_page) for c in chunks] == [(1, 3), (4, 6)]  # MAX_WORKERS=2
    words = " ".join(s["text"] for s in sqlite_stack.sentences(owner, job_id)).split()
    assert len(words) > 0.95 * len(printed.words())
    job = sqlite_stack.job(owner, job_id)
    assert job["actual_credits"] == credits_for(job["actual_tokens"], "local") + ocr_credits(6)
