"""The cache in production: Django's Redis cache, failing open while Redis is unreachable.

What Kring keeps in the cache is either a pure cache (the review dashboard's participation
figures: a miss means "compute it") or a counter for a limit (posts per minute, allauth's
failed logins, signups and password-reset mails). None of it is the truth; the database is.
So while Redis cannot be reached, reads miss and writes are dropped (logged once a minute),
and the request goes on: a post is saved, a page renders. The limits are off for that
while, which is the smaller harm: failing closed would refuse every post and every login
for as long as Redis is down, to guard against floods that the outage makes no likelier
(and every password guess still costs a full password hash). /healthz reports the outage
(the channel layer shares this Redis), so it does not go unnoticed.

Only "cannot reach Redis" fails open (connection refused or lost, timeouts, Redis still
loading after a restart); any other error (a bug, a wrong type) still raises.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY = 60  # seconds between two warnings about the same outage


class SharedPoolClient(RedisCacheClient):
    """Django's Redis client with one connection pool per server and process.

    Django keeps its cache objects in asgiref's Local, so under ASGI each request gets a
    new one with pools of its own: each request opened a new connection to Redis (about
    0.7 ms, measured on the vote benchmark). redis-py's pools are thread-safe and start
    afresh in a forked child.
    """

    _shared: dict = {}
    _lock = threading.Lock()

    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], repr(sorted(self._pool_options.items())))
        pool = self._shared.get(key)
        if pool is None:
            with self._lock:
                pool = self._shared.get(key)
                if pool is None:
                    pool = self._shared[key] = self._pool_class.from_url(
                        self._servers[index], **self._pool_options
                    )
        return pool


class FailOpenRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that treats an unreachable Redis as
    an empty cache that keeps nothing."""

    _warned_at = float("-inf")

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolClient

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - FailOpenRedisCache._warned_at >= WARN_EVERY:
            FailOpenRedisCache._warned_at = now
            logger.warning("cache unreachable, failing open (%s): %r", operation, error)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            self._unreachable("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            self._unreachable("has_key", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("add", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set_many", error)
            return list(data)  # the keys that were not stored: all of them

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("touch", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._unreachable("incr", error)
            # As for a key that is not there, which is what an empty cache has.
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from error

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            self._unreachable("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            self._unreachable("clear", error)
            return False
