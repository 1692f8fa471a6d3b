"""Redis database numbers on the shared 127.0.0.1:6379, claimed by one test session at a time.

A claim is a lock key set in an empty database; whoever holds it may flush the database, and no
worker of another session ever consumes its messages.
"""

from __future__ import annotations

import os

LOCK_KEY = "frenchnovel:e2e:session"


def claim_redis_database(first: int = 8) -> str:
    """``redis://127.0.0.1:6379/<n>`` for a database number no other test session holds (a
    lock key in it), so that no worker ever consumes another session's messages."""
    import redis

    for number in range(first, 16):
        client = redis.Redis.from_url(f"redis://127.0.0.1:6379/{number}")
        try:
            if client.set(LOCK_KEY, os.getpid(), nx=True, ex=3600):
                if client.dbsize() == 1:
                    return f"redis://127.0.0.1:6379/{number}"
                client.delete(LOCK_KEY)  # someone uses it without the lock: not ours
        finally:
            client.close()
    raise RuntimeError(f"every Redis database from {first} to 15 is held by another session")


def release_redis_database(redis_url: str) -> None:
    """Empty a claimed database, its lock included, for the next session."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()


def clear_broker(redis_url: str) -> None:
    """Forget every message of this session's broker database, keeping its lock."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter():
        if key != LOCK_KEY.encode():
            client.delete(key)
    client.close()
