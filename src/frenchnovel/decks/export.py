"""A deck as a learner uses it: JSON, CSV, XLSX, an Anki deck (.apkg) or plain text.

CSV and XLSX have the columns sentence, source, words, book, chapter (XLSX adds a sheet
« uncovered » with each list word the deck lacks and why, and one « stats »). The Anki deck has one
note a sentence: front the sentence, back its source sentence and the list words it holds; note
ids are stable (a hash of the sentence), so importing a deck again updates rather than doubles.
TXT is one sentence a line, for text-to-speech drills.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from frenchnovel.errors import SettingsError

FORMATS = ("json", "csv", "xlsx", "apkg", "txt")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "apkg": "application/octet-stream",
    "txt": "text/plain; charset=utf-8",
}
COLUMNS = ("sentence", "source", "words", "book", "chapter")
MODEL_ID = 1_613_130_813  # fixed: Anki recognises the note type across imports
CARD_CSS = ".card { font-family: sans-serif; font-size: 22px; text-align: center; }"


def render_deck(deck: dict[str, Any], fmt: str, *, title: str = "French sentences") -> bytes:
    """The deck JSON (``build.build_deck``) in ``fmt``."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "json":
        return json.dumps(deck, ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_rows(deck))
        return buffer.getvalue().encode()
    if fmt == "xlsx":
        return _xlsx(deck)
    if fmt == "apkg":
        return _apkg(deck, title)
    if fmt == "txt":
        return "".join(f"{s['text']}\n" for s in deck["sentences"]).encode()
    raise SettingsError(f"unknown deck format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_deck(deck: dict[str, Any], path: Path, *, title: str | None = None) -> None:
    """Write ``deck`` to ``path`` in the format its suffix names."""
    data = render_deck(deck, path.suffix, title=title or path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _rows(deck: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            s["text"],
            s["original"],
            " ".join(s["words"]),
            s.get("book") or "",
            "" if s.get("chapter") is None else str(s["chapter"]),
        )
        for s in deck["sentences"]
    ]


def _xlsx(deck: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("deck")
    sheet.append(list(COLUMNS))
    for row in _rows(deck):
        sheet.append(list(row))
    missing = book.create_sheet("uncovered")
    missing.append(["word", "why"])
    for item in deck["stats"].get("uncovered", []):
        missing.append([item["word"], item["why"]])
    stats = book.create_sheet("stats")
    for key, value in deck["stats"].items():
        if key != "uncovered":
            stats.append([key, "" if value is None else value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _apkg(deck: dict[str, Any], title: str) -> bytes:
    import genanki

    model = genanki.Model(
        MODEL_ID,
        "French Novel Tool sentence",
        fields=[{"name": "Sentence"}, {"name": "Source"}, {"name": "Words"}, {"name": "Book"}],
        templates=[
            {
                "name": "Sentence",
                "qfmt": "{{Sentence}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Source}}<br><small>{{Words}}</small>"
                "<br><small><i>{{Book}}</i></small>",
            }
        ],
        css=CARD_CSS,
    )
    anki = genanki.Deck(_stable_id(title), title)
    for s in deck["sentences"]:
        anki.add_note(
            genanki.Note(
                model=model,
                fields=[
                    _html(s["text"]),
                    _html(s["original"]),
                    _html(", ".join(s["words"])),
                    _html(s.get("book") or ""),
                ],
                guid=genanki.guid_for(s["text"]),
            )
        )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "deck.apkg"
        genanki.Package(anki).write_to_file(str(path))
        return path.read_bytes()


def _stable_id(title: str) -> int:
    return int(hashlib.sha256(title.encode()).hexdigest()[:12], 16) % (1 << 31) + (1 << 30)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
