"""An S3 store for tests and benchmarks: moto's server as a real process on 127.0.0.1, and a tiny
HTTP proxy in front of it that can refuse, drop or hang the next requests (moto itself has no
fault injection).

    server = MotoServer.start()            # python -m moto.server, in a process of its own
    proxy = FaultProxy(server.url)         # a thread of the test process, 127.0.0.1:<port>
    proxy.fail(2, status=503)              # the next two requests answer 503 SlowDown
    proxy.hang(1, seconds=5, method="PUT") # the next PUT waits 5 s before anything is sent
    proxy.drop(1)                          # the next request's connection is closed unanswered

Processes of the service get ``STORAGE_URL``, ``S3_ENDPOINT_URL`` and the ``AWS_*`` variables of
``env(...)``: nothing else, so that a worker needs no shared disk.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MotoServer:
    """``python -m moto.server`` on 127.0.0.1; stop it with ``stop()``."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @classmethod
    def start(cls, log: Path | None = None, timeout: float = 60.0) -> MotoServer:
        port = _free_port()
        log = log or Path(os.environ.get("TMPDIR", "/tmp")) / f"moto-{port}.log"
        with log.open("wb") as handle:
            process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **CREDENTIALS},
            )
        server = cls(process, f"http://127.0.0.1:{port}", log)
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"moto's server exited: {log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return server
            except OSError:
                if time.monotonic() > deadline:
                    server.stop()
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.1)

    def client(self, endpoint: str | None = None) -> Any:
        return boto3.session.Session(
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        ).client("s3", endpoint_url=endpoint or self.url)

    def new_bucket(self) -> str:
        name = f"novels-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = (
            self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        )
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def env(url: str, bucket: str, prefix: str = "store", **extra: str) -> dict[str, str]:
    """The environment that points a process of the service at ``bucket`` behind ``url``."""
    return {
        "STORAGE_URL": f"s3://{bucket}/{prefix}",
        "S3_ENDPOINT_URL": url,
        **CREDENTIALS,
        **extra,
    }


@dataclass
class _Fault:
    kind: str  # "fail", "drop" or "hang"
    count: int
    status: int = 503
    seconds: float = 0.0
    method: str | None = None  # any method
    path_contains: str = ""  # any path

    def matches(self, method: str, path: str) -> bool:
        return self.method in (None, method) and self.path_contains in path


@dataclass
class _Plan:
    faults: list[_Fault] = field(default_factory=list)
    seen: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, what happened
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, method: str, path: str) -> _Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.count > 0 and fault.matches(method, path):
                    fault.count -= 1
                    self.seen.append((method, path, fault.kind))
                    return fault
            self.seen.append((method, path, "forwarded"))
            return None


class FaultProxy:
    """An HTTP proxy on 127.0.0.1 in front of ``upstream`` that obeys the faults it is given."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.removeprefix("http://")
        self.plan = _Plan()
        handler = type("Handler", (_Handler,), {"proxy": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def fail(
        self, count: int, *, status: int = 503, method: str | None = None, path_contains: str = ""
    ) -> None:
        """Answer the next ``count`` matching requests with ``status`` and an S3 error body."""
        self._add(_Fault("fail", count, status=status, method=method, path_contains=path_contains))

    def drop(self, count: int, *, method: str | None = None, path_contains: str = "") -> None:
        """Close the next ``count`` matching requests' connections without an answer."""
        self._add(_Fault("drop", count, method=method, path_contains=path_contains))

    def hang(
        self, count: int, *, seconds: float, method: str | None = None, path_contains: str = ""
    ) -> None:
        """Hold the next ``count`` matching requests ``seconds`` before forwarding them."""
        self._add(
            _Fault("hang", count, seconds=seconds, method=method, path_contains=path_contains)
        )

    def clear(self) -> None:
        with self.plan.lock:
            self.plan.faults.clear()
            self.plan.seen.clear()

    def seen(self, kind: str | None = None) -> list[tuple[str, str, str]]:
        with self.plan.lock:
            return [row for row in self.plan.seen if kind is None or row[2] == kind]

    def _add(self, fault: _Fault) -> None:
        with self.plan.lock:
            self.plan.faults.append(fault)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    proxy: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))

    def _handle(self) -> None:
        body = self._body()
        fault = self.proxy.plan.take(self.command, self.path)
        if fault is not None and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None and fault.kind == "fail":
            error = (
                b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
                b"<Message>injected by the test proxy</Message></Error>"
            )
            self.send_response(fault.status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(error)))
            self.end_headers()
            self.wfile.write(error)
            return
        if fault is not None and fault.kind == "hang":
            time.sleep(fault.seconds)
        self._forward(body)

    def _forward(self, body: bytes) -> None:
        upstream = http.client.HTTPConnection(self.proxy.upstream, timeout=120)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in ("transfer-encoding", "content-length", "connection"):
                    upstream.putheader(name, value)
            upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status, answer.reason)
        head = self.command == "HEAD"  # its Content-Length is the object's, kept as sent
        skipped = {"transfer-encoding", "connection", "date", "server"}
        for name, value in answer.getheaders():
            if name.lower() not in skipped and (head or name.lower() != "content-length"):
                self.send_header(name, value)
        if not head:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle
