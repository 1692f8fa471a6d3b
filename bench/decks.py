"""Learning sets on the corpus novels: the figures of issue 13's targets.

1. Cover: the four novels of ``/work/shared/corpus/text`` together with the 2K list — greedy,
   solver and lower bound side by side, every coverable list word covered, and the time
   (target: optimal or within 1.01 × the bound, ≤ 60 s on 2 cores).
2. Drill on one novel of about 400 printed pages (Bel-Ami, 646,000 characters): 500 sentences,
   their length range, least known share, standalone share, largest overlap, and ten cards
   drawn at random (seeded).
3. Lemma matching: precision and recall on the pairs read by hand (``lemma_score.py``).

The novels are processed once by ``frenchnovel process`` (local engine) and the results kept
under ``var/bench/decks/`` (``--fresh`` processes them again).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from frenchnovel.decks.build import DeckOptions, build_deck  # noqa: E402
from frenchnovel.decks.candidates import Source  # noqa: E402
from frenchnovel.decks.wordlists import default_list  # noqa: E402

CORPUS = Path("/work/shared/corpus/text")
CACHE = ROOT / "var" / "bench" / "decks"
DRILL_BOOK = "maupassant_bel-ami_eltec-FRA02701"
CARDS = 10
SEED = 13


def result_of(novel: Path, fresh: bool) -> dict[str, object]:
    """The local engine's result for a novel, processed once and cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"{novel.stem}.json"
    if fresh or not target.exists():
        command = [str(ROOT / ".venv" / "bin" / "frenchnovel"), "process", str(novel)]
        command += ["-o", str(target), "--workers", "2", "--no-progress"]
        subprocess.run(command, check=True)
    data: dict[str, object] = json.loads(target.read_text(encoding="utf-8"))
    return data


def short(stem: str) -> str:
    return stem.split("_")[0] + " " + stem.split("_")[1]


def run_cover(sources: list[Source]) -> None:
    words = default_list("fr-2k")
    started = time.monotonic()
    deck = build_deck(sources, words, DeckOptions(mode="cover", time_limit=60.0), threads=2)
    seconds = time.monotonic() - started
    s = deck["stats"]
    ratio = s["size"] / max(1, s["lower_bound"])
    missing = {}
    for item in s["uncovered"]:
        missing[item["why"]] = missing.get(item["why"], 0) + 1
    print(f"cover, {len(sources)} novels, list fr-2k ({s['list_size']} lemmas)")
    print(f"  list words in 4-8-word standalone sentences {s['coverable']}, covered {s['covered']}")
    print(f"  uncovered, by why: {missing}")
    print(f"  greedy {s['greedy']}  solver {s['size']}  lower bound {s['lower_bound']}  ")
    print(f"  solver / bound {ratio:.3f}  proven optimal {s['optimal']}  rounds {s['rounds']}")
    print(f"  time {seconds:.1f} s in all, {s['solve_seconds']} s of it in the solver's rounds")
    print(f"  solver {s['solver']}, sentences parsed by the standalone checks {s['checked']}")
    print(f"  lengths {s['length_min']}-{s['length_max']}, dialogue {s['dialogue_share']:.2f}")


def run_drill(source: Source) -> None:
    words = default_list("fr-2k")
    started = time.monotonic()
    deck = build_deck([source], words, DeckOptions(mode="drill"), threads=2)
    seconds = time.monotonic() - started
    s = deck["stats"]
    print(f"drill, {short(source.book)}, list fr-2k, target 500")
    print(f"  sentences {s['size']} (of {s['eligible']} eligible)")
    print(f"  lengths {s['length_min']}-{s['length_max']} words, least known {s['known_min']}")
    print(f"  standalone share {s['standalone_share']}  largest overlap {s['max_overlap']}")
    print(f"  dialogue share {s['dialogue_share']}  time {seconds:.1f} s")
    print(f"  {CARDS} cards drawn at random (random.Random({SEED}).sample):")
    for card in random.Random(SEED).sample(deck["sentences"], CARDS):
        print(f"    {card['text']}")
        if card["original"] != card["text"]:
            print(f"        ← {card['original']}")


def main() -> None:
    fresh = "--fresh" in sys.argv
    novels = sorted(CORPUS.glob("*.txt"))
    sources = [Source(novel.stem, result_of(novel, fresh)) for novel in novels]
    run_cover(sources)
    print()
    run_drill(next(source for source in sources if source.book == DRILL_BOOK))
    print()
    import lemma_score

    lemma_score.main()


if __name__ == "__main__":
    main()
