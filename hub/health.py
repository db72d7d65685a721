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


async def _channel_layer_round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel("healthz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await layer.receive(channel)
    if message.get("token") != token:
        raise RuntimeError("channel layer returned a different message")


async def check_channel_layer() -> tuple[bool, str]:
    """Send a message to a fresh channel and read it back, within a short timeout."""
    layer = get_channel_layer()
    name = type(layer).__name__ if layer else "none"
    try:
        await asyncio.wait_for(_channel_layer_round_trip(), CHANNEL_LAYER_TIMEOUT)
    except Exception as exc:  # timeouts and connection errors both mean "down"
        return False, f"{name}: {type(exc).__name__}"
    return True, name
