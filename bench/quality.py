"""Segmentation F1 and rewriting quality against references (``make bench-quality``).

Prints one table per measure: sentence-boundary F1 of our segmenter, spaCy's ``senter`` and pysbd on
the literary gold and on each UD French file; the ``local`` engine against a naive baseline on a
sample of the long sentences of the four novels; the rewriting section of ``rewriting.py`` (pieces
that stand alone, within the limit, SARI against an editor, speed: naive, the engine before its
rewrite, the engine now); the words per second of segment + rewrite on one core. Targets are
printed beside the figures; nothing here is a test.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import one_core  # noqa: F401  (first: one core, before numpy loads)

sys.path.insert(0, str(Path(__file__).resolve().parent))

import rewrite_quality as rq
import rewriting
import seg_quality as sq

from frenchnovel.pipeline.nlp import get_nlp
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.words import count_words

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("FRENCHNOVEL_CORPUS", REPO.parent / "shared" / "corpus"))
LIMIT = 8


Targets = list[tuple[str, str, bool]]  # (target, figure, met)


def segmentation_table(targets: Targets) -> None:
    sets = {"literary (169 par.)": sq.literary_gold(CORPUS)}
    for path in sorted((CORPUS / "conllu").glob("*.conllu")):
        sets[path.stem] = sq.conllu_gold(path)
    print("## Segmentation: sentence-boundary P / R / F1 (boundaries inside paragraphs)\n")
    print(f"| {'set':22} | {'system':13} | precision | recall |    F1 |   TP |  FP |  FN |")
    print(f"|{'-' * 24}|{'-' * 15}|----------:|-------:|------:|-----:|----:|----:|")
    for name, gold in sets.items():
        f1 = {}
        for system, splitter in sq.SYSTEMS.items():
            s = sq.score(gold, splitter)
            f1[system] = s.f1
            print(
                f"| {name:22} | {system:13} | {s.precision:9.3f} | {s.recall:6.3f} | "
                f"{s.f1:5.3f} | {s.tp:4} | {s.fp:3} | {s.fn:3} |"
            )
        best_reference = max(v for k, v in f1.items() if k != "ours")
        targets.append((f"F1 ≥ 0.97, {name}", f"{f1['ours']:.3f}", f1["ours"] >= 0.97))
        targets.append(
            (
                f"above spaCy and pysbd, {name}",
                f"{f1['ours']:.3f} vs {best_reference:.3f}",
                f1["ours"] > best_reference,
            )
        )
    print("\nLiterary F1 by novel (ours):", end="")
    gold = sq.literary_gold(CORPUS)
    novels = sq.literary_sources(CORPUS)
    for novel in dict.fromkeys(novels):
        part = [g for g, n in zip(gold, novels, strict=True) if n == novel]
        print(f"  {novel.split('_')[0]} {sq.score(part, sq.ours).f1:.3f}", end="")
    print("\n")


def rewriting_table(every: int, targets: Targets) -> None:
    options = JobOptions(sentence_length_limit=LIMIT)
    paragraphs = rq.novels(CORPUS)
    sentences = [s for paras in paragraphs.values() for s in rq.long_sentences(paras, LIMIT, every)]
    n_words = sum(count_words(s) for s in sentences)
    print(
        f"## Rewriting at limit {LIMIT}: every {every}th sentence over {LIMIT} words of the four "
        f"novels ({len(sentences)} sentences, {n_words} words)\n"
    )
    print(
        "| engine | within limit | finite verb | content recall | absent tokens | pieces/sentence "
        "| dangling ends |"
    )
    print(
        "|--------|------------:|------------:|---------------:|--------------:|----------------:"
        "|--------------:|"
    )
    engines = (("local", rq.local_engine), ("naive", rq.naive_engine))
    for name, engine in engines:
        q = rq.measure(sentences, engine(sentences, options), LIMIT)
        row = q.row()
        if name == "local":
            local = row
        print(
            f"| {name} | {row['within limit']:.3f} | {row['finite verb']:.3f} | "
            f"{row['content recall']:.3f} | {row['absent tokens']:.3f} | "
            f"{q.outputs / q.sentences:.2f} | {row['dangling ends']:.3f} |"
        )
    bound = verb_bound(sentences)
    targets.extend(
        [
            (
                "finite verb ≥ 0.80",
                f"{local['finite verb']:.3f} (bound {bound:.3f})",
                local["finite verb"] >= 0.80,
            ),
            (
                "content recall ≥ 0.98",
                f"{local['content recall']:.3f}",
                local["content recall"] >= 0.98,
            ),
            (
                "absent tokens ≤ 0.03",
                f"{local['absent tokens']:.3f}",
                local["absent tokens"] <= 0.03,
            ),
        ]
    )
    print(
        f"| bound | 1.000 | {bound:.3f} | 1.000 | 0.000 | — | — |\n\n"
        "bound: the best finite-verb share reachable without adding verbs: each sentence cut into "
        f"the fewest pieces (ceil(words / {LIMIT})) or one per finite verb if it has more, each of "
        "the source's finite verbs (spaCy) in its own piece. Pieces are parsed with their first "
        "letter as the source writes it (the capital is the rewriter's). dangling ends: pieces "
        "that end on an article, a preposition, a conjunction or a clitic (« … au bord de. »).\n"
    )


def verb_bound(sentences: list[str]) -> float:
    """Upper bound of the finite-verb share when no verb may be invented (see the table note).

    A sentence of W words and F finite verbs needs at least P = ceil(W / limit) pieces; at best
    F of them hold a verb when F < P, and all of max(P, F) pieces do otherwise.
    """
    pieces = verbs = 0
    for sentence, doc in zip(sentences, get_nlp().pipe(sentences, batch_size=128), strict=True):
        fewest = math.ceil(count_words(sentence) / LIMIT)
        finite = sum(1 for t in doc if "Fin" in t.morph.get("VerbForm"))
        pieces += max(fewest, finite)
        verbs += finite
    return verbs / pieces


def speed_table(paragraphs_per_novel: int, targets: Targets) -> None:
    options = JobOptions(sentence_length_limit=LIMIT)
    get_nlp()  # loading the model is a once-per-process cost, not throughput
    words = cpu = wall = 0.0
    for paras in rq.novels(CORPUS).values():
        w, c, t = rq.speed(paras[:paragraphs_per_novel], options)
        words, cpu, wall = words + w, cpu + c, wall + t
    print(
        f"## Speed, one core: segment + rewrite of the first {paragraphs_per_novel} paragraphs of "
        f"each novel\n\n{int(words)} words in {cpu:.1f} s of CPU: **{words / cpu:,.0f} words/s** "
        f"(target ≥ 5,000); wall clock {wall:.1f} s ({words / wall:,.0f} words/s, on a core "
        "shared with other work)\n"
    )
    targets.append(("≥ 5,000 words/s, one core", f"{words / cpu:,.0f}", words / cpu >= 5000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--every", type=int, default=8, help="sample every Nth long sentence")
    parser.add_argument("--paragraphs", type=int, default=600, help="paragraphs/novel for speed")
    args = parser.parse_args()
    started = time.perf_counter()
    targets: Targets = []
    segmentation_table(targets)
    rewriting_table(args.every, targets)
    rewriting.section(CORPUS, LIMIT, targets)
    speed_table(args.paragraphs, targets)
    print("## Targets\n\n| target | figure | met |\n|--------|-------:|:---:|")
    for target, figure, met in targets:
        print(f"| {target} | {figure} | {'yes' if met else '**no**'} |")
    print(f"\n(bench ran in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
