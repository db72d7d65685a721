# ruff: noqa: F811  (fixtures imported from the realtime tests)
"""Random frames to every WebSocket: an answer by the protocol, never a crash, nothing stored.

Each example opens a socket as a member (with a random ``?after=``), sends a run of
random frames (JSON of any shape and type, text that is no JSON, binary frames with
broken UTF-8), each followed by a ping, and checks the answer to each against
docs/realtime.md: a pong for a ping, nothing for a typing signal, else an error frame;
the socket stays open and usable. Some runs end with a frame over 4096 bytes, which must
close the socket with 1009. A consumer that raised would close with 1011 (or the
communicator would re-raise): both fail the test. No table gains or loses a row.
"""

import contextlib
import json
from urllib.parse import quote_from_bytes

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discussions import services as discussion_services
from discussions.consumers import CLOSE_TOO_BIG, CLOSE_TOO_FAST, MAX_FRAME_BYTES
from hub.asgi import application
from ideas import services as idea_services
from tests.fuzz.conftest import counts
from tests.realtime.conftest import (  # noqa: F401  (fixtures)
    ORIGIN,
    TIMEOUT,
    Socket,
    _clean_realtime_state,
    add_member,
    make_group,
    no_post_limit,
    run,
    session_cookie,
)

pytestmark = pytest.mark.django_db(transaction=True)

