"""Fault tests: Kring's real daphne processes on the test's own Redis, under failure.

Each daphne is a subprocess started as production starts it (``daphne hub.asgi:application``)
with REDIS_URL pointing at a redis-server of the test's own, so the channel layer, the cache
(rate limits) and presence are all that Redis, exactly as settings.py configures them from
REDIS_URL. The processes share the test database (a file for SQLite, the test database on
PostgreSQL), so rows the test writes are what the servers read, and the other way round.
The shared Redis (6379) and PostgreSQL are never stopped; only the test's own processes.

The readers are small Python clients that do what static/js/kring.js does: connect with
``?after=<last seq seen>``, reconnect with backoff and jitter on any close or refusal.
"""

import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from discussions import services
from discussions.models import Post
from tests import helpers
from tests.groups.conftest import add_member, make_group, owner  # noqa: F401
from tests.helpers import RestartableRedis, free_port
from tests.realtime.conftest import run, session_cookie

HOST = "127.0.0.1"
START_TIMEOUT = 60  # seconds for a daphne process to answer (2 shared cores, busy)
HTTP_TIMEOUT = 20
CATCH_UP_TIMEOUT = 60  # a guard against hanging, not a timing assertion
PING_EVERY = 1.0  # seconds; kring.js: 25


# --- Data -------------------------------------------------------------------------


@pytest.fixture
def group(make_group, owner):  # noqa: F811
    return make_group(owner=owner, name="Storingen oefenen")


@pytest.fixture
def writers(make_user, group, add_member):  # noqa: F811
    """Three members who post."""
    people = [make_user(display_name=f"Schrijver {n}") for n in range(1, 4)]
    for person in people:
        add_member(group, person)
    return people


@pytest.fixture
def reader_user(make_user, group, add_member):  # noqa: F811
    person = make_user(display_name="Lezer")
    add_member(group, person)
    return person


@pytest.fixture
def thread(group, writers):
    return services.create_thread(
        author=writers[0], group=group, title="Wat als Redis omvalt?", body="Eerste bericht"
    )


def thread_posts(thread) -> list[int]:
    """The thread's posts as the database has them, in order: what every reader must end with."""
    return list(Post.objects.filter(thread=thread).order_by("pk").values_list("pk", flat=True))


def thread_last_seq(thread) -> int:
    thread.refresh_from_db(fields=["last_seq"])
    return thread.last_seq


# --- Servers ----------------------------------------------------------------------


