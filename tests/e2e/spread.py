"""The service spread over a private network: the API, Redis, PostgreSQL and the object store on
one host (the hub), workers on machines of their own (network namespaces) that share no
directory with it or with each other.

The flow of ``spread_service``: a private network (``tests.support.netns``) → a ``redis-server``
bound to the hub → a PostgreSQL database of its own, migrated, reached through a forwarder on
the hub (PostgreSQL itself listens on 127.0.0.1 alone) → a bucket of its own on the session's
moto S3 server (``tests.support.s3``, on 127.0.0.1), reached through a forwarder on the hub too
→ the API bound to the hub, with a STORAGE_DIR of its own → workers started on demand by
``start_machine``: ``ip netns exec fn-w<i>-<pid> python -m frenchnovel.cli worker`` in a process
group of its own, with an empty private STORAGE_DIR. Every process is given the same addresses
on the network and nothing else. Each step is undone in a ``finally``, in reverse order, so that
a failing test leaves no process, database, namespace or link behind (``Network.leftovers``
checks the network's part).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from frenchnovel.config import Settings
from frenchnovel.storage.db import dispose_engines, upgrade_database
from tests.e2e.stack import Process, Stack
from tests.support.databases import PG_ADMIN, drop_database
from tests.support.forwarder import forward
from tests.support.netns import Network, private_network
from tests.support.redis_server import RedisServer
from tests.support.s3 import MotoServer
from tests.support.s3 import env as s3_env

POSTGRES = ("127.0.0.1", 5432)
PREFIX = "service"


@dataclass
class Store:
    """The bucket of a spread service, as its processes reach it."""

    moto: MotoServer
    bucket: str
    endpoint: str

    def keys(self) -> list[str]:
        return self.moto.keys(self.bucket, f"{PREFIX}/")


@dataclass
class SpreadStack(Stack):
    """A ``Stack`` whose processes meet only on ``net``; workers run on its machines."""

    net: Network | None = None
    store: Store | None = None
    machine_dirs: dict[int, Path] = field(default_factory=dict)
    spawned: list[Process] = field(default_factory=list)

    @property
    def network(self) -> Network:
        assert self.net is not None
        return self.net

    def _spawn(
        self, args: list[str], env: dict[str, str], label: str, prefix: Sequence[str] = ()
    ) -> Process:
        process = super()._spawn(args, env, label, prefix)
        self.spawned.append(process)  # every process ever started, to prove none outlives it
        return process

    def start_machines(self, *machines: int, **overrides: str) -> list[Process]:
        """A worker on each machine of ``machines`` (numbered from 1), each with an empty
        STORAGE_DIR of its own, started side by side; returned once they all answer pings."""
        workers = []
        for machine in machines:
            private = self.logs.parent / f"machine-{machine}-storage-{secrets.token_hex(2)}"
            private.mkdir()
            self.machine_dirs[machine] = private
            prefix = self.network.exec_prefix(self.network.namespaces[machine - 1])
            env = self.env(STORAGE_DIR=str(private), **overrides)
            workers.append(self._spawn(["worker"], env, f"worker-{machine}", prefix))
        self.wait_ready(*workers)
        return workers

    def object_keys(self) -> list[str]:
        """Every object of the service in the store."""
        assert self.store is not None
        return self.store.keys()


@contextmanager
def spread_service(
    root: Path, pythonpath: str, moto: MotoServer, **api_env: str
) -> Iterator[SpreadStack]:
    """The whole spread service under ``root`` (logs, the API's directory), its objects in a
    new bucket of ``moto``; see the module."""
    with ExitStack() as undo:
        net = undo.enter_context(private_network(machines=2))
        redis = RedisServer(root / "redis", host=net.hub)
        redis.directory.mkdir(parents=True)
        redis.start()
        undo.callback(redis.kill)
        database = _database(undo)
        host, port = undo.enter_context(forward((net.hub, 0), POSTGRES))
        url = f"postgresql+psycopg://postgres@{host}:{port}/{database}"
        undo.callback(dispose_engines)  # before the forwarder closes under its connections
        upgrade_database(Settings(database_url=url, storage_dir=root / "api-storage"))
        moto_address = urlsplit(moto.url)
        moto_target = (str(moto_address.hostname), int(moto_address.port or 80))
        s3_host, s3_port = undo.enter_context(forward((net.hub, 0), moto_target))
        store = Store(moto, moto.new_bucket(), f"http://{s3_host}:{s3_port}")
        storage, logs = root / "api-storage", root / "logs"
        storage.mkdir()
        logs.mkdir()
        env = {**s3_env(store.endpoint, store.bucket, PREFIX), **api_env}
        stack = SpreadStack(
            "spread", url, redis.url(), storage, logs, env, pythonpath, host=net.hub, net=net
        )
        stack.store = store
        undo.callback(stack.stop)
        stack.start_api()
        yield stack


def _database(undo: ExitStack) -> str:
    """A PostgreSQL database of this run's own, dropped on exit."""
    name = f"frenchnovel_spread_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        drop_database(name)

    undo.callback(drop)
    return name
