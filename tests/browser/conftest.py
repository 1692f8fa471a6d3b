"""The browser layer: the real service in a subprocess, Debian's Chromium driven by Playwright.

Each test gets a fresh reader (a new user and token, so that its list of jobs is its own) and a
fresh browser page. Screenshots go to ``tests/browser/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.support.render import render_novel

# The machine is shared and busy: give the page time before calling a state missing.
expect.set_options(timeout=30_000)

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BIN = Path(sys.executable).parent
FRENCHNOVEL = str(BIN / "frenchnovel")
STARTUP_SECONDS = 120


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of this folder is a browser test (``-m "not browser"`` leaves them out)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class Service:
    url: str
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_env(storage: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        STORAGE_DIR=str(storage),
        # Small chunks, so that the bar of a 200-page novel moves in visible steps.
        CHUNKING_THRESHOLD_PAGES="50",
        CHUNK_SIZE_PAGES="25",
        MAX_WORKERS="2",
        RATE_LIMIT_SUBMISSIONS="1000",
        MAX_CONCURRENT_JOBS_PER_USER="5",
    )
    return env


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the service stopped at start-up:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the service did not become healthy:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """``frenchnovel serve`` on a free port, with its own storage, database and embedded Redis.

    ``BROWSER_TEST_URL`` (with ``BROWSER_TEST_TOKEN``) points the tests at a service that is
    already running instead.
    """
    if os.environ.get("BROWSER_TEST_URL"):
        yield Service(url=os.environ["BROWSER_TEST_URL"].rstrip("/"), env=dict(os.environ))
        return
    storage = tmp_path_factory.mktemp("service")
    env = _service_env(storage)
    subprocess.run([FRENCHNOVEL, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = storage / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [FRENCHNOVEL, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, for the final sweep
        )
    try:
        _wait_until_healthy(url, process, log)
        yield Service(url=url, env=env)
    finally:
        # The server first, alone: it stops its own worker, beat and embedded Redis in order.
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever of its group outlived it


@pytest.fixture
def reader(service: Service) -> str:
    """A new user with plenty of credits; returns the API token."""
    if os.environ.get("BROWSER_TEST_TOKEN"):
        return os.environ["BROWSER_TEST_TOKEN"]
    email = f"reader-{uuid.uuid4().hex[:8]}@example.org"
    done = subprocess.run(
        [FRENCHNOVEL, "users", "create", email, "--credits", "50000"],
        env=service.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make chromium`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, service: Service) -> Iterator[Page]:
    """A fresh French-speaking browser tab on the service's page (nothing remembered yet)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", accept_downloads=True
    )
    context.set_default_timeout(30_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(service.url + "/")
    yield tab
    context.close()
    assert not errors, f"the page raised JavaScript errors: {errors}"


@pytest.fixture
def signed_in(page: Page, reader: str) -> Page:
    """The page with the reader's token typed in and saved."""
    page.fill("#token", reader)
    page.press("#token", "Enter")
    expect(page.locator("#balance")).not_to_have_text("–")
    return page


BOOKS = {
    "bel-ami-200": ("maupassant", 200),
    "verne-400": ("verne", 400),
    "bovary-5": ("flaubert", 5),
}


@pytest.fixture(scope="session")
def book(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Typesets a novel of the corpus on first use: ``book("bel-ami-200")`` is 200 pages."""
    folder = tmp_path_factory.mktemp("books")

    def make(name: str) -> Path:
        out = folder / f"{name}.pdf"
        if not out.exists():
            novel, pages = BOOKS[name]
            render_novel(novel, pages=pages, out=out, corpus_text=corpus / "text")
        return out

    return make
