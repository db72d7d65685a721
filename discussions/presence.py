"""Who has a thread open right now. Ephemeral: never in the database.

One entry per connection (a person with two tabs has two), each with an expiry
time that the client's ping pushes forward; a connection that vanished without
saying goodbye (a killed process, a dropped network) drops out after ``TTL``.

With ``settings.KRING_PRESENCE_REDIS_URL`` set (production: several daphne
processes) the entries live in one Redis hash per thread that every process
reads. Without it they live in this process's memory, which is right for the
embedded default: one process with the in-memory channel layer.
"""

import asyncio
import contextlib
import json
import logging
import time

import redis.asyncio as aioredis
from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Presence is a courtesy, never stored: while Redis cannot be reached, nobody is shown as
# viewing and nothing is recorded, and the socket carries on (the channel layer, on the
# same Redis, decides whether it can stay open).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

TTL = 60  # seconds an entry lives without a ping (clients ping every 25 s)

# thread id -> channel name -> {"id", "name", "expires"}
_local: dict[int, dict[str, dict]] = {}
# A redis.asyncio client belongs to the event loop it first ran on: daphne has
# one loop, but tests run each in a loop of its own, so keep one client per loop.
_clients: dict[tuple[asyncio.AbstractEventLoop, str], aioredis.Redis] = {}


def key(thread_id: int) -> str:
    return f"kring:presence:thread:{thread_id}"


def _redis() -> aioredis.Redis | None:
    url = settings.KRING_PRESENCE_REDIS_URL
    if not url:
        return None
    loop = asyncio.get_running_loop()
    for stale in [k for k in _clients if k[0].is_closed()]:
        del _clients[stale]
    client = _clients.get((loop, url))
    if client is None:
        client = _clients[(loop, url)] = aioredis.Redis.from_url(
            url, socket_connect_timeout=1, socket_timeout=2
        )
    return client


async def close() -> None:
    """Close this event loop's Redis connections (at shutdown; tests, whose loops end often)."""
    running = asyncio.get_running_loop()
    for (loop, _url), client in list(_clients.items()):
        if loop is running:
            await client.aclose()


def _entry(user_id: int, name: str) -> dict:
    return {"id": user_id, "name": name, "expires": time.time() + TTL}


async def enter(thread_id: int, channel_name: str, user_id: int, name: str) -> None:
    """Record this connection as viewing the thread, for the next ``TTL`` seconds."""
    entry = _entry(user_id, name)
    client = _redis()
    if client is None:
        _local.setdefault(thread_id, {})[channel_name] = entry
        return
    try:
        async with client.pipeline(transaction=True) as pipe:
            pipe.hset(key(thread_id), channel_name, json.dumps(entry))
            # The whole hash goes when nobody has pinged for a while.
            pipe.expire(key(thread_id), TTL)
            await pipe.execute()
    except UNREACHABLE as error:
        logger.warning("presence not recorded: %r", error)


# A heartbeat writes the same entry with a new expiry time.
refresh = enter


async def leave(thread_id: int, channel_name: str) -> None:
    client = _redis()
    if client is None:
        entries = _local.get(thread_id, {})
        entries.pop(channel_name, None)
        if not entries:
            _local.pop(thread_id, None)
        return
    try:
        await client.hdel(key(thread_id), channel_name)
    except UNREACHABLE as error:  # the entry expires by itself
        logger.warning("presence not removed: %r", error)


async def viewers(thread_id: int) -> list[dict]:
    """The people viewing the thread, each once, sorted by name: ``[{"id", "name"}, ...]``."""
    now = time.time()
    client = _redis()
    if client is None:
        entries = _local.get(thread_id, {})
        expired = [channel for channel, entry in entries.items() if entry["expires"] <= now]
        for channel in expired:
            del entries[channel]
        if not entries:
            _local.pop(thread_id, None)
        live = list(entries.values())
    else:
        live, expired = [], []
        try:
            entries = await client.hgetall(key(thread_id))
        except UNREACHABLE as error:
            logger.warning("presence not read: %r", error)
            entries = {}
        for channel, raw in entries.items():
            try:
                entry = json.loads(raw)
                fresh = entry["expires"] > now
            except (ValueError, TypeError, KeyError):
                fresh = False
            if fresh:
                live.append(entry)
            else:
                expired.append(channel)
        if expired:
            # If Redis is gone, so are they (with the hash's own expiry).
            with contextlib.suppress(*UNREACHABLE):
                await client.hdel(key(thread_id), *expired)
    people = {entry["id"]: entry["name"] for entry in live}
    found = [{"id": pk, "name": name} for pk, name in people.items()]
    return sorted(found, key=lambda viewer: (viewer["name"].casefold(), viewer["id"]))
