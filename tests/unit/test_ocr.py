"""Scanned pages read by Tesseract's French model: small scans made here from rendered novels."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline import probes
from frenchnovel.pipeline.document import process_document
from frenchnovel.pipeline.layout import is_page_number
from frenchnovel.pipeline.ocr import OcrUnavailable, lines_from_data, ocr_page
from frenchnovel.pipeline.ocr_chunk import reading_order
from frenchnovel.pipeline.ocr_plan import estimate_ocr_pages, ocr_chunk_pages, with_ocr_characters
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.result import Result
from frenchnovel.pipeline.validate import validate_pdf
from tests.support.identity import IdentityRewriter
from tests.support.render import RenderedNovel, render_novel
from tests.support.scans import scan_pdf

LIMITS = {"max_bytes": 50 * 1024 * 1024, "max_pages": 2000}
WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> RenderedNovel:
    """Six A5 pages of Bel-Ami with running heads, « – 2 – » numbers and hyphenated words."""
    out = tmp_path_factory.mktemp("ocr") / "bel-ami-6.pdf"
    return render_novel(
        "maupassant", pages=6, out=out, page_numbers="dashes", corpus_text=corpus / "text"
    )


@pytest.fixture(scope="module")
def scan(printed: RenderedNovel) -> Path:
    """Those pages scanned at 300 dpi: turned a little, blurred, noisy, JPEG, no text layer."""
    return scan_pdf(printed.path, printed.path.with_name("scan.pdf"), dpi=300)


def read(path: Path, **options: object) -> Result:
    return process_document(
        path, JobOptions.parse(options), settings=Settings(), rewriter=IdentityRewriter()
    )


@pytest.fixture(scope="module")
def scanned(scan: Path) -> Result:
    return read(scan)


def recall(reference: list[str], text: str) -> float:
    found = WORD.findall(text)
    words = [w for ref in reference for w in WORD.findall(ref)]
    pool: dict[str, int] = {}
    for word in found:
        pool[word] = pool.get(word, 0) + 1
    hits = 0
    for word in words:
        if pool.get(word, 0) > 0:
            pool[word] -= 1
            hits += 1
    return hits / len(words)


def test_a_scan_is_read_by_ocr_when_it_has_no_text_layer(
    printed: RenderedNovel, scanned: Result
) -> None:
    text = " ".join(s.text for s in scanned.sentences)

    assert scanned.stats.ocr_pages == 6
    assert recall(printed.paragraphs, text) >= 0.97


def test_ocr_text_is_cleaned_like_a_text_layer(scanned: Result) -> None:
    texts = [s.text for s in scanned.sentences]

    assert not [t for t in texts if "\ufffe" in t]
    assert not [t for t in texts if "MAUPASSANT" in t or "Bel-Ami — roman" in t]
    assert not [t for t in texts if is_page_number(t)]  # « – 2 – » … « – 6 – »


def test_a_scan_in_chunks_over_two_processes_reads_as_the_whole(
    scan: Path, scanned: Result
) -> None:
    chunked = process_document(
        scan,
        JobOptions(),
        settings=Settings(),
        rewriter=IdentityRewriter(),
        workers=2,
        chunk_size=3,
    )

    assert [s.text for s in chunked.sentences] == [s.text for s in scanned.sentences]
    assert chunked.stats.ocr_pages == 6


def test_with_ocr_off_a_scan_is_refused_as_before(scan: Path) -> None:
    with pytest.raises(InputError) as caught:
        read(scan, ocr="off")
    assert caught.value.code == ErrorCode.NO_TEXT_LAYER


def test_a_drawing_without_text_or_image_is_still_refused_with_ocr_auto(corpus: Path) -> None:
    with pytest.raises(InputError) as caught:
        validate_pdf(corpus / "robustness" / "ocrmypdf_vector.pdf", **LIMITS, ocr="auto")
    assert caught.value.code == ErrorCode.NO_TEXT_LAYER


def test_ocr_force_reads_a_text_pdf_from_its_image(tmp_path: Path, corpus: Path) -> None:
    page = render_novel("verne", pages=1, out=tmp_path / "one.pdf", corpus_text=corpus / "text")

    forced = read(page.path, ocr="force")

    assert forced.stats.ocr_pages == 1
    assert recall(page.paragraphs, " ".join(s.text for s in forced.sentences)) >= 0.97


def test_a_text_pdf_is_not_ocrd_with_ocr_auto(printed: RenderedNovel) -> None:
    assert read(printed.path).stats.ocr_pages == 0
    assert estimate_ocr_pages(printed.path, 6, "auto") == 0


def test_the_estimate_counts_the_pages_to_ocr(scan: Path) -> None:
    assert estimate_ocr_pages(scan, 6, "auto") == 6
    assert estimate_ocr_pages(scan, 6, "force") == 6
    assert estimate_ocr_pages(scan, 6, "off") == 0


def test_forced_ocr_prices_the_text_once() -> None:
    assert with_ocr_characters(50_000, 20, "force") == 50_000
    assert with_ocr_characters(0, 20, "force") == 20 * 1800
    assert with_ocr_characters(50_000, 2, "auto") == 50_000 + 2 * 1800


def test_tesseract_lines_become_pdf_lines_with_the_hyphen_mark() -> None:
    data = {
        "text": ["Il", "regar-", "", "dait", "."],
        "conf": [95, 90, -1, 93, 2],
        "block_num": [1, 1, 1, 1, 1],
        "par_num": [1, 1, 1, 1, 1],
        "line_num": [1, 1, 1, 2, 2],
        "left": [100, 160, 0, 100, 300],
        "top": [200, 200, 0, 260, 260],
        "width": [50, 120, 0, 90, 5],
        "height": [40, 40, 0, 40, 5],
    }

    first, second = lines_from_data(data, scale=300 / 72, page_height=600.0)

    assert first.text == "Il regar\ufffe" and second.text == "dait"  # the speck is dropped
    assert first.left == pytest.approx(24.0) and first.right == pytest.approx(67.2)
    assert first.top == pytest.approx(552.0) and first.bottom == pytest.approx(542.4)


def test_a_chunk_reads_its_edges_first_for_its_neighbours() -> None:
    assert reading_order(1, 20)[:10] == [1, 2, 3, 4, 5, 16, 17, 18, 19, 20]
    assert sorted(reading_order(1, 20)) == list(range(1, 21))
    assert reading_order(3, 6) == [3, 4, 5, 6]
    assert reading_order(3, 6, page_count=12) == [3, 4, 5, 6, 1, 2, 7, 8, 9, 10, 11]


def test_a_scan_is_spread_evenly_over_the_workers() -> None:
    assert ocr_chunk_pages(50, 50, workers=2, chunk_size=50) == 25
    assert ocr_chunk_pages(400, 400, workers=4, chunk_size=50) == 50
    assert ocr_chunk_pages(0, 400, workers=4, chunk_size=50) == 50
    assert ocr_chunk_pages(6, 90, workers=2, chunk_size=50) == 50  # Candide's covers
    assert ocr_chunk_pages(3, 3, workers=4, chunk_size=50) == 1


def test_the_command_refuses_a_scan_with_ocr_off_in_one_line(scan: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "frenchnovel.cli",
            "process",
            str(scan),
            "-o",
            str(tmp_path / "o.json"),
            "--ocr",
            "off",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 2
    assert run.stderr.startswith("error: NO_TEXT_LAYER: ")


def test_ocr_force_accepts_a_drawing_that_auto_refuses(corpus: Path) -> None:
    vector = corpus / "robustness" / "ocrmypdf_vector.pdf"

    assert validate_pdf(vector, **LIMITS, ocr="force").page_count == 1


def test_a_server_without_the_french_model_says_so(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a folder without fra.traineddata

    with pytest.raises(OcrUnavailable) as caught:
        read(scan)
    assert "French model" in caught.value.message


class Heard:
    """A pipeline listener that keeps what it is told."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, float]] = []

    def llm_request(self, engine: str, model: str, outcome: str, tokens: int) -> None:
        raise AssertionError("no model is asked while a scan is read")

    def ocr_page(self, outcome: str, seconds: float) -> None:
        self.pages.append((outcome, seconds))


def test_each_page_tesseract_reads_is_told_to_the_pipelines_listener(scan: Path) -> None:
    heard = Heard()
    probes.install(heard)
    pdf = pdfium.PdfDocument(str(scan))
    try:
        page = ocr_page(pdf, 2)
    finally:
        pdf.close()
        probes.install(None)
    assert page.lines
    assert [outcome for outcome, _ in heard.pages] == ["ok"] and heard.pages[0][1] > 0
