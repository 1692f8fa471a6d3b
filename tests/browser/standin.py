"""A tiny stand-in for the HTTP API, to develop the page without the service.

Run: ``.venv/bin/python tests/browser/standin.py PORT TOKEN``. It keeps jobs in memory, counts
pages with PDFium, cuts the text at full stops, and fakes the progress of large files. The
browser tests themselves run against the real service, never this.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import uvicorn
from fastapi import FastAPI, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parents[2] / "src" / "frenchnovel" / "web" / "static"
THRESHOLD = 50
TOKEN = sys.argv[2] if len(sys.argv) > 2 else "secret"

app = FastAPI()
jobs: dict[str, dict[str, Any]] = {}
results: dict[str, list[dict[str, Any]]] = {}
balance = {"value": 10_000}


class Problem(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        self.code, self.message, self.status = code, message, status


@app.exception_handler(Problem)
async def problem(_: Request, exc: Problem) -> JSONResponse:
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, exc.status)


@app.middleware("http")
async def auth(request: Request, call_next: Any) -> Any:
    if request.url.path.startswith("/api/") and request.headers.get("authorization") != (
        f"Bearer {TOKEN}"
    ):
        return JSONResponse({"error": {"code": "UNAUTHORIZED", "message": "bad token"}}, 401)
    return await call_next(request)


def now() -> str:
    return datetime.now(UTC).isoformat()


def read_pdf(data: bytes) -> list[str]:
    if not data.startswith(b"%PDF-"):
        raise Problem("INVALID_PDF", "not a PDF (no %PDF- header)", 422)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = "ENCRYPTED_PDF" if "password" in str(exc).lower() else "INVALID_PDF"
        raise Problem(code, f"PDFium cannot open it: {exc}", 422) from None
    pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    if not any(p.strip() for p in pages):
        raise Problem("NO_TEXT_LAYER", "no page has text", 422)
    return pages


def sentences_of(pages: list[str]) -> list[dict[str, Any]]:
    out = []
    for number, text in enumerate(pages, start=1):
        for piece in text.replace("\r", " ").replace("\n", " ").split(". "):
            if piece.strip():
                out.append(
                    {
                        "text": piece.strip() + ".",
                        "original": piece.strip() + ".",
                        "page": number,
                        "rewritten": len(piece.split()) > 8,
                    }
                )
    return [{"index": i, **s} for i, s in enumerate(out)]


@app.get("/api/v1/me/credits")
def credits() -> dict[str, Any]:
    return {"balance": balance["value"]}


@app.get("/api/v1/settings")
def get_settings() -> dict[str, Any]:
    return {"sentence_length_limit": 8, "min_sentence_length": 2, "engine": "local"}


@app.put("/api/v1/settings")
async def put_settings(request: Request) -> dict[str, Any]:
    return dict(await request.json())


@app.post("/api/v1/estimate")
async def estimate(pdf_file: UploadFile) -> dict[str, Any]:
    pages = read_pdf(await pdf_file.read())
    tokens = sum(len(p) for p in pages) // 4
    credits = max(1, tokens // 1000)
    return {
        "pages": len(pages),
        "estimated_tokens": tokens,
        "estimated_credits": credits,
        "balance": balance["value"],
        "allowed": credits <= balance["value"],
    }


@app.post("/api/v1/process-pdf")
async def process(pdf_file: UploadFile, sentence_length_limit: int = Form(8)) -> Response:
    pages = read_pdf(await pdf_file.read())
    job_id = str(uuid.uuid4())
    job = {
        "id": job_id,
        "status": "processing",
        "filename": pdf_file.filename,
        "total_chunks": max(1, -(-len(pages) // 25)),
        "completed_chunks": 0,
        "progress_percent": 0,
        "current_step": "queued",
        "created_at": now(),
        "started_at": now(),
        "finished_at": None,
        "error_code": None,
        "error_message": None,
    }
    jobs[job_id] = job
    results[job_id] = sentences_of(pages)
    if len(pages) <= THRESHOLD:
        job.update(
            status="completed",
            completed_chunks=1,
            progress_percent=100,
            current_step="done",
            finished_at=now(),
        )
        return JSONResponse({"job_id": job_id, "status": "completed", "sentences": results[job_id]})
    threading.Thread(target=advance, args=(job,), daemon=True).start()
    return JSONResponse(
        {
            "job_id": job_id,
            "status": "processing",
            "async": True,
            "message": "Large file detected.",
        },
        202,
    )


def advance(job: dict[str, Any]) -> None:
    while job["completed_chunks"] < job["total_chunks"] and job["status"] == "processing":
        time.sleep(1.5)
        if job["status"] != "processing":
            return
        job["completed_chunks"] += 1
        job["progress_percent"] = round(100 * job["completed_chunks"] / job["total_chunks"])
        job["current_step"] = f"chunk {job['completed_chunks']} of {job['total_chunks']}"
    if job["status"] == "processing":
        job.update(status="completed", current_step="done", finished_at=now())


def find(job_id: str) -> dict[str, Any]:
    if job_id not in jobs:
        raise Problem("JOB_NOT_FOUND", "no such job", 404)
    return jobs[job_id]


@app.get("/api/v1/jobs")
def list_jobs(page: int = 1, per_page: int = 10) -> dict[str, Any]:
    items = sorted(jobs.values(), key=lambda j: j["created_at"], reverse=True)
    start = (page - 1) * per_page
    return {"jobs": items[start : start + per_page], "total": len(items), "page": page}


@app.get("/api/v1/jobs/{job_id}")
def get_job(job_id: str) -> dict[str, Any]:
    return find(job_id)


@app.post("/api/v1/jobs/{job_id}/cancel")
def cancel(job_id: str) -> dict[str, Any]:
    job = find(job_id)
    if job["status"] not in ("pending", "processing"):
        raise Problem("INVALID_JOB_STATUS", f"job is {job['status']}", 409)
    job.update(status="cancelled", current_step="cancelled", finished_at=now())
    return job


@app.get("/api/v1/jobs/{job_id}/result")
def result(job_id: str, format: str = "json") -> Response:
    find(job_id)
    rows = results[job_id]
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, ["index", "text", "original", "page", "rewritten"])
        writer.writeheader()
        writer.writerows(rows)
        return Response(
            buffer.getvalue(),
            media_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="result.csv"'},
        )
    return JSONResponse({"sentences": rows, "page_count": 0, "stats": {}})


@app.get("/api/v1/jobs/{job_id}/events")
async def events(job_id: str) -> StreamingResponse:
    job = find(job_id)

    async def stream() -> AsyncIterator[str]:
        last = None
        while True:
            snapshot = json.dumps(job)
            if snapshot != last:
                kind = job["status"] if job["status"] != "processing" else "progress"
                yield f"event: {kind}\ndata: {snapshot}\n\n"
                last = snapshot
            if job["status"] in ("completed", "failed", "cancelled"):
                return
            await asyncio.sleep(0.3)

    return StreamingResponse(stream(), media_type="text/event-stream")


app.mount("/", StaticFiles(directory=STATIC, html=True), name="static")

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 5077)
