# ruff: noqa: F811  (pytest fixtures imported from the realtime tests)
"""The per-user notification socket against the real ASGI application (tests/realtime has
the communicator helpers): only your own notifications, live and caught up, and the count."""

import pytest
from channels.layers import get_channel_layer
from django.test import Client
from django.urls import reverse

from discussions import services as discussions
from hub.consumers import CLOSE_UNAUTHENTICATED
from hub.models import Notification
from hub.notifications import services
from tests.realtime.conftest import (  # noqa: F401  (fixtures)
    _clean_realtime_state,
    no_post_limit,
    open_socket,
    run,
)

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/notifications/"
Kind = Notification.Kind


def tell_sync(recipient, actor, kind=Kind.MENTION, excerpt="Hoi", group=None):
    return services.notify(
        [recipient], kind=kind, actor=actor, group=group, url="/groepen/", excerpt=excerpt
    )[0]


def tell(recipient, actor, **kwargs):
    return run(tell_sync, recipient, actor, **kwargs)


async def greeted(socket) -> tuple[list[dict], int, int]:
    """(notification frames, unread count, ready seq) of the greeting."""
    frames = []
    while True:
        frame = await socket.next()
        if frame["type"] == "notification":
            frames.append(frame)
        elif frame["type"] == "unread":
            unread = frame["count"]
        elif frame["type"] == "ready":
            return frames, unread, frame["seq"]
        else:
            raise AssertionError(f"unexpected {frame}")


async def test_anonymous_sockets_are_closed_with_4401(open_socket):
    socket = await open_socket(PATH)
    assert socket.connected
    assert await socket.close_code() == CLOSE_UNAUTHENTICATED


async def test_on_connect_the_unread_count_then_ready(open_socket, people):
    await tell(people.anna, people.olga)
    latest = await tell(people.anna, people.olga)
    socket = await open_socket(PATH, people.anna)
    assert await greeted(socket) == ([], 2, latest.pk)


async def test_my_new_notification_arrives_live_with_the_count(open_socket, people):
    socket = await open_socket(PATH, people.anna)
    assert await greeted(socket) == ([], 0, 0)

    thread = await run(
        discussions.create_thread,
        author=people.olga,
        group=people.group,
        title="Fietsenstalling",
        body="Wie helpt?",
    )
    await run(
        discussions.create_post,
        author=people.bram,
        thread=thread,
        body=f"@{people.anna.username} <script>alert(1)</script>",
    )
    notification = await run(Notification.objects.get, recipient=people.anna)

    frame = await socket.next()
    assert frame["type"] == "notification"
    assert frame["seq"] == frame["id"] == notification.pk
    assert frame["kind"] == "mention"
    assert frame["text"] == "Bram Bakker mentioned you (Fietsen naar het werk)"  # Anna: English
    html = frame["html"].strip()  # the list's own partial
    assert html.startswith(
        f'<li class="notification notification--unread" id="notification-{notification.pk}"'
    )
    assert reverse("notifications:open", args=[notification.pk]) in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert ">Unread<" in html
    assert await socket.next() == {"type": "unread", "count": 1}


async def test_frames_are_in_the_readers_language(open_socket, people):
    socket = await open_socket(PATH, people.bram)  # reads Dutch
    await greeted(socket)
    await tell(people.bram, people.anna, kind=Kind.MENTION)
    frame = await socket.next()
    assert frame["text"] == "Anna de Vries heeft je genoemd"
    assert "heeft je genoemd" in frame["html"]


async def test_never_someone_elses_notifications(open_socket, people):
    anna = await open_socket(PATH, people.anna)
    bram = await open_socket(PATH, people.bram)
    await greeted(anna)
    await greeted(bram)

    await tell(people.anna, people.olga, excerpt="Alleen voor Anna")
    assert (await anna.next())["type"] == "notification"
    assert await anna.next() == {"type": "unread", "count": 1}
    await bram.nothing()

    # Even a nudge on Bram's own stream about Anna's notification shows him nothing of it.
    anna_note = await run(Notification.objects.get, recipient=people.anna)
    await get_channel_layer().group_send(
        services.user_stream(people.bram.pk), {"type": "notification.new", "id": anna_note.pk}
    )
    assert await bram.next() == {"type": "unread", "count": 0}
    await bram.nothing()


