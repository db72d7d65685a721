"""Fan-out benchmark (issue 7): N signed-in WebSocket clients on one thread, one post per 0.5 s.

``python -m bench.fanout --clients 200,1000,2000 [--posts 40]``

Against the real stack: daphne (a subprocess, ``hub.asgi``), the channel layer on
a redis-server of the benchmark's own (free port) and the machine's PostgreSQL
with a scratch database ``kring_bench_fanout`` (dropped and created each run).
Posts go through the real HTTP write path (the reply form, CSRF and the writer's
session cookie). Then the same clients against the floor (``bench/floor.py``, a
bare ``websockets`` broadcast server) with frames of the same size.

One post goes first, untimed, to both servers alike (a warm-up, as the page
benchmark asks each page once first). Per post the latency is that of the LAST
client to receive it (arrival minus the moment the POST was sent); the lines
report p50/p99 of those over the posts,
deliveries that never came (``missing``), the server's CPU during posting and
its RSS growth per connection. One JSON object per line.

Clients do not ping unless ``--ping`` (then every 25 s, as realtime.js: the server
renews presence, sends the viewers list if it changed and re-checks a permission
answer older than 60 to 90 s). Without pings that re-check happens on the first
event after the answer went stale, so a connect phase longer than a minute
(2,000 clients on a busy machine) puts re-checks into the posting phase.
``KRING_BENCH_PROFILE=<file>`` runs daphne under cProfile and writes the profile
there (one file per client count, ``<file>.<N>``).
"""

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.services import (
    HOST,
    POSTGRES,
    ROOT,
    cpu_seconds,
    free_port,
    redis_server,
    rss_kb,
    run_python,
    scratch_database,
    stop,
    wait_for_port,
)

PYTHON = sys.executable
DATABASE = "kring_bench_fanout"
SECRET_KEY = "kring-bench-fanout-not-secret-" + "x" * 40
POST_EVERY = 0.5  # seconds
PING_EVERY = 0.0  # seconds; --ping: 25, as realtime.js
GRACE = 10.0  # seconds to wait for late deliveries after the last post
CONNECT_AT_ONCE = 20  # handshakes in flight
PREFIX = '{"type":"post.created","seq":'
LOG = Path(os.environ.get("KRING_BENCH_LOG", "/tmp/kring-bench-fanout-daphne.log"))


# --- The scratch database (in a child process: the caller may have set Django up) ---------


def database_url() -> str:
    return f"{POSTGRES}/{DATABASE}"


def recreate_database() -> None:
    scratch_database(DATABASE)


def server_env(redis_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="hub.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_TLS="0",
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DJANGO_SECRET_KEY=SECRET_KEY,
        KRING_POSTS_PER_MINUTE="0",
        KRING_CACHE_PREFIX="bench",
        DJANGO_LOG_LEVEL="ERROR",
        # A pool of connections per process, as docs/deploy.md has production run it: under
        # daphne each request has a thread of its own, so a connection kept per thread
        # (CONN_MAX_AGE) was never reused and every post opened a new one.
        DJANGO_CONN_MAX_AGE="0",
        DJANGO_DB_POOL="1",
    )
    env.pop("KRING_PRESENCE_REDIS_URL", None)
    env.update(extra)
    return env


