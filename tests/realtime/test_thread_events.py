"""Thread events: every change reaches the socket once, in order, live or caught up."""

import pytest
from channels.layers import get_channel_layer
from django.db.models import F

from discussions import events, services
from discussions.models import Post, Thread, ThreadEvent
from tests.realtime.conftest import run, thread_path

pytestmark = pytest.mark.django_db(transaction=True)

Kind = ThreadEvent.Kind


async def _post(thread, author, body="Een bericht"):
    return await run(services.create_post, author=author, thread=thread, body=body)


def _lost_post(thread, author) -> Post:
    """A post committed whose event the channel layer lost: in the log, never published."""
    post = Post.objects.create(thread=thread, author=author, body="Verloren bericht")
    Thread.objects.filter(pk=thread.pk).update(last_seq=F("last_seq") + 1)
    seq = Thread.objects.values_list("last_seq", flat=True).get(pk=thread.pk)
    ThreadEvent.objects.create(thread=thread, seq=seq, kind=Kind.POST_CREATED, post=post)
    return post


def _old_events(thread, count: int) -> int:
    """``count`` events in the log at once (a busy thread), unpublished; the new last seq."""
    last = Thread.objects.values_list("last_seq", flat=True).get(pk=thread.pk)
    ThreadEvent.objects.bulk_create(
        ThreadEvent(thread=thread, seq=last + n, kind=Kind.THREAD_UPDATED)
        for n in range(1, count + 1)
    )
    Thread.objects.filter(pk=thread.pk).update(last_seq=last + count)
    return last + count


async def test_a_new_post_arrives_with_its_html(open_socket, thread, member, colleague):
    socket = await open_socket(thread_path(thread), member)
    assert (await socket.ready())["seq"] == 1

    post = await _post(thread, colleague, "Wie fietst er **mee**?")

    frame = await socket.next()
    assert frame["type"] == "post.created"
    assert frame["seq"] == 2
    assert frame["thread"] == thread.pk
    assert frame["post"] == post.pk
    assert frame["author"] == colleague.pk
    assert frame["author_name"] == "Bram Bakker"
    assert f'id="post-{post.pk}"' in frame["html"]
    assert "<strong>mee</strong>" in frame["html"]


async def test_every_kind_of_change_arrives_in_order(
    open_socket, thread, member, colleague, group_moderator
):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()

    post = await _post(thread, colleague, "Eerste versie")
    await run(services.edit_post, editor=colleague, post=post, body="Tweede versie")
    await run(services.toggle_reaction, user=member, post=post, emoji="heart")
    await run(services.hide_post, moderator=group_moderator, post=post, reason="Off-topic")
    await run(services.unhide_post, moderator=group_moderator, post=post)
    await run(services.delete_post, actor=colleague, post=post)
    await run(services.set_pinned, moderator=group_moderator, thread=thread, pinned=True)
    await run(services.set_locked, moderator=group_moderator, thread=thread, locked=True)

    frames = [await socket.next() for _ in range(8)]
    assert [f["type"] for f in frames] == [
        "post.created",
        "post.edited",
        "post.reactions",
        "post.hidden",
        "post.unhidden",
        "post.deleted",
        "thread.updated",
        "thread.updated",
    ]
    assert [f["seq"] for f in frames] == list(range(2, 10))
    assert all(f["post"] == post.pk for f in frames[:6])
    assert "Tweede versie" in frames[1]["html"]
    assert "❤️" in frames[2]["html"]
    assert "Off-topic" in frames[3]["html"]
    assert "Tweede versie" in frames[4]["html"]
    assert "Tweede versie" not in frames[5]["html"]
    assert (frames[6]["pinned"], frames[6]["locked"]) == (True, False)
    assert (frames[7]["pinned"], frames[7]["locked"]) == (True, True)
    assert frames[7]["title"] == "Fietsenstalling"
    assert frames[7]["url"] == thread.get_absolute_url()


async def test_a_moved_thread_tells_where_it_went(
    open_socket, thread, member, group_moderator, make_group
):
    elsewhere = await run(make_group, owner=group_moderator, name="Mobiliteit")
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()

    await run(services.move_thread, moderator=group_moderator, thread=thread, to_group=elsewhere)

    frame = await socket.next()
    assert frame["type"] == "thread.moved"
    assert frame["group"] == elsewhere.pk
    assert frame["group_name"] == "Mobiliteit"
    assert frame["url"] == f"/groepen/{elsewhere.slug}/discussies/{thread.pk}/"


