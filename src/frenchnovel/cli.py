"""The ``frenchnovel`` command: process a novel in-process, or run the service's parts.

Each command is a thin shell over a function of the package; errors print one line
``error: CODE: message`` and exit with status 2, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from frenchnovel.cli_deck import deck_app
from frenchnovel.errors import FrenchNovelError

app = typer.Typer(
    help="French Novel Tool: turn French novels into short, self-standing sentences.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
credits_app = typer.Typer(help="Credits.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(credits_app, name="credits")
app.add_typer(deck_app, name="deck")

P = ParamSpec("P")
R = TypeVar("R")


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a project error into one line on stderr and exit status 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except FrenchNovelError as exc:
            typer.echo(f"error: {exc.code.value}: {exc.message}", err=True)
            raise typer.Exit(2) from None

    return wrapper


@app.command()
@friendly_errors
def process(
    file: Annotated[Path, typer.Argument(help="A novel: PDF, EPUB or .txt.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output .json .csv .xlsx .txt")],
    word_limit: Annotated[int, typer.Option(help="Longest sentence kept as is, in words.")] = 8,
    min_length: Annotated[int, typer.Option(help="Shortest piece, in words.")] = 2,
    ignore_dialogue: Annotated[bool, typer.Option(help="Keep quoted speech unchanged.")] = False,
    engine: Annotated[str, typer.Option(help="local, gemini or openai.")] = "local",
    model_preference: Annotated[str, typer.Option(help="balanced, quality or speed.")] = "balanced",
    ocr: Annotated[
        str, typer.Option(help="Scanned pages: auto (pages without text), off, or force (all).")
    ] = "auto",
    workers: Annotated[int, typer.Option(help="Chunks processed in parallel.")] = 1,
    chunk_size: Annotated[int | None, typer.Option(help="Pages per chunk.")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
) -> None:
    """Process a novel in-process and write the result."""
    from frenchnovel.cli_process import run_process

    run_process(
        file,
        output,
        settings={
            "sentence_length_limit": word_limit,
            "min_sentence_length": min_length,
            "ignore_dialogue": ignore_dialogue,
            "engine": engine,
            "model_preference": model_preference,
            "ocr": ocr,
        },
        workers=workers,
        chunk_size=chunk_size,
        progress=progress,
    )


@app.command()
@friendly_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 5000,
) -> None:
    """Run the HTTP API (and, without REDIS_URL, an embedded Redis, one worker and beat)."""
    from frenchnovel.api.server import serve as run_server

    run_server(host=host, port=port)


@app.command()
@friendly_errors
def worker(
    metrics_port: Annotated[
        int | None,
        typer.Option(help="Serve Prometheus metrics on this port (WORKER_METRICS_PORT; 0: off)."),
    ] = None,
) -> None:
    """Run a Celery worker (concurrency MAX_WORKERS)."""
    from frenchnovel.worker.runner import run_worker

    run_worker(metrics_port=metrics_port)


@app.command()
@friendly_errors
def beat() -> None:
    """Run Celery beat: hourly cleanup of old jobs and the reaper of stuck ones."""
    from frenchnovel.worker.runner import run_beat

    run_beat()


@app.command()
@friendly_errors
def flower(
    port: Annotated[int, typer.Option(help="Flower's port.")] = 5555,
    address: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 in a container).")
    ] = "127.0.0.1",
) -> None:
    """Run Flower, Celery's monitoring page."""
    from frenchnovel.worker.runner import run_flower

    run_flower(port=port, address=address)


@db_app.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Create or upgrade the database schema to the newest migration."""
    from frenchnovel.storage.db import upgrade_database

    upgrade_database()
    typer.echo("database is up to date")


@users_app.command("create")
@friendly_errors
def users_create(
    email: str,
    credits: Annotated[int, typer.Option(help="Credits granted on creation.")] = 0,
) -> None:
    """Create a user and print its API token (shown once, on the last line)."""
    from frenchnovel.storage.accounts import create_user

    token = create_user(email, credits=credits)
    typer.echo(f"created {email}; API token (shown once):")
    typer.echo(token)


@credits_app.command("grant")
@friendly_errors
def credits_grant(email: str, amount: int) -> None:
    """Grant AMOUNT credits to the user EMAIL."""
    from frenchnovel.billing.credits import grant_credits_by_email

    balance = grant_credits_by_email(email, amount)
    typer.echo(f"granted {amount} credits to {email}; balance {balance}")


def main() -> None:
    app(prog_name="frenchnovel")


if __name__ == "__main__":
    main()
