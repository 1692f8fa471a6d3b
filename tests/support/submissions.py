"""A made-up submission: a job the service can take without a real upload behind it."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from frenchnovel.config import Settings
from frenchnovel.jobs.submission import Submission
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.storage.models import new_job_id


def made_up(
    settings: Settings,
    *,
    credits: int,
    chunks: Sequence[tuple[int, int]] = ((1, 3),),
    sha256: str | None = None,
) -> Submission:
    """A local-engine submission reserving ``credits``, of the page ``chunks`` given (async when
    there are several); its source path under ``STORAGE_DIR`` holds no file."""
    job_id = new_job_id()
    return Submission(
        job_id=job_id,
        path=settings.storage_dir / job_id / "source.pdf",
        filename="novel.pdf",
        file_size=1000,
        file_sha256=sha256 or secrets.token_hex(32),
        options=JobOptions(),
        page_count=chunks[-1][1],
        engine="local",
        model="local",
        estimated_tokens=credits * 1000,
        estimated_credits=credits,
        chunks=list(chunks),
        is_async=len(chunks) > 1,
    )
