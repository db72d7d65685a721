"""Liveness of the two things every page and socket needs: database and channel layer."""

import asyncio
import uuid

from channels.layers import get_channel_layer
from django.db import connection

CHANNEL_LAYER_TIMEOUT = 2.0


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down", reported, not raised
        return False, type(exc).__name__
    return True, connection.vendor


# One channel per layer (per process), reused by every check: RedisPubSubChannelLayer
# subscribes a new channel in Redis and only unsubscribes when a receive is cancelled, so
# a new channel per check would add a subscription on every /healthz for good.
# Per event loop too: that layer keeps one inner layer per loop (daphne has one loop; the
# test client runs each request in a loop of its own).
_channels: dict[tuple, tuple[str, asyncio.Lock]] = {}  # (layer, loop) -> (name, lock)


def _key(layer) -> tuple:
    return (layer, asyncio.get_running_loop())


async def _health_channel(layer) -> tuple[str, asyncio.Lock]:
    key = _key(layer)
    if key not in _channels:
        for stale in [k for k in _channels if k[1].is_closed()]:
            del _channels[stale]
        _channels[key] = (await layer.new_channel("healthz."), asyncio.Lock())
    return _channels[key]


async def _channel_layer_round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel, lock = await _health_channel(layer)
    async with lock:  # one check at a time on the channel, so each reads its own answer
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "healthz.ping", "token": token})
        # A check that timed out may have left its answer behind: skip it.
        while (await layer.receive(channel)).get("token") != token:
            pass


async def check_channel_layer() -> tuple[bool, str]:
    """Send a message to this process's health channel and read it back, within a short
    timeout."""
    layer = get_channel_layer()
    name = type(layer).__name__ if layer else "none"
    try:
        await asyncio.wait_for(_channel_layer_round_trip(), CHANNEL_LAYER_TIMEOUT)
    except Exception as exc:  # timeouts and connection errors both mean "down"
        # Start the next check on a new channel: a cancelled receive may have unsubscribed
        # this one, and an answer sent before it subscribes again would be lost.
        if layer is not None:
            _channels.pop(_key(layer), None)
        return False, f"{name}: {type(exc).__name__}"
    return True, name
