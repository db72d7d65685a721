"""Ephemeral signals: who is typing and who has the thread open. Never stored."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from discussions import consumers, presence, services
from groups import services as group_services
from groups.models import Membership
from tests.realtime.conftest import run, thread_path

pytestmark = pytest.mark.django_db(transaction=True)

TYPING = {"type": "typing"}


@pytest.fixture
async def two_members(open_socket, thread, member, colleague):
    anna = await open_socket(thread_path(thread), member)
    await anna.ready()
    bram = await open_socket(thread_path(thread), colleague)
    await bram.ready()
    return anna, bram


async def test_typing_reaches_the_others_but_not_the_typist(two_members, colleague):
    anna, bram = two_members
    await bram.send(TYPING)
    assert await anna.next() == {"type": "typing", "user": colleague.pk, "name": "Bram Bakker"}
    await bram.ping()
    await bram.nothing()


async def test_typing_is_forwarded_at_most_every_two_seconds(two_members, monkeypatch):
    anna, bram = two_members
    await bram.send(TYPING)
    await bram.send(TYPING)
    await bram.send(TYPING)
    assert (await anna.next())["type"] == "typing"
    await bram.ping()
    await anna.nothing()

    monkeypatch.setattr(consumers, "TYPING_EVERY", 0)  # as if two seconds went by
    await bram.send(TYPING)
    assert (await anna.next())["type"] == "typing"


async def _typing_is_ignored(silent, listener, speaker, speaker_user):
    """``silent`` types first; the listener's first typing frame is the speaker's."""
    await silent.send(TYPING)
    await silent.ping()  # had it been forwarded, it would be on its way to the listener now
    await speaker.send(TYPING)
    assert (await listener.next())["user"] == speaker_user.pk


async def test_typing_from_a_non_member_is_ignored(
    two_members, open_socket, thread, make_user, colleague
):
    anna, bram = two_members
    reader = await open_socket(thread_path(thread), await run(make_user))  # open group: may read
    await reader.ready()
    await _typing_is_ignored(reader, anna, bram, colleague)


async def test_typing_from_a_muted_member_is_ignored(
    two_members, open_socket, thread, add_member, colleague
):
    anna, bram = two_members
    muted = await run(add_member, thread.group)
    await run(
        Membership.objects.filter(pk=muted.pk).update,
        muted_until=timezone.now() + timedelta(hours=1),
    )
    socket = await open_socket(thread_path(thread), muted.user)
    await socket.ready()
    await _typing_is_ignored(socket, anna, bram, colleague)


async def test_in_a_locked_thread_only_moderators_type(
    two_members, open_socket, thread, group_moderator
):
    anna, bram = two_members
    moderator = await open_socket(thread_path(thread), group_moderator)
    await moderator.ready()
    await run(services.set_locked, moderator=group_moderator, thread=thread, locked=True)
    assert (await bram.next())["type"] == "thread.updated"
    assert (await anna.next())["type"] == "thread.updated"

    await _typing_is_ignored(bram, anna, moderator, group_moderator)


def _viewers(frame) -> list[str]:
    return [viewer["name"] for viewer in frame["viewers"]]


async def test_presence_lists_everyone_on_the_thread(open_socket, thread, member, colleague):
    anna = await open_socket(thread_path(thread), member)
    await anna.ready()
    assert _viewers(await anna.until("presence")) == ["Anna de Vries"]

    bram = await open_socket(thread_path(thread), colleague)
    await bram.ready()
    together = await bram.until("presence")
    assert together["viewers"] == [
        {"id": member.pk, "name": "Anna de Vries"},
        {"id": colleague.pk, "name": "Bram Bakker"},
    ]
    assert await anna.until("presence") == together

    await bram.communicator.disconnect()
    assert _viewers(await anna.until("presence")) == ["Anna de Vries"]


async def test_two_tabs_count_as_one_viewer(open_socket, thread, member):
    first = await open_socket(thread_path(thread), member)
    await first.ready()
    await first.until("presence")
    second = await open_socket(thread_path(thread), member)
    await second.ready()
    assert _viewers(await second.until("presence")) == ["Anna de Vries"]

    await second.communicator.disconnect()
    assert _viewers(await first.until("presence")) == ["Anna de Vries"]


async def test_a_closed_socket_leaves_the_list(open_socket, private_group, owner, add_member):
    insider = await run(add_member, private_group)
    thread = await run(
        services.create_thread, author=owner, group=private_group, title="Begroting", body="x"
    )
    owner_socket = await open_socket(thread_path(thread), owner)
    await owner_socket.ready()
    insider_socket = await open_socket(thread_path(thread), insider.user)
    await insider_socket.ready()
    assert len((await owner_socket.until("presence"))["viewers"]) == 1
    assert len((await owner_socket.until("presence"))["viewers"]) == 2

    await run(group_services.remove_member, actor=owner, membership=insider)
    await insider_socket.close_code()
    assert _viewers(await owner_socket.until("presence")) == ["Olga Eigenaar"]


async def test_a_ping_corrects_the_list_when_someone_vanished(open_socket, thread, member):
    anna = await open_socket(thread_path(thread), member)
    await anna.ready()
    await anna.until("presence")
    # A viewer on a process that died: entered, never said goodbye.
    await presence.enter(thread.pk, "specific.elders!gone", 999, "Ghost")
    await anna.send({"type": "ping"})
    assert _viewers(await anna.until("presence")) == ["Anna de Vries", "Ghost"]

    await _expire(thread.pk, "specific.elders!gone")
    await anna.send({"type": "ping"})
    assert _viewers(await anna.until("presence")) == ["Anna de Vries"]

    await anna.ping()  # nothing changed: no list
    await anna.nothing(skip=())


async def _expire(thread_id, channel_name):
    client = presence._redis()
    if client is None:
        presence._local[thread_id][channel_name]["expires"] = time.time() - 1
    else:
        entry = json.loads(await client.hget(presence.key(thread_id), channel_name))
        entry["expires"] = time.time() - 1
        await client.hset(presence.key(thread_id), channel_name, json.dumps(entry))
