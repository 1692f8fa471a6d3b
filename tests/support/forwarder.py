"""A small TCP forwarder: a service that listens on 127.0.0.1 made reachable at another address.

    with forward(("10.231.7.1", 0), ("127.0.0.1", 5432)) as address:
        ...  # connections to address reach PostgreSQL

The flow: a listening socket on ``listen`` (port 0: any free port) → a thread accepts → for each
connection a socket to ``target`` and two threads pumping bytes, one per direction; a side that
closes shuts the other down. On exit the listener and every open connection are closed, so no
thread and no socket outlive the block.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BUFFER = 64 * 1024


class Forwarder:
    """Accepts on ``listen`` and relays every connection to ``target``."""

    def __init__(self, listen: tuple[str, int], target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(listen, reuse_port=False)
        self.address: tuple[str, int] = self.listener.getsockname()[:2]
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.closed = False
        self.thread = threading.Thread(target=self._accept, name="forwarder", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.closed = True
        _shut(self.listener)  # shutdown() wakes the accept() that close() alone would not
        with self.lock:
            for connection in self.connections:
                _shut(connection)
            self.connections.clear()
        self.thread.join(5)

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                if self.closed:
                    _shut(client)
                    _shut(upstream)
                    return
                self.connections |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(BUFFER):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self.lock:
                self.connections -= {source, sink}
            _shut(source)
            _shut(sink)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@contextmanager
def forward(listen: tuple[str, int], target: tuple[str, int]) -> Iterator[tuple[str, int]]:
    """Relay connections made to ``listen`` to ``target`` for the duration of the block;
    yields the address actually listened on."""
    forwarder = Forwarder(listen, target)
    forwarder.start()
    try:
        yield forwarder.address
    finally:
        forwarder.close()
