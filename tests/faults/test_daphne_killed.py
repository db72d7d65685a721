"""A daphne process dies (SIGKILL) while posts flow: its readers move to another, miss nothing.

Two processes share the test's Redis and database, as behind a proxy. The readers are on
A, the posts go through B. A is killed mid-stream without a goodbye; each reader finds A
gone, goes to B (as a proxy would) with ?after=<last seq>, and ends with every post of the
thread exactly once, in order.
"""

import asyncio
import random

import pytest

from tests.faults.conftest import (
    Running,
    assert_full_view,
    browser_for,
    start_readers,
    thread_last_seq,
    thread_posts,
)
from tests.realtime.conftest import run

pytestmark = pytest.mark.django_db(transaction=True)

READERS = 6
POSTS = 24
KILL_AFTER = 8  # posts


async def test_readers_of_a_killed_process_reconnect_to_another_and_miss_nothing(
    servers, thread, writers, reader_user
):
    a, b = await asyncio.gather(
        asyncio.to_thread(servers.start, "a"), asyncio.to_thread(servers.start, "b")
    )
    browsers = [await browser_for(writer) for writer in writers]
    rng = random.Random(11)
    readers = await start_readers(
        READERS, servers=[a, b], thread=thread, user=reader_user, rng=rng, spread=False
    )
    running = Running(readers)
    await running.connected()

    for n in range(POSTS):
        if n == KILL_AFTER:
            a.kill()  # mid-stream: the posts keep coming through B
        writer = browsers[n % len(browsers)]
        await asyncio.to_thread(writer.reply, b, thread, f"Bericht {n}")
        await asyncio.sleep(rng.uniform(0.02, 0.1))

    await running.caught_up(await run(thread_last_seq, thread))
    await running.stop()

    assert not a.alive()
    assert_full_view(readers, await run(thread_posts, thread))
    for reader in readers:
        # Each lost A (no close frame: 1006), was refused by it, and went on on B.
        assert reader.close_codes == [1006], reader.close_codes
        assert reader.refusals >= 1 and reader.connections >= 2
