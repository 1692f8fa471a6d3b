"""What is known about an upload before any database row exists: pages, estimate, chunk plan."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from frenchnovel.billing.pricing import credits_for, ocr_credits
from frenchnovel.config import Settings
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.words import estimate_tokens

DISPATCH_MODULE = "frenchnovel.worker.dispatch"


@dataclass(frozen=True, slots=True)
class Submission:
    """An uploaded, validated file and the server-side estimate of its cost."""

    job_id: str
    path: Path
    filename: str
    file_size: int
    file_sha256: str
    options: JobOptions
    page_count: int
    engine: str
    model: str
    estimated_tokens: int
    estimated_credits: int
    chunks: list[tuple[int, int]]
    is_async: bool


@dataclass(frozen=True, slots=True)
class Estimate:
    page_count: int
    characters: int
    tokens: int
    credits: int
    engine: str
    model: str
    is_async: bool
    ocr_pages: int = 0


def model_for(options: JobOptions, settings: Settings) -> str:
    """The model name a job will be priced and run with."""
    if options.engine == "gemini":
        return {
            "balanced": settings.gemini_model_balanced,
            "speed": settings.gemini_model_speed,
            "quality": settings.gemini_model_quality,
        }[options.model_preference]
    if options.engine == "openai":
        return settings.openai_model
    return "local"


def async_available() -> bool:
    """Whether the Celery dispatch is installed in this build."""
    return importlib.util.find_spec(DISPATCH_MODULE) is not None


def goes_async(page_count: int, settings: Settings, ocr_pages: int = 0) -> bool:
    """Large files, and scans of more than a few pages, go to the workers, unless async
    processing is off (or not built)."""
    from frenchnovel.pipeline.ocr_plan import OCR_SYNC_PAGES

    large = page_count > settings.chunking_threshold_pages or ocr_pages > OCR_SYNC_PAGES
    return settings.async_processing_enabled and large and async_available()


def estimate(path: Path, options: JobOptions, settings: Settings) -> Estimate:
    """Validate the file and estimate its cost (raises ``InputError`` for a bad file).

    The kind (PDF, EPUB or text) is read from the bytes, whatever the upload's name. The
    characters of every page are counted, so a file cannot hide its text from the estimate;
    the whole check holds PDFium once and is refused with ``PDF_TOO_COMPLEX`` past its budget
    (``PDF_CHECK_SECONDS_PER_PAGE`` × pages of CPU time, see ``pipeline.budget``). Pages to OCR
    cost one credit each, and the text they will yield is priced as any text.
    """
    from frenchnovel.pipeline.budget import CheckBudget
    from frenchnovel.pipeline.ocr_plan import estimate_ocr_pages, with_ocr_characters
    from frenchnovel.pipeline.pdfium_lock import PDFIUM
    from frenchnovel.pipeline.plan import estimate_characters
    from frenchnovel.pipeline.validate import validate_document

    budget = CheckBudget(settings.pdf_check_seconds_per_page)
    with PDFIUM:
        info = validate_document(
            path,
            max_bytes=settings.max_file_size_bytes,
            max_pages=settings.max_pages,
            budget=budget,
            ocr=options.ocr,
        )
        ocr_pages = estimate_ocr_pages(path, info.page_count, options.ocr)
        text_characters = estimate_characters(path, info.page_count, budget)
    characters = with_ocr_characters(text_characters, ocr_pages, options.ocr)
    tokens = estimate_tokens(characters)
    if options.engine != "local":
        # The LLM engines send only the sentences over the limit: price those requests.
        from frenchnovel.pipeline.rewrite.estimate import estimate_llm_document_tokens

        tokens = estimate_llm_document_tokens(
            path, options, batch_size=settings.llm_batch_size, characters=text_characters
        )
        # Text that only OCR will yield is not in the text layer it reads: priced whole (the
        # adjustment gives back what the long sentences alone did not use).
        tokens += estimate_tokens(characters - text_characters)
    model = model_for(options, settings)
    return Estimate(
        page_count=info.page_count,
        characters=characters,
        tokens=tokens,
        credits=credits_for(tokens, model) + ocr_credits(ocr_pages),
        engine=options.engine,
        model=model,
        is_async=goes_async(info.page_count, settings, ocr_pages),
        ocr_pages=ocr_pages,
    )


def prepare(
    *,
    job_id: str,
    path: Path,
    filename: str,
    file_size: int,
    file_sha256: str,
    options: JobOptions,
    settings: Settings,
) -> Submission:
    """Validate, estimate and plan an uploaded file (blocking: run it in a thread)."""
    from frenchnovel.pipeline.ocr_plan import ocr_chunk_pages
    from frenchnovel.pipeline.plan import plan_chunks

    cost = estimate(path, options, settings)
    if cost.is_async:
        size = ocr_chunk_pages(
            cost.ocr_pages,
            cost.page_count,
            workers=settings.max_workers,
            chunk_size=settings.chunk_size_pages,
        )
        chunks = plan_chunks(
            cost.page_count,
            threshold=min(settings.chunking_threshold_pages, size),
            chunk_size=size,
        )
    else:
        chunks = [(1, cost.page_count)]
    return Submission(
        job_id=job_id,
        path=path,
        filename=filename,
        file_size=file_size,
        file_sha256=file_sha256,
        options=options,
        page_count=cost.page_count,
        engine=cost.engine,
        model=cost.model,
        estimated_tokens=cost.tokens,
        estimated_credits=cost.credits,
        chunks=list(chunks),
        is_async=cost.is_async,
    )
