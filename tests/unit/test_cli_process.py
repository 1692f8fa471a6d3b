"""``frenchnovel process``: real runs of the command, as a reader would type it."""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import CORPUS

GIB = 1024**3
EXPECTED_ERRORS = {
    "qpdf_bad1.pdf": "INVALID_PDF",
    "ocrmypdf_typewriter_PNG-renamed-to.pdf": "INVALID_PDF",
    "ocrmypdf_invalid.pdf": "INVALID_PDF",
    "qpdf_fuzz-16214.pdf": "INVALID_PDF",
    "qpdf_deep-pages.pdf": "INVALID_PDF",
    "qpdf_empty.pdf": "EMPTY_PDF",
    "pypdf_r4-aes-user-password.pdf": "ENCRYPTED_PDF",
    "ocrmypdf_no_contents.pdf": "NO_TEXT_LAYER",
    "ocrmypdf_vector.pdf": "NO_TEXT_LAYER",
    # ocrmypdf_enormous.pdf, a 30-inch page holding one image, is read by OCR (ocr=auto)
    "ocrmypdf_type3_font_nomapping.pdf": "NO_TEXT_LAYER",
    "qpdf_append-xref-loop.pdf": "NO_TEXT_LAYER",
}
ROBUSTNESS = sorted(p.name for p in (CORPUS / "robustness").glob("*.pdf"))


def frenchnovel(
    *args: str | Path, memory: int | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the installed command in a fresh process, optionally under an address-space limit."""

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "frenchnovel.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
        check=False,
    )


@pytest.fixture(scope="module")
def candide_outputs(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, str]]:
    """Candide processed into JSON, CSV and XLSX by three runs of the command at once."""
    out = tmp_path_factory.mktemp("candide")
    pdf = corpus / "pdf" / "voltaire_candide_ligaran2015.pdf"
    # The JSON run rewrites with the default limit; the others only check the file formats, so a
    # high limit keeps them cheap.
    limits = {"json": "8", "csv": "50", "xlsx": "50"}
    runs = {
        fmt: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "frenchnovel.cli",
                "process",
                str(pdf),
                "-o",
                str(out / f"candide.{fmt}"),
                "--word-limit",
                limit,
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for fmt, limit in limits.items()
    }
    outputs = {}
    for fmt, run in runs.items():
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
        outputs[fmt] = (out / f"candide.{fmt}", stderr)
    return outputs


def test_candide_becomes_a_json_result(candide_outputs: dict[str, tuple[Path, str]]) -> None:
    path, _ = candide_outputs["json"]
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["page_count"] == 90
    assert data["stats"]["image_only_pages"] == 5
    assert data["stats"]["engine"] == "local"
    assert len(data["sentences"]) == data["stats"]["sentences"] > 1000
    assert [s["index"] for s in data["sentences"]] == list(range(len(data["sentences"])))
    assert any(s["rewritten"] for s in data["sentences"])


def test_candide_becomes_a_csv_and_an_xlsx_with_the_same_sentences(
    candide_outputs: dict[str, tuple[Path, str]],
) -> None:
    with candide_outputs["csv"][0].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = ("index", "text", "original", "page", "rewritten", "over_limit", "chapter")
    assert tuple(rows[0]) == columns
    # page 1 is the cover, an image that OCR reads (ocr=auto); the text layer starts on page 5
    assert len(rows) > 1000 and rows[0]["page"] in ("1", "5")
    assert min(int(row["page"]) for row in rows if int(row["page"]) > 4) == 5
    sheet = load_workbook(candide_outputs["xlsx"][0], read_only=True)["sentences"]
    texts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert texts == [row["text"] for row in rows]


def test_the_progress_bar_shows_pages_rate_and_eta_on_stderr(
    candide_outputs: dict[str, tuple[Path, str]],
) -> None:
    _, stderr = candide_outputs["json"]
    assert "90/90" in stderr and "page/s" in stderr
    assert "sentences" in stderr.splitlines()[-1]


def test_a_file_that_is_not_a_pdf_is_one_line_of_error_and_status_2(
    corpus: Path, tmp_path: Path
) -> None:
    run = frenchnovel(
        "process", corpus / "robustness" / "qpdf_bad1.pdf", "-o", tmp_path / "out.json"
    )
    assert run.returncode == 2
    assert run.stderr.startswith("error: INVALID_PDF: ")
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert not (tmp_path / "out.json").exists()


def test_an_unknown_output_format_is_refused_before_any_work(corpus: Path, tmp_path: Path) -> None:
    run = frenchnovel(
        "process", corpus / "pdf" / "voltaire_candide_ligaran2015.pdf", "-o", tmp_path / "out.docx"
    )
    assert run.returncode == 2
    assert run.stderr.startswith("error: INVALID_SETTINGS: ")


def test_a_word_limit_out_of_range_is_refused(corpus: Path, tmp_path: Path) -> None:
    run = frenchnovel(
        "process",
        corpus / "pdf" / "voltaire_candide_ligaran2015.pdf",
        "-o",
        tmp_path / "o.json",
        "--word-limit",
        "100",
    )
    assert run.returncode == 2
    assert (
        run.stderr.startswith("error: INVALID_SETTINGS: ") and "sentence_length_limit" in run.stderr
    )


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    run = frenchnovel("process", tmp_path / "nowhere.pdf", "-o", tmp_path / "o.json")
    assert run.returncode == 2
    assert run.stderr.startswith("error: INVALID_PDF: no such file")


def test_a_text_novel_runs_in_a_pool_of_workers_into_a_text_file(tmp_path: Path) -> None:
    novel = tmp_path / "conte.txt"
    paragraph = (
        "Il était une fois un roi qui avait trois filles. La plus jeune était la plus belle. "
    )
    novel.write_text("\ufeff" + "\r\n\r\n".join([paragraph * 20] * 12), encoding="utf-8")
    out = tmp_path / "conte.txt.out.txt"
    run = frenchnovel(
        "process",
        novel,
        "-o",
        out,
        "--workers",
        "2",
        "--chunk-size",
        "2",
        "--no-progress",
        "--word-limit",
        "12",
    )
    assert run.returncode == 0, run.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines.count("Il était une fois un roi qui avait trois filles.") == 240


@pytest.mark.slow
@pytest.mark.parametrize("name", ROBUSTNESS)
def test_every_robustness_file_gives_a_result_or_its_error_within_60_s_and_1_gib(
    corpus: Path, tmp_path: Path, name: str
) -> None:
    # --word-limit 50: this is about reading bad PDFs, not about the speed of the rewriter.
    out = tmp_path / "out.json"
    run = frenchnovel(
        "process",
        corpus / "robustness" / name,
        "-o",
        out,
        "--word-limit",
        "50",
        "--no-progress",
        memory=GIB,
        timeout=60,
    )
    if name in EXPECTED_ERRORS:
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith(f"error: {EXPECTED_ERRORS[name]}: "), run.stderr
        assert "Traceback" not in run.stderr
    else:
        assert run.returncode == 0, run.stderr
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["page_count"] >= 1 and data["sentences"]