def database_url() -> str:
    """The test database, as a DATABASE_URL for a server process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.fail("the fault tests need a file or server test database, not :memory:")
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        auth = urllib.parse.quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    pytest.fail(f"no DATABASE_URL for a {connection.vendor} test database")


@dataclass
class Server:
    """One daphne process serving Kring, on a port of its own."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no goodbye to its sockets, as when a machine or process dies."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Servers:
    """Starts daphne processes on the test's Redis and database; stops every one it started."""

    def __init__(self, redis_url: str, log_dir: Path):
        self.redis_url = redis_url
        self.log_dir = log_dir
        self.started: list[Server] = []
        self.channel_layer = None  # KRING_CHANNEL_LAYER for the servers; None: the default

    def environment(self) -> dict:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="hub.settings",
            DATABASE_URL=database_url(),
            REDIS_URL=self.redis_url,
            KRING_PRESENCE_REDIS_URL=self.redis_url,
            # Same key as the test process: the session cookies it makes are valid there.
            DJANGO_SECRET_KEY=settings.SECRET_KEY,
            DJANGO_DEBUG="0",
            DJANGO_SECURE_TLS="0",
            DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
            # The limit stays on (its counters live in the test's Redis), high enough
            # that these tests never reach it.
            KRING_POSTS_PER_MINUTE="100000",
            DJANGO_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        if self.channel_layer:
            env["KRING_CHANNEL_LAYER"] = self.channel_layer
        return env

    def start(self, name: str) -> Server:
        port = free_port()
        log = self.log_dir / f"daphne-{name}.log"
        command = [sys.executable, "-m", "daphne", "-b", HOST, "-p", str(port)]
        process = subprocess.Popen(
            [*command, "hub.asgi:application"],
            cwd=settings.BASE_DIR,
            env=self.environment(),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        server = Server(name=name, port=port, process=process, log=log)
        self.started.append(server)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if not server.alive() or time.monotonic() > deadline:
                pytest.fail(f"daphne {name} did not start\n{server.output()[-3000:]}")
            try:
                # Any HTTP answer will do: /healthz may say 503 when Redis is down.
                http("GET", server.url + "/healthz", {}, timeout=2)
                return server
            except OSError:
                time.sleep(0.1)

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()
            # Shown by pytest when the test failed.
            print(f"--- daphne {server.name} ---\n{server.output()[-6000:]}")


@pytest.fixture
def own_redis():
    """A redis-server of this test's own that the test may stop and start again."""
    with RestartableRedis() as redis_server:
        yield redis_server


@pytest.fixture
def servers(transactional_db, own_redis, tmp_path):
    """``servers.start(name)``: a daphne process on the test's Redis and database."""
    started = Servers(own_redis.url, tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def assert_no_crash(server: Server) -> None:
    """The process handled every failure: no traceback escaped to daphne, no 500."""
    output = server.output()
    for sign in ("Exception inside application", "Internal Server Error"):
        assert sign not in output, f"daphne {server.name} logged {sign!r}:\n{output[-5000:]}"


# --- A browser, roughly: HTTP with a session cookie --------------------------------


def http(method: str, url: str, cookies: dict, data: dict | None = None, timeout=HTTP_TIMEOUT):
    """One request, redirects not followed: ``(status, headers, body)``."""
    return helpers.http(method, url, cookies, data, timeout=timeout)


class Browser:
    """A signed-in person's browser: reads pages, posts the reply form (with its CSRF token)."""

    def __init__(self, session: str):
        self.cookies = {settings.SESSION_COOKIE_NAME: session}

    def get(self, url: str) -> tuple[int, str]:
        status, headers, html = http("GET", url, self.cookies)
        jar = SimpleCookie()
        for header in headers.get_all("Set-Cookie") or []:
            jar.load(header)
        if settings.CSRF_COOKIE_NAME in jar:
            self.cookies[settings.CSRF_COOKIE_NAME] = jar[settings.CSRF_COOKIE_NAME].value
        return status, html

    def reply(self, server: Server, thread, body: str) -> int:
        """Post a reply as the form does (without JavaScript); the response's status."""
        if settings.CSRF_COOKIE_NAME not in self.cookies:
            status, html = self.get(server.url + thread.get_absolute_url())
            assert status == 200, f"thread page: {status}\n{html[:2000]}"
        url = server.url + reverse("discussions:reply", args=[thread.group.slug, thread.pk])
        token = self.cookies[settings.CSRF_COOKIE_NAME]
        status, _headers, html = http(
            "POST", url, self.cookies, {"body": body, "csrfmiddlewaretoken": token}
        )
        assert status in (201, 302, 303), f"POST {url} on {server.name}: {status}\n{html[:2000]}"
        return status


async def browser_for(user) -> Browser:
    return Browser(await run(session_cookie, user))


# --- A reader: what kring.js does, in Python ---------------------------------------


@dataclass
class Reader:
    """One browser tab on the thread page, kept live by its WebSocket.

    It starts from the page (``posts`` as rendered, ``last_seq`` = the page's data-seq),
    connects with ``?after=<last seq>``, and on any close or refusal reconnects with
    backoff and jitter (kring.js: 1 s doubling to 30 s; here 50 ms doubling to 1 s, so the
    tests are short). ``servers`` are tried in turn, as a proxy skips a backend that is
    down: a refused connection moves on to the next. With ``churn`` the reader also
    closes its own socket at random moments (a tab closed, a laptop lid) and comes back.
    """

    name: str
    servers: list
    path: str
    session: str
    posts: list
    last_seq: int
    rng: random.Random
    churn: tuple[float, float] | None = None  # (longest stay, longest pause) in seconds
    home: int = 0
    seqs: list = field(default_factory=list)
    repeats: list = field(default_factory=list)
    pings: bool = True  # off: only live events can bring it anything new
    reloads: int = 0
    readies: int = 0
    connections: int = 0
    close_codes: list = field(default_factory=list)
    refusals: int = 0

    def origin_and_url(self) -> tuple[str, str]:
        if self.churn and self.connections:
            # Back after a pause: the proxy may send it to any backend.
            self.home = self.rng.randrange(len(self.servers))
        server = self.servers[self.home % len(self.servers)]
        return server.url, f"{server.ws_url}{self.path}?after={self.last_seq}"

    def receive(self, text: str) -> None:
        frame = json.loads(text)
        if frame["type"] == "ready":
            self.last_seq = max(self.last_seq, frame["seq"])
            self.readies += 1
            return
        if frame["type"] == "reload":
            self.reloads += 1
            return
        if "seq" not in frame:
            return  # presence, typing, pong
        if frame["seq"] <= self.last_seq:
            # kring.js drops it; the server promises it never sends one, so note it.
            self.repeats.append(frame["seq"])
            return
        self.last_seq = frame["seq"]
        self.seqs.append(frame["seq"])
        if frame["type"] == "post.created":
            self.posts.append(frame["post"])

    async def run(self, stop: asyncio.Event) -> None:
        attempt = 0
        while not stop.is_set():
            origin, url = self.origin_and_url()
            churn = self.churn
            stay = self.rng.uniform(0.1, churn[0]) if churn else None
            readies = self.readies
            try:
                async with connect(
                    url,
                    origin=origin,
                    additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session}"},
                    proxy=None,
                    open_timeout=HTTP_TIMEOUT,
                    ping_interval=None,
                ) as socket:
                    self.connections += 1
                    await self.read(socket, stop, stay)
                    if stay is not None and not stop.is_set():
                        attempt = 0  # we left of our own accord: come back after a pause
                        await pause(stop, self.rng.uniform(0, churn[1]))
                        continue
            except (OSError, InvalidHandshake, TimeoutError):
                self.refusals += 1
                self.home += 1  # this backend is not answering: the proxy tries the next
            except ConnectionClosed as closed:
                self.close_codes.append(closed.rcvd.code if closed.rcvd else 1006)
            if self.readies > readies:
                attempt = 0  # as kring.js: a socket that got ready starts the backoff over
            ceiling = min(1.0, 0.05 * 2 ** min(attempt, 5))
            attempt += 1
            await pause(stop, ceiling / 2 + self.rng.random() * ceiling / 2)

    async def read(self, socket, stop: asyncio.Event, stay: float | None) -> None:
        """Frames until the server closes, the stay is over, or the test stops."""
        deadline = None if stay is None else time.monotonic() + stay
        stopping = asyncio.ensure_future(stop.wait())
        pinging = asyncio.ensure_future(self.ping(socket))
        try:
            while True:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                receiving = asyncio.ensure_future(socket.recv())
                done, _pending = await asyncio.wait(
                    {receiving, stopping}, timeout=wait, return_when=asyncio.FIRST_COMPLETED
                )
                if receiving not in done:
                    receiving.cancel()
                    await socket.close()
                    return
                try:
                    self.receive(receiving.result())
                except ConnectionClosed as closed:  # by the server, or the network
                    self.close_codes.append(closed.rcvd.code if closed.rcvd else 1006)
                    return
        finally:
            stopping.cancel()
            pinging.cancel()

    async def ping(self, socket) -> None:
        """kring.js pings every 25 s (a heartbeat, and the server catches up on what the
        layer lost); here every PING_EVERY seconds."""
        with contextlib.suppress(ConnectionClosed):
            while True:
                await asyncio.sleep(PING_EVERY)
                if self.pings:
                    await socket.send(json.dumps({"type": "ping"}))


async def pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def start_readers(count, *, servers, thread, user, rng, churn=None, spread=True):
    """``count`` readers on the thread, each starting from the page as it is now."""
    session = await run(session_cookie, user)
    posts = await run(thread_posts, thread)
    last_seq = await run(thread_last_seq, thread)
    return [
        Reader(
            name=f"lezer-{n}",
            servers=servers,
            path=f"/ws/threads/{thread.pk}/",
            session=session,
            posts=list(posts),
            last_seq=last_seq,
            rng=random.Random(rng.random()),
            churn=churn,
            home=n if spread else 0,
        )
        for n in range(count)
    ]


class Running:
    """Readers running in the background until ``stop()``."""

    def __init__(self, readers):
        self.readers = readers
        self.stop_event = asyncio.Event()
        self.tasks = [asyncio.ensure_future(r.run(self.stop_event)) for r in readers]

    def settle(self) -> None:
        """No more leaving on their own: each reader stays from its next connection on
        (so the end state is reached however slow the machine is)."""
        for reader in self.readers:
            reader.churn = None

    async def connected(self) -> None:
        """Wait until every reader has had a ready frame."""
        await self.until(lambda r: r.readies > 0, "never got ready")

    async def caught_up(self, seq: int) -> None:
        """Wait until every reader has seen ``seq`` (the thread's last); fail after a long
        time with what each one has, so a hang shows as a failure, not a stuck run."""
        await self.until(lambda r: r.last_seq >= seq, f"never caught up to seq {seq}")

    async def until(self, done, what: str) -> None:
        """Wait until ``done(reader)`` holds for every reader."""
        deadline = time.monotonic() + CATCH_UP_TIMEOUT
        while not all(done(r) for r in self.readers):
            for task in self.tasks:
                if task.done() and task.exception():
                    raise task.exception()
            if time.monotonic() > deadline:
                state = {r.name: (r.last_seq, r.close_codes[-5:]) for r in self.readers}
                pytest.fail(f"readers {what}: {state}")
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.gather(*self.tasks)


def assert_full_view(readers, expected_posts: list[int]) -> None:
    """Every reader has every post, in order, exactly once; nothing was sent twice."""
    for reader in readers:
        assert reader.reloads == 0, f"{reader.name} was told to reload"
        assert reader.repeats == [], f"{reader.name} got seq {reader.repeats} twice"
        assert reader.posts == expected_posts, (
            f"{reader.name} has {len(reader.posts)} posts, the database {len(expected_posts)}: "
            f"missing {sorted(set(expected_posts) - set(reader.posts))}, "
            f"extra {sorted(set(reader.posts) - set(expected_posts))}"
        )
