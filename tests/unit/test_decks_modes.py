"""Drill and cover on small made-up results, the set-cover solver, and the exports."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from frenchnovel.cli import app
from frenchnovel.decks.build import DeckOptions, build_deck
from frenchnovel.decks.candidates import Source
from frenchnovel.decks.drill import overlap, word_set
from frenchnovel.decks.export import render_deck
from frenchnovel.decks.setcover import greedy, solve
from frenchnovel.decks.wordlists import default_list, parse_user_list
from frenchnovel.errors import SettingsError

# A made-up little book: plain sentences, one fragment, one over-long sentence, near-duplicates.
BOOK = [
    ("Le chat dormait sur la table.", "Le chat dormait sur la table, et le chien aboyait."),
    ("Le chien aboyait dans la rue.", "Le chien aboyait dans la rue."),
    ("Parce que le chien mange.", "Il sort parce que le chien mange."),
    ("Il ne dit rien ce soir.", "Il ne dit rien ce soir."),
    ("Elle ne dit rien ce soir.", "Elle ne dit rien ce soir."),
    ("La maison est grande et belle.", "La maison est grande et belle."),
    ("Le jardin de la maison est vert.", "Le jardin de la maison est vert."),
    (
        "Le vieux marin regardait longtemps la mer grise sous le ciel du soir.",
        "Le vieux marin regardait longtemps la mer grise sous le ciel du soir.",
    ),
    ("Elle voulait manger du pain.", "Elle voulait manger du pain."),
]
LIST = "chat\nchien\ntable\nrue\nmaison\njardin\nmarin\nmer\nlicorne\nmanger\n"


def result(sentences: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "sentences": [
            {"index": i, "text": t, "original": o, "page": 1, "rewritten": t != o}
            for i, (t, o) in enumerate(sentences)
        ],
        "page_count": 1,
        "stats": {},
    }


def test_greedy_can_take_one_set_too_many_and_the_solver_proves_the_optimum() -> None:
    sets = [frozenset({1, 2, 3, 4}), frozenset({1, 2, 5}), frozenset({3, 4, 6})]
    sets += [frozenset({5}), frozenset({6})]
    assert len(greedy(sets, [0.0] * 5)) == 3
    answer = solve(sets, [0.0] * 5, time_limit=10)
    assert sorted(answer.chosen) == [1, 2]
    assert (answer.greedy, answer.lower_bound, answer.optimal) == (3, 2, True)


def test_cover_takes_standalone_sentences_and_says_why_words_are_missing() -> None:
    words, _ = parse_user_list(LIST.encode(), "list.txt")
    deck = build_deck([Source("book", result(BOOK))], words, DeckOptions(mode="cover"))
    texts = [s["text"] for s in deck["sentences"]]
    stats = deck["stats"]
    assert "Parce que le chien mange." not in texts
    why = {item["word"]: item["why"] for item in stats["uncovered"]}
    assert why == {"licorne": "absent", "marin": "over_long", "mer": "over_long"}
    held = {w for s in deck["sentences"] for w in s["words"]}
    assert held == {"chat", "chien", "table", "rue", "maison", "jardin", "manger"}
    assert stats["covered"] == stats["coverable"] == 7
    assert stats["size"] == stats["lower_bound"] == len(texts)
    assert stats["greedy"] >= stats["size"]


def test_a_word_found_only_in_fragments_is_reported_as_such() -> None:
    words, _ = parse_user_list(b"chien\nmanger\n", "list.txt")
    book = [("Parce que le chien mange.", "Il sort parce que le chien mange.")]
    deck = build_deck([Source("b", result(book))], words, DeckOptions(mode="cover"))
    assert deck["sentences"] == []
    assert {i["why"] for i in deck["stats"]["uncovered"]} == {"only_fragments"}


def test_a_drill_deck_keeps_known_standalone_sentences_and_no_near_duplicates() -> None:
    options = DeckOptions(mode="drill", target_count=50)
    deck = build_deck([Source("book", result(BOOK))], default_list("fr-2k"), options)
    texts = [s["text"] for s in deck["sentences"]]
    assert texts, "a 2K list knows these words"
    assert "Parce que le chien mange." not in texts
    assert not {"Il ne dit rien ce soir.", "Elle ne dit rien ce soir."} <= set(texts)
    assert all(4 <= len(t.split()) <= 8 for t in texts)
    sets = [word_set(t) for t in texts]
    assert all(overlap(a, b) <= 0.5 for i, a in enumerate(sets) for b in sets[i + 1 :])
    stats = deck["stats"]
    assert stats["known_min"] >= 0.95 and stats["standalone_share"] == 1.0
    first = deck["sentences"][0]
    assert set(first) == {"text", "original", "book", "chapter", "words"}


def test_bad_options_are_refused_with_a_settings_error() -> None:
    with pytest.raises(SettingsError):
        DeckOptions.of({"mode": "shuffle"})
    with pytest.raises(SettingsError):
        DeckOptions.of({"len_min": 9, "len_max": 4})
    with pytest.raises(SettingsError):
        DeckOptions.of({"colour": "red"})


@pytest.fixture(scope="module")
def deck() -> dict[str, Any]:
    words, _ = parse_user_list(LIST.encode(), "list.txt")
    return build_deck([Source("Mon livre", result(BOOK))], words, DeckOptions(mode="cover"))


def test_the_anki_deck_opens_and_its_notes_read_back(deck: dict[str, Any]) -> None:
    data = render_deck(deck, "apkg", title="Mes phrases")
    with zipfile.ZipFile(io.BytesIO(data)) as package, package.open("collection.anki2") as db:
        raw = db.read()
    path = Path(__import__("tempfile").mkdtemp()) / "collection.anki2"
    path.write_bytes(raw)
    with sqlite3.connect(path) as connection:
        notes = [row[0].split("\x1f") for row in connection.execute("select flds from notes")]
    assert sorted(n[0] for n in notes) == sorted(s["text"] for s in deck["sentences"])
    first = next(n for n in notes if n[0] == deck["sentences"][0]["text"])
    assert first[1] == deck["sentences"][0]["original"]
    assert first[3] == "Mon livre"


def test_csv_xlsx_and_text_carry_the_sentences(deck: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(render_deck(deck, "csv").decode())))
    assert rows[0] == ["sentence", "source", "words", "book", "chapter"]
    assert [r[0] for r in rows[1:]] == [s["text"] for s in deck["sentences"]]
    book = load_workbook(io.BytesIO(render_deck(deck, "xlsx")))
    assert book.sheetnames == ["deck", "uncovered", "stats"]
    assert [row[0].value for row in book["uncovered"].iter_rows(min_row=2)] == [
        "licorne",
        "marin",
        "mer",
    ]
    lines = render_deck(deck, "txt").decode().splitlines()
    assert lines == [s["text"] for s in deck["sentences"]]


def test_the_cli_writes_a_drill_deck_from_a_result_file(tmp_path: Path) -> None:
    source = tmp_path / "livre.json"
    source.write_text(json.dumps(result(BOOK)), encoding="utf-8")
    out = tmp_path / "deck.json"
    run = CliRunner().invoke(app, ["deck", "drill", str(source), "-o", str(out), "--count", "3"])
    assert run.exit_code == 0, run.output
    deck = json.loads(out.read_text(encoding="utf-8"))
    assert 1 <= len(deck["sentences"]) <= 3
    assert deck["sentences"][0]["book"] == "livre"


def test_the_cli_says_what_is_wrong_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "livre.json"
    source.write_text("{}", encoding="utf-8")
    run = CliRunner().invoke(app, ["deck", "cover", str(source), "-o", str(tmp_path / "d.json")])
    assert run.exit_code == 2
    assert "is not a result JSON" in run.output


def test_a_cancelled_deck_stops_at_its_next_check() -> None:
    from frenchnovel.errors import Cancelled

    words, _ = parse_user_list(LIST.encode(), "list.txt")
    for mode in ("drill", "cover"):
        with pytest.raises(Cancelled):
            build_deck(
                [Source("book", result(BOOK))],
                words,
                DeckOptions(mode=mode),
                cancelled=lambda: True,
            )
