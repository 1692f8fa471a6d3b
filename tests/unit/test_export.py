"""Export: the same result as JSON, CSV, XLSX and plain text, in the documented shapes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from frenchnovel.errors import SettingsError
from frenchnovel.export import CSV_COLUMNS, render_result, write_result
from frenchnovel.pipeline.result import Chapter, OutputSentence, Result, Stats

LONG = (
    "Candide, qui tremblait comme un philosophe, se cacha du mieux qu’il put "
    "pendant cette boucherie héroïque."
)


@pytest.fixture
def result() -> Result:
    sentences = [
        OutputSentence("« Oui », dit-il.", "« Oui », dit-il.", 5, False, chapter=1),
        OutputSentence("Candide tremblait comme un philosophe.", LONG, 6, True, chapter=2),
        OutputSentence("Il se cacha du mieux qu’il put.", LONG, 6, True, chapter=2),
        OutputSentence(LONG, LONG, 6, False, over_limit=True, chapter=2),
        OutputSentence(
            "=SOMME(A1) n’est pas une formule…",
            "=SOMME(A1) n’est pas une formule…",
            7,
            False,
            chapter=2,
        ),
    ]
    chapters = [Chapter(1, "", "", 0, 5), Chapter(2, "Chapitre II", "Première partie", 1, 6)]
    stats = Stats(
        source_sentences=4, sentences=5, rewritten=1, over_limit=1, tokens=42, seconds=1.5
    )
    return Result(sentences, 90, stats, chapters, "Candide\n\nTable", "À propos")


def test_json_is_the_documented_result_shape(result: Result) -> None:
    data = json.loads(render_result(result, "json"))
    assert data["page_count"] == 90
    assert data["sentences"][1] == {
        "index": 1,
        "text": "Candide tremblait comme un philosophe.",
        "original": LONG,
        "page": 6,
        "rewritten": True,
        "over_limit": False,
        "chapter": 2,
    }
    assert data["sentences"][3]["over_limit"] is True
    assert data["chapters"][1] == {
        "index": 2,
        "title": "Chapitre II",
        "part": "Première partie",
        "first_sentence": 1,
        "page": 6,
    }
    assert data["front_matter"] == "Candide\n\nTable" and data["back_matter"] == "À propos"
    assert set(data["stats"]) == {
        "image_only_pages",
        "source_sentences",
        "sentences",
        "rewritten",
        "over_limit",
        "fallbacks",
        "tokens",
        "ocr_pages",
        "engine",
        "model",
        "seconds",
    }
    assert Result.from_dict(data) == result


def test_csv_has_the_documented_columns_and_french_text_intact(result: Result) -> None:
    text = render_result(result, "csv").decode("utf-8")
    assert text.splitlines()[0] == "index,text,original,page,rewritten,over_limit,chapter"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0] == {
        "index": "0",
        "text": "« Oui », dit-il.",
        "original": "« Oui », dit-il.",
        "page": "5",
        "rewritten": "false",
        "over_limit": "false",
        "chapter": "1",
    }
    assert rows[2]["original"] == LONG and rows[2]["rewritten"] == "true"
    assert rows[3]["over_limit"] == "true"


def test_xlsx_holds_the_same_rows_and_never_a_formula(result: Result, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_result(result, path)
    book = load_workbook(path)
    rows = list(book["sentences"].iter_rows(values_only=True))
    assert rows[0] == CSV_COLUMNS
    assert rows[2] == (1, "Candide tremblait comme un philosophe.", LONG, 6, True, False, 2)
    assert rows[4] == (3, LONG, LONG, 6, False, True, 2)
    chapters = list(book["chapters"].iter_rows(values_only=True))
    assert chapters[2] == (2, "Chapitre II", "Première partie", 1, 6)
    assert rows[5][1] == "=SOMME(A1) n’est pas une formule…"
    assert book["sentences"].cell(6, 2).data_type == "s"
    stats = list(book["stats"].iter_rows(values_only=True))
    assert ("page_count", 90) in stats and ("over_limit", 1) in stats


def test_txt_is_one_sentence_a_line(result: Result, tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    write_result(result, path)
    assert path.read_text(encoding="utf-8").splitlines() == [s.text for s in result.sentences]
    assert "over_limit" not in path.read_text(encoding="utf-8")  # the text alone, no marks


def test_the_format_follows_the_file_suffix(result: Result, tmp_path: Path) -> None:
    write_result(result, tmp_path / "out.JSON")
    assert json.loads((tmp_path / "out.JSON").read_text(encoding="utf-8"))["page_count"] == 90


def test_an_unknown_format_is_a_settings_error(result: Result, tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        write_result(result, tmp_path / "out.docx")
    with pytest.raises(SettingsError):
        render_result(result, "pdf")
