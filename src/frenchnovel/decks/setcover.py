"""Weighted set cover: which sets cover every element at the least count, then the least cost.

``greedy`` is the classic rule (take the set that covers most uncovered elements; on a tie the
cheaper one) and is also the solver's first incumbent. ``solve`` is exact: a 0–1 MIP solved by
HiGHS (``highspy``) with a time cap, in two stages —

1. minimise the number of sets: ``min Σ x_s`` subject to ``Σ_{s ∋ e} x_s ≥ 1`` for every element;
   the solver proves the optimum or, at the cap, returns its best set and its lower bound;
2. at that count (``Σ x_s ≤ n``), minimise the secondary cost ``Σ c_s x_s`` in the time left,
   starting from stage 1's answer, so the count never gets worse.

When HiGHS finds nothing in time (or is missing), the greedy answer stands and the bound is
what stage 1 proved, or the trivial one (the largest number of elements that no two chosen
sets can share is not computed: 1 when there is anything to cover).
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class Cover:
    """Chosen set indices, the greedy count beside them, and how sure the count is."""

    chosen: tuple[int, ...]
    greedy: int
    lower_bound: int
    optimal: bool
    solver: str  # "highs" or "greedy"
    seconds: float


def greedy(sets: Sequence[frozenset[int]], costs: Sequence[float]) -> list[int]:
    """Greedy set cover of every element of ``sets`` (lazy priority queue)."""
    uncovered = set().union(*sets) if sets else set()
    heap = [(-len(s), costs[i], i) for i, s in enumerate(sets) if s]
    heapq.heapify(heap)
    chosen: list[int] = []
    while uncovered and heap:
        gain, cost, i = heapq.heappop(heap)
        fresh = len(sets[i] & uncovered)
        if fresh == 0:
            continue
        if fresh < -gain:  # stale: put it back with its real gain
            heapq.heappush(heap, (-fresh, cost, i))
            continue
        chosen.append(i)
        uncovered -= sets[i]
    return chosen


def solve(
    sets: Sequence[frozenset[int]],
    costs: Sequence[float],
    *,
    time_limit: float = 60.0,
    threads: int = 2,
    secondary: bool = True,
) -> Cover:
    """The fewest sets covering every element, then (``secondary``) the cheapest among those."""
    started = time.monotonic()
    start = greedy(sets, costs)
    try:
        import highspy  # noqa: F401
    except ImportError:  # pragma: no cover - highspy is a dependency
        return Cover(tuple(start), len(start), int(bool(start)), False, "greedy", 0.0)
    count, bound, optimal = _stage(sets, [1.0] * len(sets), start, None, time_limit, threads)
    best = count if count is not None and len(count) <= len(start) else start
    lower = max(math.ceil(bound - EPSILON), int(bool(start)))
    left = time_limit - (time.monotonic() - started)
    if secondary and left > 0.5 and best:
        cheaper, _, _ = _stage(sets, list(costs), best, len(best), left, threads)
        if cheaper is not None and len(cheaper) <= len(best):
            best = cheaper
    return Cover(
        chosen=tuple(sorted(best)),
        greedy=len(start),
        lower_bound=min(lower, len(best)),
        optimal=optimal and len(best) == lower,
        solver="highs" if count is not None else "greedy",
        seconds=time.monotonic() - started,
    )


def _stage(
    sets: Sequence[frozenset[int]],
    costs: list[float],
    start: list[int],
    at_most: int | None,
    time_limit: float,
    threads: int,
) -> tuple[list[int] | None, float, bool]:
    """One MIP: (its best answer or None, its dual bound, proven optimal)."""
    import highspy
    import numpy as np

    elements = sorted(set().union(*sets)) if sets else []
    row = {e: r for r, e in enumerate(elements)}
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", bool(__import__("os").environ.get("HIGHS_LOG")))
    h.setOptionValue("time_limit", max(0.5, time_limit))
    h.setOptionValue("threads", threads)
    h.setOptionValue("mip_rel_gap", 0.0)
    n = len(sets)
    inf = highspy.kHighsInf
    h.addRows(len(elements), np.ones(len(elements)), np.full(len(elements), inf), 0, [], [], [])
    starts: list[int] = []
    index: list[int] = []
    for s in sets:
        starts.append(len(index))
        index.extend(row[e] for e in s)
    h.addCols(
        n,
        np.array(costs, dtype=float),
        np.zeros(n),
        np.ones(n),
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.ones(len(index)),
    )
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
    )
    if at_most is not None:
        h.addRow(-inf, float(at_most), n, np.arange(n, dtype=np.int32), np.ones(n))
    values = np.zeros(n)
    values[start] = 1.0
    solution = highspy.HighsSolution()
    solution.col_value = list(values)
    h.setSolution(solution)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if info.primal_solution_status < 2:  # no feasible point
        return None, float(info.mip_dual_bound or 0.0), False
    x = h.getSolution().col_value
    chosen = [i for i in range(n) if x[i] > 0.5]
    return chosen, float(info.mip_dual_bound), status == highspy.HighsModelStatus.kOptimal
