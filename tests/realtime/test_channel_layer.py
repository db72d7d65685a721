"""Both channel layers KRING_CHANNEL_LAYER offers carry a post across daphne processes.

The default (pubsub) is what tests/realtime/test_multiprocess.py runs; here each
layer in turn: a post made over HTTP through process A reaches sockets on A and B.
"""

import asyncio
import functools

import pytest
from django.conf import settings
from django.db import connections

from tests.realtime.conftest import run, session_cookie, thread_path
from tests.realtime.test_multiprocess import (
    HOST,
    _prepare_server_process,
    _server_application,
    _wait_until_ready,
    reply_over_http,
    until,
    websocket,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_pubsub_is_the_default():
    assert settings.KRING_CHANNEL_LAYER == "pubsub"
    backend = settings.KRING_CHANNEL_LAYER_BACKENDS["pubsub"]
    assert backend == "channels_redis.pubsub.RedisPubSubChannelLayer"
    if settings.REDIS_URL:
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == backend


def _prepare(redis_url: str, layer: str):
    _prepare_server_process(redis_url)
    settings.CHANNEL_LAYERS["default"]["BACKEND"] = settings.KRING_CHANNEL_LAYER_BACKENDS[layer]


@pytest.fixture(scope="module", params=["pubsub", "core"])
def servers_on_layer(request, django_db_setup, django_db_blocker, own_redis_url):
    from daphne.testing import DaphneProcess

    connections.close_all()  # a connection shared across fork would be used by both
    processes = []
    try:
        with django_db_blocker.unblock():
            for _ in range(2):
                process = DaphneProcess(
                    HOST,
                    _server_application,
                    setup=functools.partial(_prepare, own_redis_url, request.param),
                )
                process.daemon = True
                process.start()
                processes.append(process)
        yield [_wait_until_ready(process) for process in processes]
    finally:
        for process in processes:
            process.terminate()
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()


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
