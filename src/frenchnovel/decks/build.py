"""One deck from finished results: options in, the deck JSON of DESIGN.md out.

Flow: ``DeckOptions.of`` validates what a user asked (the CLI, the API and the worker share it);
``build_deck`` reads the sources into candidates (``candidates.collect``), runs the mode
(``drill.drill`` or ``cover.cover``) and writes the deck JSON: ``sentences`` with ``text``,
``original``, ``book``, ``chapter`` and ``words`` (the list entries each holds), and ``stats``
with the mode's figures and the uncovered list words with why. Pure: no database, no Celery.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from frenchnovel.decks.candidates import Candidate, Source, card_text, collect
from frenchnovel.decks.cover import cover
from frenchnovel.decks.drill import drill, overlap, word_set
from frenchnovel.decks.wordlists import WordList
from frenchnovel.errors import SettingsError

MODES = ("drill", "cover")
Progress = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class DeckOptions:
    mode: str = "drill"
    word_list: str = "fr-2k"  # a default list's name, or a user list's id as « user:<id> »
    target_count: int = 500
    min_known: float = 0.95
    len_min: int = 4
    len_max: int = 8
    time_limit: float = 60.0

    @classmethod
    def of(cls, values: dict[str, Any]) -> DeckOptions:
        """Validated options; unknown keys or values out of range raise ``SettingsError``."""
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise SettingsError(f"unknown deck options: {', '.join(sorted(unknown))}")
        try:
            options = cls(**values)
            options = cls(
                mode=str(options.mode),
                word_list=str(options.word_list),
                target_count=int(options.target_count),
                min_known=float(options.min_known),
                len_min=int(options.len_min),
                len_max=int(options.len_max),
                time_limit=float(options.time_limit),
            )
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"bad deck options: {exc}") from None
        options.check()
        return options

    def check(self) -> None:
        if self.mode not in MODES:
            raise SettingsError(f"mode must be one of {', '.join(MODES)}")
        if not 1 <= self.target_count <= 5000:
            raise SettingsError("target_count must be between 1 and 5000")
        if not 0.0 <= self.min_known <= 1.0:
            raise SettingsError("min_known must be between 0 and 1")
        if not 1 <= self.len_min <= self.len_max <= 50:
            raise SettingsError("the length range must satisfy 1 ≤ len_min ≤ len_max ≤ 50")
        if not 1.0 <= self.time_limit <= 600.0:
            raise SettingsError("time_limit must be between 1 and 600 seconds")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_length(text: str) -> tuple[int, int]:
    """« 4-8 » → (4, 8)."""
    low, _, high = text.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        raise SettingsError(f"--len takes a range such as 4-8, not {text!r}") from None


def build_deck(
    sources: Sequence[Source],
    words: WordList,
    options: DeckOptions,
    *,
    threads: int = 2,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """The deck JSON for ``sources`` (see the module)."""
    started = time.monotonic()
    candidates = collect(sources, words)
    if progress:
        progress(10, f"{len(candidates)} sentences read")
    coverable = {key for c in candidates for key in c.entries}
    stats: dict[str, Any] = {"mode": options.mode, "list": words.name, "list_size": len(words)}
    if options.mode == "cover":
        outcome = cover(
            candidates,
            words,
            len_min=options.len_min,
            len_max=options.len_max,
            time_limit=options.time_limit,
            threads=threads,
            progress=progress,
            cancelled=cancelled,
        )
        chosen = outcome.chosen
        uncovered = outcome.uncovered
        stats.update(
            greedy=outcome.greedy,
            lower_bound=outcome.lower_bound,
            optimal=outcome.optimal,
            solver=outcome.solver,
            rounds=outcome.rounds,
            solve_seconds=round(outcome.seconds, 2),
            checked=outcome.checked,
        )
    else:
        result = drill(
            candidates,
            words,
            target_count=options.target_count,
            min_known=options.min_known,
            len_min=options.len_min,
            len_max=options.len_max,
            progress=progress,
            cancelled=cancelled,
        )
        chosen = result.chosen
        held = {key for c in chosen for key in c.entries}
        uncovered = {e.key: "absent" for e in words.entries if e.key not in coverable}
        uncovered.update({key: "not_in_deck" for key in coverable - held})
        stats.update(eligible=result.eligible, greedy=None, lower_bound=None)
    stats.update(_figures(chosen))
    covered = {key for c in chosen for key in c.entries}
    stats.update(
        coverable=len(coverable - {k for k, why in uncovered.items() if why != "not_in_deck"}),
        covered=len(covered),
        uncovered=[{"word": k, "why": why} for k, why in sorted(uncovered.items())],
        seconds=round(time.monotonic() - started, 2),
    )
    return {"sentences": [_card(c) for c in chosen], "stats": stats}


def _card(c: Candidate) -> dict[str, Any]:
    return {
        "text": card_text(c.text),
        "original": c.original,
        "book": c.book,
        "chapter": c.chapter,
        "words": sorted(c.entries),
    }


def _figures(chosen: Sequence[Candidate]) -> dict[str, Any]:
    """What the targets of issue 13 look at: size, lengths, known share, standalone, overlap."""
    if not chosen:
        return {"size": 0}
    sets = [word_set(c.text) for c in chosen]
    worst = 0.0
    for i, mine in enumerate(sets):  # quadratic, but a deck is a few hundred cards
        for other in sets[i + 1 :]:
            worst = max(worst, overlap(mine, other))
    return {
        "size": len(chosen),
        "length_min": min(c.length for c in chosen),
        "length_max": max(c.length for c in chosen),
        "known_min": round(min(c.known for c in chosen), 4),
        "standalone_share": round(sum(bool(c.standalone) for c in chosen) / len(chosen), 4),
        "dialogue_share": round(sum(c.dialogue for c in chosen) / len(chosen), 4),
        "max_overlap": round(worst, 4),
    }
