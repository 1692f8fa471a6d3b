"""``frenchnovel serve``: the API under Uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from frenchnovel.config import Settings, get_settings


def serve(host: str = "127.0.0.1", port: int = 5000) -> None:
    """Run the API on ``host:port`` until interrupted (the schema of a SQLite database is
    upgraded first; PostgreSQL expects ``frenchnovel db upgrade``)."""
    from frenchnovel.api.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = get_settings()
    if settings.redis_url:
        app = create_app(settings)
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
        return
    # One machine, nothing configured: the embedded Redis, a worker and beat run beside the API.
    from frenchnovel.worker.local_stack import local_stack

    with local_stack(settings) as stack_settings:
        _welcome_first_reader(stack_settings, host, port)
        app = create_app(stack_settings)
        app.state.broker = "embedded"
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


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
