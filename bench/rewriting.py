"""The rewriting section of ``make bench-quality``: does each piece stand alone, within the limit,
close to an editor's rewrite, and how fast?

Two sets: the 100 sentences of ``corpus/rewrite_dev`` (with an editor's rewrite at 8 words) and a
fixed random sample of the long sentences of the four novels (seeded, 75 a novel, segmented by the
project's segmenter). Systems: ``naive`` (a cut every 8 words, ``rewrite_quality.naive_engine``),
``local (before)`` (the engine of commit ``BEFORE``, run from a temporary git worktree),
``local (new)`` (this tree's engine) and ``reference`` (the editor, dev set only). Each engine runs
in its own process (``engine_run.py``), so the two never share a module.

Figures: the share of pieces passing the mechanical checks of ``frenchnovel.pipeline.standalone``
(each piece parsed alone) and the most frequent reasons for failing; the share within the limit;
the words over the limit (summed, and per over-limit piece); SARI against the editor (``sari``);
words per second of segmentation + rewrite on one core (CPU time, model loaded). The pieces of
every system on the dev set are written to ``var/bench/rewriting-dev.json`` for reading.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import rewrite_quality as rq
from sari import Sari, corpus_sari

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.segment import split_sentences
from frenchnovel.pipeline.standalone import Verdict, check
from frenchnovel.pipeline.words import count_words

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BEFORE = "10ddc83"  # the local engine before the rewrite of « readable first »
SEED, PER_NOVEL = 11, 75
OUT = REPO / "var" / "bench" / "rewriting-dev.json"
Targets = list[tuple[str, str, bool]]


class DevItem(TypedDict):
    id: str
    source: str
    reference: list[str]  # the editor's pieces


class Unavailable(Exception):
    """An engine that could not be run: the message says why."""


@dataclass(slots=True)
class Run:
    pieces: list[list[str]]
    cpu: float | None  # seconds of segmentation + rewrite; None for the editor


@dataclass(slots=True)
class Figures:
    sentences: int
    pieces: int
    passing: int
    reasons: Counter[str]
    within: int
    over_words: int
    over_pieces: int
    sari: Sari | None
    words_per_s: float | None


def dev_set(corpus: Path) -> list[DevItem]:
    path = corpus / "rewrite_dev" / "references.json"
    items: list[DevItem] = json.loads(path.read_text(encoding="utf-8"))
    return items


def novels_sample(corpus: Path, limit: int) -> list[str]:
    """``PER_NOVEL`` sentences over ``limit`` words of each novel, drawn with a fixed seed."""
    rng = random.Random(SEED)
    sample = []
    for paragraphs in rq.novels(corpus).values():
        found = [s for p in paragraphs for s in split_sentences(p) if count_words(s) > limit]
        sample.extend(rng.sample(found, PER_NOVEL))
    return sample


def naive_run(sentences: list[str], limit: int) -> Run:
    cpu = time.process_time()
    for sentence in sentences:
        split_sentences(sentence)
    pieces = rq.naive_engine(sentences, JobOptions(sentence_length_limit=limit))
    return Run(pieces, time.process_time() - cpu)


def engine_runs(src: Path, sets: dict[str, list[str]], limit: int) -> dict[str, Run]:
    """The local engine of the ``frenchnovel`` package under ``src``, run in a child process."""
    with tempfile.TemporaryDirectory(prefix="frenchnovel-bench-") as tmp:
        spec, out = Path(tmp) / "in.json", Path(tmp) / "out.json"
        spec.write_text(json.dumps({"limit": limit, "sets": sets}), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(src)}
        command = [sys.executable, str(BENCH / "engine_run.py"), str(spec), str(out)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise Unavailable(f"the engine failed: {last}")
        result = json.loads(out.read_text(encoding="utf-8"))
    if not Path(result["module"]).resolve().is_relative_to(src.resolve()):
        raise Unavailable(f"imported {result['module']} instead of the package under {src}")
    return {name: Run(r["pieces"], r["cpu"]) for name, r in result["sets"].items()}


@contextmanager
def worktree(repo: Path, commit: str) -> Iterator[Path]:
    """A detached git worktree of ``commit`` in a temporary directory, removed afterwards."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)

    if shutil.which("git") is None:
        raise Unavailable("git is not installed")
    if git("cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        raise Unavailable(f"{repo} is not a git checkout holding commit {commit}")
    tmp = Path(tempfile.mkdtemp(prefix="frenchnovel-before-"))
    tree = tmp / "tree"
    added = git("worktree", "add", "--detach", str(tree), commit)
    try:
        if added.returncode != 0:
            raise Unavailable(f"git worktree add failed: {added.stderr.strip()}")
        yield tree
    finally:
        git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(tmp, ignore_errors=True)
        git("worktree", "prune")


def figures(
    sources: list[str],
    run: Run,
    limit: int,
    verdicts: dict[str, Verdict],
    references: list[list[str]] | None = None,
) -> Figures:
    flat = [piece for pieces in run.pieces for piece in pieces]
    lengths = [count_words(piece) for piece in flat]
    over = [n - limit for n in lengths if n > limit]
    sari = None
    if references is not None:
        outputs = [" ".join(pieces) for pieces in run.pieces]
        sari = corpus_sari(sources, outputs, [" ".join(r) for r in references])
    words = sum(count_words(s) for s in sources)
    return Figures(
        sentences=len(sources),
        pieces=len(flat),
        passing=sum(verdicts[p].passes for p in flat),
        reasons=Counter(str(r) for p in flat for r in verdicts[p].reasons),
        within=len(flat) - len(over),
        over_words=sum(over),
        over_pieces=len(over),
        sari=sari,
        words_per_s=words / run.cpu if run.cpu else None,
    )


def _row(name: str, f: Figures, columns: tuple[str, ...]) -> str:
    failures = ", ".join(
        f"{reason.replace('_', ' ')} {count / f.pieces:.3f}"
        for reason, count in f.reasons.most_common(3)
    )
    cells = {
        "pieces/sentence": f"{f.pieces / f.sentences:.2f}",
        "stand alone (checks)": f"{f.passing / f.pieces:.3f}",
        "most frequent failures (share of pieces)": failures or "—",
        "within limit": f"{f.within / f.pieces:.3f}",
        "words over limit": f"{f.over_words}",
        "per over-limit piece": f"{f.over_words / f.over_pieces:.1f}" if f.over_pieces else "—",
        "SARI (add / keep / del)": (
            f"{f.sari.score:.1f} ({f.sari.add:.1f} / {f.sari.keep:.1f} / {f.sari.delete:.1f})"
            if f.sari
            else "—"
        ),
        "words/s": f"{f.words_per_s:,.0f}" if f.words_per_s else "—",
    }
    return f"| {name} | " + " | ".join(cells[c] for c in columns) + " |"


def table(
    title: str, columns: tuple[str, ...], rows: dict[str, Figures], missing: dict[str, str]
) -> None:
    print(f"### {title}\n")
    print("| system | " + " | ".join(columns) + " |")
    print("|---|" + "|".join("---" if "failures" in c else "---:" for c in columns) + "|")
    for name, f in rows.items():
        print(_row(name, f, columns))
    for name, why in missing.items():
        why = " ".join(why.replace("|", "/").split())
        print(f"| {name} | unavailable: {why} |" + " |" * (len(columns) - 1))
    print()


def section(corpus: Path, limit: int, targets: Targets) -> None:
    """Print the rewriting section and add its targets."""
    dev = dev_set(corpus)
    sources = [item["source"] for item in dev]
    references = [item["reference"] for item in dev]
    sets = {"dev": sources, "novels": novels_sample(corpus, limit)}
    runs: dict[str, dict[str, Run]] = {"naive": {k: naive_run(v, limit) for k, v in sets.items()}}
    unavailable: dict[str, str] = {}
    try:
        with worktree(REPO, BEFORE) as tree:
            runs["local (before)"] = engine_runs(tree / "src", sets, limit)
    except (Unavailable, OSError, subprocess.SubprocessError) as exc:
        unavailable["local (before)"] = str(exc)
    try:
        runs["local (new)"] = engine_runs(REPO / "src", sets, limit)
    except (Unavailable, OSError, subprocess.SubprocessError) as exc:
        unavailable["local (new)"] = str(exc)
    runs["reference"] = {"dev": Run(references, None)}

    every = {
        p for by_set in runs.values() for run in by_set.values() for ps in run.pieces for p in ps
    }
    pieces = sorted(every)
    verdicts = dict(zip(pieces, check(pieces), strict=True))
    scored = {
        name: {
            key: figures(sets[key], run, limit, verdicts, references if key == "dev" else None)
            for key, run in by_set.items()
        }
        for name, by_set in runs.items()
    }
    n_words = sum(count_words(s) for s in sets["novels"])
    print(f"## Rewriting at limit {limit}: pieces that stand alone, length, SARI, speed\n")
    common = (
        "pieces/sentence",
        "stand alone (checks)",
        "most frequent failures (share of pieces)",
        "within limit",
        "words over limit",
        "per over-limit piece",
    )
    table(
        f"The {len(sources)} dev sentences of `rewrite_dev` (SARI against the editor's rewrite)",
        (*common, "SARI (add / keep / del)"),
        {name: s["dev"] for name, s in scored.items()},
        unavailable,
    )
    table(
        f"A sample of the four novels: {len(sets['novels'])} sentences over {limit} words "
        f"({n_words} words; seed {SEED}, {PER_NOVEL} a novel)",
        (*common, "words/s"),
        {name: s["novels"] for name, s in scored.items() if "novels" in s},
        unavailable,
    )
    print(
        "stand alone (checks): each piece parsed alone has a main clause (finite verb and subject, "
        "imperative, inversion; a question or exclamation may be verbless), does not end on an "
        "article, preposition, conjunction, clitic or « ne », does not open with a subordinator "
        "or relative without a main clause, and gives « ne » its second part "
        "(`frenchnovel.pipeline.standalone`). words over limit: the words beyond "
        f"{limit} summed over the pieces, then per over-limit piece. SARI: Xu et al. 2016, "
        "corpus level, pieces joined. words/s: CPU time of segmentation + rewrite of these long "
        f"sentences only (every one is rewritten), one core, model loaded. `local (before)`: "
        f"commit {BEFORE} run from a temporary git worktree.\n"
    )
    write_pieces(dev, runs)
    print(f"Pieces of every system on the dev set, for reading: `{OUT}`\n")
    add_targets(scored, targets)


def write_pieces(dev: list[DevItem], runs: dict[str, dict[str, Run]]) -> None:
    items = [
        {"id": item["id"], "source": item["source"]}
        | {name: by_set["dev"].pieces[i] for name, by_set in runs.items()}
        for i, item in enumerate(dev)
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")


def add_targets(scored: dict[str, dict[str, Figures]], targets: Targets) -> None:
    new = scored.get("local (new)")
    if new is None:
        targets.append(("local (new) measured", "unavailable", False))
        return
    for key, label in (("dev", "dev sentences"), ("novels", "novels' sample")):
        share = new[key].passing / new[key].pieces
        targets.append((f"checks ≥ 0.85 of pieces, {label}", f"{share:.3f}", share >= 0.85))
    for key, label in (("dev", "dev sentences"), ("novels", "novels' sample")):
        share = new[key].within / new[key].pieces
        targets.append((f"within limit ≥ 0.75 of pieces, {label}", f"{share:.3f}", share >= 0.75))
    speed = new["novels"].words_per_s or 0.0
    targets.append(
        ("≥ 5,000 words/s, long sentences of the sample", f"{speed:,.0f}", speed >= 5000)
    )
