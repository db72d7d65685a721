"""Who may open a thread's socket, and who is closed when their rights change."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction

from discussions import consumers, services
from discussions.models import Thread
from groups import services as group_services
from groups.models import Membership
from hub.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from tests.realtime.conftest import run, thread_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_thread(private_group, owner, add_member, make_user):
    insider = make_user(display_name="Ingrid Intern")
    add_member(private_group, insider)
    thread = services.create_thread(author=owner, group=private_group, title="Begroting", body="x")
    return thread, insider


async def test_it_closes_anonymous_sockets_with_4401(open_socket, thread):
    socket = await open_socket(thread_path(thread))
    assert socket.connected  # accepted first, so the browser sees the code
    assert await socket.close_code() == CLOSE_UNAUTHENTICATED


async def test_it_closes_with_4404_for_a_thread_that_does_not_exist(open_socket, member):
    socket = await open_socket("/ws/threads/987654321/", member)
    assert await socket.close_code() == CLOSE_NOT_FOUND


async def test_it_closes_with_4404_for_a_malformed_thread_id(open_socket, member):
    socket = await open_socket("/ws/threads/1234567890123456789012/", member)
    assert await socket.close_code() == CLOSE_NOT_FOUND


async def test_it_refuses_non_members_of_a_private_group(open_socket, private_thread, make_user):
    thread, _insider = private_thread
    outsider = await run(make_user)
    socket = await open_socket(thread_path(thread), outsider)
    assert await socket.close_code() == CLOSE_FORBIDDEN


async def test_members_of_a_private_group_get_in(open_socket, private_thread):
    thread, insider = private_thread
    socket = await open_socket(thread_path(thread), insider)
    assert (await socket.ready())["seq"] == 1


async def test_non_members_read_along_in_an_open_group(open_socket, thread, make_user):
    reader = await run(make_user)
    socket = await open_socket(thread_path(thread), reader)
    assert await socket.ready() == {"type": "ready", "seq": 1}


async def test_a_socket_from_another_site_is_refused(open_socket, thread, member):
    socket = await open_socket(thread_path(thread), member, origin=b"https://evil.example")
    assert not socket.connected


async def test_a_removed_member_is_closed_at_once(open_socket, private_thread, owner):
    thread, insider = private_thread
    socket = await open_socket(thread_path(thread), insider)
    await socket.ready()
    membership = await run(Membership.objects.get, user=insider, group=thread.group)

    await run(group_services.remove_member, actor=owner, membership=membership)

    assert await socket.close_code() == CLOSE_FORBIDDEN


async def test_others_stay_when_someone_else_is_removed(
    open_socket, private_thread, owner, add_member, make_user
):
    thread, insider = private_thread
    leaver = await run(make_user)
    membership = await run(add_member, thread.group, leaver)
    socket = await open_socket(thread_path(thread), insider)
    await socket.ready()

    await run(group_services.remove_member, actor=owner, membership=membership)
    await run(services.create_post, author=owner, thread=thread, body="Verder")

    assert (await socket.next())["type"] == "post.created"


async def test_a_signed_out_viewer_is_closed_with_4401_on_the_next_check(
    open_socket, thread, member
):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()
    await run(Session.objects.all().delete)

    def settings_changed():
        with transaction.atomic():
            group_services.access_changed(thread.group)

    await run(settings_changed)
    assert await socket.close_code() == CLOSE_UNAUTHENTICATED


async def test_the_answer_is_asked_again_after_a_minute(
    open_socket, private_thread, owner, monkeypatch
):
    thread, insider = private_thread
    socket = await open_socket(thread_path(thread), insider)
    await socket.ready()
    # Removed behind the socket's back (no access.changed): the periodic check catches it.
    await run(Membership.objects.filter(user=insider).delete)
    monkeypatch.setattr(consumers, "RECHECK_AFTER", 0)

    await run(services.create_post, author=owner, thread=thread, body="Geheim")

    assert await socket.close_code() == CLOSE_FORBIDDEN  # and the post was not forwarded


async def test_a_thread_moved_where_the_viewer_cannot_follow_closes_with_4403(
    open_socket, thread, member, group_moderator, make_group, add_member
):
    secret = await run(make_group, owner=group_moderator, visibility="private")
    follower = await run(add_member, thread.group)
    await run(add_member, secret, follower.user)
    staying = await open_socket(thread_path(thread), follower.user)
    leaving = await open_socket(thread_path(thread), member)
    await staying.ready()
    await leaving.ready()

    await run(services.move_thread, moderator=group_moderator, thread=thread, to_group=secret)

    assert await leaving.close_code() == CLOSE_FORBIDDEN
    moved = await staying.next()
    assert moved["type"] == "thread.moved"
    assert moved["group"] == secret.pk
    assert moved["group_name"] == secret.name

    # The socket now listens to the new group's access changes.
    membership = await run(Membership.objects.get, user=follower.user, group=secret)
    await run(group_services.remove_member, actor=group_moderator, membership=membership)
    assert await staying.close_code() == CLOSE_FORBIDDEN


async def test_a_muted_member_reads_on(open_socket, thread, member, colleague, owner):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()
    membership = await run(Membership.objects.get, user=member, group=thread.group)

    await run(
        group_services.mute_member, actor=owner, membership=membership, duration=timedelta(hours=1)
    )
    await run(services.create_post, author=colleague, thread=thread, body="Nog iemand?")

    assert (await socket.next())["type"] == "post.created"


async def test_a_deleted_thread_closes_with_4404_on_the_next_check(open_socket, thread, member):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()
    await run(Thread.objects.filter(pk=thread.pk).delete)

    def settings_changed():
        with transaction.atomic():
            group_services.access_changed(thread.group)

    await run(settings_changed)
    assert await socket.close_code() == CLOSE_NOT_FOUND
