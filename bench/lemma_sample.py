"""Draw the (word, sentence) pairs that bench/decks.py scores lemma matching on.

Seeded: the same 300 word positions of the four corpus novels every time. Each pair is written as
``book<TAB>offset<TAB>form``; ``bench/data/lemma_gold.tsv`` adds the lemmas a reader gave each
(checked by reading the sentence). Run it only to draw a new sample:
``python bench/lemma_sample.py SEED``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from frenchnovel.decks.tokens import _TOKEN

CORPUS = Path("/work/shared/corpus/text")
SIZE = 300
SEED = 13


def sentence_at(text: str, offset: int) -> tuple[int, str]:
    """The sentence around ``offset`` (between . ! ? … or a blank line) and where it starts."""
    start = max(text.rfind(mark, 0, offset) for mark in (". ", "! ", "? ", "\n", "… ")) + 1
    ends = [text.find(mark, offset) for mark in (". ", "! ", "? ", "\n")]
    end = min([e for e in ends if e >= 0] or [len(text)])
    return start, text[start : end + 1].strip()


def draw(seed: int = SEED) -> list[tuple[str, int, str]]:
    rng = random.Random(seed)
    books = sorted(CORPUS.glob("*.txt"))
    pairs: list[tuple[str, int, str]] = []
    while len(pairs) < SIZE:
        book = rng.choice(books)
        text = book.read_text(encoding="utf-8")
        offset = rng.randrange(len(text) // 10, len(text) - 1000)  # past front matter
        while offset > 0 and (text[offset - 1].isalpha() or text[offset - 1] in "'’-"):
            offset -= 1  # back to the start of the word
        match = _TOKEN.search(text, offset)
        if match is None or match.group().isdigit():
            continue
        form = match.group().split("-")[0]
        pairs.append((book.name, match.start(), form))
    return pairs


if __name__ == "__main__":
    for book, offset, form in draw(int(sys.argv[1]) if len(sys.argv) > 1 else SEED):
        sys.stdout.write(f"{book}\t{offset}\t{form}\n")
