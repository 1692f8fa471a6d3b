"""Submitting a PDF: ``POST /api/v1/process-pdf`` and ``POST /api/v1/estimate``."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from frenchnovel.api import metrics
from frenchnovel.api.deps import AuthenticatedUser, CurrentUser, SettingsDep
from frenchnovel.api.errors import JobFailed
from frenchnovel.api.schemas import AcceptedAnswer, ErrorBody, EstimateAnswer, ProcessedAnswer
from frenchnovel.billing import credits
from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode
from frenchnovel.jobs import service, submission
from frenchnovel.jobs.dispatch import enqueue
from frenchnovel.jobs.options import options_for
from frenchnovel.jobs.sync import run_sync_job
from frenchnovel.storage import files
from frenchnovel.storage.models import Job, JobStatus, new_job_id

router = APIRouter(tags=["processing"])

UPLOAD_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["pdf_file"],
                    "properties": {
                        "pdf_file": {"type": "string", "format": "binary"},
                        "sentence_length_limit": {"type": "integer", "minimum": 3, "maximum": 50},
                        "min_sentence_length": {"type": "integer", "minimum": 1, "maximum": 10},
                        "ignore_dialogue": {"type": "boolean"},
                        "preserve_formatting": {"type": "boolean"},
                        "fix_hyphenation": {"type": "boolean"},
                        "engine": {"type": "string", "enum": ["local", "gemini", "openai"]},
                        "model_preference": {
                            "type": "string",
                            "enum": ["balanced", "quality", "speed"],
                        },
                        "ocr": {"type": "string", "enum": ["auto", "off", "force"]},
                    },
                }
            }
        },
    }
}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 402, 413, 422, 429, 500, 502)
}
# A small file's job cancelled (``POST /jobs/{id}/cancel``) while its upload waits.
CANCELLED: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "JOB_CANCELLED: the job was cancelled"}
}


async def _receive(request: Request, settings: Settings, job_id: str) -> files.StoredUpload:
    return await files.receive_upload(
        request.headers.get("content-type"),
        request.headers.get("content-length"),
        request.stream(),
        files.source_path(settings.storage_dir, job_id),
        max_bytes=settings.max_file_size_bytes,
    )


def _submit(
    request: Request, user: AuthenticatedUser, upload: files.StoredUpload, job_id: str
) -> service.SubmitOutcome:
    settings: Settings = request.app.state.settings
    with request.app.state.sessions() as session:
        options = options_for(session, user.id, upload.fields, settings)
    prepared = submission.prepare(
        job_id=job_id,
        path=upload.path,
        filename=upload.filename,
        file_size=upload.size,
        file_sha256=upload.sha256,
        options=options,
        settings=settings,
    )
    with request.app.state.sessions() as session, session.begin():
        return service.submit(
            session,
            user_id=user.id,
            submission=prepared,
            settings=settings,
            api_instance_id=request.app.state.identity.id,
        )


def _answer_completed(job: Job, settings: Settings) -> ProcessedAnswer:
    assert job.result_path is not None
    result = files.read_result(settings.storage_dir, job.result_path).to_dict()
    return ProcessedAnswer(
        job_id=job.id,
        reused_from_job_id=job.reused_from_job_id,
        page_count=result["page_count"],
        sentences=result["sentences"],
        stats=result["stats"],
    )


@router.post(
    "/process-pdf",
    response_model=ProcessedAnswer,
    responses={202: {"model": AcceptedAnswer}, **ERRORS, **CANCELLED},
    openapi_extra=UPLOAD_FORM,
)
async def process_pdf(request: Request, user: CurrentUser, settings: SettingsDep) -> Any:
    """Upload a PDF or a plain-text novel (multipart field ``pdf_file``, a ``.txt`` name or
    ``text/plain`` for a text; optional settings fields) and process it.

    Files up to ``CHUNKING_THRESHOLD_PAGES`` pages are processed at once: 200 with the sentences.
    Larger ones become an asynchronous job: 202 with its ``job_id`` to follow. A small file's job
    cancelled while its upload waits answers 409 ``JOB_CANCELLED`` (its credits are refunded).
    """
    job_id = new_job_id()
    try:
        upload = await _receive(request, settings, job_id)
        outcome = await run_in_threadpool(_submit, request, user, upload, job_id)
    except BaseException:
        files.remove_job_files(settings.storage_dir, job_id)
        raise
    job = outcome.job
    if outcome.reused:
        files.remove_job_files(settings.storage_dir, job_id)
        metrics.JOBS_SUBMITTED.labels("reused").inc()
        return _answer_completed(job, settings)
    if job.is_async:
        metrics.JOBS_SUBMITTED.labels("async").inc()
        await run_in_threadpool(enqueue, job.id, request.app.state.sessions, settings)
        accepted = AcceptedAnswer(
            job_id=job.id,
            message=f"{job.page_count} pages: processing in {job.total_chunks} chunks",
            total_chunks=job.total_chunks,
        )
        return JSONResponse(accepted.model_dump(mode="json", by_alias=True), status_code=202)
    metrics.JOBS_SUBMITTED.labels("sync").inc()
    final = await run_in_threadpool(
        run_sync_job,
        job.id,
        sessions=request.app.state.sessions,
        settings=settings,
        rewriter_factory=request.app.state.rewriter_factory,
    )
    if final.status == JobStatus.COMPLETED.value:
        metrics.JOBS_COMPLETED.inc()
        return _answer_completed(final, settings)
    if final.status == JobStatus.CANCELLED.value:
        raise JobFailed(
            "the job was cancelled; its credits were refunded",
            code=ErrorCode.JOB_CANCELLED,
            job_id=final.id,
        )
    code = ErrorCode.__members__.get(final.error_code or "")
    metrics.JOBS_FAILED.labels(final.error_code or final.status).inc()
    raise JobFailed(
        final.error_message or f"the job ended {final.status}",
        code=code or ErrorCode.PROCESSING_ERROR,
        job_id=final.id,
    )


def _estimate(
    request: Request, user: AuthenticatedUser, upload: files.StoredUpload
) -> EstimateAnswer:
    settings: Settings = request.app.state.settings
    with request.app.state.sessions() as session, session.begin():
        options = options_for(session, user.id, upload.fields, settings)
        credits.ensure_monthly_grant(session, user.id, settings)
        balance = credits.balance(session, user.id)
    cost = submission.estimate(upload.path, options, settings)
    return EstimateAnswer(
        pages=cost.page_count,
        estimated_tokens=cost.tokens,
        estimated_credits=cost.credits,
        engine=cost.engine,
        model=cost.model,
        balance=balance,
        allowed=credits.affordable(balance, cost.credits, settings.credit_overdraft_floor),
        is_async=cost.is_async,
        ocr_pages=cost.ocr_pages,
    )


@router.post(
    "/estimate",
    response_model=EstimateAnswer,
    responses=ERRORS,
    openapi_extra=UPLOAD_FORM,
)
async def estimate(request: Request, user: CurrentUser, settings: SettingsDep) -> Any:
    """Pages, estimated tokens and credits of a PDF, the balance, and whether it may be submitted.

    Nothing is stored or charged.
    """
    scratch = f"estimate-{uuid.uuid4()}"
    try:
        upload = await _receive(request, settings, scratch)
        answer = await run_in_threadpool(_estimate, request, user, upload)
    finally:
        files.remove_job_files(settings.storage_dir, scratch)
    return JSONResponse(answer.model_dump(mode="json", by_alias=True))
