"""Redis goes down while people post, and comes back.

Redis is the channel layer, the cache (rate limits) and presence. Without it nothing is
live, but nothing is lost either: the database is the truth. Posts are saved, pages render,
/healthz says the layer is down, and when Redis is back every open thread page catches up.
"""

import asyncio
import json
import random

import pytest

from discussions.consumers import CLOSE_UNAVAILABLE
from tests.faults.conftest import (
    Running,
    assert_full_view,
    assert_no_crash,
    browser_for,
    http,
    start_readers,
    thread_last_seq,
    thread_posts,
)
from tests.realtime.conftest import run

pytestmark = pytest.mark.django_db(transaction=True)

READERS = 4


# Both layers settings.py offers (KRING_CHANNEL_LAYER). With "core" the sockets lose their
# layer receive and close with 4503; with "pubsub" the layer reconnects by itself and the
# sockets stay open, catching up on their next ping.
@pytest.mark.parametrize("channel_layer", ["pubsub", "core"])
async def test_posts_are_saved_while_redis_is_down_and_readers_catch_up_when_it_returns(
    servers, own_redis, thread, writers, reader_user, channel_layer
):
    servers.channel_layer = channel_layer
    server = await asyncio.to_thread(servers.start, "a")
    browsers = [await browser_for(writer) for writer in writers]

    async def post(n: int) -> None:
        writer = browsers[n % len(browsers)]
        await asyncio.to_thread(writer.reply, server, thread, f"Bericht {n}")

    readers = await start_readers(
        READERS, servers=[server], thread=thread, user=reader_user, rng=random.Random(7)
    )
    running = Running(readers)
    await running.connected()
    for n in range(3):
        await post(n)
    await running.caught_up(await run(thread_last_seq, thread))

    own_redis.stop()

    # Every post is saved and answered as usual (a redirect to the post, no 500).
    for n in range(3, 9):
        await post(n)
    assert len(await run(thread_posts, thread)) == 1 + 9
    # The pages still render.
    status, html = await asyncio.to_thread(browsers[0].get, server.url + thread.get_absolute_url())
    assert status == 200 and "Bericht 8" in html
    status, _html = await asyncio.to_thread(browsers[0].get, server.url + "/")
    assert status == 200
    # The health check says what is wrong: the layer, not the database.
    status, _headers, body = await asyncio.to_thread(http, "GET", server.url + "/healthz", {})
    health = json.loads(body)
    assert status == 503
    assert health["channel_layer"]["ok"] is False
    assert health["database"]["ok"] is True

    # Someone opens the thread now: the page is there, the socket is told to try again.
    late = await start_readers(
        1, servers=[server], thread=thread, user=reader_user, rng=random.Random(8)
    )
    late_running = Running(late)
    await late_running.until(lambda r: CLOSE_UNAVAILABLE in r.close_codes, "were not refused")

    own_redis.start()  # the same port, empty: no groups, no presence

    # Without a further post, every reader gets what it missed once it is back in.
    await running.caught_up(await run(thread_last_seq, thread))
    # And live delivery works again (no pings now: nothing but a live event can bring a
    # post), also for the one who came during the outage.
    await late_running.connected()
    for reader in readers + late:
        reader.pings = False
    for n in range(9, 11):
        await post(n)
    for group in (running, late_running):
        await group.caught_up(await run(thread_last_seq, thread))
        await group.stop()

    assert_full_view(readers + late, await run(thread_posts, thread))
    for reader in readers + late:
        # If cut off, only ever with the code that means "try again" (kring.js retries).
        assert set(reader.close_codes) <= {CLOSE_UNAVAILABLE}, reader.close_codes
        if channel_layer == "core":  # the sockets lost their layer: closed, and back
            assert CLOSE_UNAVAILABLE in reader.close_codes
            assert reader.connections >= 2
    # And the health check says so again, within seconds (a check that began while the
    # core layer was still reconnecting may time out: a monitor asks again).
    for _attempt in range(10):
        status, _headers, body = await asyncio.to_thread(http, "GET", server.url + "/healthz", {})
        if status == 200:
            break
        await asyncio.sleep(1)
    assert status == 200, body
    server.stop()
    assert_no_crash(server)
