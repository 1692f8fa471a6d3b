"""The merge of an asynchronous job: its chunks' sentences in page order, stored, then settled.

Idempotent: the result is written to the blob store whole, with the same content each time, and
the job's completion is a conditional UPDATE (``WHERE status = 'processing'``) followed by a ledger
adjustment with a unique key, so a second merge changes nothing and charges nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.jobs import service
from frenchnovel.pipeline.merge import merge_chunks
from frenchnovel.pipeline.result import ChunkResult
from frenchnovel.storage import files
from frenchnovel.storage.blobs import blob_store
from frenchnovel.storage.models import ChunkStatus, Job, JobChunk, JobStatus, utcnow


def merge_job(session: Session, *, job_id: str, settings: Settings) -> bool:
    """Merge a processing job whose chunks are all done and complete it; False when the job is
    not (or no longer) processing, e.g. cancelled, failed or already completed."""
    job = session.get(Job, job_id)
    if job is None or job.status != JobStatus.PROCESSING.value:
        return False
    chunks = session.scalars(
        select(JobChunk).where(JobChunk.job_id == job_id).order_by(JobChunk.index)
    ).all()
    missing = [c.index for c in chunks if c.status != ChunkStatus.COMPLETED.value or not c.result]
    if missing or not chunks:
        raise FrenchNovelError(
            f"cannot merge: chunks {missing} are not done", code=ErrorCode.CHUNK_PROCESSING_ERROR
        )
    result = merge_chunks(
        [ChunkResult.from_dict(c.result) for c in chunks if c.result],
        page_count=job.page_count,
        engine=job.engine,
        model=job.model,
    )
    if job.started_at is not None:
        # The wall time of the job, not the sum of its chunks' times spent in parallel.
        result.stats.seconds = round((utcnow() - job.started_at).total_seconds(), 3)
    result_path = files.write_result(blob_store(settings), job_id, result)
    return service.complete(
        session, job_id=job_id, result=result, result_path=result_path, settings=settings
    )
