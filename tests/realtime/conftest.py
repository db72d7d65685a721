"""WebSocket tests against the real ASGI application (origin check, sessions, auth, routing).

A socket is opened with a session cookie from ``force_login``, as a browser
would. Data is written through the services, so events reach the sockets the
way they do in production: published after commit through the channel layer
(in memory, or Redis when REDIS_URL is set, as in CI).
"""

import asyncio
import contextlib
import json

import pytest
import redis
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from discussions import presence, services
from groups.models import Membership
from hub.asgi import application
from tests.groups.conftest import add_member, make_group, moderator, owner  # noqa: F401
from tests.helpers import own_redis_server

# hub.asgi reads ALLOWED_HOSTS when it is imported, before pytest-django adds "testserver".
ORIGIN = b"http://localhost"
TIMEOUT = 5  # seconds to wait for a frame that should come


def run(function, /, *args, **kwargs):
    """Call a synchronous (database) function from a test: ``await run(services.x, ...)``."""
    return database_sync_to_async(function)(*args, **kwargs)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Closed(AssertionError):
    def __init__(self, code):
        super().__init__(f"the socket closed with {code}")
        self.code = code


class Socket:
    """A browser's WebSocket, as the tests see it: JSON frames in and out, close codes."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator
        self.connected = False
        self.refused_code = None

    async def send(self, frame) -> None:
        text = frame if isinstance(frame, str) else json.dumps(frame)
        await self.communicator.send_input({"type": "websocket.receive", "text": text})

    async def send_bytes(self, data: bytes) -> None:
        await self.communicator.send_input({"type": "websocket.receive", "bytes": data})

    async def output(self, timeout=TIMEOUT) -> dict:
        return await self.communicator.receive_output(timeout)

    async def next(self, timeout=TIMEOUT, skip=("presence",)) -> dict:
        """The next frame whose type is not in ``skip``; raises Closed if the socket closes."""
        while True:
            out = await self.output(timeout)
            if out["type"] == "websocket.close":
                raise Closed(out.get("code"))
            frame = json.loads(out["text"])
            if frame["type"] not in skip:
                return frame

    async def until(self, kind: str, timeout=TIMEOUT) -> dict:
        """Skip frames until one of type ``kind`` arrives."""
        while True:
            frame = await self.next(timeout, skip=())
            if frame["type"] == kind:
                return frame

    async def ready(self) -> dict:
        return await self.until("ready")

    async def close_code(self, timeout=TIMEOUT) -> int:
        """Skip frames until the server closes; the close code."""
        while True:
            out = await self.output(timeout)
            if out["type"] == "websocket.close":
                return out.get("code")

    async def nothing(self, wait=0.3, skip=("presence",)) -> None:
        """No frame (other than ``skip``) arrives within ``wait`` seconds."""
        await asyncio.sleep(wait)
        queue = self.communicator.output_queue
        while not queue.empty():
            out = queue.get_nowait()
            assert out["type"] != "websocket.close", f"closed with {out.get('code')}"
            frame = json.loads(out["text"])
            assert frame["type"] in skip, f"unexpected frame {frame}"

    async def ping(self) -> None:
        """Round trip: once the pong is here, the server has handled what was sent before."""
        await self.send({"type": "ping"})
        await self.until("pong")


@pytest.fixture(scope="package")
def own_redis_url():
    """A redis-server of the tests' own: no shared state, no REDIS_URL needed."""
    with own_redis_server() as (_process, url):
        yield url


@pytest.fixture
def no_post_limit(settings):
    settings.KRING_POSTS_PER_MINUTE = 0


@pytest.fixture(autouse=True)
async def _clean_realtime_state(no_post_limit):
    """No test sees another's presence entries, layer groups or layer locks."""
    presence._local.clear()
    url = settings.KRING_PRESENCE_REDIS_URL
    if url:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter("kring:presence:*"))
        if keys:
            client.delete(*keys)
        client.close()
    # Each test runs in an event loop of its own; a layer keeps asyncio locks
    # and queues bound to the loop that used them, so each test gets a new one.
    channel_layers.backends.clear()
    yield
    layer = get_channel_layer()
    if hasattr(layer, "close_pools"):  # Redis: let its cleanup tasks finish in this loop
        await layer.close_pools()
    channel_layers.backends.clear()
    await presence.close()


@pytest.fixture
async def open_socket():
    """``await open_socket(path, user=None, language_cookie=None, origin=ORIGIN)``: a Socket."""
    opened = []

    async def open_(path, user=None, *, language_cookie=None, origin=ORIGIN):
        cookies = []
        if user is not None:
            cookie = await run(session_cookie, user)
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={cookie}")
        if language_cookie:
            cookies.append(f"{settings.LANGUAGE_COOKIE_NAME}={language_cookie}")
        headers = [(b"origin", origin)]
        if cookies:
            headers.append((b"cookie", "; ".join(cookies).encode()))
        communicator = WebsocketCommunicator(application, path, headers=headers)
        ws = Socket(communicator)
        opened.append(ws)
        ws.connected, ws.refused_code = await communicator.connect(timeout=TIMEOUT)
        return ws

    yield open_
    for ws in opened:
        # Already gone if the server closed it or a timed-out receive cancelled it.
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await ws.communicator.disconnect(timeout=TIMEOUT)


@pytest.fixture
def group(make_group, owner):  # noqa: F811
    """An open group: every signed-in employee reads along, members post."""
    return make_group(owner=owner, name="Fietsen naar het werk")


@pytest.fixture
def private_group(make_group, owner):  # noqa: F811
    return make_group(owner=owner, name="Vertrouwelijk overleg", visibility="private")


@pytest.fixture
def member(make_user, group, add_member):  # noqa: F811
    user = make_user(display_name="Anna de Vries")
    add_member(group, user)
    return user


@pytest.fixture
def colleague(make_user, group, add_member):  # noqa: F811
    user = make_user(display_name="Bram Bakker")
    add_member(group, user)
    return user


@pytest.fixture
def group_moderator(group, moderator, add_member):  # noqa: F811
    add_member(group, moderator, role=Membership.Role.MODERATOR)
    return moderator


@pytest.fixture
def thread(group, member):
    return services.create_thread(author=member, group=group, title="Fietsenstalling", body="Hoi")


def thread_path(thread, after=None) -> str:
    return f"/ws/threads/{thread.pk}/" + ("" if after is None else f"?after={after}")
