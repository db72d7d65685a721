"""Publishing events to WebSocket streams, after the transaction that caused them commits.

Services call ``publish_on_commit(stream, event)``; the channel layer fans the
event out to every consumer subscribed to the stream, in any process.
"""

import logging
import re

from asgiref.sync import async_to_sync
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


def publish_all(messages: list[tuple[str, dict]]) -> None:
    """Send each ``(stream, event)`` now, in order, in one trip to the event loop."""
    layer = get_channel_layer()

    async def send_all():
        for stream, event in messages:
            try:
                await layer.group_send(stream, event)
            except Exception:  # a down Redis must not fail the write that already committed
                logger.warning(
                    "could not publish %s to %s", event.get("type"), stream, exc_info=True
                )

    try:
        async_to_sync(send_all)()
    except Exception:  # e.g. called where an event loop runs: still not the writer's failure
        logger.warning("could not publish %d events", len(messages), exc_info=True)


def publish_on_commit(stream: str, event: dict) -> None:
    transaction.on_commit(lambda: publish(stream, event))
