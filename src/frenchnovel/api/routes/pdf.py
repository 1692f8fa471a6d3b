"""Submitting a PDF: ``POST /api/v1/process-pdf`` and ``POST /api/v1/estimate``."""

from __future__ import annotations

import logging
import uuid
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from frenchnovel.api import metrics
from frenchnovel.api.deps import AuthenticatedUser, CurrentUser, SettingsDep
from frenchnovel.api.errors import JobFailed
from frenchnovel.api.gates import ServerBusy, gates_of
from frenchnovel.api.schemas import AcceptedAnswer, ErrorBody, EstimateAnswer, ProcessedAnswer
from frenchnovel.api.throttle import EstimateThrottle
from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.jobs import admission, service, submission
from frenchnovel.jobs.dispatch import enqueue
from frenchnovel.jobs.options import options_for
from frenchnovel.jobs.sync import run_sync_job
from frenchnovel.observe import logs
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.storage import files
from frenchnovel.storage.blobs import BlobStore, StorageError, blob_store
from frenchnovel.storage.models import Job, JobStatus, new_job_id

log = logging.getLogger(__name__)
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
    code: {"model": ErrorBody} for code in (400, 401, 402, 413, 422, 429, 500, 502, 503)
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
        files.upload_path(blob_store(settings), job_id),
        max_bytes=settings.max_file_size_bytes,
    )


def _admit(
    request: Request, user: AuthenticatedUser, upload: files.StoredUpload, job_id: str
) -> admission.Upload:
    """The user's limits, before any page is read; the job exists from here on."""
    settings: Settings = request.app.state.settings
    with request.app.state.sessions() as session:
        options = options_for(session, user.id, upload.fields, settings)
    admitted = admission.Upload(job_id, upload.filename, upload.size, upload.sha256, options)
    with request.app.state.sessions() as session, session.begin():
        admission.admit(
            session,
            user_id=user.id,
            upload=admitted,
            settings=settings,
            api_instance_id=request.app.state.identity.id,
        )
    return admitted


def _prepare(upload: admission.Upload, path: Path, settings: Settings) -> submission.Submission:
    return submission.prepare(
        job_id=upload.job_id,
        path=path,
        filename=upload.filename,
        file_size=upload.file_size,
        file_sha256=upload.file_sha256,
        options=upload.options,
        settings=settings,
    )


def _open(request: Request, prepared: submission.Submission) -> service.SubmitOutcome:
    settings: Settings = request.app.state.settings
    with request.app.state.sessions() as session, session.begin():
        return admission.open_job(session, submission=prepared, settings=settings)


def _refuse(request: Request, job_id: str, exc: BaseException) -> None:
    code, message = ErrorCode.PROCESSING_ERROR, "the upload could not be checked"
    if isinstance(exc, FrenchNovelError):
        code, message = exc.code, exc.message
    with request.app.state.sessions() as session, session.begin():
        # Busy before its check: not the sender's doing, it does not count. Busy after: refunded.
        if not (isinstance(exc, ServerBusy) and admission.withdraw(session, job_id=job_id)):
            admission.refuse(session, job_id=job_id, code=code, message=message)


async def _submit(
    request: Request, user: AuthenticatedUser, upload: files.StoredUpload, job_id: str
) -> service.SubmitOutcome:
    """Admit the upload, check its file in the checks' gate, open the job, then keep the file in
    the store (not for a job answered by a finished twin). A store that refuses the file fails
    the job, refunded: 503 ``STORAGE_UNAVAILABLE``."""
    settings: Settings = request.app.state.settings
    admitted = await run_in_threadpool(_admit, request, user, upload, job_id)
    try:
        prepared = await gates_of(request).checks.run(_prepare, admitted, upload.path, settings)
        outcome = await run_in_threadpool(_open, request, prepared)
        if not outcome.reused:
            await run_in_threadpool(files.keep_source, blob_store(settings), job_id, upload.path)
        return outcome
    except Exception as exc:
        await run_in_threadpool(_refuse, request, job_id, exc)
        raise


def _discard(store: BlobStore, job_id: str) -> None:
    """Remove a refused upload; a store that fails here leaves it to the hourly cleanup."""
    try:
        files.discard(store, job_id)
    except StorageError:
        log.warning("the files of job %s are left to the cleanup: the store refused", job_id)


def _answer_completed(job: Job, settings: Settings) -> JSONResponse:
    """The 200 answer, built in a thread (run it there): a result of 50 pages is thousands of
    sentences to read, check and encode, work that would hold up the event loop."""
    assert job.result_path is not None
    result = files.read_result(blob_store(settings), job.result_path).to_dict()
    answer = ProcessedAnswer(
        job_id=job.id,
        reused_from_job_id=job.reused_from_job_id,
        page_count=result["page_count"],
        sentences=result["sentences"],
        chapters=result["chapters"],
        front_matter=result["front_matter"],
        back_matter=result["back_matter"],
        stats=result["stats"],
    )
    return JSONResponse(answer.model_dump(mode="json", by_alias=True))