async def test_a_reconnecting_client_gets_exactly_what_it_missed(
    open_socket, thread, member, colleague
):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()
    await _post(thread, colleague, "Nog eentje")
    last = (await socket.next())["seq"]
    await socket.communicator.disconnect()

    posts = [await _post(thread, colleague, f"Bericht {n}") for n in range(20)]

    again = await open_socket(thread_path(thread, after=last), member)
    frames = []
    while (frame := await again.next())["type"] != "ready":
        frames.append(frame)
    assert [f["type"] for f in frames] == ["post.created"] * 20
    assert [f["seq"] for f in frames] == list(range(last + 1, last + 21))
    assert [f["post"] for f in frames] == [p.pk for p in posts]
    assert frame == {"type": "ready", "seq": last + 20}
    await again.nothing()  # no live copies of what was replayed


async def test_without_after_it_starts_from_now(open_socket, thread, member, colleague):
    await _post(thread, colleague)
    socket = await open_socket(thread_path(thread), member)
    assert await socket.next() == {"type": "ready", "seq": 2}


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", ""])
async def test_a_malformed_after_counts_as_now(open_socket, thread, member, after):
    socket = await open_socket(f"/ws/threads/{thread.pk}/?after={after}", member)
    assert await socket.next() == {"type": "ready", "seq": 1}


async def test_an_after_from_the_future_counts_as_now(open_socket, thread, member, colleague):
    socket = await open_socket(thread_path(thread, after=999), member)
    assert await socket.next() == {"type": "ready", "seq": 1}
    await _post(thread, colleague)
    assert (await socket.next())["seq"] == 2


async def test_more_than_500_missed_asks_for_a_reload(open_socket, thread, member):
    last = await run(_old_events, thread, 501)
    socket = await open_socket(thread_path(thread, after=0), member)
    assert await socket.next() == {"type": "reload"}
    assert await socket.next() == {"type": "ready", "seq": last}


async def test_500_missed_are_replayed(open_socket, thread, member):
    last = await run(_old_events, thread, 499)  # plus the first post: 500
    socket = await open_socket(thread_path(thread, after=0), member)
    frames = [await socket.next() for _ in range(500)]
    assert [f["seq"] for f in frames] == list(range(1, 501))
    assert await socket.next() == {"type": "ready", "seq": last}


async def test_a_repeated_or_stale_event_is_dropped(open_socket, thread, member, colleague):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()
    await _post(thread, colleague, "Eén")
    seen = await socket.next()

    def message(seq):
        texts = {
            language: events.serialise(events.frames_after(thread.pk, seq - 1, language, 1)[0])
            for language in events.languages()
        }
        return {"type": "thread.event", "seq": seq, "group": thread.group_id, "frames": texts}

    layer = get_channel_layer()
    for seq in (seen["seq"], seen["seq"] - 1):
        await layer.group_send(events.thread_stream(thread.pk), await run(message, seq))
    await _post(thread, colleague, "Twee")

    frame = await socket.next()
    assert (frame["type"], frame["seq"]) == ("post.created", seen["seq"] + 1)
    await socket.nothing()


async def test_a_lost_event_is_filled_in_from_the_database(open_socket, thread, member, colleague):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()
    lost = await run(_lost_post, thread, colleague)

    newer = await _post(thread, colleague, "Na het verloren bericht")

    filled, live = await socket.next(), await socket.next()
    assert (filled["seq"], filled["post"]) == (2, lost.pk)
    assert "Verloren bericht" in filled["html"]
    assert (live["seq"], live["post"]) == (3, newer.pk)


async def test_a_gap_of_more_than_500_asks_for_a_reload(open_socket, thread, member, colleague):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()
    await run(_old_events, thread, 600)

    await _post(thread, colleague, "Eindelijk")

    assert await socket.next() == {"type": "reload"}
    assert (await socket.next())["seq"] == 602


async def test_frames_come_in_the_viewers_language(open_socket, thread, make_user):
    english = await run(make_user, language="en")
    dutch = await run(make_user)
    sockets = {
        "en (profile)": await open_socket(thread_path(thread), english),
        "en (cookie)": await open_socket(thread_path(thread), dutch, language_cookie="en"),
        "nl": await open_socket(thread_path(thread), dutch),
        "nl (unknown cookie)": await open_socket(thread_path(thread), dutch, language_cookie="xx"),
    }
    for socket in sockets.values():
        await socket.ready()

    frames = {code: f'{{"type":"post.created","seq":2,"lang":"{code}"}}' for code in ("nl", "en")}
    await get_channel_layer().group_send(
        events.thread_stream(thread.pk),
        {"type": "thread.event", "seq": 2, "group": thread.group_id, "frames": frames},
    )

    received = {name: (await socket.next())["lang"] for name, socket in sockets.items()}
    assert received == {
        "en (profile)": "en",
        "en (cookie)": "en",
        "nl": "nl",
        "nl (unknown cookie)": "nl",
    }
