"""Whatever a client sends, the server answers with an error code or a close code, never a crash."""

import json

import pytest
from channels.layers import get_channel_layer

from discussions import events
from discussions.consumers import CLOSE_SERVER_ERROR, CLOSE_TOO_BIG, CLOSE_TOO_FAST
from tests.realtime.conftest import thread_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def socket(open_socket, thread, member):
    socket = await open_socket(thread_path(thread), member)
    await socket.ready()
    return socket


async def test_ping_is_answered_with_pong(socket):
    await socket.send({"type": "ping"})
    assert await socket.next() == {"type": "pong"}


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "invalid_json"),
        ("", "invalid_json"),
        ("[" * 2000 + "]" * 2000, "invalid_json"),  # nested too deep to parse
        ('{"type": "shout"}', "unknown_type"),
        ('{"kind": "typing"}', "unknown_type"),
        ('{"type": ["typing"]}', "unknown_type"),
        ('{"type": "__init__"}', "unknown_type"),
        ('["typing"]', "unknown_type"),
        ('"typing"', "unknown_type"),
        ("null", "unknown_type"),
    ],
)
async def test_garbage_gets_an_error_and_the_socket_stays_usable(socket, frame, code):
    await socket.send(frame)
    assert await socket.next() == {"type": "error", "code": code}
    await socket.send({"type": "ping"})
    assert await socket.next() == {"type": "pong"}


async def test_binary_frames_get_an_error(socket):
    await socket.send_bytes(b'{"type": "ping"}')
    assert await socket.next() == {"type": "error", "code": "binary"}
    await socket.send({"type": "ping"})
    assert await socket.next() == {"type": "pong"}


async def test_a_frame_of_4096_bytes_is_fine(socket):
    frame = json.dumps({"type": "ping", "padding": ""})
    frame = frame.replace('""', '"' + "é" * ((4096 - len(frame)) // 2) + '"')
    assert len(frame.encode()) in (4095, 4096)
    await socket.send(frame)
    assert await socket.next() == {"type": "pong"}


async def test_a_frame_over_4096_bytes_closes_with_1009(socket):
    # 2049 two-byte characters: under 4096 characters, over 4096 bytes.
    await socket.send(json.dumps({"type": "ping", "padding": "é" * 2049}, ensure_ascii=False))
    assert await socket.close_code() == CLOSE_TOO_BIG


async def test_a_large_binary_frame_closes_with_1009(socket):
    await socket.send_bytes(b"x" * 5000)
    assert await socket.close_code() == CLOSE_TOO_BIG


async def test_20_frames_a_second_are_fine(socket):
    for _ in range(20):
        await socket.send({"type": "ping"})
    for _ in range(20):
        assert await socket.next() == {"type": "pong"}


async def test_a_flood_closes_with_4429(socket):
    for _ in range(21):
        await socket.send({"type": "ping"})
    pongs = 0
    while True:
        out = await socket.output()
        if out["type"] == "websocket.close":
            break
        pongs += json.loads(out["text"])["type"] == "pong"
    assert out["code"] == CLOSE_TOO_FAST
    assert pongs == 20


async def test_a_server_fault_is_logged_and_closes_with_1011(socket, thread, caplog):
    # An event the consumer cannot handle (here: malformed) stands for any bug.
    await get_channel_layer().group_send(events.thread_stream(thread.pk), {"type": "thread.event"})
    assert await socket.close_code() == CLOSE_SERVER_ERROR  # the client reconnects and catches up
    assert "failed on thread.event" in caplog.text


async def test_an_unknown_server_event_is_ignored(socket, thread):
    # e.g. sent by a newer version of Kring during a rolling deploy
    await get_channel_layer().group_send(events.thread_stream(thread.pk), {"type": "thread.new"})
    await socket.send({"type": "ping"})
    assert await socket.next() == {"type": "pong"}
