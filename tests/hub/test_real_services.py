"""CI runs the suite once on the real services; these fail if it silently did not."""

import os

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.postgres
def test_the_suite_runs_on_postgresql_when_asked(db):
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        pytest.skip("DATABASE_URL does not name PostgreSQL")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 130000


@pytest.mark.redis
def test_the_suite_runs_on_redis_when_asked(client):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set")
    backend = settings.KRING_CHANNEL_LAYER_BACKENDS[settings.KRING_CHANNEL_LAYER]
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == backend
    health = client.get("/healthz").json()
    assert health["channel_layer"] == {"ok": True, "detail": backend.rsplit(".", 1)[1]}
