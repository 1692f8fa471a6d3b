"""Reading a page without a text layer: PDFium renders it, Tesseract's French model reads it.

The result is the page's lines with their boxes in PDF points, exactly what ``layout.read_page``
gives for a text layer, so an OCR'd page goes through the same furniture removal, paragraph
building and hyphenation as any other. A hyphen that ends a line becomes U+FFFE, PDFium's mark
for it, for the same reason.

Tesseract runs as one process per page (``pytesseract``) with one thread: the worker processes are
the parallelism (``OMP_THREAD_LIMIT=1`` unless the environment says otherwise); its French model
comes from Debian's ``tesseract-ocr-fra`` and nothing is ever downloaded.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import pypdfium2 as pdfium

from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.pipeline import probes
from frenchnovel.pipeline.layout import Line, RawPage
from frenchnovel.pipeline.normalize import SOFT_BREAK, normalize_text
from frenchnovel.pipeline.pdfium_lock import PDFIUM

OCR_DPI = 200
"""Rendering resolution. bench/ocr.py on 300-dpi scans of 7, 8.5 and 10.5 pt type read at 200,
300 and 400 dpi: the same character error rate (0.15–0.3 %) at each, and 200 dpi the cheapest
(0.76 pages/s per core against 0.54 at 300 and 0.35 at 400, 10.5 pt); see the README."""
MAX_PIXELS = 25_000_000
"""A page larger than this at ``OCR_DPI`` (a poster, a 30-inch page) is rendered smaller."""
LANGUAGE = "fra"
_CONFIG = "--psm 3 --oem 1"  # automatic page segmentation, the LSTM recogniser
_MIN_CONFIDENCE = 10.0  # Tesseract's word confidence (0-100) below which a "word" is noise
_MIN_LINE_CONFIDENCE = 60.0
"""A line's mean word confidence below this is letters seen in a picture (a cover, an ornament),
not text: body lines of the bench's scans, 200 dpi included, all score 85 or more."""
_CACHE_VERSION = 1


class OcrUnavailable(FrenchNovelError):
    """Tesseract or its French model is missing on this machine."""

    code = ErrorCode.PROCESSING_ERROR


def ocr_page(pdf: pdfium.PdfDocument, number: int, *, dpi: int = OCR_DPI) -> RawPage:
    """Page ``number`` (1-based) read by Tesseract, as lines in PDF points (y grows upward).

    PDFium is held only while rendering; Tesseract works without it.
    """
    with PDFIUM:
        try:
            page = pdf[number - 1]
        except (pdfium.PdfiumError, IndexError):
            return RawPage(number, (), 0.0, image_only=False)
        try:
            width, height = (float(v) for v in page.get_size())
            scale = _scale(width, height, dpi)
            image = page.render(scale=scale, grayscale=True).to_pil()
        except pdfium.PdfiumError:
            return RawPage(number, (), 0.0, image_only=False)
        finally:
            page.close()
    started = time.perf_counter()
    try:
        data = _tesseract(image)
    except Exception:
        probes.ocr_page("error", time.perf_counter() - started)
        raise
    probes.ocr_page("ok", time.perf_counter() - started)
    return RawPage(number, tuple(lines_from_data(data, scale, height)), height, image_only=True)


def _scale(width: float, height: float, dpi: int) -> float:
    scale = dpi / 72
    pixels = width * height * scale * scale
    if pixels > MAX_PIXELS:
        scale *= math.sqrt(MAX_PIXELS / pixels)
    return scale


def _tesseract(image: Any) -> dict[str, list[Any]]:
    import pytesseract  # type: ignore[import-untyped]

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data: dict[str, list[Any]] = pytesseract.image_to_data(
            image, lang=LANGUAGE, config=_CONFIG, output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable(
            "this server cannot read scanned pages: Tesseract is not installed"
        ) from None
    except pytesseract.TesseractError as exc:
        if "fra" in str(exc.message) and "load" in str(exc.message).lower():
            raise OcrUnavailable(
                "this server cannot read scanned pages: Tesseract's French model is missing"
            ) from None
        raise
    return data


def lines_from_data(data: dict[str, list[Any]], scale: float, page_height: float) -> list[Line]:
    """Tesseract's words grouped into its lines, boxes turned from pixels into PDF points; a
    line Tesseract is unsure of as a whole (a picture's shapes) is left out."""
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, text in enumerate(data["text"]):
        if str(text).strip() and float(data["conf"][i]) >= _MIN_CONFIDENCE:
            key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
            grouped.setdefault(key, []).append(i)
    lines: list[Line] = []
    for indices in grouped.values():  # dicts keep Tesseract's reading order
        if sum(float(data["conf"][i]) for i in indices) / len(indices) < _MIN_LINE_CONFIDENCE:
            continue
        text = normalize_text(" ".join(str(data["text"][i]).strip() for i in indices)).strip()
        if len(text) > 1 and text.endswith("-") and text[-2].isalpha():
            text = text[:-1] + SOFT_BREAK
        left = min(int(data["left"][i]) for i in indices)
        right = max(int(data["left"][i]) + int(data["width"][i]) for i in indices)
        top = min(int(data["top"][i]) for i in indices)
        bottom = max(int(data["top"][i]) + int(data["height"][i]) for i in indices)
        lines.append(
            Line(
                text,
                left / scale,
                right / scale,
                page_height - top / scale,
                page_height - bottom / scale,
            )
        )
    return lines


class PageStore(Protocol):
    """Where the OCR cache keeps its small files: a directory, or the job's prefix in the
    service's blob store (``storage.blobs.PageFiles``)."""

    def read(self, name: str) -> bytes | None: ...

    def write(self, name: str, data: bytes) -> None: ...


class DirectoryPages:
    """Page files in a local directory; writes are atomic (a temporary file renamed)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def read(self, name: str) -> bytes | None:
        try:
            return (self.directory / name).read_bytes()
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / name
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)


class OcrCache:
    """OCR'd pages of one document kept as small JSON files, shared by the chunks of a job.

    A chunk also reads a few pages beyond its range (paragraphs and running heads go on across
    pages); the cache lets the chunk that owns a page, or its neighbour, read it once. Each page
    is written whole (a renamed file, or one object), so concurrent chunks never see half a page.
    """

    def __init__(self, pages: Path | PageStore, *, dpi: int = OCR_DPI) -> None:
        self.pages = DirectoryPages(pages) if isinstance(pages, Path) else pages
        self.dpi = dpi

    @staticmethod
    def _name(number: int) -> str:
        return f"page-{number:05d}.json"

    def get(self, number: int) -> RawPage | None:
        raw = self.pages.read(self._name(number))
        try:
            data = json.loads(raw) if raw is not None else None
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        if data.get("version") != _CACHE_VERSION or data.get("dpi") != self.dpi:
            return None
        lines = tuple(Line(*line) for line in data["lines"])
        return RawPage(number, lines, float(data["height"]), image_only=True)

    def put(self, page: RawPage, *, seconds: float = 0.0) -> None:
        """Store an OCR'd page; ``seconds`` (what reading it took) is kept for the benchmarks."""
        data = {
            "version": _CACHE_VERSION,
            "dpi": self.dpi,
            "seconds": round(seconds, 3),
            "height": page.height,
            "lines": [_line_row(line) for line in page.lines],
        }
        self.pages.write(self._name(page.number), json.dumps(data, ensure_ascii=False).encode())


def _line_row(line: Line) -> Sequence[Any]:
    return [line.text, line.left, line.right, line.top, line.bottom]
