"""hub.broadcast: the readers of a stream in one process share one subscription.

The fast path (frames written straight to daphne's connections) runs wherever a real
daphne serves the sockets: tests/realtime/test_multiprocess.py, test_channel_layer.py and
tests/faults (a reader catching up among readers in step, 30 s of churn, a killed process).
Here, with the in-memory layer, what the subscription itself does.
"""

import pytest
from channels.layers import get_channel_layer

from discussions import events, services
from hub.consumers import CLOSE_FORBIDDEN
from tests.realtime.conftest import run, thread_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def subscriptions(stream: str) -> int:
    return len(get_channel_layer().groups.get(stream, {}))


async def post(thread, author, body):
    return await run(services.create_post, author=author, thread=thread, body=body)


async def test_readers_of_a_thread_share_one_subscription(
    open_socket, thread, member, colleague, group_moderator
):
    stream = events.thread_stream(thread.pk)
    readers = [await open_socket(thread_path(thread), u) for u in (colleague, group_moderator)]
    for reader in readers:
        await reader.ready()
    assert subscriptions(stream) == 1

    written = await post(thread, member, "Voor iedereen")
    for reader in readers:
        frame = await reader.next()
        assert (frame["type"], frame["post"]) == ("post.created", written.pk)


async def test_one_reader_leaving_does_not_cut_off_the_others(
    open_socket, thread, member, colleague, group_moderator
):
    stream = events.thread_stream(thread.pk)
    leaving = await open_socket(thread_path(thread), colleague)
    staying = await open_socket(thread_path(thread), group_moderator)
    for reader in (leaving, staying):
        await reader.ready()
    await leaving.communicator.disconnect()

    written = await post(thread, member, "Na het vertrek")
    frame = await staying.next()
    assert (frame["type"], frame["post"]) == ("post.created", written.pk)
    assert subscriptions(stream) == 1

    await staying.communicator.disconnect()
    assert subscriptions(stream) == 0  # the last one out ends it


async def test_a_refused_reader_never_joins(open_socket, private_group, thread, colleague):
    """A thread in a group the reader may not see: closed, and nothing subscribed for it."""
    from discussions.models import Thread

    await run(Thread.objects.filter(pk=thread.pk).update, group=private_group)
    outsider = await open_socket(thread_path(thread), colleague)
    assert await outsider.close_code() == CLOSE_FORBIDDEN
    assert subscriptions(events.thread_stream(thread.pk)) == 0
