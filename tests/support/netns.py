"""Network namespaces for tests: machines of their own, on a private network with one host.

    with private_network(machines=2) as net:
        net.hub                      # "10.231.7.1": the root namespace's address on the network
        net.namespaces               # ["fn-w1-4242", "fn-w2-4242"]
        net.exec_prefix(namespace)   # ["ip", "netns", "exec", "fn-w1-4242"]

The flow: pick a /24 of 10.231.0.0/16 that no address or route of the host uses (under a lock
file, so that parallel runs take different ones) → for machine ``i`` (from 1) a namespace
``fn-w<i>-<pid>`` and a veth pair, ``fn<pid>r<i>`` in the root namespace (``10.231.X.<4i-3>/30``)
and ``eth0`` in the namespace (``10.231.X.<4i-2>/30``, loopback up); a second network of the same
process adds ``n<serial>`` to the pid. The hub is the root end of the first pair;
every namespace has a route to the hub alone, through its own pair: no default route, so nothing
but the hub is reachable, and the hub's services bound to 127.0.0.1 are not either. On exit,
whatever happened: every process left in a namespace is killed, then the namespaces go (their
veth ends with them, and so the pairs). ``leftovers`` says what of a network is still there;
what a run killed before its teardown left behind is swept by the next one (``sweep_stale``).

``unavailable()`` tells why namespaces cannot be made here (not root, no ``ip``, a kernel or
container that refuses them), or None.
"""

from __future__ import annotations

import fcntl
import ipaddress
import itertools
import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil

PREFIX = "10.231"
LOCK = Path("/tmp/frenchnovel-netns.lock")
_SERIALS = itertools.count()


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``ip ARGS``; a failure raises with ip's own message."""
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if check and done.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip() or done.returncode}")
    return done


def unavailable() -> str | None:
    """Why network namespaces and veth pairs cannot be made on this machine, or None."""
    if os.geteuid() != 0:
        return "network namespaces need root (CAP_SYS_ADMIN and CAP_NET_ADMIN)"
    if shutil.which("ip") is None:
        return "the `ip` command (iproute2) is not installed"
    probe = f"fn-probe-{os.getpid()}-{uuid.uuid4().hex[:4]}"
    try:
        made = ip("netns", "add", probe, check=False)
        if made.returncode != 0:
            return f"`ip netns add` is refused here: {made.stderr.strip()}"
        pair = ip("link", "add", f"fnp{os.getpid()}", "type", "veth", "peer", "name", "eth0",
                  "netns", probe, check=False)  # fmt: skip
        if pair.returncode != 0:
            return f"veth pairs cannot be made here: {pair.stderr.strip()}"
        inside = ip("netns", "exec", probe, "ip", "link", "show", "eth0", check=False)
        if inside.returncode != 0:
            return f"`ip netns exec` cannot run a program here: {inside.stderr.strip()}"
        return None
    finally:
        ip("netns", "delete", probe, check=False)


@dataclass
class Network:
    """A private network: the hub (this host) and machines in namespaces of their own."""

    subnet: ipaddress.IPv4Network
    tag: str
    namespaces: list[str] = field(default_factory=list)

    @property
    def hub(self) -> str:
        return str(self.subnet[1])

    def gateway(self, machine: int) -> str:
        """The root end's address of machine ``machine``'s pair (from 1)."""
        return str(self.subnet[4 * (machine - 1) + 1])

    def address(self, machine: int) -> str:
        """Machine ``machine``'s own address (from 1)."""
        return str(self.subnet[4 * (machine - 1) + 2])

    def link(self, machine: int) -> str:
        """The name of machine ``machine``'s veth end in the root namespace."""
        return f"fn{self.tag}r{machine}"

    def exec_prefix(self, namespace: str) -> list[str]:
        """A command line's head that runs the rest inside ``namespace``."""
        return ["ip", "netns", "exec", namespace]

    def leftovers(self) -> list[str]:
        """What of this network is still on the host: namespaces and root-side links."""
        names = set(ip("netns", "list").stdout.split())
        left = [f"namespace {name}" for name in self.namespaces if name in names]
        for machine in range(1, len(self.namespaces) + 1):
            if ip("link", "show", self.link(machine), check=False).returncode == 0:
                left.append(f"link {self.link(machine)}")
        return left


