"""What keeps fan-out cheap: no database round trip per recipient, one presence list per burst."""

import asyncio
import threading

import pytest
from channels.layers import get_channel_layer

from discussions import events
from tests.realtime.conftest import run, thread_path
from tests.realtime.test_thread_events import _lost_post

pytestmark = pytest.mark.django_db(transaction=True)


async def test_live_events_reach_viewers_while_the_database_is_busy(
    open_socket, thread, member, colleague
):
    """Forwarding an event costs no query and no trip to the database thread: one slow
    query must not hold up every viewer of a busy thread."""
    readers = [await open_socket(thread_path(thread), user) for user in (member, colleague)]
    for socket in readers:
        await socket.ready()
    post = await run(_lost_post, thread, colleague)
    message = await run(events.thread_event_message, thread.pk, 2)

    busy, release = threading.Event(), threading.Event()

    def slow_query():
        busy.set()
        release.wait(30)

    holder = asyncio.ensure_future(run(slow_query))  # the database thread, taken
    try:
        assert await asyncio.to_thread(busy.wait, 5)
        await get_channel_layer().group_send(events.thread_stream(thread.pk), message)
        for socket in readers:
            frame = await socket.next()
            assert (frame["type"], frame["seq"], frame["post"]) == ("post.created", 2, post.pk)
    finally:
        release.set()
        await holder


async def test_many_arrivals_share_presence_lists(open_socket, thread, make_user, add_member):
    """A dozen people opening the thread at once: the first viewer does not get a dozen
    lists, and the last one it gets names everyone."""
    people = [await run(make_user, display_name=f"Lezer {n:02}") for n in range(12)]
    for person in people:
        await run(add_member, thread.group, person)
    first = await open_socket(thread_path(thread), people[0])
    await first.ready()
    assert [v["name"] for v in (await first.until("presence"))["viewers"]] == ["Lezer 00"]
    for person in people[1:]:
        await (await open_socket(thread_path(thread), person)).ready()

    everyone = sorted(person.pk for person in people)
    lists = 0
    while True:
        frame = await first.until("presence")
        lists += 1
        if sorted(v["id"] for v in frame["viewers"]) == everyone:
            break
    assert lists < len(people) - 1