def prepare(clients: int) -> dict:
    """Run in a child with server_env: migrate; a group, a thread, members, sessions."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from discussions import services as discussions
    from groups import services as groups
    from groups.models import Membership
    from hub.models import User

    call_command("migrate", verbosity=0)
    password = "!bench"  # unusable: sessions are made here, nobody logs in
    writer = User.objects.create(
        username="schrijver", email="schrijver@bench.example", display_name="Schrijver"
    )
    group = groups.create_group(
        creator=writer, name="Fan-out", kind="interest", visibility="open", description=""
    )
    users = User.objects.bulk_create(
        User(
            username=f"lezer{n}",
            email=f"lezer{n}@bench.example",
            display_name=f"Lezer {n}",
            password=password,
        )
        for n in range(clients)
    )
    Membership.objects.bulk_create(Membership(group=group, user=user) for user in users)
    thread = discussions.create_thread(author=writer, group=group, title="Druk", body="Welkom")
    backend = "hub.auth_backends.ModelBackend"
    expire = timezone.now() + timezone.timedelta(days=1)
    sessions = []
    for user in [writer, *users]:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expire)
        )
    Session.objects.bulk_create(sessions)
    return {
        "thread": thread.pk,
        "page": thread.get_absolute_url(),
        "reply": reverse("discussions:reply", args=[group.slug, thread.pk]),
        "writer": sessions[0].session_key,
        "readers": [s.session_key for s in sessions[1:]],
    }


def prepared(redis_url: str, clients: int) -> dict:
    recreate_database()
    output = run_python(
        ["-m", "bench.fanout", "--prepare", clients],
        server_env(redis_url),
        "preparing the database",
    )
    return json.loads(output.strip().splitlines()[-1])


# --- Servers -----------------------------------------------------------------------------


def start_daphne(redis_url: str, port: int, profile: str = "") -> subprocess.Popen:
    daphne = str(Path(PYTHON).parent / "daphne")
    command = [daphne, "-b", HOST, "-p", str(port), "hub.asgi:application"]
    if profile:
        command = [PYTHON, "-m", "bench.fanout", "--profiled-daphne", profile, *command[1:]]
    log = open(LOG, "ab")  # noqa: SIM115  (daphne keeps it)
    process = subprocess.Popen(
        command, cwd=ROOT, env=server_env(redis_url), stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    wait_for_port(port, process, "daphne")
    return process


def start_floor(port: int) -> subprocess.Popen:
    process = subprocess.Popen([PYTHON, "-m", "bench.floor", str(port)], cwd=ROOT)
    wait_for_port(port, process, "the floor server")
    return process


# --- Writers -------------------------------------------------------------------------------


class KringWriter:
    """The reply form over one keep-alive connection, as realtime.js posts it."""

    def __init__(self, port: int, data: dict):
        self.port, self.data = port, data
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies = {"sessionid": data["writer"]}
        self.conn.request("GET", data["page"], headers=self._headers())
        response = self.conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {data['page']}: {response.status}")
        cookies = response.headers.get_all("Set-Cookie") or []
        token = next(
            (m.group(1) for c in cookies if (m := re.match(r"csrftoken=([^;]+)", c))), None
        )
        if token is None:
            raise RuntimeError("no CSRF cookie on the thread page")
        self.cookies["csrftoken"] = self.token = token

    def _headers(self) -> dict:
        return {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Origin": f"http://{HOST}:{self.port}",
            "Referer": f"http://{HOST}:{self.port}{self.data['page']}",
        }

    def post(self, k: int) -> None:
        text = f"Bericht {k} van de benchmark"
        body = urlencode({"body": text, "csrfmiddlewaretoken": self.token})
        headers = {
            **self._headers(),
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Requested-With": "fetch",
            "Accept": "application/json",
        }
        self.conn.request("POST", self.data["reply"], body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read()
        if response.status != 201:
            raise RuntimeError(f"POST reply: {response.status} {text[:500]!r}")

    def close(self) -> None:
        self.conn.close()


class FloorWriter:
    def __init__(self, port: int, size: int):
        self.port, self.size = port, size

    def post(self, k: int) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        conn.request("GET", f"/broadcast?seq={k}&size={self.size}")
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 204:
            raise RuntimeError(f"floor broadcast: {response.status}")

    def close(self) -> None:
        pass


# --- Clients -------------------------------------------------------------------------------


class Clients:
    """N WebSocket clients on this thread's event loop, noting when each post.created came."""

    def __init__(self, ping_every: float = 0):
        self.ping_every = ping_every
        self.sockets = []
        self.tasks = []
        self.first_seq = None
        self.arrivals: dict[int, list] = {}  # seq -> [count, last arrival]
        self.frame_size = 0
        self.retries = 0

    async def connect(self, url: str, origin: str, cookies: list[str | None]) -> None:
        from websockets.exceptions import ConnectionClosed, InvalidHandshake

        limit = asyncio.Semaphore(CONNECT_AT_ONCE)
        readies = []

        async def one(cookie):
            headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
            async with limit:
                for attempt in range(1, 11):  # as a browser would: again after 1, 2, 4 … s
                    try:
                        ws = await self.handshake(url, origin, headers, readies)
                        break
                    except (OSError, InvalidHandshake, ConnectionClosed):
                        if attempt == 10:
                            raise
                        self.retries += 1
                        await asyncio.sleep(min(2 ** (attempt - 1), 8))
            self.sockets.append(ws)
            self.tasks.append(asyncio.create_task(self.listen(ws)))
            if self.ping_every:
                self.tasks.append(asyncio.create_task(self.ping(ws)))

        await asyncio.gather(*(one(cookie) for cookie in cookies))
        self.first_seq = max(readies)
        if min(readies) != self.first_seq:
            raise RuntimeError(f"clients are at different seqs: {min(readies)}..{max(readies)}")

    async def handshake(self, url, origin, headers, readies):
        from websockets.asyncio.client import connect

        ws = await connect(
            url,
            origin=origin,
            additional_headers=headers,
            compression=None,
            proxy=None,
            open_timeout=120,
            ping_interval=None,
            max_size=2**24,
            max_queue=None,
        )
        try:
            while True:  # catch-up frames, then "ready"
                text = await ws.recv()
                if text.startswith('{"type":"ready"'):
                    readies.append(json.loads(text)["seq"])
                    return ws
        except BaseException:
            await ws.close()
            raise

    async def ping(self, ws) -> None:
        """As realtime.js does: a ping every 25 s (here from a random moment on)."""
        with contextlib.suppress(Exception):
            await asyncio.sleep(random.uniform(0, self.ping_every))
            while True:
                await ws.send('{"type":"ping"}')
                await asyncio.sleep(self.ping_every)

    async def listen(self, ws) -> None:
        arrivals, clock = self.arrivals, time.monotonic
        with contextlib.suppress(Exception):
            async for text in ws:
                if text.startswith(PREFIX):
                    now = clock()
                    seq = int(text[len(PREFIX) : text.index(",", len(PREFIX))])
                    entry = arrivals.get(seq)
                    if entry is None:
                        arrivals[seq] = [1, now]
                        self.frame_size = len(text.encode())
                    else:
                        entry[0] += 1
                        entry[1] = now

    async def close(self) -> None:
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


