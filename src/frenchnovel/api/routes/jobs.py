"""A user's jobs: list, one job, its result in four formats, cancel."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from frenchnovel.api import downloads
from frenchnovel.api.deps import CurrentUser, PageNumber, SessionDep, SettingsDep, user_of
from frenchnovel.api.schemas import ErrorBody, JobPage, JobView
from frenchnovel.export import MEDIA_TYPES, render_result
from frenchnovel.jobs import queries, service
from frenchnovel.jobs.dispatch import revoke
from frenchnovel.pipeline.result import Result
from frenchnovel.storage.models import JobStatus

router = APIRouter(prefix="/jobs", tags=["jobs"])

ResultFormat = Literal["json", "csv", "xlsx", "txt"]
NOT_FOUND: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 404: {"model": ErrorBody}}


@router.get("", response_model=JobPage)
def list_jobs(
    user: CurrentUser,
    session: SessionDep,
    page: PageNumber = 1,
    per_page: int = Query(20, ge=1, le=100),
) -> JobPage:
    """Your jobs, newest first, ``per_page`` at a time."""
    with session.begin():
        jobs, total = queries.list_jobs(
            session, user_id=user.id, limit=per_page, offset=(page - 1) * per_page
        )
        return JobPage(
            jobs=[JobView.of(job) for job in jobs], total=total, page=page, per_page=per_page
        )


@router.get("/{job_id}", response_model=JobView, responses=NOT_FOUND)
def get_job(job_id: str, request: Request) -> Response:
    """One of your jobs: status, progress, estimate and actual cost, error if any."""
    # The route clients poll, made cheap: the token and the job are read in one transaction on
    # one pooled connection, in one worker thread, and the view is not validated twice.
    with request.app.state.sessions() as session, session.begin():
        user = user_of(session, request)
        view = JobView.of(queries.find_job(session, user_id=user.id, job_id=job_id))
    return Response(view.model_dump_json(), media_type="application/json")


@router.get(
    "/{job_id}/result",
    responses={**NOT_FOUND, 409: {"model": ErrorBody}},
    response_class=Response,
)
def get_result(
    job_id: str,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    format: ResultFormat = "json",
) -> Response:
    """The sentences of a completed job as ``json`` (default), ``csv``, ``xlsx`` or ``txt``:
    streamed, or a 307 to a short-lived URL of the object store when ``S3_PRESIGN_SECONDS`` is
    set."""
    with session.begin():
        job = queries.find_job(session, user_id=user.id, job_id=job_id)
    if job.status != JobStatus.COMPLETED.value:
        raise service.InvalidJobStatus(f"job {job_id} is {job.status}; no result yet")
    if job.result_path is None:
        raise service.InvalidJobStatus(
            f"the result of job {job_id} was removed after {settings.job_retention_hours} h"
        )
    stem = PurePath(job.filename or "result").stem or "result"
    return downloads.serve(
        settings,
        job.result_path,
        format,
        render=lambda data: render_result(Result.from_dict(json.loads(data)), format),
        filename=f"{stem}.{format}",
        media_type=MEDIA_TYPES[format],
    )


@router.post(
    "/{job_id}/cancel",
    response_model=JobView,
    responses={**NOT_FOUND, 409: {"model": ErrorBody}},
)
def cancel_job(
    job_id: str, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> JobView:
    """Cancel a pending or processing job; its credits come back once."""
    with session.begin():
        job = service.cancel(session, user_id=user.id, job_id=job_id)
        view = JobView.of(job)
    revoke(job_id, settings)
    return view
