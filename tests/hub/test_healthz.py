import pytest
from django.test import override_settings

from tests.helpers import own_redis_server


def test_it_reports_database_and_channel_layer_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["channel_layer"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_is_public_for_monitoring(client):
    # Load balancers probe without a session.
    assert client.get("/healthz").status_code == 200


def test_it_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.fixture
def own_redis():
    with own_redis_server() as server:
        yield server


@pytest.mark.redis
def test_it_says_503_when_redis_goes_away(client, own_redis):
    process, url = own_redis
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url]},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        up = client.get("/healthz")
        assert up.status_code == 200, up.content
        assert "RedisChannelLayer" in up.json()["channel_layer"]["detail"]

        process.kill()
        process.wait()
        down = client.get("/healthz")
        assert down.status_code == 503
        assert down.json()["status"] == "unavailable"
        assert down.json()["channel_layer"]["ok"] is False
        assert down.json()["database"]["ok"] is True
