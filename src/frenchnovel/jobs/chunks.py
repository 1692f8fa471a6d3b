"""Chunk rows: claimed and completed by conditional UPDATEs, so redelivered work does no harm."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from frenchnovel.pipeline.result import ChunkResult
from frenchnovel.storage.models import ChunkStatus, JobChunk, utcnow


def claim_chunk(session: Session, *, job_id: str, index: int, task_id: str | None = None) -> bool:
    """pending → processing for one chunk (the conditional UPDATE that claims the work)."""
    now = utcnow()
    changed = session.execute(
        update(JobChunk)
        .where(
            JobChunk.job_id == job_id,
            JobChunk.index == index,
            JobChunk.status == ChunkStatus.PENDING.value,
        )
        .values(
            status=ChunkStatus.PROCESSING.value,
            attempts=JobChunk.attempts + 1,
            started_at=now,
            task_id=task_id,
        )
    )
    return _one_row(changed)


def store_chunk(session: Session, *, job_id: str, index: int, chunk: ChunkResult) -> bool:
    """processing → completed for one chunk, with its sentences."""
    changed = session.execute(
        update(JobChunk)
        .where(
            JobChunk.job_id == job_id,
            JobChunk.index == index,
            JobChunk.status == ChunkStatus.PROCESSING.value,
        )
        .values(status=ChunkStatus.COMPLETED.value, finished_at=utcnow(), result=chunk.to_dict())
    )
    return _one_row(changed)


def _one_row(result: Any) -> bool:
    return bool(getattr(result, "rowcount", 0) == 1)
