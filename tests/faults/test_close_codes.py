"""Close codes as a browser receives them from the real daphne.

daphne (autobahn) lets an application close only with 1000 or 3000-4999; a consumer that
closed with the protocol's 1009 or 1011 raised inside daphne and the socket stayed open
and deaf. Kring's codes for these are 4413 and 4500, and kring.js reconnects on both.
"""

import asyncio
import json

import pytest
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from discussions import events
from discussions.consumers import CLOSE_SERVER_ERROR, CLOSE_TOO_BIG, MAX_FRAME_BYTES
from tests.realtime.conftest import TIMEOUT, run, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def close_code(socket) -> int:
    """Read until the server closes; its code (fails if it never does)."""
    try:
        async with asyncio.timeout(TIMEOUT):
            while True:
                await socket.recv()
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else 1006
    except TimeoutError:
        pytest.fail("the server never closed the socket")


async def test_daphne_delivers_the_too_big_and_server_error_codes(
    servers, own_redis, thread, reader_user
):
    servers.channel_layer = "pubsub"
    server = await asyncio.to_thread(servers.start, "a")
    session = await run(session_cookie, reader_user)

    def open_():
        return connect(
            f"{server.ws_url}/ws/threads/{thread.pk}/",
            origin=server.url,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
            proxy=None,
        )

    async with open_() as socket:
        await socket.send(json.dumps({"type": "ping", "padding": "x" * MAX_FRAME_BYTES}))
        assert await close_code(socket) == CLOSE_TOO_BIG

    async with open_() as socket:
        while json.loads(await socket.recv())["type"] != "ready":
            pass
        # An event the consumer cannot handle (malformed) stands for any bug.
        layer = RedisPubSubChannelLayer(hosts=[own_redis.url])
        await layer.group_send(events.thread_stream(thread.pk), {"type": "thread.event"})
        await layer.flush()
        assert await close_code(socket) == CLOSE_SERVER_ERROR
