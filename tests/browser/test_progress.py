"""A long novel becomes a job: the reader watches its bar advance, or cancels it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screenshots import shot

pytestmark = pytest.mark.slow

PROCESSING_MS = 480_000

# Records every percent and every kind of updates the page shows, so that no step is missed
# between two looks.
RECORD_PROGRESS = """
() => {
  const record = (selector, list) => {
    const target = document.querySelector(selector);
    window[list] = [];
    new MutationObserver(() => window[list].push(target.textContent))
      .observe(target, { childList: true, characterData: true, subtree: true });
  };
  record('#progress-percent', 'seenPercents');
  record('#progress-mode', 'seenModes');
}
"""
LIVE = "Suivi en direct"
POLLING = "Suivi par interrogation"


def submit(page: Page, pdf: Path, *, pages: int = 200) -> None:
    page.set_input_files("#file-input", str(pdf))
    expect(page.locator("#estimate-pages")).to_have_text(str(pages))
    page.click("#confirm")
    expect(page.locator("#progress")).to_be_visible()


def percents(page: Page) -> list[int]:
    seen: list[str] = page.evaluate("window.seenPercents")
    # The busy bar of the upload itself shows no percent: only the job's figures count.
    return [int(text.rstrip(" %")) for text in seen if text]


def test_a_reader_watches_a_long_novel_advance_to_completion(
    signed_in: Page, book: Callable[[str], Path]
) -> None:
    page = signed_in
    page.evaluate(RECORD_PROGRESS)
    submit(page, book("bel-ami-200"))
    expect(page.locator("#progress-status")).to_have_text(re.compile("en attente|en cours"))
    expect(page.locator("#progress-chunks")).to_contain_text("/ 8")
    shot(page, "07-long-novel-started", top="#progress")

    page.wait_for_function(
        "() => window.seenPercents.some((t) => t && t !== '0 %' && t !== '100 %')",
        timeout=PROCESSING_MS,
    )
    shot(page, "08-long-novel-advancing", top="#progress")
    expect(page.locator("#progress-elapsed")).not_to_have_text("–")

    expect(page.locator("#results")).to_be_visible(timeout=PROCESSING_MS)
    expect(page.locator("#progress-status")).to_have_text("terminé")
    expect(page.locator("#progress-chunks")).to_have_text("8 / 8")
    expect(page.locator("#progress-percent")).to_have_text("100 %")
    shot(page, "09-long-novel-done", top="#progress")

    seen = percents(page)
    assert any(0 < p < 100 for p in seen), seen
    assert seen == sorted(seen), f"the bar went backwards: {seen}"
    modes = page.evaluate("window.seenModes")
    assert LIVE in modes and POLLING not in modes, f"the event stream was not used: {modes}"
    # Thousands of sentences, one page of rows in the document.
    expect(page.locator("#results-body tr.sentence")).to_have_count(25)
    page.click("#pager-last")
    expect(page.locator("#pager-next")).to_be_disabled()
    shot(page, "10-long-novel-last-page", top="#results")


def test_a_reader_reopens_a_running_job_cancels_it_and_gets_the_credits_back(
    signed_in: Page, book: Callable[[str], Path]
) -> None:
    page = signed_in
    balance_before = page.inner_text("#balance")
    submit(page, book("verne-400"), pages=400)
    expect(page.locator("#balance")).not_to_have_text(balance_before)  # credits reserved

    # A new visit: the running job waits in the list, and opens on its live progress.
    page.reload()
    job = page.locator("#jobs-body tr", has_text="verne-400.pdf")
    expect(job).to_contain_text(re.compile("en attente|en cours"))
    job.get_by_role("button").click()
    expect(page.locator("#progress-title")).to_be_focused()
    expect(page.locator("#progress-file")).to_have_text("verne-400.pdf")
    expect(page.locator("#cancel")).to_be_enabled()
    shot(page, "11-cancel-before", top="#progress")

    page.click("#cancel")
    expect(page.locator("#progress-status")).to_have_text("annulé")
    expect(page.locator("#cancel")).to_be_hidden()
    expect(page.locator("#results")).to_be_hidden()
    expect(page.locator("#balance")).to_have_text(balance_before)
    shot(page, "12-cancelled", top="#progress")

    page.click("#jobs-refresh")
    expect(job).to_contain_text("annulé")
    shot(page.locator("#jobs"), "13-cancelled-in-past-jobs")


def test_the_bar_still_advances_by_polling_when_the_event_stream_is_blocked(
    signed_in: Page, corpus: Path
) -> None:
    page = signed_in
    # A proxy that buffers or drops event streams: the page must notice and poll instead.
    page.route("**/events", lambda route: route.abort())
    page.evaluate(RECORD_PROGRESS)
    page.set_input_files("#file-input", str(corpus / "pdf" / "voltaire_candide_ligaran2015.pdf"))
    page.click("#confirm")
    expect(page.locator("#results")).to_be_visible(timeout=PROCESSING_MS)
    expect(page.locator("#progress-status")).to_have_text("terminé")
    expect(page.locator("#progress-percent")).to_have_text("100 %")
    assert POLLING in page.evaluate("window.seenModes")
    shot(page, "13b-polling-fallback-done", top="#progress")