async def measure(
    server_pid, ws_url, origin, cookies, writer_factory, posts, seq_of, profiling=False
) -> dict:
    """Connect the clients, post ``posts`` times, wait for the deliveries: the numbers."""
    clients = Clients(PING_EVERY)
    rss_before = rss_kb(server_pid)
    started = time.monotonic()
    await clients.connect(ws_url, origin, cookies)
    connect_s = time.monotonic() - started
    await asyncio.sleep(2)  # let the arrivals' side effects (presence) settle
    rss_after = rss_kb(server_pid)
    writer = await asyncio.to_thread(writer_factory)
    n = len(cookies)
    # One post first, not timed, for both servers alike (as the page benchmark asks each
    # page once first): the first post after start-up pays for what a running server has
    # ready (code paths, statements, connections), once per process, not per post.
    await asyncio.to_thread(writer.post, 0)
    warm_up = seq_of(clients.first_seq, 0)
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline and clients.arrivals.get(warm_up, [0])[0] < n:
        await asyncio.sleep(0.05)
    sent: dict[int, float] = {}
    answered: list[float] = []  # seconds from sending each POST to its answer
    cpu_before = cpu_seconds(server_pid)
    if profiling:
        os.kill(server_pid, signal.SIGUSR1)

    def write_all():
        start = time.monotonic()
        for k in range(1, posts + 1):
            delay = start + (k - 1) * POST_EVERY - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            seq = seq_of(clients.first_seq, k)
            sent[seq] = time.monotonic()
            writer.post(k)
            answered.append(time.monotonic() - sent[seq])

    try:
        await asyncio.to_thread(write_all)
    finally:
        await asyncio.to_thread(writer.close)
    deadline = time.monotonic() + GRACE
    expected = posts * n

    def timed_deliveries() -> int:
        return sum(clients.arrivals.get(seq, [0])[0] for seq in sent)

    while time.monotonic() < deadline and timed_deliveries() < expected:
        await asyncio.sleep(0.05)
    cpu = cpu_seconds(server_pid) - cpu_before
    if profiling:
        os.kill(server_pid, signal.SIGUSR2)
    delivered = timed_deliveries()
    last = [
        (clients.arrivals[seq][1] - t) * 1000 for seq, t in sent.items() if seq in clients.arrivals
    ]
    await clients.close()
    return {
        "clients": n,
        "posts": posts,
        "p50_ms": round(statistics.median(last), 1) if last else None,
        "p99_ms": round(percentile(last, 99), 1) if last else None,
        "max_ms": round(max(last), 1) if last else None,
        "missing": expected - delivered,
        "post_p50_ms": round(statistics.median(answered) * 1000, 1),
        "server_cpu_s": round(cpu, 2),
        "cpu_ms_per_post": round(cpu * 1000 / posts, 1),
        "rss_kb_per_connection": round((rss_after - rss_before) / n, 1),
        "connect_s": round(connect_s, 1),
        "connect_retries": clients.retries,
        "frame_bytes": clients.frame_size,
    }