def sweep_stale() -> list[str]:
    """Remove the namespaces and links of runs whose process is gone (killed before their own
    teardown could run); returns what was removed."""
    removed = []
    for name in ip("netns", "list").stdout.split():
        found = re.fullmatch(r"fn-(?:w\d+|probe)-(\d+)(?:n\d+|-[0-9a-f]+)?", name)
        if found and not psutil.pid_exists(int(found[1])):
            _remove_namespace(name)
            removed.append(name)
    links = ip("-o", "link", "show").stdout
    for link in re.findall(r"^\d+: (fn(\d+)(?:n\d+)?r\d+)[@:]", links, re.M):
        if not psutil.pid_exists(int(link[1])):
            ip("link", "delete", link[0], check=False)
            removed.append(link[0])
    return removed


def _used_subnets() -> set[int]:
    """The x of every 10.231.x.0/24 an address or a route of the host already uses."""
    shown = ip("-o", "-4", "addr", "show").stdout + ip("-4", "route", "show", "table", "all").stdout
    return {int(third) for third in re.findall(rf"\b{re.escape(PREFIX)}\.(\d+)\.", shown)}


def _add_machine(net: Network, machine: int) -> None:
    namespace = f"fn-w{machine}-{net.tag}"
    if namespace in ip("netns", "list").stdout.split():  # left by a dead run with our pid
        _remove_namespace(namespace)
    ip("netns", "add", namespace)
    net.namespaces.append(namespace)
    outside = net.link(machine)
    ip("link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", namespace)
    ip("addr", "add", f"{net.gateway(machine)}/30", "dev", outside)
    ip("link", "set", outside, "up")
    inside = ["-n", namespace]
    ip(*inside, "addr", "add", f"{net.address(machine)}/30", "dev", "eth0")
    ip(*inside, "link", "set", "eth0", "up")
    ip(*inside, "link", "set", "lo", "up")
    if machine > 1:  # the hub is the first pair's root end: reached through this pair
        ip(*inside, "route", "add", f"{net.hub}/32", "via", net.gateway(machine))


def namespace_pids(namespace: str) -> list[int]:
    """The processes running inside ``namespace`` now."""
    done = ip("netns", "pids", namespace, check=False)
    return [int(pid) for pid in done.stdout.split()] if done.returncode == 0 else []


def _remove_namespace(namespace: str) -> None:
    """Kill what runs inside (a namespace with processes outlives its deletion), then delete."""
    for _ in range(50):
        pids = namespace_pids(namespace)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
    ip("netns", "delete", namespace, check=False)


@contextmanager
def private_network(machines: int = 2) -> Iterator[Network]:
    """A network of ``machines`` namespaces around this host, removed on exit."""
    serial = next(_SERIALS)  # a second network of the same process gets names of its own
    tag = f"{os.getpid()}" if serial == 0 else f"{os.getpid()}n{serial}"
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sweep_stale()
        free = sorted(set(range(1, 255)) - _used_subnets())
        if not free:
            raise RuntimeError(f"every {PREFIX}.x.0/24 is in use on this host")
        net = Network(ipaddress.IPv4Network(f"{PREFIX}.{free[0]}.0/24"), tag)
        try:
            for machine in range(1, machines + 1):
                _add_machine(net, machine)
        except BaseException:
            _teardown(net)
            raise
    try:
        yield net
    finally:
        _teardown(net)


def _teardown(net: Network) -> None:
    for namespace in net.namespaces:
        _remove_namespace(namespace)
    for machine in range(1, len(net.namespaces) + 1):
        ip("link", "delete", net.link(machine), check=False)
