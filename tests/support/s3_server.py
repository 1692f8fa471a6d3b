"""moto's S3 server as a real process speaking HTTP, on an address and a free port, with a bucket.

    with s3_server("10.231.7.1", bucket="novels", directory=tmp) as store:
        store.endpoint   # "http://10.231.7.1:41234"
        store.keys()     # every key in the bucket

The server keeps its objects in memory: stopping it (SIGKILL of its process group, on exit
whatever happened) forgets them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.redis_server import free_port

STARTUP_SECONDS = 30
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass
class S3Server:
    endpoint: str
    bucket: str
    process: subprocess.Popen[bytes]

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )

    def keys(self, prefix: str = "") -> list[str]:
        """Every key in the bucket that starts with ``prefix``."""
        pages = (
            self.client()
            .get_paginator("list_objects_v2")
            .paginate(Bucket=self.bucket, Prefix=prefix)
        )
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@contextmanager
def s3_server(host: str, *, bucket: str, directory: Path) -> Iterator[S3Server]:
    """Start moto's server on ``host``, make ``bucket``, and stop the server on exit."""
    port = free_port(host)
    log = (directory / "moto.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    try:
        server = S3Server(f"http://{host}:{port}", bucket, process)
        _wait(server, directory / "moto.log")
        server.client().create_bucket(Bucket=bucket)
        yield server
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(30)


def _wait(server: S3Server, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            httpx.get(f"{server.endpoint}/moto-api/", timeout=1)
            return
        except httpx.HTTPError:
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"moto's S3 server did not start: {log.read_text()[-2000:]}")
        time.sleep(0.1)
