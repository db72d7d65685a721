"""The group page's socket: news of posts in the group's threads, for those who may see it."""

from datetime import timedelta

import pytest

from discussions import services
from groups import services as group_services
from groups.models import Membership
from hub.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from tests.realtime.conftest import run

pytestmark = pytest.mark.django_db(transaction=True)


def group_path(group) -> str:
    return f"/ws/groups/{group.pk}/"


async def test_a_new_post_is_announced(open_socket, group, thread, member, colleague):
    socket = await open_socket(group_path(group), member)
    assert await socket.next() == {"type": "ready"}

    post = await run(services.create_post, author=colleague, thread=thread, body="Hallo")

    assert await socket.next() == {
        "type": "group.activity",
        "thread": thread.pk,
        "post": post.pk,
        "author": colleague.pk,
        "author_name": "Bram Bakker",
        "title": "Fietsenstalling",
        "url": thread.get_absolute_url(),
    }


async def test_a_new_thread_is_announced(open_socket, group, member, colleague):
    socket = await open_socket(group_path(group), member)
    await socket.ready()

    thread = await run(
        services.create_thread, author=colleague, group=group, title="Regenpakken", body="Tip?"
    )

    frame = await socket.next()
    assert (frame["type"], frame["thread"], frame["title"]) == (
        "group.activity",
        thread.pk,
        "Regenpakken",
    )


async def test_anonymous_sockets_are_closed_with_4401(open_socket, group):
    socket = await open_socket(group_path(group))
    assert socket.connected
    assert await socket.close_code() == CLOSE_UNAUTHENTICATED


async def test_a_group_that_does_not_exist_closes_with_4404(open_socket, member):
    socket = await open_socket("/ws/groups/987654321/", member)
    assert await socket.close_code() == CLOSE_NOT_FOUND


async def test_non_members_of_a_private_group_are_refused(open_socket, private_group, member):
    socket = await open_socket(group_path(private_group), member)
    assert await socket.close_code() == CLOSE_FORBIDDEN


async def test_a_removed_member_is_closed(open_socket, private_group, owner, add_member):
    insider = await run(add_member, private_group)
    socket = await open_socket(group_path(private_group), insider.user)
    await socket.ready()

    await run(group_services.remove_member, actor=owner, membership=insider)

    assert await socket.close_code() == CLOSE_FORBIDDEN


async def test_a_private_groups_news_reaches_its_members_only(
    open_socket, private_group, owner, add_member, group, member
):
    insider = await run(add_member, private_group)
    inside = await open_socket(group_path(private_group), insider.user)
    outside = await open_socket(group_path(group), member)
    await inside.ready()
    await outside.ready()

    await run(
        services.create_thread, author=owner, group=private_group, title="Begroting", body="x"
    )

    assert (await inside.next())["title"] == "Begroting"
    await outside.nothing()


async def test_ping_and_garbage_work_as_on_a_thread(open_socket, group, member):
    socket = await open_socket(group_path(group), member)
    await socket.ready()
    await socket.send({"type": "ping"})
    assert await socket.next() == {"type": "pong"}
    await socket.send({"type": "typing"})  # only thread sockets know typing
    assert await socket.next() == {"type": "error", "code": "unknown_type"}
    await socket.send("{")
    assert await socket.next() == {"type": "error", "code": "invalid_json"}


async def test_a_muted_member_still_hears_the_news(
    open_socket, group, thread, member, colleague, owner
):
    socket = await open_socket(group_path(group), member)
    await socket.ready()
    membership = await run(Membership.objects.get, user=member, group=group)
    await run(
        group_services.mute_member, actor=owner, membership=membership, duration=timedelta(days=1)
    )
    await run(services.create_post, author=colleague, thread=thread, body="Hallo")
    assert (await socket.next())["type"] == "group.activity"
