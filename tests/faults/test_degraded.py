"""The pieces that keep Kring working while Redis is unreachable, one at a time.

The fault tests (test_redis_down.py and the others) show the whole; these pin down each
fix: the cache fails open, presence shows nobody instead of failing, /healthz does not
leave a subscription behind per check, and a socket whose layer forgot it (a restarted
Redis) still gets what it missed, at its next ping.
"""

import pytest
import redis
from channels.layers import get_channel_layer
from django.urls import reverse

from discussions import presence, services
from discussions.models import Post
from hub import health
from hub.cache import FailOpenRedisCache
from hub.layers import PubSubChannelLayer
from tests.helpers import free_port, own_redis_server
from tests.realtime.conftest import (  # noqa: F401
    _clean_realtime_state,
    no_post_limit,
    open_socket,
    run,
    thread_path,
)


@pytest.fixture
def unreachable_redis_url():
    """A Redis URL where nothing listens: every connection is refused."""
    return f"redis://127.0.0.1:{free_port()}/0"


def test_the_cache_is_an_empty_cache_that_keeps_nothing_while_redis_is_unreachable(
    unreachable_redis_url,
):
    cache = FailOpenRedisCache(unreachable_redis_url, {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k"]) == {}
    assert cache.has_key("k") is False
    assert cache.add("k", 1) is False
    cache.set("k", 1)
    assert cache.get("k") is None
    with pytest.raises(ValueError):  # as for a missing key
        cache.incr("k")
    assert cache.delete("k") is False
    cache.clear()


def test_a_post_is_saved_while_the_rate_limit_cannot_count(
    client, settings, unreachable_redis_url, thread, writers
):
    # The posting limit is on, but its counter cannot be reached: the post goes through.
    settings.KRING_POSTS_PER_MINUTE = 1
    settings.CACHES = {
        "default": {"BACKEND": "hub.cache.FailOpenRedisCache", "LOCATION": unreachable_redis_url}
    }
    client.force_login(writers[1])
    url = reverse("discussions:reply", args=[thread.group.slug, thread.pk])
    for body in ("Eerste poging", "Tweede poging"):
        assert client.post(url, {"body": body}).status_code == 302
    assert Post.objects.filter(thread=thread).count() == 3


async def test_presence_shows_nobody_rather_than_failing_while_redis_is_unreachable(
    settings, unreachable_redis_url
):
    settings.KRING_PRESENCE_REDIS_URL = unreachable_redis_url
    await presence.enter(1, "channel-a", 7, "Anna")
    await presence.refresh(1, "channel-a", 7, "Anna")
    assert await presence.viewers(1) == []
    await presence.leave(1, "channel-a")
    await presence.close()


async def test_a_channel_that_could_not_subscribe_is_forgotten(unreachable_redis_url):
    # Every WebSocket turned away while Redis is down asked the layer for a channel first;
    # channels-redis kept each one's queue for the life of the process.
    layer = PubSubChannelLayer(hosts=[unreachable_redis_url])
    for _ in range(3):
        with pytest.raises(redis.exceptions.ConnectionError):
            await layer.new_channel()
    assert layer._get_layer().channels == {}


@pytest.mark.redis
async def test_health_checks_reuse_one_channel_on_the_pubsub_layer(settings):
    with own_redis_server() as (_process, url):
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "hub.layers.PubSubChannelLayer",
                "CONFIG": {"hosts": [url]},
            }
        }
        for _ in range(5):
            assert (await health.check_channel_layer())[0] is True
        client = redis.Redis.from_url(url)
        # One subscription for the health channel, not one per check.
        assert len(client.pubsub_channels()) == 1
        client.close()
        await get_channel_layer().flush()


@pytest.mark.django_db(transaction=True)
async def test_a_socket_whose_layer_forgot_it_catches_up_at_its_next_ping(
    open_socket,  # noqa: F811
    settings,
    thread,
    writers,
):
    # The in-memory layer, whatever REDIS_URL says: its flush forgets every group and
    # channel without a word, as the pubsub layer does across a Redis restart (the core
    # layer's receive fails instead, and the socket closes: test_redis_down.py).
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    socket = await open_socket(thread_path(thread), writers[1])
    assert (await socket.ready())["seq"] == 1
    # The socket stays open, but the event of the next post reaches nobody.
    await get_channel_layer().flush()
    post = await run(services.create_post, author=writers[0], thread=thread, body="Kwijt?")
    await socket.nothing()
    await socket.ping()
    frame = await socket.next()
    assert (frame["type"], frame["seq"], frame["post"]) == ("post.created", 2, post.pk)
    # Once caught up, a ping is only a ping.
    await socket.ping()
    await socket.nothing()
