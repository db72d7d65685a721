"""Publishing events to WebSocket streams, after the transaction that caused them commits.

Services call ``publish_on_commit(stream, event)``; the channel layer fans the
event out to every consumer subscribed to the stream, in any process.
"""

import asyncio
import logging
import re
import threading

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# Channel layer group names allow ASCII letters, digits, hyphens, underscores, periods.
_STREAM_NAME = re.compile(r"^[A-Za-z0-9._-]{1,90}$")


def stream_name(kind: str, pk: int) -> str:
    """The channel-layer group for one object, e.g. ``thread.42``."""
    name = f"{kind}.{pk}"
    if not _STREAM_NAME.match(name):
        raise ValueError(f"invalid stream name {name!r}")
    return name


def publish(stream: str, event: dict) -> None:
    """Send now. The layer is at-most-once: a lost event is caught up from the database."""
    publish_all([(stream, event)])


# Sends handed to the server's event loop and not finished yet (a down Redis makes them
# wait for its timeout): past this many, new events are dropped, as the layer would.
MAX_PENDING = 1000
_pending = 0
_pending_lock = threading.Lock()


def _server_loop():
    """The server's event loop, when this is one of its request threads (asgiref sets it
    for the thread while it runs a request); else None."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None


def publish_all(messages: list[tuple[str, dict]]) -> None:
    """Send each ``(stream, event)`` now, in order.

    On a request thread under daphne the sends go to the server's event loop and the
    request goes on without waiting for Redis: the answer is not held up, and a lost
    event is caught up from the database either way. Elsewhere (management commands,
    tests) it waits for the sends, in one trip to an event loop."""
    global _pending
    layer = get_channel_layer()

    async def send_all():
        for stream, event in messages:
            try:
                await layer.group_send(stream, event)
            except Exception:  # a down Redis must not fail the write that already committed
                logger.warning(
                    "could not publish %s to %s", event.get("type"), stream, exc_info=True
                )

    loop = _server_loop()
    if loop is None:
        try:
            async_to_sync(send_all)()
        except Exception:  # e.g. called where an event loop runs: not the writer's failure
            logger.warning("could not publish %d events", len(messages), exc_info=True)
        return
    with _pending_lock:
        if _pending >= MAX_PENDING:
            logger.warning("dropped %d events: %d sends waiting", len(messages), _pending)
            return
        _pending += 1
    asyncio.run_coroutine_threadsafe(send_all(), loop).add_done_callback(_sent)


def _sent(_future) -> None:
    """One handed-over send has finished (or was cancelled)."""
    global _pending
    with _pending_lock:
        _pending -= 1


def publish_on_commit(stream: str, event: dict) -> None:
    transaction.on_commit(lambda: publish(stream, event))
