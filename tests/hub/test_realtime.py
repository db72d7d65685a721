"""publish_on_commit: clients hear about a write only once it is committed."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from hub.realtime import publish_on_commit, stream_name

pytestmark = pytest.mark.django_db(transaction=True)


async def _subscribe(stream):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(stream, channel)
    return layer, channel


async def test_an_event_is_delivered_after_commit():
    stream = stream_name("thread", 1)
    layer, channel = await _subscribe(stream)

    def write():
        with transaction.atomic():
            publish_on_commit(stream, {"type": "post.created", "seq": 7})

    await database_sync_to_async(write)()
    message = await asyncio.wait_for(layer.receive(channel), 2)
    assert message == {"type": "post.created", "seq": 7}


async def test_a_rolled_back_write_publishes_nothing():
    stream = stream_name("thread", 2)
    layer, channel = await _subscribe(stream)

    def write_and_fail():
        with transaction.atomic():
            publish_on_commit(stream, {"type": "post.created", "seq": 8})
            raise RuntimeError("validation failed after the write")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(write_and_fail)()
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.5)


def test_stream_names_are_checked():
    assert stream_name("thread", 42) == "thread.42"
    with pytest.raises(ValueError):
        stream_name("thread with spaces", 1)
