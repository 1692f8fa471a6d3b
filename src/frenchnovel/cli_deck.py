"""``frenchnovel deck drill|cover RESULT.json … -o OUT``: a learning set from finished results.

The results are the JSON that ``frenchnovel process -o x.json`` writes (or a job's result
downloaded from the API); the deck is built in-process (``decks.build``) and written in the
format of the output's suffix (.json .csv .xlsx .apkg .txt). A summary goes to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from frenchnovel.decks.build import DeckOptions, build_deck, parse_length
from frenchnovel.decks.candidates import Source
from frenchnovel.decks.export import FORMATS, write_deck
from frenchnovel.decks.wordlists import DEFAULT_LISTS, WordList, default_list, parse_user_list
from frenchnovel.errors import FrenchNovelError, InputError, SettingsError

deck_app = typer.Typer(help="Learning sets: drill decks and word covers.", no_args_is_help=True)

Results = Annotated[list[Path], typer.Argument(help="Result JSON files of processed novels.")]
Output = Annotated[Path, typer.Option("-o", "--output", help="Output .json .csv .xlsx .apkg .txt")]
ListOption = Annotated[str, typer.Option("--list", help="fr-2k, fr-3k, fr-5k or a .txt/.csv file.")]
Length = Annotated[str, typer.Option("--len", help="Sentence length range in words.")]


def load_list(name: str) -> WordList:
    """A default list by name, or a user's TXT/CSV file (its ingestion report on stderr)."""
    if name in DEFAULT_LISTS:
        return default_list(name)
    path = Path(name)
    if not path.is_file():
        raise SettingsError(f"--list is {', '.join(DEFAULT_LISTS)} or a file; {name!r} is neither")
    words, report = parse_user_list(path.read_bytes(), path.name)
    typer.echo(
        f"list {path.name}: {report.entries} entries from {report.lines} lines "
        f"({len(report.duplicates)} duplicates, {len(report.merged)} merged, "
        f"{len(report.unknown)} unknown to the dictionary)",
        err=True,
    )
    return words


def load_sources(paths: list[Path]) -> list[Source]:
    sources = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path} is not a result JSON: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("sentences"), list):
            raise InputError(f"{path} is not a result JSON (no 'sentences' list)")
        sources.append(Source(book=path.stem, result=data))
    return sources


def run(mode: str, results: list[Path], output: Path, values: dict[str, object]) -> None:
    """Build and write one deck; a project error is one line on stderr and exit status 2."""
    try:
        _run(mode, results, output, values)
    except FrenchNovelError as exc:
        typer.echo(f"error: {exc.code.value}: {exc.message}", err=True)
        raise typer.Exit(2) from None


def _run(mode: str, results: list[Path], output: Path, values: dict[str, object]) -> None:
    if output.suffix.lower().lstrip(".") not in FORMATS:
        raise SettingsError(f"the output must end in one of .{', .'.join(FORMATS)}")
    options = DeckOptions.of({"mode": mode, **values})
    words = load_list(options.word_list)

    def show(percent: int, step: str) -> None:
        typer.echo(f"  {percent:3d}% {step}", err=True)

    deck = build_deck(load_sources(results), words, options, progress=show)
    write_deck(deck, output)
    stats = deck["stats"]
    figures = f"{stats['size']} sentences, {stats['covered']} of {stats['coverable']} list words"
    if mode == "cover":
        figures += f"; greedy {stats['greedy']}, lower bound {stats['lower_bound']}"
    typer.echo(f"{figures}, {stats['seconds']} s -> {output}", err=True)


@deck_app.command()
def drill(
    results: Results,
    output: Output,
    word_list: ListOption = "fr-2k",
    count: Annotated[int, typer.Option(help="How many sentences.")] = 500,
    min_known: Annotated[float, typer.Option(help="Least share of list words.")] = 0.95,
    length: Length = "4-8",
) -> None:
    """Short sentences made almost only of the list's words, commonest first."""
    low, high = parse_length(length)
    values = {"word_list": word_list, "target_count": count, "min_known": min_known}
    run("drill", results, output, {**values, "len_min": low, "len_max": high})


@deck_app.command()
def cover(
    results: Results,
    output: Output,
    word_list: ListOption = "fr-2k",
    length: Length = "4-8",
    time_limit: Annotated[float, typer.Option(help="Solver time cap, seconds.")] = 60.0,
) -> None:
    """The fewest sentences in which every list word of the books appears."""
    low, high = parse_length(length)
    values = {"word_list": word_list, "time_limit": time_limit}
    run("cover", results, output, {**values, "len_min": low, "len_max": high})
