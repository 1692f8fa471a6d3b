"""How much work the checks of one uploaded file may do: its pages times a budget per page.

The checks (validation, the character count of the estimate) read pages one by one; a file whose
pages are unusually costly to read (thousands of pages sharing one huge content stream, say) is
refused with ``PDF_TOO_COMPLEX`` once it has used its budget, instead of holding PDFium for as
long as it likes. A short file gets the budget of ``MIN_PAGES`` pages.

The budget is CPU time of the checking thread, not wall time: a busy server (other threads
holding the GIL, a small job rewriting beside it) slows a check down without making the file
any more costly, and must not get an honest file refused.
"""

from __future__ import annotations

import time

from frenchnovel.errors import ErrorCode, InputError

MIN_PAGES = 100


class CheckBudget:
    """A CPU-time deadline set when the page count is known (``start``), checked page by page
    (in the thread that does the work)."""

    def __init__(self, seconds_per_page: float) -> None:
        self.seconds_per_page = seconds_per_page
        self.seconds = 0.0
        self._deadline: float | None = None

    def start(self, page_count: int) -> None:
        """Allow ``page_count`` pages' worth of time from now (once: later calls keep it)."""
        if self._deadline is None:
            self.seconds = self.seconds_per_page * max(page_count, MIN_PAGES)
            self._deadline = time.thread_time() + self.seconds

    def spend(self) -> None:
        """Raise ``PDF_TOO_COMPLEX`` when the budget is used up (call it before each page)."""
        if self._deadline is not None and time.thread_time() > self._deadline:
            raise InputError(
                f"this PDF takes too long to read: its check used the {self.seconds:.1f} s of "
                f"work its pages allow ({self.seconds_per_page * 1000:g} ms a page); "
                "simplify or re-save it, or send it in parts",
                code=ErrorCode.PDF_TOO_COMPLEX,
            )


def unlimited() -> CheckBudget:
    """A budget that never runs out (the command line checks its own files)."""
    return CheckBudget(float("inf"))