@router.post(
    "/process-pdf",
    response_model=ProcessedAnswer,
    responses={202: {"model": AcceptedAnswer}, **ERRORS, **CANCELLED},
    openapi_extra=UPLOAD_FORM,
)
async def process_pdf(request: Request, user: CurrentUser, settings: SettingsDep) -> Any:
    """Upload a PDF, an EPUB or a plain-text novel (multipart field ``pdf_file``; the kind is read
    from the content, a text by its ``.txt`` name or ``text/plain``; optional settings fields) and
    process it.

    Files up to ``CHUNKING_THRESHOLD_PAGES`` pages are processed at once: 200 with the sentences.
    Larger ones become an asynchronous job: 202 with its ``job_id`` to follow. A small file's job
    cancelled while its upload waits answers 409 ``JOB_CANCELLED`` (its credits are refunded).

    Your hourly limit and your cap on jobs at once are checked before the file is read (429
    ``RATE_LIMITED``, ``TOO_MANY_JOBS``); from then on the upload is a job, and a file refused
    by its check stays in your list as a failed job that cost nothing. A check may use
    ``PDF_CHECK_SECONDS_PER_PAGE`` of CPU per page (422 ``PDF_TOO_COMPLEX`` past it); 429
    ``SERVER_BUSY`` (``Retry-After``) when too many uploads already wait.
    """
    job_id = new_job_id()
    store = blob_store(settings)
    logs.bind(job_id=job_id, user_id=user.id)
    try:
        gates_of(request).checks.ensure_room()
        upload = await _receive(request, settings, job_id)
        outcome = await _submit(request, user, upload, job_id)
    except BaseException:
        await run_in_threadpool(_discard, store, job_id)
        raise
    job = outcome.job
    if outcome.reused:
        await run_in_threadpool(store.remove_staging, job_id)
        metrics.JOBS_SUBMITTED.labels("reused").inc()
        return await run_in_threadpool(_answer_completed, job, settings)
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
    run = partial(
        run_sync_job,
        job.id,
        sessions=request.app.state.sessions,
        settings=settings,
        rewriter_factory=request.app.state.rewriter_factory,
    )
    try:
        final = await gates_of(request).processing.run(run)
    except ServerBusy as exc:
        await run_in_threadpool(_refuse, request, job.id, exc)
        await run_in_threadpool(_discard, store, job.id)
        raise
    if final.status == JobStatus.COMPLETED.value:
        metrics.JOBS_COMPLETED.inc()
        return await run_in_threadpool(_answer_completed, final, settings)
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


def _options_and_balance(
    request: Request, user: AuthenticatedUser, upload: files.StoredUpload
) -> tuple[JobOptions, int]:
    settings: Settings = request.app.state.settings
    with request.app.state.sessions() as session, session.begin():
        options = options_for(session, user.id, upload.fields, settings)
        return options, admission.balance(session, user_id=user.id, settings=settings)


@router.post(
    "/estimate",
    response_model=EstimateAnswer,
    responses=ERRORS,
    openapi_extra=UPLOAD_FORM,
)
async def estimate(request: Request, user: CurrentUser, settings: SettingsDep) -> Any:
    """Pages, estimated tokens and credits of a PDF, the balance, and whether it may be submitted.

    Nothing is stored or charged. Limited per user like submissions: ``RATE_LIMIT_ESTIMATES`` an
    hour and ``MAX_CONCURRENT_JOBS_PER_USER`` at once (429 ``RATE_LIMITED``); 429
    ``SERVER_BUSY`` when too many files already wait for their check.
    """
    throttle: EstimateThrottle = request.app.state.estimate_throttle
    checks = gates_of(request).checks
    checks.ensure_room()
    scratch = f"estimate-{uuid.uuid4()}"
    with throttle.admitted(user.id):
        try:
            upload = await _receive(request, settings, scratch)
            options, balance = await run_in_threadpool(_options_and_balance, request, user, upload)
            cost = await checks.run(submission.estimate, upload.path, options, settings)
        finally:
            await run_in_threadpool(blob_store(settings).remove_staging, scratch)
    answer = EstimateAnswer(
        pages=cost.page_count,
        estimated_tokens=cost.tokens,
        estimated_credits=cost.credits,
        engine=cost.engine,
        model=cost.model,
        balance=balance,
        allowed=admission.affordable(balance, cost.credits, settings),
        is_async=cost.is_async,
        ocr_pages=cost.ocr_pages,
    )
    return JSONResponse(answer.model_dump(mode="json", by_alias=True))
