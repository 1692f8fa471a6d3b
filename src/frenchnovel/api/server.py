"""``frenchnovel serve``: the API under Uvicorn, stopped cleanly by SIGTERM or SIGINT."""

from __future__ import annotations

import gc
import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import uvicorn

from frenchnovel.config import Settings, get_settings

log = logging.getLogger(__name__)


def serve(host: str = "127.0.0.1", port: int = 5000) -> None:
    """Run the API on ``host:port`` until interrupted (the schema of a SQLite database is
    upgraded first; PostgreSQL expects ``frenchnovel db upgrade``)."""
    from frenchnovel.api.app import create_app
    from frenchnovel.observe import start_observing

    settings = get_settings()
    start_observing("frenchnovel-api", settings)
    with _stop_signals() as stops:
        if settings.redis_url:
            _run(create_app(settings), host, port, stops)
            return
        # One machine, nothing configured: the embedded Redis, a worker and beat beside the API.
        from frenchnovel.worker.local_stack import local_stack

        with local_stack(settings) as stack:
            _welcome_first_reader(stack.settings, host, port)
            app = create_app(stack.settings)
            app.state.broker = "embedded"
            _run(app, host, port, stops, on_exit=stack.supervisor.stop_watching)
        log.info("stopped: the worker, beat and the embedded Redis are gone")


class _StopRequests:
    """What SIGINT and SIGTERM do outside Uvicorn's own handling of them.

    Uvicorn, once shut down, raises the signal that stopped it again for the handler it found
    installed: with the default ones, SIGTERM would end the process there, before ``serve``
    stops the worker, beat and the embedded Redis. With these, the signal ends nothing more:
    a server that has run is already stopping; one still starting is told to stop at once, and
    before any server exists the start-up unwinds (its ``finally`` clauses run).
    """

    def __init__(self) -> None:
        self.server: uvicorn.Server | None = None
        self.received: list[int] = []

    def handle(self, sig: int, frame: FrameType | None) -> None:
        self.received.append(sig)
        if self.server is None:
            raise SystemExit(0)
        self.server.should_exit = True


@contextmanager
def _stop_signals() -> Iterator[_StopRequests]:
    stops = _StopRequests()
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, stops.handle) for sig in signals}
    try:
        yield stops
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _Server(uvicorn.Server):
    """Uvicorn's server, telling ``on_exit`` as soon as a signal asks it to stop."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)


def _run(
    app: Any,
    host: str,
    port: int,
    stops: _StopRequests,
    on_exit: Callable[[], None] = lambda: None,
) -> None:
    # log_config=None: Uvicorn's lines go through the root handler (observe.logs), ids and all.
    config = uvicorn.Config(
        app, host=host, port=port, log_level="info", proxy_headers=False, log_config=None
    )
    # What start-up loaded (spaCy's tables, boto3's S3 model: some 160,000 objects) lives as
    # long as the process: out of the collector's sight, a full collection takes microseconds
    # instead of ~100 ms stolen from the requests (bench/service.py's polling latency).
    gc.freeze()
    stops.server = _Server(config, on_exit)
    stops.server.run()


def _welcome_first_reader(settings: Settings, host: str, port: int) -> None:
    """Print a token for the first account of a fresh install, so the page works at once."""
    from frenchnovel.storage.accounts import LOCAL_READER, create_first_user

    token = create_first_user(settings)
    if token is None:
        return
    print(  # the newcomer reads this on the terminal
        f"\n  First account {LOCAL_READER} (monthly credits included). Open http://{host}:{port}"
        f"/ and paste this token (shown once):\n\n      {token}\n",
        flush=True,
    )
