"""Both channel layers KRING_CHANNEL_LAYER offers carry a post across daphne processes.

The default (pubsub) is what tests/realtime/test_multiprocess.py runs; here each
layer in turn: a post made over HTTP through process A reaches sockets on A and B.
"""

import asyncio

import pytest
from django.conf import settings

from tests.realtime.conftest import run, session_cookie, thread_path
from tests.realtime.test_multiprocess import (
    reply_over_http,
    running_servers,
    until,
    websocket,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_pubsub_is_the_default():
    assert settings.KRING_CHANNEL_LAYER == "pubsub"
    backend = settings.KRING_CHANNEL_LAYER_BACKENDS["pubsub"]
    assert backend == "hub.layers.PubSubChannelLayer"
    if settings.REDIS_URL:
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == backend


@pytest.fixture(scope="module", params=["pubsub", "core"])
def servers_on_layer(request, django_db_setup, django_db_blocker, own_redis_url):
    with running_servers(django_db_blocker, own_redis_url, request.param) as servers:
        yield servers


async def test_a_post_reaches_sockets_on_both_processes(
    servers_on_layer, thread, member, colleague
):
    a, b = servers_on_layer
    reader, writer = await run(session_cookie, member), await run(session_cookie, colleague)
    async with (
        websocket(a, thread_path(thread), reader) as on_a,
        websocket(b, thread_path(thread), reader) as on_b,
    ):
        for socket in (on_a, on_b):
            assert (await until(socket, "ready"))["seq"] == 1

        for n in (1, 2):
            await asyncio.to_thread(reply_over_http, a, thread, writer, f"Bericht {n}")
            for socket in (on_a, on_b):
                frame = await until(socket, "post.created")
                assert frame["seq"] == 1 + n
                assert f"Bericht {n}" in frame["html"]
