"""Cover mode: the fewest sentences in which every list word found in the books appears.

Flow:

1. The pool is the sentences of ``len_min``–``len_max`` words that hold a list word. A list word
   in none of them is uncovered, « absent » from the books or only in « over_long » sentences.
2. Each pool sentence costs 1 (the count, minimised first) and has a secondary cost, minimised
   at the optimal count: its length, dialogue, and how many list words it holds (one sentence per
   word where possible: at a fixed count, fewer words held twice).
3. Fragments are kept out lazily: solve (``setcover.solve``), run issue 9's standalone check on
   the chosen sentences never checked, drop those that fail from the pool, solve again, until
   every chosen sentence passes (the count alone while fragments turn up, then with the
   secondary cost, whose new picks are checked the same way). Dropping sentences only raises
   the optimum, so the last answer is optimal (or within its bound) for the pool without any
   fragment, at a fraction of the cost of parsing every sentence. A list word whose pool
   sentences all failed is « only_fragments ».

``progress(percent, step)`` is told after each round; ``cancelled()`` is asked between rounds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from frenchnovel.decks.candidates import Candidate, check_standalone
from frenchnovel.decks.setcover import Cover, solve
from frenchnovel.decks.wordlists import WordList
from frenchnovel.errors import Cancelled

MAX_ROUNDS = 30
Progress = Callable[[int, str], None]


@dataclass(slots=True)
class CoverOutcome:
    chosen: list[Candidate]
    covered: set[str]
    uncovered: dict[str, str]  # list entry → absent | over_long | only_fragments
    greedy: int
    lower_bound: int
    optimal: bool
    solver: str
    rounds: int
    seconds: float
    checked: int = 0
    notes: list[str] = field(default_factory=list)


def secondary_cost(c: Candidate, len_min: int, len_max: int) -> float:
    """The tie-break among sets of the same size: short, narration, few list words twice."""
    span = max(1, len_max - len_min)
    return (c.length - len_min) / span + 2.0 * c.dialogue + 0.25 * len(c.entries)


def cover(
    candidates: Sequence[Candidate],
    words: WordList,
    *,
    len_min: int = 4,
    len_max: int = 8,
    time_limit: float = 60.0,
    threads: int = 2,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> CoverOutcome:
    """The smallest standalone set of sentences covering every coverable entry (see module)."""
    started = time.monotonic()
    everywhere = {key for c in candidates for key in c.entries}
    pool = [c for c in candidates if len_min <= c.length <= len_max and c.entries]
    in_range = {key for c in pool for key in c.entries}
    uncovered = {e.key: "absent" for e in words.entries if e.key not in everywhere}
    uncovered.update({key: "over_long" for key in everywhere - in_range})
    rounds = 0
    secondary = False  # the tie-break only once the count's rounds have settled
    while True:
        rounds += 1
        if cancelled():
            raise Cancelled("the deck was cancelled")
        pool = [c for c in pool if c.standalone is not False]
        left = max(1.0, time_limit - (time.monotonic() - started))
        result, keys = _solve(pool, len_min, len_max, left, threads, secondary)
        chosen = [pool[i] for i in result.chosen]
        fresh = [c for c in chosen if c.standalone is None]
        check_standalone(fresh)
        if progress:
            progress(min(95, 10 + rounds * 8), f"round {rounds}: {len(chosen)} sentences")
        passed = all(c.standalone for c in chosen)
        if (passed and secondary) or rounds >= MAX_ROUNDS:
            break
        secondary = passed
    covered = {key for c in chosen for key in c.entries}
    for key in in_range - covered:
        uncovered[key] = "only_fragments"
    return CoverOutcome(
        chosen=chosen,
        covered=covered,
        uncovered=uncovered,
        greedy=result.greedy,
        lower_bound=result.lower_bound,
        optimal=result.optimal,
        solver=result.solver,
        rounds=rounds,
        seconds=time.monotonic() - started,
        checked=sum(c.standalone is not None for c in candidates),
        notes=[] if keys else ["nothing to cover"],
    )


def _solve(
    pool: Sequence[Candidate],
    len_min: int,
    len_max: int,
    time_limit: float,
    threads: int,
    secondary: bool,
) -> tuple[Cover, list[str]]:
    keys = sorted({key for c in pool for key in c.entries})
    number = {key: i for i, key in enumerate(keys)}
    sets = [frozenset(number[key] for key in c.entries) for c in pool]
    costs = [secondary_cost(c, len_min, len_max) for c in pool]
    answer = solve(sets, costs, time_limit=time_limit, threads=threads, secondary=secondary)
    return answer, keys
