"""30 seconds of churn: readers come and go at random while posts flow, and in the end
every reader's view of the thread is the database's.

Two daphne processes on the test's Redis; posts through either, every 0.2-0.5 s, by three
people. Readers stay a random while, leave (a tab closed, a train tunnel), come back after
a random pause to a random process with ?after=<last seq they saw>. The schedule comes
from a seeded RNG; the outcome (each reader has every post once, in order) must not
depend on how the schedule meets the machine's timing.
"""

import asyncio
import random
import time

import pytest

from tests.faults.conftest import (
    Running,
    assert_full_view,
    assert_no_crash,
    browser_for,
    start_readers,
    thread_last_seq,
    thread_posts,
)
from tests.realtime.conftest import run

pytestmark = pytest.mark.django_db(transaction=True)

SOAK_SECONDS = 30
READERS = 30
STAY = 3.0  # longest stay of a reader, seconds
PAUSE = 1.5  # longest time away


async def test_every_reader_ends_with_the_database_view_after_30_seconds_of_churn(
    servers, thread, writers, reader_user
):
    processes = list(
        await asyncio.gather(
            asyncio.to_thread(servers.start, "a"), asyncio.to_thread(servers.start, "b")
        )
    )
    browsers = [await browser_for(writer) for writer in writers]
    rng = random.Random(2026)
    readers = await start_readers(
        READERS, servers=processes, thread=thread, user=reader_user, rng=rng, churn=(STAY, PAUSE)
    )
    running = Running(readers)

    end = time.monotonic() + SOAK_SECONDS
    n = 0
    while time.monotonic() < end:
        writer = rng.choice(browsers)
        await asyncio.to_thread(writer.reply, rng.choice(processes), thread, f"Bericht {n}")
        n += 1
        await asyncio.sleep(rng.uniform(0.2, 0.5))

    running.settle()  # the churn is over: from now on each reader stays once back
    await running.caught_up(await run(thread_last_seq, thread))
    await running.stop()

    posts = await run(thread_posts, thread)
    assert len(posts) == 1 + n
    assert_full_view(readers, posts)
    # It was churn: every reader came back at least once, most of them many times.
    assert all(reader.connections >= 2 for reader in readers)
    assert sum(reader.connections for reader in readers) >= 3 * READERS
    for process in processes:
        process.stop()
        assert_no_crash(process)
