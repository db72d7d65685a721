"""Two daphne processes on one Redis, as in production behind a proxy.

A post made over HTTP through process A reaches a WebSocket on process B, and
the viewers of a thread are the same list whichever process a browser landed on.
Both processes are forked from the test process (as in tests/e2e) and share its
test database; the Redis server is the tests' own, so nothing else shares it.
"""

import asyncio
import functools
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse
from websockets.asyncio.client import connect

from tests.helpers import http
from tests.realtime.conftest import TIMEOUT, run, session_cookie, thread_path

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "127.0.0.1"
START_TIMEOUT = 30  # seconds


# Run in the forked server processes, so at module level.


def _server_application():
    from hub.asgi import application

    return application


def _prepare_server_process(redis_url: str, layer: str | None = None):
    """Point the server at the shared Redis: channel layer (``layer``, default the
    configured one) and presence."""
    from asgiref.sync import SyncToAsync
    from channels.layers import channel_layers

    # Threads do not survive a fork, but asgiref's executor for database calls
    # thinks its worker (started by earlier async tests) is still idle and
    # would queue work for it forever: give the child a new one.
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST, "localhost"]
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": settings.KRING_CHANNEL_LAYER_BACKENDS[layer or settings.KRING_CHANNEL_LAYER],
            "CONFIG": {"hosts": [redis_url]},
        }
    }
    settings.KRING_PRESENCE_REDIS_URL = redis_url
    channel_layers.backends = {}  # built lazily from the settings above


@dataclass(frozen=True)
class Server:
    url: str

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http")


def _start(redis_url: str, layer: str | None = None):
    from daphne.testing import DaphneProcess

    process = DaphneProcess(
        HOST,
        _server_application,
        setup=functools.partial(_prepare_server_process, redis_url, layer),
    )
    process.daemon = True
    process.start()
    return process


def _wait_until_ready(process) -> Server:
    deadline = time.monotonic() + START_TIMEOUT
    while not process.ready.wait(timeout=0.1):
        if not process.is_alive() or time.monotonic() > deadline:
            detail = "" if process.errors.empty() else process.errors.get_nowait()[1]
            pytest.fail(f"daphne did not start\n{detail}")
    return Server(url=f"http://{HOST}:{process.port.value}")


@contextmanager
def running_servers(django_db_blocker, redis_url: str, layer: str | None = None):
    """Two daphne processes forked from the test process, on the test database and
    ``redis_url``; stopped afterwards."""
    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            pytest.fail("these tests need a file or server test database")
    # A connection shared across fork would be used by both processes.
    connections.close_all()
    processes = []
    try:
        with django_db_blocker.unblock():  # fork while pytest-django lets the database be used
            processes = [_start(redis_url, layer), _start(redis_url, layer)]
        yield [_wait_until_ready(process) for process in processes]
    finally:
        for process in processes:
            process.terminate()
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker, own_redis_url):
    with running_servers(django_db_blocker, own_redis_url) as servers:
        yield servers


# --- A browser, roughly -----------------------------------------------------------


def reply_over_http(server: Server, thread, session: str, body: str) -> int:
    """What a browser does: open the thread page (for the CSRF cookie), post the reply form."""
    cookies = {settings.SESSION_COOKIE_NAME: session}
    page = server.url + thread.get_absolute_url()
    status, headers, html = http("GET", page, cookies, timeout=TIMEOUT)
    assert status == 200, f"GET {page}: {status}\n{html[:2000]}"
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    token = jar[settings.CSRF_COOKIE_NAME].value
    cookies[settings.CSRF_COOKIE_NAME] = token
    url = server.url + reverse("discussions:reply", args=[thread.group.slug, thread.pk])
    status, _headers, html = http(
        "POST", url, cookies, {"body": body, "csrfmiddlewaretoken": token}, timeout=TIMEOUT
    )
    assert status in (201, 302, 303), f"POST {url}: {status}\n{html[:2000]}"
    return status


@asynccontextmanager
async def websocket(server: Server, path: str, session: str):
    async with connect(
        server.ws_url + path,
        origin=server.url,
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        proxy=None,
        open_timeout=TIMEOUT,
    ) as socket:
        yield socket


async def until(socket, kind: str, check=lambda frame: True) -> dict:
    """The first frame of type ``kind`` that passes ``check``."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"no {kind} frame within {TIMEOUT} s")
        frame = json.loads(await asyncio.wait_for(socket.recv(), remaining))
        if frame["type"] == kind and check(frame):
            return frame


# --- The tests --------------------------------------------------------------------


async def test_a_post_through_one_process_reaches_sockets_on_both(
    two_servers, thread, member, colleague
):
    a, b = two_servers
    reader, writer = await run(session_cookie, member), await run(session_cookie, colleague)
    async with (
        websocket(b, thread_path(thread), reader) as on_b,
        websocket(a, thread_path(thread), reader) as on_a,
    ):
        assert (await until(on_b, "ready"))["seq"] == 1
        await until(on_a, "ready")

        await asyncio.to_thread(reply_over_http, a, thread, writer, "Groeten uit proces A")

        for socket in (on_b, on_a):
            frame = await until(socket, "post.created")
            assert frame["seq"] == 2
            assert frame["author"] == colleague.pk
            assert "Groeten uit proces A" in frame["html"]


async def test_viewers_on_different_processes_see_each_other(
    two_servers, thread, member, colleague
):
    a, b = two_servers
    anna, bram = await run(session_cookie, member), await run(session_cookie, colleague)

    def names(frame):
        return [viewer["name"] for viewer in frame["viewers"]]

    def both(frame):
        return names(frame) == ["Anna de Vries", "Bram Bakker"]

    async with websocket(a, thread_path(thread), anna) as on_a:
        assert names(await until(on_a, "presence")) == ["Anna de Vries"]
        async with websocket(b, thread_path(thread), bram) as on_b:
            await until(on_b, "presence", both)
            await until(on_a, "presence", both)
        # Bram closed his tab on B: A hears it.
        assert names(await until(on_a, "presence", lambda f: not both(f))) == ["Anna de Vries"]
