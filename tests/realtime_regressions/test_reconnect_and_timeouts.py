"""Live updates under faults, found by a review: the group page backs off like the others
while the server keeps closing it; a post in a thread just moved is announced to the group
it is in now; a Redis that accepts but never answers makes publishing and presence give
up instead of hanging."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from discussions import services
from discussions.models import Thread
from tests.realtime.conftest import run

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


# --- 1. kring.js: the group stream never backs off on 4503 / 4500 -------------------------


def _retry_delays(path: str, seq, code: int, rounds: int = 7) -> list[float]:
    """The delays kring.js waits before each reconnect when every socket is accepted and
    then closed by the server with ``code`` (as a consumer does when Redis is down)."""
    result = subprocess.run(
        [
            "node",
            str(HERE / "kring_stream_harness.js"),
            str(ROOT / "static/js/kring.js"),
            path,
            "null" if seq is None else str(seq),
            str(code),
            str(rounds),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("code", [4503, 4500])
def test_the_group_page_backs_off_while_the_server_keeps_closing(code):
    # The thread page's stream backs off: 1 s, 2 s, 4 s ... up to 30 s.
    assert _retry_delays("/ws/threads/1/", 0, code)[-1] > 10_000
    # The group page's stream (seq null) calls ready() on "open", which resets the backoff,
    # and the server always accepts before it closes: it reconnects every 0.5-1 s for as
    # long as Redis is down, every open tab of every group page.
    assert _retry_delays("/ws/groups/1/", None, code)[-1] > 10_000


# --- 2. publish_new_post: group activity goes to the group the thread was in ----------------


@pytest.mark.django_db(transaction=True)
async def test_a_post_in_a_thread_just_moved_is_not_announced_to_its_old_group(
    open_socket, make_group, owner, make_user
):
    old = await run(make_group, owner=owner, name="Open overleg")
    secret = await run(make_group, owner=owner, name="Geheim overleg", visibility="private")
    outsider = await run(make_user, display_name="Olaf Buitenstaander")  # reads open groups
    thread = await run(
        services.create_thread, author=owner, group=old, title="Reorganisatie", body="Start"
    )
    page = await open_socket(f"/ws/groups/{old.pk}/", outsider)
    await page.ready()

    # The reply view has read the thread (readable_thread_or_404) ...
    as_read = await run(Thread.objects.select_related("group").get, pk=thread.pk)
    # ... when a moderator moves it into the private group, and commits ...
    await run(services.move_thread, moderator=owner, thread=thread, to_group=secret)
    # ... then the reply is written (its UPDATE waited for the move's lock).
    await run(services.create_post, author=owner, thread=as_read, body="Wie gaat er weg?")

    # The post is in the private group's thread: the open group's page hears nothing of it
    # (before ae460f1 the activity was published from the thread as committed).
    await page.nothing(wait=0.5)


# --- 3. A Redis that does not answer hangs every post and socket ------------------------------

PROBE = """
import asyncio, django, sys
django.setup()
what = sys.argv[1]
if what == "publish":  # what every write does after commit (hub.realtime.publish)
    from hub.realtime import publish
    publish("thread.1", {"type": "thread.event", "seq": 1})
elif what == "presence":  # what every thread socket does on open and on each ping
    from discussions import presence
    asyncio.run(presence.viewers(1))
elif what == "cache":  # the control: the cache has timeouts and fails open
    from django.core.cache import cache
    cache.get("x")
print("returned")
"""


@pytest.fixture
def silent_redis():
    """A Redis that accepts connections and never answers (a stopped or wedged server, a
    half-open connection after a network fault): the kernel completes the handshake."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()


def _returns(what: str, url: str, tmp_path) -> bool:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="hub.settings", KRING_DATA_DIR=str(tmp_path), REDIS_URL=url)
    env.pop("KRING_PRESENCE_REDIS_URL", None)
    try:
        result = subprocess.run(
            [sys.executable, "-c", PROBE, what],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        return False
    return "returned" in result.stdout


def test_the_cache_gives_up_on_a_redis_that_does_not_answer(silent_redis, tmp_path):
    assert _returns("cache", silent_redis, tmp_path)  # passes: the control


@pytest.mark.parametrize("what", ["publish", "presence"])
def test_posts_and_sockets_give_up_on_a_redis_that_does_not_answer(what, silent_redis, tmp_path):
    # The channel layer and presence clients have no socket timeouts: publish() after a
    # post's commit (and, in daphne, every publish and subscribe of the process behind the
    # pubsub shard's lock) and presence on every socket open/ping wait forever.
    assert _returns(what, silent_redis, tmp_path), f"{what} never returned"
