"""The presence store on its own: in process memory, and in Redis when configured."""

import asyncio
import json

import pytest

from discussions import presence

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def in_redis(settings, own_redis_url):
    settings.KRING_PRESENCE_REDIS_URL = own_redis_url


@pytest.fixture(params=["memory", "redis"])
def store(request, settings):
    if request.param == "memory":
        settings.KRING_PRESENCE_REDIS_URL = ""
    else:
        request.getfixturevalue("in_redis")
        asyncio.run(_flush())
    return request.param


async def _flush():
    await presence._redis().flushdb()
    await presence.close()


async def test_each_person_once_sorted_by_name(store):
    await presence.enter(7, "c1", 2, "Zoë Zwart")
    await presence.enter(7, "c2", 1, "anna Appel")
    await presence.enter(7, "c3", 2, "Zoë Zwart")  # a second tab
    await presence.enter(8, "c4", 3, "Elders")
    assert await presence.viewers(7) == [
        {"id": 1, "name": "anna Appel"},
        {"id": 2, "name": "Zoë Zwart"},
    ]
    await presence.leave(7, "c1")
    assert [v["id"] for v in await presence.viewers(7)] == [1, 2]
    await presence.leave(7, "c3")
    await presence.leave(7, "c2")
    assert await presence.viewers(7) == []
    await presence.leave(7, "never-there")
    assert [v["id"] for v in await presence.viewers(8)] == [3]


async def test_entries_expire_without_a_refresh(store, monkeypatch):
    monkeypatch.setattr(presence, "TTL", -1)  # written already expired
    await presence.enter(9, "gone", 1, "Weg")
    monkeypatch.setattr(presence, "TTL", 60)
    await presence.enter(9, "here", 2, "Hier")
    assert await presence.viewers(9) == [{"id": 2, "name": "Hier"}]
    if store == "memory":
        assert set(presence._local[9]) == {"here"}
    else:
        client = presence._redis()
        assert await client.hkeys(presence.key(9)) == [b"here"]
        assert 0 < await client.ttl(presence.key(9)) <= 60


async def test_a_refresh_keeps_an_entry(store, monkeypatch):
    monkeypatch.setattr(presence, "TTL", -1)
    await presence.enter(10, "c", 1, "Anna")
    monkeypatch.setattr(presence, "TTL", 60)
    await presence.refresh(10, "c", 1, "Anna")
    assert await presence.viewers(10) == [{"id": 1, "name": "Anna"}]


async def test_garbage_in_redis_is_dropped(in_redis):
    client = presence._redis()
    await client.hset(presence.key(11), mapping={"bad": "{", "old": json.dumps({"id": 1})})
    await presence.enter(11, "good", 2, "Goed")
    assert await presence.viewers(11) == [{"id": 2, "name": "Goed"}]
    assert await client.hkeys(presence.key(11)) == [b"good"]


def test_a_client_is_never_reused_on_another_event_loop(in_redis):
    async def enter_and_get_client():
        await presence.enter(12, "c", 1, "Anna")
        client = presence._redis()
        assert presence._redis() is client  # one per loop, reused
        await presence.close()
        return client

    first = asyncio.run(enter_and_get_client())
    # The first loop is closed now: its client's connections are dead with it.
    second = asyncio.run(enter_and_get_client())
    assert first is not second
