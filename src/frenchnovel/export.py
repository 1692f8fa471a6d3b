"""Writing a result as JSON, CSV, XLSX or plain text: for the CLI and the API's downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from frenchnovel.errors import SettingsError
from frenchnovel.pipeline.result import Result

FORMATS = ("json", "csv", "xlsx", "txt")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
}
CSV_COLUMNS = ("index", "text", "original", "page", "rewritten", "over_limit", "chapter")
CHAPTER_COLUMNS = ("index", "title", "part", "first_sentence", "page")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # refused by the XLSX format


def render_result(result: Result, fmt: str) -> bytes:
    """The result in ``fmt`` (json, csv, xlsx or txt) as bytes; UTF-8 for the text formats.

    JSON is the result JSON of DESIGN.md; CSV has the columns
    index,text,original,page,rewritten,over_limit,chapter (the flags as true/false); XLSX has the
    same columns on a sheet « sentences », the chapters on a sheet « chapters » and the stats on
    a sheet « stats »; TXT is one short sentence a line.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        return _csv(result).encode()
    if fmt == "xlsx":
        return _xlsx(result)
    if fmt == "txt":
        return "".join(f"{s.text}\n" for s in result.sentences).encode()
    raise SettingsError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_result(result: Result, path: Path) -> None:
    """Write ``result`` to ``path`` in the format its suffix names (.json, .csv, .xlsx, .txt)."""
    data = render_result(result, path.suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _rows(result: Result) -> list[tuple[int, str, str, int, bool, bool, int]]:
    return [
        (i, s.text, s.original, s.page, s.rewritten, s.over_limit, s.chapter)
        for i, s in enumerate(result.sentences)
    ]


def _csv(result: Result) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for *row, rewritten, over_limit, chapter in _rows(result):
        writer.writerow((*row, _flag(rewritten), _flag(over_limit), chapter))
    return buffer.getvalue()


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _xlsx(result: Result) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("sentences")
    sheet.append(list(CSV_COLUMNS))
    for row in _rows(result):
        cells = []
        for value in row:
            cell = WriteOnlyCell(
                sheet, _ILLEGAL.sub("", value) if isinstance(value, str) else value
            )
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with = (never a formula)
            cells.append(cell)
        sheet.append(cells)
    chapters = book.create_sheet("chapters")
    chapters.append(list(CHAPTER_COLUMNS))
    for c in result.chapters:
        chapters.append(
            [c.index, _ILLEGAL.sub("", c.title), _ILLEGAL.sub("", c.part), c.first_sentence, c.page]
        )
    stats = book.create_sheet("stats")
    stats.append(["page_count", result.page_count])
    for key, value in result.to_dict()["stats"].items():
        stats.append([key, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