async def test_catch_up_sends_what_came_after(open_socket, people):
    seen = await tell(people.anna, people.olga, excerpt="Gezien")
    await tell(people.bram, people.olga, excerpt="Van Bram")
    missed = [await tell(people.anna, people.mo, excerpt=f"Gemist {n}") for n in range(2)]

    socket = await open_socket(f"{PATH}?after={seen.pk}", people.anna)
    frames, unread, ready = await greeted(socket)
    assert [f["id"] for f in frames] == [n.pk for n in missed]
    assert all("Gemist" in f["html"] for f in frames)
    assert (unread, ready) == (3, missed[-1].pk)


@pytest.mark.parametrize("after", ["abc", "-1", "1" * 40, "", "999999999"])
async def test_a_bad_after_starts_from_now(open_socket, people, after):
    latest = await tell(people.anna, people.olga)
    socket = await open_socket(f"{PATH}?after={after}", people.anna)
    assert await greeted(socket) == ([], 1, latest.pk)


async def test_too_much_to_catch_up_means_reload(open_socket, people):
    def many():
        Notification.objects.bulk_create(
            Notification(recipient=people.anna, kind=Kind.MENTION, url="/", excerpt=str(n))
            for n in range(51)
        )
        return Notification.objects.filter(recipient=people.anna).order_by("-pk").first()

    latest = await run(many)
    socket = await open_socket(f"{PATH}?after=0", people.anna)
    assert await socket.next() == {"type": "reload"}
    assert await greeted(socket) == ([], 51, latest.pk)

    # And it carries on from there.
    new = await tell(people.anna, people.olga)
    assert (await socket.next())["id"] == new.pk


async def test_reading_updates_the_count_on_every_tab(open_socket, people):
    first = await tell(people.anna, people.olga)
    await tell(people.anna, people.olga)
    tabs = [await open_socket(PATH, people.anna) for _ in range(2)]
    for tab in tabs:
        assert (await greeted(tab))[1] == 2

    def open_it():  # the person clicks it in a third tab
        client = Client()
        client.force_login(people.anna)
        return client.get(reverse("notifications:open", args=[first.pk])).status_code

    assert await run(open_it) == 302
    for tab in tabs:
        assert await tab.next() == {"type": "unread", "count": 1}

    await run(services.mark_read, people.anna)
    for tab in tabs:
        assert await tab.next() == {"type": "unread", "count": 0}


async def test_a_notification_sent_in_the_catch_up_is_not_sent_again(open_socket, people):
    """Committed between the page load and the subscription: it comes both ways, once."""
    socket = await open_socket(f"{PATH}?after=0", people.anna)
    await greeted(socket)
    note = await tell(people.anna, people.olga)
    assert (await socket.next())["id"] == note.pk
    assert await socket.next() == {"type": "unread", "count": 1}
    await get_channel_layer().group_send(
        services.user_stream(people.anna.pk), {"type": "notification.new", "id": note.pk}
    )
    assert await socket.next() == {"type": "unread", "count": 1}
    await socket.nothing()


async def test_garbage_frames_get_errors_and_the_socket_stays(open_socket, people):
    socket = await open_socket(PATH, people.anna)
    await greeted(socket)
    await socket.send("not json")
    assert await socket.next() == {"type": "error", "code": "invalid_json"}
    await socket.send({"type": "typing"})
    assert await socket.next() == {"type": "error", "code": "unknown_type"}
    await socket.send_bytes(b"\x00")
    assert await socket.next() == {"type": "error", "code": "binary"}
    await socket.ping()
    await tell(people.anna, people.olga)
    assert (await socket.next())["type"] == "notification"


async def test_an_unknown_layer_message_is_ignored(open_socket, people):
    socket = await open_socket(PATH, people.anna)
    await greeted(socket)
    await get_channel_layer().group_send(
        services.user_stream(people.anna.pk), {"type": "notification.something_new"}
    )
    await socket.ping()
    await socket.nothing()
