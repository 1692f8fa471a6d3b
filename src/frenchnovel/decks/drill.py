"""Drill mode: ``target_count`` short sentences made almost only of the list's words.

Flow:

1. Keep the sentences of ``len_min``–``len_max`` words with at least ``min_known`` of their
   words in the list (names and numbers count as known) that end as a sentence ends: not on
   « : », « , », « ; » or « … », which announce words the card would not show.
2. Rank them: the mean frequency rank of their list words (commoner first), then clarity —
   narration before dialogue, no name before a name, a full stop, a length near the middle of
   the range.
3. Walk the ranking: a sentence is taken when it passes issue 9's standalone check (run in
   batches, only on the sentences the walk reaches) and shares at most half of its words with
   every sentence already taken (``overlap``), until ``target_count`` are taken.

``progress(percent, step)`` is told after each batch; ``cancelled()`` is asked before each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from frenchnovel.decks.candidates import Candidate, card_text, check_standalone
from frenchnovel.decks.tokens import tokens
from frenchnovel.decks.wordlists import WordList
from frenchnovel.errors import Cancelled

BATCH = 256
UNFINISHED = (":", ",", ";", "…", "...")
MAX_OVERLAP = 0.5
Progress = Callable[[int, str], None]


@dataclass(slots=True)
class DrillOutcome:
    chosen: list[Candidate]
    eligible: int  # sentences passing length and known share
    checked: int  # of those, how many the walk parsed
    rejected_fragments: int
    rejected_overlap: int


def word_set(text: str) -> frozenset[str]:
    """The words of a sentence as compared for near-duplicates (lower case, elisions apart)."""
    return frozenset(token.lower() for token in tokens(text))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the shorter sentence's words that the other holds too."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def rank_key(c: Candidate, rank: dict[str, int], len_min: int, len_max: int) -> tuple[float, str]:
    """Sort key: commoner list words first, then clearer sentences (see the module)."""
    ranks = [rank[key] for key in c.entries if key in rank]
    frequency = sum(ranks) / len(ranks) / max(1, len(rank)) if ranks else 1.0
    middle = (len_min + len_max) / 2
    clarity = (
        1.0 * c.dialogue
        + 0.5 * (c.known < 1.0)
        + 0.5 * _has_name(c)
        + 0.3 * (not c.text.rstrip().endswith("."))
        + 0.05 * abs(c.length - middle)
    )
    return (round(frequency * 4 + clarity, 4), c.text)


def _has_name(c: Candidate) -> bool:
    return any(token[0].isupper() for token in tokens(c.text)[1:])


def drill(
    candidates: Sequence[Candidate],
    words: WordList,
    *,
    target_count: int = 500,
    min_known: float = 0.95,
    len_min: int = 4,
    len_max: int = 8,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> DrillOutcome:
    """The drill deck (see the module), best first."""
    if cancelled():
        raise Cancelled("the deck was cancelled")
    rank = {e.key: i for i, e in enumerate(words.entries)}
    eligible = [
        c
        for c in candidates
        if len_min <= c.length <= len_max
        and c.known >= min_known - 1e-9
        and c.entries
        and not card_text(c.text).rstrip(" »").endswith(UNFINISHED)
    ]
    ranked = sorted(eligible, key=lambda c: rank_key(c, rank, len_min, len_max))
    chosen: list[Candidate] = []
    taken_words: list[frozenset[str]] = []
    holders: dict[str, list[int]] = {}
    fragments = overlaps = checked = 0
    for start in range(0, len(ranked), BATCH):
        if len(chosen) >= target_count:
            break
        if cancelled():
            raise Cancelled("the deck was cancelled")
        batch = ranked[start : start + BATCH]
        check_standalone(batch)
        checked += len(batch)
        for c in batch:
            if len(chosen) >= target_count:
                break
            if not c.standalone:
                fragments += 1
                continue
            mine = word_set(c.text)
            if _too_close(mine, taken_words, holders):
                overlaps += 1
                continue
            for word in mine:
                holders.setdefault(word, []).append(len(chosen))
            chosen.append(c)
            taken_words.append(mine)
        if progress:
            done = min(99, 100 * len(chosen) // max(1, target_count))
            progress(done, f"{len(chosen)} of {target_count} sentences")
    return DrillOutcome(chosen, len(eligible), checked, fragments, overlaps)


def _too_close(
    mine: frozenset[str], taken: list[frozenset[str]], holders: dict[str, list[int]]
) -> bool:
    shared: dict[int, int] = {}
    for word in mine:
        for i in holders.get(word, ()):
            shared[i] = shared.get(i, 0) + 1
    return any(n / min(len(mine), len(taken[i])) > MAX_OVERLAP for i, n in shared.items())
