"""Publishing after commit (hub.realtime): on a request thread of the server, the sends go
to the server's event loop and the request goes on. A Redis that accepts connections but
never answers must not hold a request up, and sends that pile up are dropped past a limit
(a browser that misses an event catches up from the database)."""

import asyncio
import contextlib

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers

from hub import realtime

HUNG_LAYER = "hub.layers.PubSubChannelLayer"


@contextlib.asynccontextmanager
async def hung_redis():
    """A TCP server that takes connections and never says a word: a Redis that hangs."""
    held = []

    async def hold(reader, writer):
        held.append(writer)
        await asyncio.Event().wait()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield f"redis://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        for writer in held:
            writer.close()
        server.close()


@pytest.fixture
def layer_on(settings):
    def use(url):
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": HUNG_LAYER, "CONFIG": {"hosts": [url]}}}
        channel_layers.backends.clear()

    yield use
    channel_layers.backends.clear()


async def _pending_sends():
    current = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t is not current and not t.done()]


async def test_a_hung_redis_does_not_hold_up_a_request_thread(layer_on):
    async with hung_redis() as url:
        layer_on(url)
        # As a view's on_commit does, on a thread the server's loop handed the request to.
        publish = sync_to_async(realtime.publish, thread_sensitive=False)
        await asyncio.wait_for(publish("thread.1", {"type": "post.created"}), timeout=5)
        waiting = await _pending_sends()
        assert waiting, "the send should still be waiting for the hung Redis"
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
    assert realtime._pending == 0


async def test_sends_past_the_limit_are_dropped_not_queued(layer_on, monkeypatch, caplog):
    monkeypatch.setattr(realtime, "MAX_PENDING", 3)
    async with hung_redis() as url:
        layer_on(url)
        publish = sync_to_async(realtime.publish, thread_sensitive=False)
        for n in range(5):
            await asyncio.wait_for(publish(f"thread.{n}", {"type": "post.created"}), timeout=5)
        assert realtime._pending == 3
        assert "dropped 1 events" in caplog.text
        waiting = await _pending_sends()
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
    assert realtime._pending == 0


def test_outside_a_server_it_waits_for_the_send(layer_on, settings):
    """Management commands and the sync test client: no server loop, the send completes
    before publish returns (the in-memory layer holds it for a subscriber)."""
    from channels.layers import get_channel_layer

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    layer = get_channel_layer()

    async def subscribe():
        channel = await layer.new_channel()
        await layer.group_add("thread.7", channel)
        return channel

    from asgiref.sync import async_to_sync

    channel = async_to_sync(subscribe)()
    realtime.publish("thread.7", {"type": "post.created", "seq": 9})
    received = async_to_sync(layer.receive)(channel)
    assert received == {"type": "post.created", "seq": 9}
