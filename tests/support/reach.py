"""What a process can reach from where it runs: TCP connections tried, and the services of its
environment asked to answer.

    python -m tests.support.reach 10.231.7.1:6379 127.0.0.1:5432 ...

prints one JSON object: ``{"tcp": {"HOST:PORT": "open" | "refused" | "unreachable" | "timeout"},
"services": {"redis": "PONG" | error, "postgresql": 1 | error, "api": 200 | error}}``. The
services are those of ``REDIS_URL``, ``DATABASE_URL`` and ``API_URL`` (each when set), asked
with the same clients the service uses. Run inside a namespace, it tells what a worker there sees.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
from typing import Any

TIMEOUT = 2.0


def tcp(address: str) -> str:
    """Whether a TCP connection to ``HOST:PORT`` is accepted, refused or cannot be routed."""
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=TIMEOUT).close()
    except TimeoutError:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except OSError as exc:
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "unreachable"
        return f"error: {exc}"
    return "open"


def services() -> dict[str, Any]:
    """Ask each service of the environment to answer, as a worker would."""
    answers: dict[str, Any] = {}
    if url := os.environ.get("REDIS_URL"):
        import redis

        try:
            client = redis.Redis.from_url(url, socket_timeout=TIMEOUT)
            answers["redis"] = "PONG" if client.ping() else "no"
        except redis.RedisError as exc:
            answers["redis"] = f"error: {exc}"
    if url := os.environ.get("DATABASE_URL"):
        import psycopg

        try:
            with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=2) as connection:
                row = connection.execute("SELECT 1").fetchone()
                answers["postgresql"] = row[0] if row else None
        except psycopg.Error as exc:
            answers["postgresql"] = f"error: {exc}"
    if url := os.environ.get("API_URL"):
        import httpx

        try:
            answers["api"] = httpx.get(f"{url}/health", timeout=TIMEOUT).status_code
        except httpx.HTTPError as exc:
            answers["api"] = f"error: {exc}"
    return answers


def main(addresses: list[str]) -> None:
    print(json.dumps({"tcp": {a: tcp(a) for a in addresses}, "services": services()}))


if __name__ == "__main__":
    main(sys.argv[1:])