FRAMES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# What each socket's client may send (discussions.consumers: client_frames).
KNOWN = {
    "thread": {"ping", "typing"},
    "board": {"ping"},
    "group": {"ping"},
    "notifications": {"ping"},
}
TYPES = [
    "ping",
    "typing",
    "pong",
    "ready",
    "error",
    "presence",
    "reload",
    "__init__",
    "on_ping",
    "receive",
    "dispatch",
    "websocket.disconnect",
    "thread.typing",
    "PING",
    " ping",
    "\ud800",
    "",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(TYPES),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
typed = st.builds(
    lambda kind, rest: {**rest, "type": kind},
    st.one_of(st.sampled_from(TYPES), json_values),
    st.dictionaries(st.text(max_size=8), json_values, max_size=3),
)


def _dumps(value, ascii_only: bool) -> str:
    text = json.dumps(value, ensure_ascii=ascii_only)
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate: only its \u escape can go over the wire
        text = json.dumps(value)
    return text


json_frames = st.builds(_dumps, st.one_of(typed, json_values), st.booleans())
not_json = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["", "{", '{"type": "ping"', "[" * 2000, "[" * 2000 + "]" * 2000, "NaN", "1" * 4000, "\x00"]
    ),
)
binary = st.one_of(
    st.binary(max_size=60),
    st.sampled_from([b"\xff\xfe", b'{"type": "ping"}', b"\xed\xa0\x80", b"\xc3\x28"]),
)
small = st.one_of(json_frames, not_json, binary).filter(
    lambda frame: len(frame if isinstance(frame, bytes) else frame.encode()) <= MAX_FRAME_BYTES
)
oversize = st.one_of(
    st.integers(min_value=MAX_FRAME_BYTES + 1, max_value=20_000).map(lambda n: "x" * n),
    st.integers(min_value=MAX_FRAME_BYTES // 2 + 1, max_value=5000).map(lambda n: "é" * n),
    st.integers(min_value=MAX_FRAME_BYTES + 1, max_value=20_000).map(lambda n: b"\xff" * n),
    st.just(json.dumps({"type": "ping", "padding": "x" * MAX_FRAME_BYTES})),
)
afters = st.one_of(
    st.none(),
    st.sampled_from(["0", "1", "-1", "9" * 18, "9" * 40, "abc", "\x00", "١", "%ff", ""]),
    st.text(max_size=10),
)


def expected(frame, kind: str) -> list[dict]:
    """What the server answers to ``frame`` (docs/realtime.md), before the next pong."""
    if isinstance(frame, bytes):
        return [{"type": "error", "code": "binary"}]
    try:
        data = json.loads(frame)
    except (ValueError, RecursionError):
        return [{"type": "error", "code": "invalid_json"}]
    frame_type = data.get("type") if isinstance(data, dict) else None
    if not isinstance(frame_type, str) or frame_type not in KNOWN[kind]:
        return [{"type": "error", "code": "unknown_type"}]
    return [{"type": "pong"}] if frame_type == "ping" else []


async def _open(path: str, cookie: str) -> Socket:
    headers = [
        (b"origin", ORIGIN),
        (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()),
    ]
    socket = Socket(WebsocketCommunicator(application, path, headers=headers))
    socket.connected, socket.refused_code = await socket.communicator.connect(timeout=TIMEOUT)
    assert socket.connected
    return socket


async def _close(socket: Socket) -> None:
    with contextlib.suppress(Exception):
        await socket.communicator.disconnect(timeout=TIMEOUT)


async def _send(socket: Socket, frame) -> None:
    if isinstance(frame, bytes):
        await socket.send_bytes(frame)
    else:
        await socket.send(frame)


async def _answers_until_pong(socket: Socket, pongs: int) -> list[dict]:
    """The frames (presence and typing aside) up to and including the ``pongs``-th pong."""
    seen = []
    while pongs:
        frame = await socket.next(skip=("presence", "typing", "unread"))
        seen.append(frame)
        pongs -= frame == {"type": "pong"}
    return seen


def _world(make_user, make_group, add_member) -> dict:
    """A closed group with a thread and a board, and a member to open the sockets.

    (Not the idea tests' world: its leadership role is a row that a transactional test's
    flush removes.)"""
    owner = make_user(display_name="Olga Eigenaar")
    member = make_user(display_name="Mia Lid")
    group = make_group(owner=owner, name="Fietsers", visibility="closed")
    add_member(group, member)
    thread = discussion_services.create_thread(
        author=owner, group=group, title="Stalling", body="Wie fietst mee?"
    )
    board = idea_services.create_board(moderator=owner, group=group, title="Mobiliteit")
    idea_services.create_idea(author=member, board=board, title="Bankjes", body="In de tuin")
    return {
        "thread": f"/ws/threads/{thread.pk}/",
        "board": f"/ws/boards/{board.pk}/",
        "group": f"/ws/groups/{group.pk}/",
        "notifications": "/ws/notifications/",
        "cookie": session_cookie(member),
    }


@pytest.fixture
async def places(make_user, make_group, add_member):
    return await run(_world, make_user, make_group, add_member)


@pytest.mark.parametrize("kind", list(KNOWN))
@FRAMES
@given(
    frames=st.lists(small, min_size=1, max_size=9),
    last=st.one_of(st.none(), oversize),
    after=afters,
)
async def test_random_frames_get_answers_and_store_nothing(places, kind, frames, last, after):
    path = places[kind]
    if after is not None:
        path += "?after=" + quote_from_bytes(after.encode("utf-8", "surrogatepass"), safe="")
    before = await run(counts)
    socket = await _open(path, places["cookie"])
    try:
        await socket.ready()
        for frame in frames:
            await _send(socket, frame)
            await socket.send({"type": "ping"})
            want = expected(frame, kind) + [{"type": "pong"}]
            pongs = want.count({"type": "pong"})
            assert await _answers_until_pong(socket, pongs) == want
        if last is not None:
            await _send(socket, last)
            assert await socket.close_code() == CLOSE_TOO_BIG
    finally:
        await _close(socket)
    assert await run(counts) == before


@settings(FRAMES, max_examples=10)
@given(frames=st.lists(small, min_size=21, max_size=40))
async def test_a_flood_of_random_frames_closes_with_4429(places, frames):
    before = await run(counts)
    socket = await _open(places["thread"], places["cookie"])
    try:
        await socket.ready()
        for frame in frames:
            await _send(socket, frame)
        assert await socket.close_code() == CLOSE_TOO_FAST
    finally:
        await _close(socket)
    assert await run(counts) == before
