"""What bench/service.py measures a process with: an open-loop HTTP load of GETs with each
request's latency, percentiles, a process's peak RSS during a ``with``, and the CPU time of a
process and its children (a worker and its pool)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import psutil


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its living children."""
    process = psutil.Process(pid)
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


@contextmanager
def peak_rss(pid: int, every: float = 0.01) -> Iterator[dict[str, int]]:
    """The process's RSS before the ``with`` and its peak during it (sampled every ``every`` s)."""
    process = psutil.Process(pid)
    seen = {"before": process.memory_info().rss, "peak": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            seen["peak"] = max(seen["peak"], process.memory_info().rss)
            time.sleep(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield seen
    finally:
        done.set()
        sampler.join()


class Connection:
    """One keep-alive HTTP/1.1 connection, read with asyncio streams: a load generator light
    enough that the measure is the server's latency, not the client's."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def get(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status


async def poll_load(url: str, headers: dict[str, str], rate: float, seconds: float) -> list[float]:
    """Open-loop load: one GET every 1/rate s whatever the answers do; each request's latency,
    from its scheduled start (so that a server falling behind shows in the numbers)."""
    parts = httpx.URL(url)
    lines = [f"GET {parts.raw_path.decode()} HTTP/1.1", f"Host: {parts.host}:{parts.port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    idle: list[Connection] = []
    latencies: list[float] = []
    failures = 0

    async def one(scheduled: float) -> None:
        nonlocal failures
        connection = idle.pop() if idle else None
        try:
            if connection is None:
                raise ConnectionError("no idle connection")
            status = await connection.get(request)
        except (ConnectionError, asyncio.IncompleteReadError):
            # The server closes connections idle past its keep-alive timeout: open another.
            connection = Connection(*await asyncio.open_connection(parts.host, parts.port))
            status = await connection.get(request)
        latencies.append(time.perf_counter() - scheduled)
        failures += status != 200
        idle.append(connection)

    tasks = []
    begin = time.perf_counter()
    for n in range(int(rate * seconds)):
        scheduled = begin + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    for connection in idle:
        connection.writer.close()
    if failures:
        raise SystemExit(f"{failures} polls did not answer 200")
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
