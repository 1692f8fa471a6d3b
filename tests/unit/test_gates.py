"""A gate runs its work in threads of its own, lets a bounded line wait without a thread, and
refuses the next caller at once with SERVER_BUSY and a Retry-After."""

from __future__ import annotations

import threading

import anyio
import anyio.to_thread
import pytest

from frenchnovel.api.errors import status_for
from frenchnovel.api.gates import Gate, ServerBusy
from frenchnovel.errors import ErrorCode


def test_a_full_line_refuses_the_next_caller_at_once_and_the_others_get_their_turn() -> None:
    gate = Gate("checks", slots=1, waiting=2)
    release = threading.Event()
    outcomes: list[str] = []

    def work() -> str:
        release.wait(10)
        return "done"

    async def call() -> None:
        try:
            outcomes.append(await gate.run(work))
        except ServerBusy as exc:
            outcomes.append(f"busy {exc.retry_after}")

    async def main() -> None:
        # A server pool of a single thread: waiting in it would leave no room for anything.
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1
        async with anyio.create_task_group() as tasks:
            for _ in range(4):  # one runs, two wait, the fourth finds the line full
                tasks.start_soon(call)
                await anyio.sleep(0.05)
            assert outcomes == ["busy 10"]
            # The waiting callers hold no thread: the default pool still answers at once.
            with anyio.fail_after(2):
                assert await anyio.to_thread.run_sync(lambda: "cheap") == "cheap"
            release.set()

    anyio.run(main)

    assert sorted(outcomes) == ["busy 10", "done", "done", "done"]


def test_server_busy_is_a_documented_4xx() -> None:
    assert status_for(ErrorCode.SERVER_BUSY) == 429
    assert status_for(ErrorCode.PDF_TOO_COMPLEX) == 422


@pytest.mark.parametrize("waiting", [0, 1])
def test_an_idle_gate_always_has_room(waiting: int) -> None:
    gate = Gate("jobs", slots=1, waiting=waiting)

    async def main() -> str:
        return await gate.run(lambda: "ran")

    assert anyio.run(main) == "ran"
