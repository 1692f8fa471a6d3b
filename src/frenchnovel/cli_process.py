"""``frenchnovel process``: the whole pipeline in this process, with a progress bar on stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from frenchnovel.config import get_settings
from frenchnovel.errors import InputError, SettingsError
from frenchnovel.export import FORMATS, write_result
from frenchnovel.pipeline.document import process_document
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import ensure_engine_available

CLI_CHUNK_PAGES = 10
"""Chunk size when ``--chunk-size`` is not given: small chunks make a smooth progress bar and
keep every worker busy, and cost nothing since chunked output equals unchunked output."""


def run_process(
    file: Path,
    output: Path,
    *,
    settings: dict[str, Any],
    workers: int = 1,
    chunk_size: int | None = None,
    progress: bool = True,
) -> None:
    """Process ``file`` (PDF, EPUB or .txt) with the job ``settings`` and write ``output``.

    Bad input raises a ``FrenchNovelError`` (the CLI prints it as one line and exits 2).
    """
    if output.suffix.lower().lstrip(".") not in FORMATS:
        raise SettingsError(
            f"cannot write {output.name}: the output must end in .json, .csv, .xlsx or .txt"
        )
    if workers < 1 or (chunk_size is not None and chunk_size < 1):
        raise SettingsError("--workers and --chunk-size must be at least 1")
    if not file.is_file():
        raise InputError(f"no such file: {file}")
    options = JobOptions.parse(settings)
    app_settings = get_settings()
    ensure_engine_available(options, app_settings)
    bar = _ProgressBar(enabled=progress)
    try:
        result = process_document(
            file,
            options,
            settings=app_settings,
            workers=workers,
            chunk_size=chunk_size or CLI_CHUNK_PAGES,
            progress=bar.update,
        )
    finally:
        bar.close()
    write_result(result, output)
    stats = result.stats
    print(
        f"{stats.sentences} sentences ({stats.rewritten} of {stats.source_sentences} rewritten, "
        f"{stats.over_limit} over the word limit) "
        f"from {result.page_count} pages in {stats.seconds:.1f} s -> {output}",
        file=sys.stderr,
    )


class _ProgressBar:
    """tqdm over pages: pages done / total, rate and ETA, on stderr."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            from tqdm import tqdm  # type: ignore[import-untyped]

            self._bar = tqdm(total=total, unit="page", file=sys.stderr, dynamic_ncols=True)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
