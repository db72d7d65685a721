"""Vote throughput through HTTP on PostgreSQL: `python -m bench.votes [--seconds 20] ...`.

The real stack as production runs it: a scratch PostgreSQL database
(``kring_bench_votes``, dropped and created on every run), a redis-server of our own on a
free port (channel layer and cache), and 1–2 daphne processes with persistent database
connections. Keep-alive HTTP clients (asyncio streams, one signed-in member each) toggle
their support on a board's ideas the way boards.js does: POST with the CSRF cookie and
header and ``X-Requested-With: fetch``. We count successful votes plus unvotes per second;
any answer that is not 2xx, or says the wrong thing, is a failure. Afterwards every
idea's stored ``vote_count`` is compared with its Vote rows (and ``recount_votes --check``
runs): the drift must be 0.

The parent process never imports Django (``make bench`` may already have configured it
for SQLite); migrations, the world and the checks run in child processes.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.services import (
    ROOT,
    cpu_of_command,
    cpu_seconds,
    free_port,
    host_speed_ms,
    machine_cpu_seconds,
    redis_server,
    run_python,
    scratch_database,
    wait_for_port,
)

PYTHON = sys.executable
DATABASE = "kring_bench_votes"
APP = "hub.asgi:application"
SECRET_KEY = "kring-bench-votes-only-" + "x" * 40  # fixed: sessions made here work in daphne


def pooled() -> bool:
    """Whether daphne keeps its database connections in a pool (BENCH_DB_POOL=0: no)."""
    import importlib.util

    wanted = os.environ.get("BENCH_DB_POOL", "1") != "0"
    return wanted and importlib.util.find_spec("psycopg_pool") is not None


def django_env(database_url: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_TLS="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Under daphne every request runs on a new thread, so CONN_MAX_AGE would open (and
        # leak) a connection per request: a pool per process instead (psycopg[pool]).
        DJANGO_CONN_MAX_AGE="0" if pooled() else os.environ.get("BENCH_CONN_MAX_AGE", "0"),
        DJANGO_DB_POOL="1" if pooled() else "0",
        # BENCH_SESSION_CACHE=1: sessions read from Redis (docs/deploy.md, "Sessions").
        KRING_SESSION_CACHE=os.environ.get("BENCH_SESSION_CACHE", "0"),
        KRING_CACHE_PREFIX="bench-votes",
        DJANGO_LOG_LEVEL="ERROR",
    )
    return env


# --- Child process: the world and the checks (Django configured for the scratch database) ---


def build_world(voters: int, ideas: int) -> dict:
    """A group, a board with ``ideas`` ideas by its owner, ``voters`` members with sessions."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from groups.models import Group, Membership
    from groups.services import create_group
    from hub.markdown import render_markdown
    from hub.models import User
    from ideas import services
    from ideas.models import Idea

    owner = User.objects.create(
        username="eigenaar", email="eigenaar@bench.example", display_name="Eigenaar", password="!"
    )
    group = create_group(
        creator=owner, name="Stembank", kind=Group.Kind.INTEREST, visibility="open"
    )
    board = services.create_board(moderator=owner, group=group, title="Stemmen per seconde")
    made = Idea.objects.bulk_create(
        Idea(board=board, author=owner, title=f"Idee {n}", body="x", body_html=render_markdown("x"))
        for n in range(ideas)
    )
    User.objects.bulk_create(
        User(
            username=f"stemmer{n}",
            email=f"stemmer{n}@bench.example",
            display_name=f"Stemmer {n}",
            password="!",
        )
        for n in range(voters)
    )
    people = list(User.objects.filter(username__startswith="stemmer").order_by("pk"))
    Membership.objects.bulk_create(Membership(group=group, user=user) for user in people)
    sessions = []
    for user in people:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "hub.auth_backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    return {
        "board": board.pk,
        "sessions": sessions,
        "vote": [reverse("ideas:vote", args=[idea.pk]) for idea in made],
        "unvote": [reverse("ideas:unvote", args=[idea.pk]) for idea in made],
    }


def check_drift() -> dict:
    """Ideas whose stored count differs from their Vote rows, and the votes/events written."""
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db.models import Count

    from ideas.models import BoardEvent, Idea, Vote

    counted = Idea.objects.annotate(real=Count("votes"))
    drift = sum(1 for idea in counted if idea.vote_count != idea.real)
    try:
        call_command("recount_votes", "--check", stdout=StringIO())
        recount_ok = True
    except CommandError:
        recount_ok = False
    return {
        "drift": drift,
        "recount_check_ok": recount_ok,
        "votes": Vote.objects.count(),
        "events": BoardEvent.objects.count(),
    }


def child(argv: list[str]) -> int:
    if argv[0] == "world":
        print(json.dumps(build_world(int(argv[1]), int(argv[2]))))
    elif argv[0] == "check":
        print(json.dumps(check_drift()))
    return 0


def run_child(env: dict, *args) -> dict:
    output = run_python(
        ["-m", "bench.votes", "--child", *args], env, f"bench.votes child {args[0]}"
    )
    return json.loads(output.strip().splitlines()[-1])


# --- The clients ------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.ok = 0
        self.failed = 0
        self.wrong = 0  # a 2xx that contradicts what this voter did (would mean lost state)
        self.statuses: dict[int, int] = {}
        self.latencies: list[float] = []
        self.measuring = False