def run_kring(redis_url: str, data: dict, n: int, posts: int) -> dict:
    port = free_port()
    profile = os.environ.get("KRING_BENCH_PROFILE", "")
    daphne = start_daphne(redis_url, port, f"{profile}.{n}" if profile else "")
    try:
        ws_url = f"ws://{HOST}:{port}/ws/threads/{data['thread']}/"
        numbers = asyncio.run(
            measure(
                daphne.pid,
                ws_url,
                f"http://{HOST}:{port}",
                data["readers"][:n],
                lambda: KringWriter(port, data),
                posts,
                lambda first, k: first + k + 1,  # the warm-up post is first + 1
                profiling=bool(profile),
            )
        )
    finally:
        stop(daphne)
    return numbers


def run_floor(n: int, posts: int, size: int) -> dict:
    port = free_port()
    floor = start_floor(port)
    try:
        return asyncio.run(
            measure(
                floor.pid,
                f"ws://{HOST}:{port}/",
                f"http://{HOST}:{port}",
                [None] * n,
                lambda: FloorWriter(port, size),
                posts,
                lambda first, k: k,
            )
        )
    finally:
        stop(floor)


def layer_name(redis_url: str) -> str:
    """The channel layer daphne will use, as its settings say."""
    code = "from django.conf import settings; print(settings.CHANNEL_LAYERS['default']['BACKEND'])"
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=server_env(redis_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().rsplit(".", 1)[-1]


def raise_fd_limit(clients: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 4 * clients + 1024))
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def profiled_daphne(out: str, argv: list[str]) -> int:
    """daphne under cProfile from SIGUSR1 to SIGUSR2 (the posting phase), written to ``out``."""
    import cProfile

    from daphne.cli import CommandLineInterface

    profile = cProfile.Profile()
    signal.signal(signal.SIGUSR1, lambda *_: profile.enable())

    def dump(*_):
        profile.disable()
        profile.dump_stats(out)

    signal.signal(signal.SIGUSR2, dump)
    CommandLineInterface().run(argv)
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--profiled-daphne"]:
        return profiled_daphne(argv[1], argv[2:])
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__)
    parser.add_argument("--clients", default="200,1000,2000", help="comma-separated N")
    parser.add_argument("--posts", type=int, default=40)
    parser.add_argument("--no-floor", action="store_true", help="Kring only")
    parser.add_argument(
        "--layer", choices=["pubsub", "core"], help="KRING_CHANNEL_LAYER (default: the setting's)"
    )
    parser.add_argument(
        "--ping", action="store_true", help="clients ping every 25 s, as browsers do"
    )
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ping:
        global PING_EVERY
        PING_EVERY = 25.0
    if args.layer:
        os.environ["KRING_CHANNEL_LAYER"] = args.layer
    if args.prepare is not None:
        print(json.dumps(prepare(args.prepare)))
        return 0
    sizes = [int(n) for n in args.clients.split(",") if n.strip()]
    raise_fd_limit(max(sizes))
    previous = signal.getsignal(signal.SIGTERM)
    # SIGTERM as Ctrl-C, so the finally blocks stop daphne and redis-server.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    LOG.write_bytes(b"")
    try:
        with redis_server() as (_redis, redis_url):
            layer = layer_name(redis_url)
            data = prepared(redis_url, max(sizes))
            for n in sizes:
                kring = run_kring(redis_url, data, n, args.posts)
                line = {"benchmark": "fan-out", "server": "kring", "layer": layer, **kring}
                print(json.dumps(line), flush=True)
                if args.no_floor:
                    continue
                floor = run_floor(n, args.posts, kring["frame_bytes"])
                print(json.dumps({"benchmark": "fan-out", "server": "floor", **floor}), flush=True)
                ratio = {
                    "benchmark": "fan-out ratio",
                    "clients": n,
                    "layer": layer,
                    "ratio_p50": _ratio(kring["p50_ms"], floor["p50_ms"]),
                    "ratio_p99": _ratio(kring["p99_ms"], floor["p99_ms"]),
                    "missing": kring["missing"],
                }
                print(json.dumps(ratio), flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


if __name__ == "__main__":
    sys.exit(main())
