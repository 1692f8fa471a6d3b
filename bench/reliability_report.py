"""The reliability report: runs the suites of ``tests/reliability`` with pytest and prints one
table: each scenario, how many times it ran, how many runs passed, and what was lost.

"Lost" counts, over a scenario's runs, jobs left stuck (not final when the test gave up),
jobs whose credits do not add up (the ledger invariant, checked after every test) and files left
behind in STORAGE_DIR by a refused or interrupted upload. A scenario is one test function; its
runs are its parametrized cases, times ``--repeat``.

    python bench/reliability_report.py [--repeat N] [-k EXPRESSION] [--fast]

``--fast`` leaves out the tests marked slow (the faults and money suites). The exit status is
non-zero when any run failed or anything was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUITES = "tests/reliability"
# Reliability tests that live beside the layer they exercise (issue 12).
ALSO = ["tests/integration/test_orphaned_jobs.py", "tests/integration/test_text_uploads.py"]
LOG_ENV = "FRENCHNOVEL_RELIABILITY_LOG"


@dataclass
class Scenario:
    suite: str
    name: str
    runs: int = 0
    passed: int = 0
    stuck: int = 0
    unbalanced: int = 0
    files_left: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def lost(self) -> str:
        parts = [
            f"{count} {what}"
            for count, what in (
                (self.stuck, "stuck"),
                (self.unbalanced, "unbalanced"),
                (self.files_left, "files left"),
            )
            if count
        ]
        return ", ".join(parts) or "0"


def _run_pytest(junit: Path, log: Path, extra: list[str]) -> int:
    env = dict(os.environ, **{LOG_ENV: str(log)})
    command = [sys.executable, "-m", "pytest", SUITES, *ALSO, "-q", "-p", "no:cacheprovider"]
    command += [f"--junitxml={junit}", *extra]
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


def _key(nodeid_file: str, name: str) -> tuple[str, str]:
    suite = Path(nodeid_file).stem.removeprefix("test_")
    function = re.sub(r"\[.*\]$", "", name).removeprefix("test_").replace("_", " ")
    return suite, function


def _collect(junit: Path, log: Path, scenarios: dict[tuple[str, str], Scenario]) -> None:
    for case in ET.parse(junit).getroot().iter("testcase"):
        if case.find("skipped") is not None:
            continue
        path = case.get("classname", "").replace(".", "/") + ".py"
        key = _key(path, case.get("name", ""))
        scenario = scenarios.setdefault(key, Scenario(*key))
        scenario.runs += 1
        failed = case.find("failure") is not None or case.find("error") is not None
        scenario.passed += 0 if failed else 1
    if not log.exists():
        return
    for line in log.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        path, _, name = record["nodeid"].partition("::")
        key = _key(path, name)
        scenario = scenarios.setdefault(key, Scenario(*key))
        scenario.stuck += record["stuck"]
        scenario.unbalanced += record["unbalanced"]
        scenario.files_left += record["files_left"]
        scenario.notes += record["notes"]


def _table(scenarios: list[Scenario], seconds: float) -> str:
    width = min(84, max(len(s.name) for s in scenarios))
    header = f"| {'suite':<10} | {'scenario':<{width}} | runs | passed | lost |"
    rule = f"|{'-' * 12}|{'-' * (width + 2)}|------|--------|------|"
    rows = [header, rule]
    for s in scenarios:
        name = s.name if len(s.name) <= width else s.name[: width - 1] + "…"
        rows.append(f"| {s.suite:<10} | {name:<{width}} | {s.runs:>4} | {s.passed:>6} | {s.lost} |")
    total = Scenario("", "")
    for s in scenarios:
        total.runs += s.runs
        total.passed += s.passed
        total.stuck += s.stuck
        total.unbalanced += s.unbalanced
        total.files_left += s.files_left
    rows.append(
        f"| {'all':<10} | {f'{len(scenarios)} scenarios in {seconds:.0f} s':<{width}} | "
        f"{total.runs:>4} | {total.passed:>6} | {total.lost} |"
    )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="run the suites this many times")
    parser.add_argument("-k", dest="keyword", help="only the tests matching this expression")
    parser.add_argument("--fast", action="store_true", help="leave out the slow suites")
    args = parser.parse_args()
    extra = ["-m", "not slow"] if args.fast else []
    if args.keyword:
        extra += ["-k", args.keyword]
    scenarios: dict[tuple[str, str], Scenario] = {}
    status = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reliability-") as folder:
        for run in range(args.repeat):
            junit, log = Path(folder) / f"junit-{run}.xml", Path(folder) / f"lost-{run}.jsonl"
            status = _run_pytest(junit, log, extra) or status
            if junit.exists():
                _collect(junit, log, scenarios)
    seconds = time.monotonic() - started
    ordered = sorted(scenarios.values(), key=lambda s: (s.suite, s.name))
    if not ordered:
        print("no test ran", file=sys.stderr)
        return status or 1
    print()
    print(_table(ordered, seconds))
    notes = [f"{s.suite}/{s.name}: {note}" for s in ordered for note in s.notes]
    if notes:
        print("\nnotes:\n" + "\n".join(f"  {note}" for note in notes))
    lost = any(s.stuck or s.unbalanced or s.files_left for s in ordered)
    return status or int(lost)


if __name__ == "__main__":
    sys.exit(main())
