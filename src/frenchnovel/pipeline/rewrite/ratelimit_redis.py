"""The rate schedule of ratelimit.py shared by every worker process through Redis.

Each booking is one atomic Lua script on Redis' own clock (``TIME``), so workers on machines
whose clocks disagree still share one schedule. Keys, per provider and model:
``<prefix>:log`` (sorted set of bookings, score = slot, member = ``id|tokens``),
``<prefix>:state`` (hash: last slot and the paced next slots), ``<prefix>:places`` (sorted set of
in-flight requests, score = lease expiry, renewed while held, so a crashed worker's place
comes back).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from frenchnovel.errors import TransientEngineError
from frenchnovel.pipeline.rewrite.ratelimit import Limits, Reservation

log = logging.getLogger(__name__)

_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rpm, tpm, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens = math.min(tonumber(ARGV[4]), tpm)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.6f', now - window))
local st = redis.call('HMGET', KEYS[2], 'last', 'next_request', 'next_tokens')
local slot = math.max(now, tonumber(st[1]) or 0, tonumber(st[2]) or 0, tonumber(st[3]) or 0)
local booked = redis.call('ZRANGEBYSCORE', KEYS[1], string.format('(%.6f', slot - window),
  '+inf', 'WITHSCORES')
local count, used = #booked / 2, 0
for i = 1, #booked, 2 do used = used + tonumber(string.match(booked[i], '|(%d+)$')) end
for i = 1, #booked, 2 do
  if count + 1 <= rpm and used + tokens <= tpm then break end
  slot = math.max(slot, tonumber(booked[i + 1]) + window)
  count = count - 1
  used = used - tonumber(string.match(booked[i], '|(%d+)$'))
end
local horizon = tonumber(ARGV[6])
if horizon >= 0 and slot - now > horizon then
  return {string.format('%.6f', slot - now - horizon), tostring(tokens), 0}
end
redis.call('ZADD', KEYS[1], string.format('%.6f', slot), ARGV[5] .. '|' .. tokens)
redis.call('HSET', KEYS[2], 'last', string.format('%.6f', slot),
  'next_request', string.format('%.6f', slot + window / rpm),
  'next_tokens', string.format('%.6f', slot + tokens * window / tpm))
local ttl = math.ceil((slot - now + 2 * window) * 1000)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return {string.format('%.6f', slot - now), tostring(tokens), 1}
"""

_SETTLE = """
local member = ARGV[1] .. '|' .. ARGV[2]
local score = redis.call('ZSCORE', KEYS[1], member)
if score then
  redis.call('ZREM', KEYS[1], member)
  redis.call('ZADD', KEYS[1], score, ARGV[1] .. '|' .. ARGV[3])
end
local shift = (tonumber(ARGV[3]) - tonumber(ARGV[2])) * tonumber(ARGV[5]) / tonumber(ARGV[4])
local st = redis.call('HMGET', KEYS[2], 'last', 'next_tokens')
if st[2] then
  local next_tokens = math.max(tonumber(st[2]) + shift, tonumber(st[1]) or 0)
  redis.call('HSET', KEYS[2], 'next_tokens', string.format('%.6f', next_tokens))
end
return 1
"""

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.6f', now))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], string.format('%.6f', now + tonumber(ARGV[2])), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000))
  return 1
end
return 0
"""


_RENEW = """
local t = redis.call('TIME')
local upto = string.format('%.6f', tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1]))
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', upto, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1]) * 1000))
return 1
"""

_HOLD = """
local t = redis.call('TIME')
local upto = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1])
if upto > (tonumber(redis.call('HGET', KEYS[1], 'last')) or 0) then
  redis.call('HSET', KEYS[1], 'last', string.format('%.6f', upto))
  redis.call('PEXPIRE', KEYS[1], math.ceil((tonumber(ARGV[1]) + 2 * tonumber(ARGV[2])) * 1000))
end
return 1
"""


class RedisLimiter:
    """Requests/min, tokens/min and concurrency of one provider and model, for all processes."""

    def __init__(
        self, client: redis.Redis, prefix: str, limits: Limits, *, lease_seconds: float = 30.0
    ) -> None:
        self.limits = limits
        self._redis = client
        self._log, self._state, self._places = (f"{prefix}:{k}" for k in ("log", "state", "places"))
        self._lease = lease_seconds
        self._reserve: Any = client.register_script(_RESERVE)
        self._settle: Any = client.register_script(_SETTLE)
        self._acquire: Any = client.register_script(_ACQUIRE)
        self._renew: Any = client.register_script(_RENEW)
        self._hold: Any = client.register_script(_HOLD)
        self._held: set[str] = set()
        self._lock = threading.Lock()
        self._renewer_pid = 0

    @classmethod
    def from_url(cls, url: str, prefix: str, limits: Limits, **kwargs: float) -> RedisLimiter:
        """A limiter on the Redis at ``url``."""
        return cls(redis.Redis.from_url(url), prefix, limits, **kwargs)

    @contextmanager
    def permit(self, stop: Callable[[], bool]) -> Iterator[None]:
        holder = uuid.uuid4().hex
        keys, args = [self._places], [self.limits.concurrency, self._lease, holder]
        while not _run(self._acquire, keys, args):
            if stop():
                raise InterruptedError("stopped while waiting for a place")
            time.sleep(0.01)  # places free up when a response arrives: a short poll is enough
        self._keep_alive(holder)
        try:
            yield
        finally:
            with self._lock:
                self._held.discard(holder)
            try:
                self._redis.zrem(self._places, holder)
            except redis.RedisError:  # the lease runs out by itself
                log.warning("could not give back an LLM place")

    def hold(self, seconds: float) -> None:
        """No request of any worker leaves before ``seconds`` from now (the provider said so)."""
        _run(self._hold, [self._state], [seconds, self.limits.window])

    def _keep_alive(self, holder: str) -> None:
        # Places are leased briefly and renewed while held, so a worker that dies mid-request
        # gives its places back within one lease instead of starving every other worker.
        with self._lock:
            self._held.add(holder)
            if self._renewer_pid != os.getpid():  # none yet, or it stayed in the parent of a fork
                self._renewer_pid = os.getpid()
                threading.Thread(target=self._renew_forever, daemon=True).start()

    def _renew_forever(self) -> None:
        while True:
            time.sleep(self._lease / 3)
            with self._lock:
                held = list(self._held)
            if held:
                try:
                    self._renew(keys=[self._places], args=[self._lease, *held])
                except redis.RedisError:
                    log.warning("could not renew %d LLM places; retrying", len(held))

    def reserve(self, tokens: int, horizon: float | None = None) -> Reservation:
        key = uuid.uuid4().hex
        limits = self.limits
        args = [limits.requests_per_minute, limits.tokens_per_minute, limits.window, tokens, key]
        args.append(-1 if horizon is None else horizon)
        delay, cost, booked = _run(self._reserve, [self._log, self._state], args)
        return Reservation(key, max(0.0, float(delay)), int(cost), booked=bool(booked))

    def settle(self, reservation: Reservation, tokens: int) -> None:
        limits = self.limits
        args = [
            reservation.key,
            reservation.tokens,
            tokens,
            limits.tokens_per_minute,
            limits.window,
        ]
        _run(self._settle, [self._log, self._state], args)


def _run(script: Any, keys: list[str], args: list[Any]) -> Any:
    """Run a Lua script; Redis trouble is transient for the job (its chunk is retried later)."""
    try:
        return script(keys=keys, args=args)
    except redis.RedisError as exc:
        raise TransientEngineError(f"the LLM rate limiter's Redis failed: {exc}") from None