async def read_response(reader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.read()
    return status, body


async def voter(port, session_key, world, deadline, stats, seed) -> None:
    """One member on one keep-alive connection: support an idea, or take support back."""
    rng = random.Random(seed)
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    body = f"csrfmiddlewaretoken={csrf}".encode()
    supported: set[int] = set()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < deadline:
            n = rng.randrange(len(world["vote"]))
            voting = n not in supported
            path = world["vote" if voting else "unvote"][n]
            request = (
                f"POST {path} HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\n"
                f"Origin: http://127.0.0.1:{port}\r\n"
                f"Cookie: sessionid={session_key}; csrftoken={csrf}\r\n"
                f"X-CSRFToken: {csrf}\r\n"
                "X-Requested-With: fetch\r\n"
                "Accept: application/json\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            start = time.perf_counter()
            try:
                writer.write(request)
                status, answer = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                # The server dropped the connection: a failure; then a new connection
                # (a vote it may have counted shows up as a wrong answer or in the drift).
                stats.failed += stats.measuring
                writer.close()
                await asyncio.sleep(0.1)
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            took = time.perf_counter() - start
            if not stats.measuring:
                if 200 <= status < 300:
                    supported.symmetric_difference_update({n})
                continue
            stats.statuses[status] = stats.statuses.get(status, 0) + 1
            if not 200 <= status < 300:
                stats.failed += 1
                continue
            if json.loads(answer).get("voted") is not voting:
                stats.wrong += 1
            supported.symmetric_difference_update({n})
            stats.ok += 1
            stats.latencies.append(took)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def drive(ports, world, clients, seconds, warmup, on_start) -> tuple[Stats, float]:
    stats = Stats()
    loop_start = time.monotonic()
    deadline = loop_start + warmup + seconds
    tasks = [
        asyncio.create_task(
            voter(
                ports[i % len(ports)],
                world["sessions"][i],
                world,
                deadline,
                stats,
                seed=i,
            )
        )
        for i in range(clients)
    ]
    await asyncio.sleep(warmup)
    stats.measuring = True
    on_start()
    start = time.perf_counter()
    await asyncio.gather(*tasks)
    return stats, time.perf_counter() - start


# --- The run ---------------------------------------------------------------------------


@contextlib.contextmanager
def only_run():
    """One run at a time on this machine: a second would drop the first one's database."""
    import fcntl

    with open(Path(tempfile.gettempdir()) / f"{DATABASE}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def run(seconds: float, clients: int, servers: int, ideas: int, warmup: float) -> dict:
    with only_run():
        return _run(seconds, clients, servers, ideas, warmup)


def _run(seconds: float, clients: int, servers: int, ideas: int, warmup: float) -> dict:
    database_url = scratch_database(DATABASE)
    logs = Path(tempfile.mkdtemp(prefix="kring-bench-votes-"))
    daphnes: list[subprocess.Popen] = []
    with redis_server() as (redis, redis_url), contextlib.ExitStack() as stack:
        env = django_env(database_url, redis_url)
        run_python(["manage.py", "migrate", "--verbosity", "0"], env, "migrate")
        world = run_child(env, "world", clients, ideas)
        try:
            ports = [free_port() for _ in range(servers)]
            daphne = str(Path(PYTHON).parent / "daphne")
            for port in ports:
                log = open(logs / f"daphne-{port}.log", "w")  # noqa: SIM115 (closed below)
                stack.callback(log.close)
                daphnes.append(
                    subprocess.Popen(
                        [daphne, "-b", "127.0.0.1", "-p", str(port), APP],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
            for port, process in zip(ports, daphnes, strict=True):
                wait_for_port(port, process, "daphne")

            def cpu_now() -> dict:
                return {
                    "server": sum(cpu_seconds(p.pid) for p in daphnes),
                    "client": time.process_time(),
                    "postgres": cpu_of_command("postgres"),
                    "redis": cpu_seconds(redis.pid),
                    "machine": machine_cpu_seconds(),
                }

            cpu_before = {}
            stats, took = asyncio.run(
                drive(ports, world, clients, seconds, warmup, lambda: cpu_before.update(cpu_now()))
            )
            cpu_after = cpu_now()
            cpu = {k: cpu_after[k] - cpu_before[k] for k in cpu_after}
        finally:
            for process in daphnes:
                process.kill()
            for process in daphnes:
                process.wait()
        check = run_child(env, "check")
    if stats.failed:
        print(f"bench.votes: failures; daphne logs kept in {logs}", file=sys.stderr)
    else:
        shutil.rmtree(logs, ignore_errors=True)
    latencies = sorted(stats.latencies) or [0.0]
    return {
        "benchmark": "votes over HTTP",
        "database": "postgresql",
        "servers": servers,
        "clients": clients,
        "connection_pool": pooled(),
        "ideas": ideas,
        "seconds": round(took, 2),
        "requests": stats.ok + stats.failed,
        "votes_per_second": round(stats.ok / took, 1),
        "failed_requests": stats.failed,
        "wrong_answers": stats.wrong,
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000, 2),
        # Where the machine's CPU went, per vote: daphne, PostgreSQL, Redis, this client,
        # and the whole machine (two cores give 2,000 ms a second).
        **{
            f"{name}_cpu_ms_per_vote": round(cpu[name] * 1000 / max(stats.ok, 1), 2)
            for name in ("server", "postgres", "redis", "client", "machine")
        },
        "host_speed_ms": host_speed_ms(),
        "drift": check["drift"],
        "recount_check_ok": check["recount_check_ok"],
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench.votes", description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--warmup", type=float, default=2, help="seconds not measured")
    args = parser.parse_args(argv)
    result = run(args.seconds, args.clients, args.servers, args.ideas, args.warmup)
    print(json.dumps(result), flush=True)
    ok = result["failed_requests"] == 0 and result["drift"] == 0 and result["wrong_answers"] == 0
    return 0 if ok and result["recount_check_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
